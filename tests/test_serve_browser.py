"""The preview end to end: the real server on a free loopback port, a real headless Chromium.

Chromium is Debian's (``scripts/setup.sh`` installs it), driven by Playwright through
``executable_path``; Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
from starlette.applications import Starlette

from form8k.pipeline import Project
from form8k.serve import create_app
from form8k.serve.server import LOOPBACK_NAMES, _Server, bind
from tests.conftest import FILING_YAML, REPO, copy_examples

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
    # The line of the problem; the loader's own wording and column are its tests' business.
    expect(overlay).to_contain_text(
        re.compile(r"content/example/filing\.yaml:4:\d+: error: invalid YAML: ")
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


def listing_row(page: Page, key: str) -> Locator:
    return page.locator(f'tr.filing[data-key="{key}"]')


def expect_whole_example(page: Page, key: str) -> None:
    """The row of ``key`` shows a good build of the example filing, documents and all."""
    row = listing_row(page, key)
    expect(row.locator("td.registrant")).to_have_text("Example Corp.", timeout=WAIT_MS)
    expect(row.locator("td.headline")).to_have_text("Example Corp. Announces Something")
    expect(row.locator("td.deadline")).to_contain_text("no four-day deadline")
    expect(row.locator("td.checks")).to_have_text("passed")
    documents = row.locator("td.documents")
    expect(documents).to_contain_text("Form 8-K")
    expect(documents).to_contain_text("Exhibit 99.1")
    expect(documents).not_to_contain_text("not built")


def test_listing_follows_filings_added_removed_and_renamed(
    server: Server, browser: Browser
) -> None:
    content = server.root / "content"
    page = browser.new_page()
    page.goto(server.url)
    expect(page.locator("tr.filing")).to_have_count(1)
    expect_whole_example(page, "example")

    # Added (made beside content/, then moved in whole, as a copy in a file manager ends).
    shutil.copytree(content / "example", server.root / "staging")
    (server.root / "staging").rename(content / "second")
    expect(page.locator("tr.filing")).to_have_count(2, timeout=WAIT_MS)
    expect_whole_example(page, "second")
    expect_whole_example(page, "example")

    (content / "second").rename(content / "third")
    expect(listing_row(page, "second")).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator("tr.filing")).to_have_count(2)
    expect_whole_example(page, "third")
    expect_whole_example(page, "example")

    shutil.rmtree(content / "third")
    expect(page.locator("tr.filing")).to_have_count(1, timeout=WAIT_MS)
    expect_whole_example(page, "example")

    listing_row(page, "example").get_by_role("link", name="Exhibit 99.1").click()
    expect(page).to_have_url(f"{server.url}filings/example/exmp-ex99-1.htm")
    expect(page.get_by_text("Example Corp. Announces Something")).to_be_visible()
    assert "Traceback" not in server.output()


@contextlib.contextmanager
def in_process_server(app: Starlette) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread on a free loopback port; yield its address."""
    sock = bind("127.0.0.1", 0)
    started = threading.Event()
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    running = _Server(config, app, ready=started.set)
    thread = threading.Thread(target=running.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        assert started.wait(timeout=60), "the server did not start"
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/"
    finally:
        running.handle_exit(signal.SIGINT, None)
        thread.join(timeout=30)
        sock.close()


def test_listing_of_the_repository_examples(browser: Browser, tmp_path: Path) -> None:
    """The repository's two examples as the listing shows them, counted from the day the
    modern one is filed; saved as a screenshot (to ``FORM8K_SCREENSHOT`` if set:
    ``docs/preview-list.png`` is made so)."""
    root = tmp_path / "examples"  # the repository's examples alone, whatever else is there
    shutil.copytree(REPO / "templates", root / "templates")
    copy_examples(root)
    app = create_app(
        Project.at(root), watch=False, hosts=LOOPBACK_NAMES, today=lambda: dt.date(2025, 11, 6)
    )
    with in_process_server(app) as url:
        page = browser.new_page(viewport={"width": 1600, "height": 800})
        page.goto(url)
        expect(page.locator("tr.filing")).to_have_count(2)
        immunogen = listing_row(page, "immunogen/2005-09-07-hun901")
        expect(immunogen.locator("td.registrant")).to_have_text("ImmunoGen, Inc.")
        expect(immunogen.locator("td.deadline")).to_contain_text("no four-day deadline")
        lumen = listing_row(page, "lumen-ridge/2025-11-06-q3-results")
        expect(lumen.locator("td.registrant")).to_have_text("Lumen Ridge Systems, Inc.")
        expect(lumen.locator("td.headline")).to_have_text(
            "Lumen Ridge Systems Reports Third Quarter 2025 Results"
        )
        # Tuesday 11 November 2025 is Veterans Day.
        expect(lumen.locator("td.deadline .left")).to_have_text("4 business days left")
        expect(lumen.locator("td.deadline")).to_contain_text(
            "due 2025-11-13 5:30 p.m. Eastern (4 business days to spare)"
        )
        for row in (immunogen, lumen):
            expect(row.locator("td.checks")).to_have_text("passed")
            expect(row.locator("td.documents")).to_contain_text("Combined PDF")
        shot = Path(os.environ.get("FORM8K_SCREENSHOT", tmp_path / "preview-list.png"))
        page.locator("body > div").first.screenshot(path=shot)
        assert shot.stat().st_size > 10_000
