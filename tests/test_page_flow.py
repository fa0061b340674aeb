"""The PDFs' page flow, read from the pages themselves: no page ends with a heading (a heading
goes to the page of what it introduces), no page holds only a heading, and nothing forces the
signature onto a page of its own."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import lxml.html

from tests.fidelity import normalize

#: Headings: short bold paragraphs (item headings, "About ...", "SIGNATURES") and h1-h6.
HEADINGS = "//p[contains(@style,'font-weight:bold')] | //h1 | //h2 | //h3 | //h4"


def _pages(pdf: Path) -> list[list[str]]:
    """Each page's lines of text, page numbers and "-more-" marks left out."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in text.split("\f"):
        lines = [" ".join(line.split()) for line in page.splitlines()]
        lines = [line for line in lines if line and not re.fullmatch(r"\d+|-more-", line)]
        if lines:
            pages.append(lines)
    return pages


def _headings(html: Path) -> set[str]:
    root = lxml.html.document_fromstring(html.read_bytes())
    return {
        " ".join(normalize(element.text_content()))
        for element in root.xpath(HEADINGS)
        if 0 < len(element.text_content().strip()) < 100
    }


def test_no_page_ends_with_a_heading_or_holds_only_one(examples) -> None:
    _, out = examples
    checked = 0
    for html in sorted(out.rglob("*.htm")):
        headings = _headings(html)
        pages = _pages(html.with_suffix(".pdf"))
        for number, lines in enumerate(pages[:-1], start=1):
            last = " ".join(normalize(lines[-1]))
            assert last not in headings, f"{html.name}: page {number} ends with {lines[-1]!r}"
        for number, lines in enumerate(pages, start=1):
            body = [line for line in lines if " ".join(normalize(line)) not in headings]
            assert body, f"{html.name}: page {number} holds only headings: {lines}"
        checked += len(pages)
    assert checked >= 8


def test_the_signature_shares_its_page_with_the_text_before_it(examples) -> None:
    _, out = examples
    for pdf in sorted(out.rglob("*-20*[0-9].pdf")):
        pages = _pages(pdf)
        (page,) = [lines for lines in pages if "SIGNATURES" in lines]
        assert page.index("SIGNATURES") > 0, f"{pdf.name}: the signature starts a page"
