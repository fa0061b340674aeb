"""Make docs/document-vs-pdf.png: the Lumen Ridge 8-K's cover as Chromium shows the filed HTML
(quirks mode, as EDGAR serves it) beside the same page of its PDF.

    .venv/bin/python docs/make_screenshots.py
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from form8k.pipeline import Project, build

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        out = Path(temp) / "output"
        build(Project.at(REPO), out=out, paths=[REPO / "content" / "lumen-ridge"], force=True)
        folder = out / "lumen-ridge" / "2025-11-06-q3-results"
        html_png = Path(temp) / "html.png"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 816, "height": 1056})
            page.goto((folder / "lrsy-20251106.htm").as_uri())
            page.screenshot(path=str(html_png))
            browser.close()
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "96",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(folder / "lrsy-20251106.pdf"),
                str(Path(temp) / "pdf"),
            ],
            check=True,
        )
        left, right = Image.open(html_png), Image.open(Path(temp) / "pdf.png")
        gap = 24
        sheet = Image.new(
            "RGB", (left.width + gap + right.width, max(left.height, right.height)), "#d0d0d0"
        )
        sheet.paste(left, (0, 0))
        sheet.paste(right, (left.width + gap, 0))
        sheet.save(REPO / "docs" / "document-vs-pdf.png", optimize=True)


if __name__ == "__main__":
    main()
