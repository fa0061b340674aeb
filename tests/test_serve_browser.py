"""The preview end to end: the real server on a free loopback port, a real headless Chromium.

Chromium is Debian's (``scripts/setup.sh`` installs it), driven by Playwright through
``executable_path``; Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from tests.conftest import FILING_YAML

CHROMIUM = Path(os.environ.get("FORM8K_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: Generous: the reload normally shows within a fraction of a second (benchmarks/).
WAIT_MS = 10_000


@dataclass
class Server:
    """A ``form8k serve`` process and the lines it has printed."""

    process: subprocess.Popen[str]
    url: str
    root: Path
    lines: queue.Queue[str]
    reader: threading.Thread

    def stop(self) -> None:
        """Kill the server if it still runs; close its output."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.reader.join(timeout=10)
        assert self.process.stdout is not None
        self.process.stdout.close()

    def output(self) -> str:
        text = []
        while not self.lines.empty():
            text.append(self.lines.get())
        return "".join(text)


def start_server(root: Path) -> Server:
    """Run ``python -m form8k serve --port 0`` on ``root``; return once it prints its address."""
    process = subprocess.Popen(
        [sys.executable, "-m", "form8k", "--project", str(root), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout

    def read() -> None:
        for line in stdout:
            lines.put(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    seen: list[str] = []
    while True:
        try:
            line = lines.get(timeout=30)
        except queue.Empty:
            Server(process, "", root, lines, reader).stop()
            pytest.fail(f"the server printed no address in 30 s: {''.join(seen)}")
        seen.append(line)
        match = re.match(r"form8k preview at (http://127\.0\.0\.1:\d+/) ", line)
        if match:
            return Server(process, match.group(1), root, lines, reader)


@pytest.fixture
def server(make_project: Callable[..., Path]) -> Iterator[Server]:
    running = start_server(make_project())
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} not found: scripts/setup.sh installs Debian's chromium package")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def test_page_reloads_on_save_shows_the_overlay_on_bad_yaml_and_clears_it(
    server: Server, browser: Browser
) -> None:
    filing = server.root / "content" / "example" / "filing.yaml"
    page = browser.new_page()
    page.goto(server.url)
    expect(page.locator("tr.filing")).to_have_count(1)
    page.get_by_role("link", name="example", exact=True).click()
    expect(page).to_have_url(f"{server.url}filings/example/exmp-20240301.htm")
    expect(page.get_by_text("Something happened.")).to_be_visible()

    filing.write_text(FILING_YAML.replace("Something happened.", "Something else happened."))
    expect(page.get_by_text("Something else happened.")).to_be_visible(timeout=WAIT_MS)

    overlay = page.locator("#form8k-overlay")
    expect(overlay).to_have_count(0)
    filing.write_text(
        FILING_YAML.replace("Something happened.", "Something else happened.").replace(
            "filing_date: 2024-03-04", "filing_date: 2024-03-04\n  indented: wrongly"
        )
    )
    expect(overlay).to_be_visible(timeout=WAIT_MS)
    expect(overlay).to_contain_text(
        "content/example/filing.yaml:4:11: error: invalid YAML: mapping values are not allowed"
    )
    expect(overlay).to_contain_text("the page shows the last good build")
    expect(page.get_by_text("Something else happened.")).to_be_visible()

    filing.write_text(FILING_YAML.replace("Something happened.", "All is well again."))
    expect(page.get_by_text("All is well again.")).to_be_visible(timeout=WAIT_MS)
    expect(overlay).to_have_count(0)

    page.get_by_role("link", name="99.1", exact=True).click()
    expect(page).to_have_url(f"{server.url}filings/example/exmp-ex99-1.htm")
    expect(page.get_by_text("Example Corp. Announces Something")).to_be_visible()

    # Ctrl-C while the page still holds its event stream open.
    server.process.send_signal(signal.SIGINT)
    assert server.process.wait(timeout=10) == 0
    output = server.output()
    assert "form8k preview stopped" in output
    assert "Traceback" not in output
