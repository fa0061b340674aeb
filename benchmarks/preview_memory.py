#!/usr/bin/env python3
"""The preview server's memory across template saves, and its PDFs under concurrent requests.

Starts ``form8k serve`` on a copy of the repository's project, then N times: saves
``templates/print.css`` (a comment changes, so every filing is rebuilt and the next PDF is made
with a new stylesheet), waits for the rebuild, and asks for every PDF of every filing. After each
round it reads the resident memory of the server and of every process it started (the PDF
renderer), from /proc (proportional set size: a page shared by two processes counts half in
each). Then it sends C requests at once for those PDFs (after one more save, so
that they are all made again) and checks that each answers 200 with the same bytes as before,
and that the server logged nothing from GLib, Pango or the C library.

    .venv/bin/python benchmarks/preview_memory.py               # 20 saves, 70 requests at once
    .venv/bin/python benchmarks/preview_memory.py --saves 40 --concurrent 100

"Flat" is a growth under 1 MiB per save, fitted over the second half of the saves (the first
rounds fill caches that are then reused). Linux only (/proc).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: What a server's log may never say (native memory corruption, GLib's complaints).
NATIVE_TROUBLE = re.compile(r"corrupted|double free|CRITICAL|GLib|Pango-|Fontconfig|Segmentation")


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str = ""
    lines: list[str] = field(default_factory=list)
    rebuilds: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)


def start_server(root: Path) -> Server:
    process = subprocess.Popen(
        [sys.executable, "-m", "form8k", "--project", str(root), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    stdout = process.stdout
    server = Server(process)

    def read() -> None:
        for line in stdout:
            with server.changed:
                server.lines.append(line)
                if line.startswith("rebuilt in "):
                    server.rebuilds += 1
                match = re.match(r"form8k preview at (\S+) ", line)
                if match:
                    server.url = match.group(1)
                server.changed.notify_all()

    threading.Thread(target=read, daemon=True).start()
    with server.changed:
        if not server.changed.wait_for(lambda: server.url or process.poll() is not None, 60):
            process.kill()
        if not server.url:
            raise SystemExit("the server did not start:\n" + "".join(server.lines))
    return server


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found += descendants(int(child))
    return found


def memory_mib(pid: int) -> float:
    """The proportional set size of ``pid``: its resident memory, each page shared with other
    processes (the fork server and the renderer forked from it) counted by its share."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0
    match = re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)
    return int(match.group(1)) / 1024 if match else 0.0


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.pdfs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") or ""
        if tag == "a" and href.endswith(".pdf") and href not in self.pdfs:
            self.pdfs.append(href)


def get(url: str) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=300) as response:
            return response.status, response.read(), time.perf_counter() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.perf_counter() - started


def save_and_wait(server: Server, css: Path, original: str, n: int) -> None:
    with server.changed:
        before = server.rebuilds
    css.write_text(original + f"\n/* benchmark save {n} */\n", encoding="utf-8")
    with server.changed:
        if not server.changed.wait_for(lambda: server.rebuilds > before, 60):
            raise SystemExit(f"no rebuild after save {n}")


def slope(values: list[float]) -> float:
    """Least-squares growth per step."""
    xs = range(len(values))
    mean_x, mean_y = statistics.mean(xs), statistics.mean(values)
    var = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, values, strict=True)) / var


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--saves", type=int, default=20, help="template saves (default 20)")
    parser.add_argument("--concurrent", type=int, default=70, help="requests at once (70)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="form8k-bench-") as folder:
        root = Path(folder)
        shutil.copytree(REPO / "content", root / "content")
        shutil.copytree(REPO / "templates", root / "templates")
        css = root / "templates" / "print.css"
        original = css.read_text(encoding="utf-8")
        server = start_server(root)
        try:
            links = _Links()
            links.feed(get(server.url)[1].decode())
            urls = [server.url.rstrip("/") + href for href in links.pdfs]
            reference = {}
            for url in urls:
                status, body, _ = get(url)
                assert status == 200, (url, status, body[:300])
                reference[url] = hashlib.sha256(body).hexdigest()
            filings = sorted({url.rpartition("/")[0] for url in urls})
            rows: list[tuple[float, float, float]] = []
            made: list[float] = []
            cached: list[float] = []
            print(
                f"{len(urls)} PDFs of {len(filings)} filings; after each template save and a "
                f"request for each:"
            )
            for n in range(1, args.saves + 1):
                save_and_wait(server, css, original, n)
                seen: set[str] = set()
                for url in urls:
                    status, body, seconds = get(url)
                    assert status == 200, (url, status, body[:300])
                    filing = url.rpartition("/")[0]
                    (cached if filing in seen else made).append(seconds)
                    seen.add(filing)
                pids = descendants(server.process.pid)
                main_rss = memory_mib(pids[0])
                others = sum(memory_mib(pid) for pid in pids[1:])
                rows.append((main_rss, others, main_rss + others))
                print(
                    f"  save {n:3d}: server {main_rss:6.1f} MiB, its children {others:6.1f} MiB "
                    f"({len(pids) - 1}), total {main_rss + others:6.1f} MiB"
                )
            half = rows[len(rows) // 2 :]
            growth = [slope([row[i] for row in half]) for i in range(3)]
            print(
                f"growth per save over saves {len(rows) - len(half) + 1}-{len(rows)}: server "
                f"{growth[0]:+.2f} MiB, children {growth[1]:+.2f} MiB, total {growth[2]:+.2f} MiB"
                f" ({'flat' if growth[2] < 1 else 'GROWING'}); over all saves: total "
                f"{rows[-1][2] - rows[0][2]:+.1f} MiB"
            )
            print(
                f"the first request for a filing's PDF after a save (its PDFs are made): median "
                f"{statistics.median(made) * 1000:.0f} ms, max {max(made) * 1000:.0f} ms; the "
                f"others (cached): median {statistics.median(cached) * 1000:.0f} ms"
            )

            save_and_wait(server, css, original, 0)
            wanted = [urls[i % len(urls)] for i in range(args.concurrent)]
            started = time.perf_counter()
            with ThreadPoolExecutor(args.concurrent) as pool:
                answers = list(pool.map(get, wanted))
            wall = time.perf_counter() - started
            ok = sum(
                1
                for url, (status, body, _) in zip(wanted, answers, strict=True)
                if status == 200 and hashlib.sha256(body).hexdigest() == reference[url]
            )
            latencies = sorted(seconds for _, _, seconds in answers)
            print(
                f"{args.concurrent} requests at once for the {len(urls)} PDFs, all made anew: "
                f"{ok} answered 200 with the reference bytes; wall {wall:.2f} s "
                f"({wall / len(filings) * 1000:.0f} ms per filing made), latency median "
                f"{statistics.median(latencies) * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
            )
        finally:
            css.write_text(original, encoding="utf-8")
            server.process.terminate()
            server.process.wait(30)
        trouble = [line.rstrip() for line in server.lines if NATIVE_TROUBLE.search(line)]
        print(f"native trouble in the server's log: {len(trouble)} lines")
        for line in trouble[:10]:
            print(f"  {line}")


if __name__ == "__main__":
    main()
