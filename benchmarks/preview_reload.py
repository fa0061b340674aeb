#!/usr/bin/env python3
"""How long from saving a file to the reloaded preview showing the new text (a script, not a test).

Starts ``form8k serve`` on a copy of the example project, opens a page in Debian's headless
Chromium (driven by Playwright), then saves the file behind the page N times, each time with new
text, and measures from the moment the file is written until that text is visible in the
reloaded page: watching, rebuilding the HTML, the event to the page, the reload and the paint.

    .venv/bin/python benchmarks/preview_reload.py            # 20 edits of each kind
    .venv/bin/python benchmarks/preview_reload.py --edits 50

Two clocks: "painted" is the reloaded page's first contentful paint, read from the page's own
performance timeline (the browser and this script share the machine's clock); "seen" is when
Playwright, polling the page, finds the new text: the same moment plus its polling delay.
Target: a median under 300 ms. Also prints how much of it is the server's rebuild, and how long
a filing's PDF takes on its first request after a change and when cached.
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
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
FILING = "immunogen/2005-09-07-hun901"
ITEM_TEXT = "On September 7, 2005, ImmunoGen, Inc. (Nasdaq: IMGN) issued a press release"
RELEASE_TEXT = "ImmunoGen, Inc. (Nasdaq: IMGN) today announced"
#: The reloaded page's first contentful paint (else its DOMContentLoaded), in epoch ms.
PAINTED_JS = """() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const nav = performance.getEntriesByType("navigation")[0];
  return performance.timeOrigin + (paint ? paint.startTime : nav.domContentLoadedEventEnd);
}"""


@dataclass
class Server:
    """The ``form8k serve`` process, its address, its output, when each rebuild was reported."""

    process: subprocess.Popen[str]
    url: str
    lines: list[str]
    rebuilt: list[float]


def start_server(root: Path) -> Server:
    """``form8k serve --port 0`` on ``root``, once it says where it listens."""
    process = subprocess.Popen(
        [sys.executable, "-m", "form8k", "--project", str(root), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    stdout = process.stdout
    server = Server(process, "", [], [])
    ready = threading.Event()

    def read() -> None:
        for line in stdout:
            if line.startswith("rebuilt in "):
                server.rebuilt.append(time.time())
            server.lines.append(line)
            match = re.match(r"form8k preview at (\S+) ", line)
            if match:
                server.url = match.group(1)
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(60):
        process.kill()
        raise SystemExit("the server did not start:\n" + "".join(server.lines))
    return server


@dataclass
class Samples:
    """Milliseconds after each save."""

    painted: list[float]
    seen: list[float]
    rebuilt: list[float]


def measure(page: Page, server: Server, path: Path, anchor: str, edits: int) -> Samples:
    """Save ``path`` ``edits`` times with new text before ``anchor``; time each reload."""
    original = path.read_text(encoding="utf-8")
    samples = Samples([], [], [])
    for n in range(1, edits + 1):
        reports = len(server.rebuilt)
        token = f"Benchmark edit {n} at {time.time_ns()}"
        path.write_text(original.replace(anchor, f"{token}. {anchor}", 1), encoding="utf-8")
        saved = time.time()
        page.get_by_text(token).first.wait_for(state="visible", timeout=10_000)
        samples.seen.append((time.time() - saved) * 1000)
        samples.painted.append(page.evaluate(PAINTED_JS) - saved * 1000)
        time.sleep(0.1)  # let the page settle, as between two saves by hand
        if len(server.rebuilt) > reports:
            samples.rebuilt.append((server.rebuilt[reports] - saved) * 1000)
    path.write_text(original, encoding="utf-8")
    time.sleep(0.3)
    return samples


def report(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p90 = ordered[max(0, round(0.9 * len(ordered)) - 1)]
    print(
        f"  {label:<38} n={len(times)}  median {statistics.median(times):4.0f} ms  "
        f"mean {statistics.mean(times):4.0f}  min {ordered[0]:4.0f}  p90 {p90:4.0f}  "
        f"max {ordered[-1]:4.0f}"
    )


def fetch_ms(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    with urllib.request.urlopen(url) as response:
        size = len(response.read())
    return (time.perf_counter() - started) * 1000, size


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--edits", type=int, default=20, help="saves per file (default 20)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="form8k-bench-") as folder:
        root = Path(folder)
        shutil.copytree(REPO / "content", root / "content")
        shutil.copytree(REPO / "templates", root / "templates")
        filing = root / "content" / FILING
        server = start_server(root)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(f"{server.url}filings/{FILING}/")
                page.get_by_text(ITEM_TEXT).wait_for()
                first = len(server.lines)
                form = measure(page, server, filing / "filing.yaml", ITEM_TEXT, args.edits)
                page.goto(f"{server.url}filings/{FILING}/imgn-ex99-1.htm")
                page.get_by_text(RELEASE_TEXT).wait_for()
                release = measure(
                    page, server, filing / "press-release.md", RELEASE_TEXT, args.edits
                )
                browser.close()
            rebuilds = [
                float(m.group(1))
                for line in server.lines[first:]
                if (m := re.match(r"rebuilt in (\d+) ms", line))
            ]
            pdf = f"{server.url}filings/{FILING}/imgn-20050906.pdf"
            pdf_made, size = fetch_ms(pdf)
            pdf_cached, _ = fetch_ms(pdf)
        finally:
            server.process.terminate()
            server.process.wait()

    print(f"save -> new text visible in the reloaded page ({FILING}, headless Chromium):")
    report("filing.yaml -> Form 8-K, painted", form.painted)
    report("press-release.md -> Ex. 99.1, painted", release.painted)
    report("all edits, painted", form.painted + release.painted)
    report("all edits, seen by Playwright", form.seen + release.seen)
    print("of which:")
    report("save -> server has rebuilt", form.rebuilt + release.rebuilt)
    report("the rebuild itself (HTML)", rebuilds)
    print(
        f"PDF of the 8-K ({size // 1024} KiB): {pdf_made:.0f} ms made on request after the "
        f"edits, {pdf_cached:.0f} ms from the cache"
    )
    median = statistics.median(form.painted + release.painted)
    print(f"target: median under 300 ms for HTML: {'met' if median < 300 else 'NOT met'}")


if __name__ == "__main__":
    main()
