"""The fair peer: one headless Chromium printing HTML files through N pages (tabs) at once.

    python benchmarks/chromium.py [--pages N] [--report FILE] TEMPLATES OUT HTML...

Chromium is Debian's (/usr/bin/chromium, or FORM8K_CHROMIUM), started once by Playwright with
--no-sandbox --disable-gpu --disable-background-networking (Playwright never downloads a browser
here). Each page opens a file, adds the build's print stylesheet (TEMPLATES/print.css, with the
same bundled fonts through its @font-face rules), waits for its fonts, and prints a PDF at the
stylesheet's page size; the pages take the files in turn from one queue. With --report, the
browser's start and the printing alone are written there as JSON (seconds).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from pathlib import Path

CHROMIUM = os.environ.get("FORM8K_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


async def print_all(files: list[Path], stylesheet: Path, out: Path, pages: int) -> dict[str, float]:
    from playwright.async_api import async_playwright

    start = time.perf_counter()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        tabs = [await browser.new_page() for _ in range(pages)]
        launched = time.perf_counter()
        queue: asyncio.Queue[tuple[int, Path]] = asyncio.Queue()
        for number, path in enumerate(files):
            queue.put_nowait((number, path))

        async def work(tab) -> None:  # type: ignore[no-untyped-def]
            while not queue.empty():
                number, path = queue.get_nowait()
                await tab.goto(path.as_uri())
                await tab.add_style_tag(url=stylesheet.as_uri())
                await tab.evaluate("document.fonts.ready.then(() => true)")
                await tab.pdf(path=str(out / f"{number}.pdf"), prefer_css_page_size=True)

        await asyncio.gather(*(work(tab) for tab in tabs))
        printed = time.perf_counter()
        await browser.close()
    return {"launch": launched - start, "print": printed - launched}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1)
    parser.add_argument("--report", type=Path)
    parser.add_argument("templates", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    stylesheet = (args.templates / "print.css").resolve()
    files = [path.resolve() for path in args.files]
    times = asyncio.run(print_all(files, stylesheet, args.out.resolve(), args.pages))
    if args.report:
        args.report.write_text(json.dumps(times))


if __name__ == "__main__":
    main()
