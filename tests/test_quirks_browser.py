"""What EDGAR shows looks like the proof: every filed document renders the same in a real
browser with and without a DOCTYPE.

EDGAR's documents carry no DOCTYPE (the Inline XBRL rules forbid one), so browsers and EDGAR's
viewer open them in quirks mode, where tables do not inherit the page's font size. Each example
document is loaded in Chromium (Debian's, driven by Playwright) as it is, then with
``<!DOCTYPE html>`` before it; every element that holds text must have the same computed font
family, size, weight, style and line height in both.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

CHROMIUM = Path(os.environ.get("FORM8K_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

#: Every element with text of its own: its path, and the font as the browser computes it.
COMPUTED = """() => {
  const rows = [];
  const walk = (element, path) => {
    const own = [...element.childNodes].some(
      (n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (own) {
      const s = getComputedStyle(element);
      rows.push([path, s.fontFamily, s.fontSize, s.fontWeight, s.fontStyle, s.lineHeight]);
    }
    [...element.children].forEach((child, i) => walk(child, path + "/" + child.tagName + i));
  };
  walk(document.body, "body");
  return [document.compatMode, rows];
}"""


def _fonts(page: Page, html: str) -> tuple[str, list[list[str]]]:
    page.set_content(html, wait_until="load")
    mode, rows = page.evaluate(COMPUTED)
    return mode, rows


def test_every_example_document_renders_alike_in_quirks_and_standards_mode(examples) -> None:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} not found: scripts/setup.sh installs Debian's chromium package")
    _, out = examples
    documents = sorted(out.rglob("*.htm"))
    assert len(documents) >= 5
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            for document in documents:
                html = document.read_text(encoding="ascii")
                quirks_mode, quirks = _fonts(page, html)
                standards_mode, standards = _fonts(page, "<!DOCTYPE html>\n" + html)
                assert (quirks_mode, standards_mode) == ("BackCompat", "CSS1Compat")
                assert len(quirks) > 10, document.name
                differ = [(q, s) for q, s in zip(quirks, standards, strict=True) if q != s]
                assert differ == [], (document.name, differ[:5])
                cells = [row for row in quirks if "/TD" in row[0]]
                assert cells and all(row[2] != "16px" for row in cells), document.name
        finally:
            browser.close()
