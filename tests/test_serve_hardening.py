"""The preview under hostile requests, races and load (issue 14): the Host check on every
address it binds, every reflected value escaped, PDFs made one at a time in a process of their
own, memory that stays flat across template saves, and the last save always winning.

Races are made deterministic with hooks, never with sleeps: a save "during a build" is written
by a hook inside the build, right after the filing was loaded; tests that need the watcher wait
on the preview's after-refresh listeners (``refreshed_until``).
"""

from __future__ import annotations

import datetime as dt
import gc
import http.client
import io
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import pypdf
import pytest
from starlette.testclient import TestClient

import form8k.builder
from form8k.pipeline import BuildReport, Project, build
from form8k.review.draft import PDF_KEY, DraftMark
from form8k.serve import Preview, create_app
from form8k.serve.hosts import AllowedHosts
from tests.conftest import COMPANY_YAML, FILING_YAML, PRESS_RELEASE_MD
from tests.test_serve import DOC, EXHIBIT, PDF, CountingBuilder, edit, overlay_text, preview_of
from tests.test_serve_list import refreshed_until

COMBINED = "/filings/example/exmp-20240301-combined.pdf"


@pytest.fixture
def serve(make_project: Callable[..., Path]) -> Iterator[Callable[..., TestClient]]:
    """Start the preview app on a project (``root``, else one made of ``files``); yield a
    function making clients. The builder is a ``CountingBuilder`` unless given (None: the
    project's own, with its PDFs made in the renderer process); no watcher unless asked."""
    clients: list[TestClient] = []

    def run(
        files: dict[str, str] | None = None,
        *,
        root: Path | None = None,
        builder: Any = CountingBuilder,
        **options: Any,
    ) -> TestClient:
        project = Project.at(root or make_project(files))
        if builder is CountingBuilder:
            builder = CountingBuilder(project)
        options.setdefault("watch", False)
        app = create_app(project, builder=builder, **options)
        client = TestClient(app, follow_redirects=False)
        client.__enter__()
        clients.append(client)
        return client

    yield run
    for client in clients:
        client.__exit__(None, None, None)


# --- the Host check, on every address -----------------------------------------------------------


@pytest.mark.parametrize(
    ("bound", "header", "answered"),
    [
        # IPv6 loopback: its address in brackets, with or without a port; localhost forms.
        ("::1", "[::1]:8000", True),
        ("::1", "[::1]", True),
        ("::1", "[0:0:0:0:0:0:0:1]:8000", True),
        ("::1", "localhost:8000", True),
        ("::1", "LocalHost.", True),
        ("::1", "127.0.0.1:8000", True),
        ("::1", "evil.example", False),
        ("::1", "evil.example:8000", False),
        ("::1", "::1", False),  # not a valid Host: an IPv6 address goes in brackets
        ("::1", "[::1].evil.example", False),
        ("::1", "[::1]:80:80", False),
        ("::1", "[::1]x", False),
        ("::1", "[::2]", False),
        # Another IPv4 loopback address.
        ("127.0.0.2", "127.0.0.2", True),
        ("127.0.0.2", "127.0.0.2:8000", True),
        ("127.0.0.2", "localhost", True),
        ("127.0.0.2", "127.0.0.3:8000", False),
        ("127.0.0.2", "evil.example:8000", False),
        ("127.0.0.2", "127.0.0.2.evil.example", False),
        ("127.0.0.2", "127.0.0.2:port", False),
        ("127.0.0.2", "127.0.0.2:123456", False),
        ("127.0.0.2", "user@127.0.0.2", False),
        ("127.0.0.2", "", False),
        ("127.0.0.2", None, False),
        # The default, and a name.
        ("127.0.0.1", "127.0.0.1:8000", True),
        ("127.0.0.1", "localhost.evil.example", False),
        ("localhost", "localhost:8000", True),
        ("localhost", "evil.example", False),
        # Any address (a LAN address given, or every address): addresses yes, names no.
        ("192.168.1.20", "192.168.1.20:8000", True),
        ("192.168.1.20", "192.168.1.21:8000", False),
        ("192.168.1.20", "evil.example:8000", False),
        ("0.0.0.0", "192.168.1.20:8000", True),
        ("0.0.0.0", "[fe80::1]:8000", True),
        ("0.0.0.0", "evil.example:8000", False),
        ("::", "[2001:db8::1]", True),
        ("::", "evil.example", False),
    ],
)
def test_the_host_check_answers_the_bound_address_and_localhost_only(
    bound: str, header: str | None, answered: bool
) -> None:
    assert (
        AllowedHosts.bound(bound, bound if bound != "localhost" else "127.0.0.1").allows(header)
        is answered
    )


