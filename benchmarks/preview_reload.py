#!/usr/bin/env python3
"""How long from saving a file to the reloaded preview showing the new text (a script, not a test).

Starts ``form8k serve`` on a copy of the example project, opens a page in Debian's headless
Chromium (driven by Playwright), then saves the file behind the page N times, each time with new
text, and measures from the moment the file is written until that text is visible in the
reloaded page: watching, rebuilding the HTML, the event to the page, the reload and the paint.

    .venv/bin/python benchmarks/preview_reload.py            # 20 edits of each kind
    .venv/bin/python benchmarks/preview_reload.py --edits 50

Target: a median under 300 ms. Also prints the server's own rebuild times, and how long a
filing's PDF takes on its first request after a change and when cached.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
FILING = "immunogen/2005-09-07-hun901"
ITEM_TEXT = "On September 7, 2005, ImmunoGen, Inc. (Nasdaq: IMGN) issued a press release"
RELEASE_TEXT = "ImmunoGen, Inc. (Nasdaq: IMGN) today announced"


def start_server(
    root: Path,
) -> tuple[subprocess.Popen[str], str, list[str], list[float]]:
    """``form8k serve --port 0`` on ``root``: the process, its address, its output so far and
    when each "rebuilt" line was read."""
    process = subprocess.Popen(
        [sys.executable, "-m", "form8k", "--project", str(root), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    stdout = process.stdout
    lines: list[str] = []
    rebuilt: list[float] = []
    ready = threading.Event()
    found: list[str] = []

    def read() -> None:
        for line in stdout:
            if line.startswith("rebuilt in "):
                rebuilt.append(time.perf_counter())
            lines.append(line)
            match = re.match(r"form8k preview at (\S+) ", line)
            if match:
                found.append(match.group(1))
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(60):
        process.kill()
        raise SystemExit("the server did not start:\n" + "".join(lines))
    return process, found[0], lines, rebuilt


def measure(
    page: Page, path: Path, original: str, anchor: str, edits: int, rebuilt: list[float]
) -> tuple[list[float], list[float]]:
    """Milliseconds from each save of ``path`` to its new text being visible in ``page``, and
    from each save to the server's saying it has rebuilt."""
    times, built = [], []
    for n in range(1, edits + 1):
        seen = len(rebuilt)
        token = f"Benchmark edit {n} at {time.time_ns()}"
        text = original.replace(anchor, f"{token}. {anchor}", 1)
        path.write_text(text, encoding="utf-8")
        saved = time.perf_counter()
        page.get_by_text(token).first.wait_for(state="visible", timeout=10_000)
        times.append((time.perf_counter() - saved) * 1000)
        time.sleep(0.1)  # let the page settle, as between two saves by hand
        if len(rebuilt) > seen:
            built.append((rebuilt[seen] - saved) * 1000)
    path.write_text(original, encoding="utf-8")
    time.sleep(0.3)
    return times, built


def report(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p90 = ordered[max(0, round(0.9 * len(ordered)) - 1)]
    print(
        f"{label}: n={len(times)}  median {statistics.median(times):.0f} ms  "
        f"mean {statistics.mean(times):.0f}  min {ordered[0]:.0f}  p90 {p90:.0f}  "
        f"max {ordered[-1]:.0f}"
    )


def timed(fetch: Callable[[], bytes]) -> tuple[float, int]:
    started = time.perf_counter()
    size = len(fetch())
    return (time.perf_counter() - started) * 1000, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=20, help="saves per kind (default 20)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="form8k-bench-") as folder:
        root = Path(folder)
        shutil.copytree(REPO / "content", root / "content")
        shutil.copytree(REPO / "templates", root / "templates")
        process, url, lines, rebuilt = start_server(root)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                filing = root / "content" / FILING
                page.goto(f"{url}filings/{FILING}/")
                page.get_by_text(ITEM_TEXT).wait_for()
                yaml = (filing / "filing.yaml").read_text(encoding="utf-8")
                first = len(lines)
                html_8k, built_8k = measure(
                    page, filing / "filing.yaml", yaml, ITEM_TEXT, args.edits, rebuilt
                )

                page.goto(f"{url}filings/{FILING}/imgn-ex99-1.htm")
                page.get_by_text(RELEASE_TEXT).wait_for()
                markdown = (filing / "press-release.md").read_text(encoding="utf-8")
                html_ex, built_ex = measure(
                    page, filing / "press-release.md", markdown, RELEASE_TEXT, args.edits, rebuilt
                )
                browser.close()

            time.sleep(0.3)
            pdf_url = f"{url}filings/{FILING}/imgn-20050906.pdf"

            def fetch() -> bytes:
                with urllib.request.urlopen(pdf_url) as response:
                    return bytes(response.read())

            pdf_first, size = timed(fetch)
            pdf_cached, _ = timed(fetch)
        finally:
            process.terminate()
            process.wait()

    rebuilds = [
        float(m.group(1)) for line in lines[first:] if (m := re.match(r"rebuilt in (\d+) ms", line))
    ]
    print(f"save -> new text visible in the reloaded page (headless Chromium, {FILING}):")
    report("  filing.yaml      -> Form 8-K   ", html_8k)
    report("  press-release.md -> Ex. 99.1   ", html_ex)
    report("  all HTML edits                 ", html_8k + html_ex)
    print("of which:")
    report("  save -> server has rebuilt     ", built_8k + built_ex)
    if rebuilds:
        report("  the rebuild itself (HTML)      ", rebuilds)
    print(
        f"PDF of the 8-K ({size // 1024} KiB): {pdf_first:.0f} ms made on request, "
        f"{pdf_cached:.0f} ms from the cache"
    )
    median = statistics.median(html_8k + html_ex)
    print(f"target: median under 300 ms for HTML -> {'met' if median < 300 else 'NOT met'}")


if __name__ == "__main__":
    main()