class RunningServer:
    """``python -m form8k serve --host H --port 0`` on a project, once it prints its address."""

    def __init__(self, root: Path, host: str) -> None:
        command = [sys.executable, "-m", "form8k", "--project", str(root), "serve"]
        self.process = subprocess.Popen(
            [*command, "--host", host, "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines: queue.Queue[str] = queue.Queue()
        assert self.process.stdout is not None
        stdout = self.process.stdout

        def read() -> None:
            for line in stdout:
                lines.put(line)

        threading.Thread(target=read, daemon=True).start()
        seen = []
        while True:
            line = lines.get(timeout=60)
            seen.append(line)
            match = re.match(r"form8k preview at http://(\[[^\]]+\]|[^:/]+):(\d+)/ ", line)
            if match:
                self.address = match.group(1).strip("[]")
                self.port = int(match.group(2))
                return
            if self.process.poll() is not None:
                raise AssertionError("".join(seen))

    def ask(self, path: str, host: str) -> tuple[int, bytes]:
        """GET ``path`` with exactly this Host header."""
        connection = http.client.HTTPConnection(self.address, self.port, timeout=60)
        try:
            connection.putrequest("GET", path, skip_host=True)
            connection.putheader("Host", host)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.mark.parametrize("host", ["::1", "127.0.0.2", "127.0.0.1", "localhost"])
def test_serve_refuses_a_rebound_name_whatever_loopback_address_it_binds(
    make_project: Callable[..., Path], host: str
) -> None:
    server = RunningServer(make_project(), host)
    try:
        shown = f"[{server.address}]" if ":" in server.address else server.address
        port = server.port
        for header in ("evil.example", f"evil.example:{port}", f"{shown}.evil.example:{port}"):
            for path in (EXHIBIT, "/", "/_preview/reload.js", PDF):
                status, body = server.ask(path, header)
                assert status == 400, (header, path, body[:200])
                assert b"Announces" not in body and b"Example Corp." not in body
        names = [shown, f"{shown}:{port}", "localhost", f"localhost:{port}"]
        if host == "localhost":
            names += ["localhost.", f"LOCALHOST:{port}"]
        for header in names:
            status, body = server.ask(EXHIBIT, header)
            assert status == 200, (header, body[:200])
            assert b"Example Corp. Announces Something" in body
    finally:
        server.stop()


def test_an_app_given_hosts_answers_ipv6_hosts_in_brackets(serve) -> None:
    client = serve(hosts=AllowedHosts.bound("::1", "::1"))
    assert client.get(DOC, headers={"host": "[::1]:8000"}).status_code == 200
    assert client.get(DOC, headers={"host": "evil.example"}).status_code == 400
    assert client.get(DOC, headers={"host": "testserver"}).status_code == 400


# --- every value of every page escaped ----------------------------------------------------------

#: Breaks out of text and of both kinds of quoted attribute, and adds an element and attribute.
HOSTILE = "\"'><form8k-evil data-evil=1>&amp;"
HOSTILE_YAML = "'" + HOSTILE.replace("'", "''") + "'"
META = '<meta http-equiv="refresh" content="0;url=https:evil.example">'


class _Markup(HTMLParser):
    """Every start tag of a page, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def assert_nothing_injected(html: str) -> None:
    """No element or attribute of the hostile values made it into the page's markup."""
    parser = _Markup()
    parser.feed(html)
    for tag, attributes in parser.tags:
        assert tag != "form8k-evil", html
        assert "data-evil" not in attributes, html
        if tag == "meta":
            assert set(attributes) == {"charset"}, html


def test_the_pdf_name_of_a_filing_that_never_built_comes_out_as_text(serve) -> None:
    client = serve({"content/example/filing.yaml": "items: [\n"})
    for name in (f"{META}.pdf", f"{HOSTILE}.pdf"):
        response = client.get(f"/filings/example/{quote(name)}")
        assert response.status_code == 500
        assert_nothing_injected(response.text)
        text = overlay_text(response.text)
        assert f"The PDF {name} cannot be made" in text
        assert "content/example/filing.yaml:2:1: error: invalid YAML" in text


def test_an_unknown_pdf_name_of_a_filing_that_loaded_but_failed_is_not_found(
    serve,
) -> None:
    client = serve({"content/example/filing.yaml": FILING_YAML.replace('  - number: "9.01"\n', "")})
    assert preview_of(client).filings["example"].summary is not None  # loaded; a check failed
    response = client.get(f"/filings/example/{quote(META)}.pdf")
    assert response.status_code == 404
    assert b"meta" not in response.content


def test_every_page_and_header_escapes_what_it_shows(serve) -> None:
    """A filing folder named to break out of HTML, with a headline that tries too, and a filing
    whose problem message quotes a hostile key: every page the preview makes, every header."""
    client = serve(
        {
            f"content/{HOSTILE}/filing.yaml": FILING_YAML,
            f"content/{HOSTILE}/press-release.md": PRESS_RELEASE_MD.replace(
                "headline: Example Corp. Announces Something", f"headline: {HOSTILE_YAML}"
            ),
            "content/bad/filing.yaml": FILING_YAML + f"{HOSTILE_YAML}: 1\n",
        }
    )
    preview = preview_of(client)
    assert preview.filings[HOSTILE].good is not None, preview.filings[HOSTILE].problems
    assert preview.filings["bad"].errors
    key = quote(HOSTILE)
    pages = {
        "listing": client.get("/"),
        "document": client.get(f"/filings/{key}/exmp-20240301.htm"),
        "exhibit": client.get(f"/filings/{key}/exmp-ex99-1.htm"),
        "problems": client.get("/filings/bad/"),
        "PDF problems": client.get(f"/filings/bad/{quote(HOSTILE)}.pdf"),
        "missing document": client.get(f"/filings/{key}/{quote(HOSTILE)}.htm"),
        "missing filing": client.get(f"/filings/{quote(HOSTILE)}x/{quote(HOSTILE)}.htm"),
    }
    for what, response in pages.items():
        assert response.headers["content-type"] == "text/html; charset=utf-8", what
        assert_nothing_injected(response.text)
    assert "><form8k-evil data-evil=1>&amp;" in overlay_text(pages["problems"].text)  # as text
    assert f"The PDF {HOSTILE}.pdf cannot be made" in overlay_text(pages["PDF problems"].text)
    for path in (f"/filings/{key}", f"/filings/{key}/"):
        location = client.get(path).headers["location"]
        assert not set(location) & set("\"'<> &"), location
    pdf = client.get(f"/filings/{key}/exmp-20240301.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-disposition"] == (
        "inline; filename=\"exmp-20240301.pdf\"; filename*=UTF-8''exmp-20240301.pdf"
    )
    for path in (f"/filings/{key}/{quote(HOSTILE)}.jpg", f"/{quote(HOSTILE)}"):
        response = client.get(path)
        assert response.status_code == 404 and response.text == "Not Found"


def test_files_other_than_pages_may_load_nothing(serve) -> None:
    client = serve()
    preview = preview_of(client)
    preview.filings["example"].files["logo.jpg"] = b"\xff\xd8\xff"
    response = client.get("/filings/example/logo.jpg")
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert response.headers["x-content-type-options"] == "nosniff"


# --- PDFs: one at a time, in a process of their own ---------------------------------------------


def project_with_filings(make_project: Callable[..., Path], count: int) -> Path:
    files = {}
    for n in range(2, count + 1):
        files[f"content/filing{n}/filing.yaml"] = FILING_YAML.replace(
            "Something happened.", f"Filing {n} happened."
        )
        files[f"content/filing{n}/press-release.md"] = PRESS_RELEASE_MD
    return make_project(files)


def pdf_urls(preview: Preview) -> list[str]:
    urls = []
    for key, state in sorted(preview.filings.items()):
        summary = state.good
        assert summary is not None, key
        urls += [f"/filings/{key}/{document.pdf}" for document in summary.documents]
        urls.append(f"/filings/{key}/{summary.combined_pdf}")
    return urls


def reference_pdfs(root: Path, out: Path, draft: DraftMark | None = None) -> dict[str, bytes]:
    """The PDFs a plain build makes (a draft build, with ``draft``), by the URL the preview
    serves each at."""
    report = build(Project.at(root), out=out, formats=("pdf",), draft=draft)
    assert not report.failed
    return {
        f"/filings/{result.key}/{name}": (out / result.key / name).read_bytes()
        for result in report.results
        for name in result.written
        if name.endswith(".pdf")
    }


def ask_at_once(client: TestClient, urls: Sequence[str], count: int) -> list[Any]:
    wanted = [urls[i % len(urls)] for i in range(count)]
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(lambda url: (url, client.get(url)), wanted))


class GatedBuilder(CountingBuilder):
    """The real builder, noting whether two PDF builds ever ran at once. The first PDF build
    waits until ``go`` is set: by the test once every other build waits for its turn, or here
    as soon as a second one starts alongside it (which is the failure)."""

    def __init__(self, project: Project) -> None:
        super().__init__(project)
        self.go = threading.Event()
        self.guard = threading.Lock()
        self.running = 0
        self.most = 0
        self.first = True

    def __call__(
        self, folders: Sequence[Path], *, out: Path, formats: Sequence[str]
    ) -> BuildReport:
        if "pdf" not in formats:
            return super().__call__(folders, out=out, formats=formats)
        with self.guard:
            self.running += 1
            self.most = max(self.most, self.running)
            if self.running > 1:
                self.go.set()
            first, self.first = self.first, False
        try:
            if first:
                assert self.go.wait(60), "the other PDF requests never came"
            return super().__call__(folders, out=out, formats=formats)
        finally:
            with self.guard:
                self.running -= 1


def test_pdf_builds_never_run_at_once_whatever_the_filing(
    serve, make_project: Callable[..., Path], tmp_path: Path
) -> None:
    filings = 4
    root = project_with_filings(make_project, filings)
    project = Project.at(root)
    builder = GatedBuilder(project)
    client = serve(root=root, builder=builder)
    preview = preview_of(client)

    def waiting(count: int) -> None:
        if count >= filings - 1:  # the first is being made; all the others wait for it
            builder.go.set()

    listeners: set[Callable[[int], None]] = getattr(preview, "pdf_listeners", set())
    client.portal.call(listeners.add, waiting)
    answers = ask_at_once(client, pdf_urls(preview), 70)
    assert builder.most == 1, "two PDF builds ran at once"
    assert builder.count("pdf") == filings
    reference = reference_pdfs(root, tmp_path / "reference")
    for url, response in answers:
        assert response.status_code == 200, (url, response.text[:500])
        assert response.content == reference[url], url


def test_many_pdf_requests_at_once_are_made_in_the_renderer_process_with_the_same_bytes(
    make_project: Callable[..., Path], serve, monkeypatch, tmp_path: Path
) -> None:
    import form8k.pdf

    made_here: list[int] = []
    real_init = form8k.pdf.PdfRenderer.__init__

    def noting(self: Any, *args: Any, **kwargs: Any) -> None:
        made_here.append(os.getpid())
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(form8k.pdf.PdfRenderer, "__init__", noting)
    root = project_with_filings(make_project, 4)
    client = serve(root=root, builder=None)
    answers = ask_at_once(client, pdf_urls(preview_of(client)), 70)
    assert made_here == [], "a PDF was made in the server's own process"
    renderer = preview_of(client).pdf_builder
    pid = renderer.pid  # type: ignore[attr-defined]
    assert pid is not None and pid != os.getpid()
    monkeypatch.undo()
    # The preview's PDFs are proofs: the reference is a draft build printed the same minute.
    references: dict[str, dict[str, bytes]] = {}
    for url, response in answers:
        assert response.status_code == 200, (url, response.text[:500])
        line = str(pypdf.PdfReader(io.BytesIO(response.content)).metadata[PDF_KEY])
        built = re.search(r"built (\d{4}-\d\d-\d\d \d\d:\d\d)", line)
        assert built is not None, line
        if built[1] not in references:
            when = dt.datetime.strptime(built[1], "%Y-%m-%d %H:%M")
            mark = DraftMark.current(root, now=when)
            assert mark.line == line
            references[built[1]] = reference_pdfs(root, tmp_path / built[1], draft=mark)
        assert response.content == references[built[1]][url], url
    client.__exit__(None, None, None)
    assert not preview_of(client).folder.exists()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_a_renderer_that_dies_while_making_a_pdf_is_reported_and_started_again(
    serve,
) -> None:
    client = serve(builder=None)
    assert client.get(PDF).status_code == 200
    renderer = preview_of(client).pdf_builder
    pid = renderer.pid  # type: ignore[attr-defined]
    edit(client, "content/example/filing.yaml", FILING_YAML.replace("Something", "More"))
    os.kill(pid, signal.SIGSTOP)  # it cannot answer: the kill below comes mid-request

    def kill(child: int) -> None:
        os.kill(child, signal.SIGKILL)

    renderer.sent.append(kill)  # type: ignore[attr-defined]
    response = client.get(PDF)
    renderer.sent.remove(kill)  # type: ignore[attr-defined]
    assert response.status_code == 500
    assert (
        "the PDF renderer stopped (killed by SIGKILL) while making this PDF; it starts again "
        "on the next request" in overlay_text(response.text)
    )
    response = client.get(PDF)  # not the failure, kept: made again, by a new renderer
    assert response.status_code == 200
    assert "More happened." in pdf_text(response.content)
    assert renderer.pid not in (None, pid)  # type: ignore[attr-defined]


def test_a_renderer_gone_between_requests_is_started_again_unseen(serve) -> None:
    client = serve(builder=None)
    assert client.get(PDF).status_code == 200
    renderer = preview_of(client).pdf_builder
    pid = renderer.pid  # type: ignore[attr-defined]
    os.kill(pid, signal.SIGKILL)
    renderer.process.join(30)  # type: ignore[attr-defined]
    edit(client, "content/example/filing.yaml", FILING_YAML.replace("Something", "More"))
    response = client.get(PDF)
    assert response.status_code == 200
    assert "More happened." in pdf_text(response.content)


def test_template_saves_leave_no_old_builder_nor_font_folder_behind(serve) -> None:
    """What each builder holds that the garbage collector must free: its Jinja environment
    (in the server's process) and its fonts (in the renderer's; WeasyPrint copies them into a
    folder per font set-up, which goes when the set-up is freed)."""
    made: list[weakref.ref[Any]] = []
    real_init = jinja2.Environment.__init__

    def noting(self: Any, *args: Any, **kwargs: Any) -> None:
        made.append(weakref.ref(self))
        real_init(self, *args, **kwargs)

    client = serve(builder=None)
    preview = preview_of(client)
    css = preview.root / "templates" / "print.css"
    original = css.read_text(encoding="utf-8")
    saves = 6
    try:
        jinja2.Environment.__init__ = noting  # type: ignore[method-assign]
        for n in range(saves):
            edit(client, "templates/print.css", original + f"\n/* save {n} */\n")
            assert client.get(PDF).status_code == 200
    finally:
        jinja2.Environment.__init__ = real_init  # type: ignore[method-assign]
    gc.collect()
    alive = [ref for ref in made if ref() is not None]
    assert len(made) >= saves
    assert len(alive) <= 2, f"{len(alive)} of the {len(made)} template environments are alive"
    fonts = list((preview.folder / "tmp").glob("form8k-fonts-*"))  # a renderer's font copies
    assert 1 <= len(fonts) <= 2, fonts


# --- the last save wins -------------------------------------------------------------------------


class SaveDuringBuild:
    """Writes ``text`` to ``path`` inside the next build that loads a filing, just after the
    filing was loaded: a save that arrives while the build runs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pending: tuple[Path, str] | None = None
        self.done = threading.Event()
        real = form8k.builder.load_filing

        def load_filing(*args: Any, **kwargs: Any) -> Any:
            bundle = real(*args, **kwargs)
            if self.pending is not None:
                path, text = self.pending
                self.pending = None
                path.write_text(text, encoding="utf-8")
                self.done.set()
            return bundle

        monkeypatch.setattr(form8k.builder, "load_filing", load_filing)

    def arm(self, path: Path, text: str) -> None:
        self.pending = (path, text)


COMPANY_SAVES = (
    "content/company.yaml",
    COMPANY_YAML.replace("Example Corp.", "First Corp."),
    COMPANY_YAML.replace("Example Corp.", "Second Corp."),
    "Second Corp.",
)
FILING_SAVES = (
    "content/example/filing.yaml",
    FILING_YAML.replace("Something happened.", "First happened."),
    FILING_YAML.replace("Something happened.", "Second happened."),
    "Second happened.",
)


def shows(preview: Preview, text: str) -> bool:
    state = preview.filings.get("example")
    return state is not None and text.encode() in state.files.get("exmp-20240301.htm", b"")


@pytest.mark.parametrize("case", [FILING_SAVES, COMPANY_SAVES], ids=["filing.yaml", "company"])
def test_a_save_during_the_build_is_built_before_the_preview_shows_anything(
    serve, monkeypatch, case: tuple[str, str, str, str]
) -> None:
    name, first, second, last = case
    client = serve()
    preview = preview_of(client)
    path = preview.root / name
    hook = SaveDuringBuild(monkeypatch)
    hook.arm(path, second)
    edit(client, name, first)  # the watcher reports the first save; the second comes mid-build
    assert hook.done.is_set()
    assert shows(preview, last), "the preview shows the next-to-last save"
    assert last in client.get(DOC).text
    if name.endswith("company.yaml"):
        row = client.get("/").text
        assert "Second Corp." in row and "First Corp." not in row
    # Then the watcher reports the second save: the preview still shows it.
    client.portal.call(preview.refresh, [path])
    assert shows(preview, last)
    assert 'id="form8k-overlay"' not in client.get(DOC).text


def test_with_the_watcher_the_last_of_two_saves_wins(serve, monkeypatch) -> None:
    client = serve(watch=True)
    preview = preview_of(client)
    name, first, second, last = FILING_SAVES
    path = preview.root / name
    hook = SaveDuringBuild(monkeypatch)
    with refreshed_until(client, lambda preview: shows(preview, last)):
        hook.arm(path, second)
        path.write_text(first, encoding="utf-8")
    assert hook.done.is_set()
    assert last in client.get(DOC).text


def test_a_pdf_made_while_its_files_changed_is_not_kept(serve, monkeypatch) -> None:
    client = serve()
    preview = preview_of(client)
    name, first, second, last = FILING_SAVES
    path = preview.root / name
    assert client.get(PDF).status_code == 200
    edit(client, name, first)
    hook = SaveDuringBuild(monkeypatch)
    hook.arm(path, second)
    response = client.get(PDF)  # made from what it loaded: the first save
    assert hook.done.is_set()
    assert response.status_code == 200
    client.portal.call(preview.refresh, [path])
    assert last in pdf_text(client.get(PDF).content)
    assert last in pdf_text(client.get(COMBINED).content)


def descendants(pid: int) -> list[int]:
    """The processes below ``pid`` (Linux: /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found += [child, *descendants(child)]
    return found


def wait_for_exit(pid: int, seconds: float) -> bool:
    """Whether process ``pid`` (any, not only a child) ends within ``seconds`` (a pidfd: the
    kernel says when, no polling)."""
    import select

    try:
        descriptor = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([descriptor], [], [], seconds)[0])
    finally:
        os.close(descriptor)


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="Linux only")
def test_the_renderer_ends_with_a_killed_server(make_project: Callable[..., Path]) -> None:
    server = RunningServer(make_project(), "127.0.0.1")
    try:
        status, _ = server.ask(PDF, "localhost")
        assert status == 200
        below = descendants(server.process.pid)
        renderers = [pid for pid in below if _name(pid) == "form8k-pdf"]
        assert len(below) >= 2 and renderers, below  # the fork server, the renderer
        server.process.kill()
        server.process.wait()
        for pid in below:
            assert wait_for_exit(pid, 30), f"process {pid} outlived its server"
    finally:
        server.stop()


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""
