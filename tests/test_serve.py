"""The preview server, driven in-process: listing, documents, PDFs, overlays, what it refuses."""

from __future__ import annotations

import html as html_module
import io
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pypdf
import pytest
from starlette.testclient import TestClient

from form8k.pipeline import BuildReport, Project, build
from form8k.serve import Preview, create_app
from form8k.serve.pages import BLOCK_END, BLOCK_START
from tests.conftest import COMPANY_YAML, FILING_YAML, PRESS_RELEASE_MD, REPO

DOC = "/filings/example/exmp-20240301.htm"
EXHIBIT = "/filings/example/exmp-ex99-1.htm"
PDF = "/filings/example/exmp-20240301.pdf"
OVERLAY = 'id="form8k-overlay"'


class CountingBuilder:
    """The real builder, counting its calls by format; optionally failing on demand."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.calls: list[tuple[str, ...]] = []
        self.fail: Exception | None = None

    def __call__(
        self, folders: Sequence[Path], *, out: Path, formats: Sequence[str]
    ) -> BuildReport:
        self.calls.append(tuple(formats))
        if self.fail is not None:
            raise self.fail
        return build(self.project, out=out, paths=folders, formats=formats)

    def count(self, fmt: str) -> int:
        return sum(1 for formats in self.calls if fmt in formats)


@pytest.fixture
def serve_project(make_project: Callable[..., Path]) -> Iterator[Callable[..., TestClient]]:
    """Start the preview app (no file watcher) on a project; yield a function making clients."""
    clients: list[TestClient] = []

    def start(
        files: dict[str, str] | None = None, *, builder: Any = None, **options: Any
    ) -> TestClient:
        root = make_project(files)
        project = Project.at(root)
        app = create_app(
            project, builder=builder or CountingBuilder(project), watch=False, **options
        )
        client = TestClient(app, follow_redirects=False)
        client.__enter__()
        clients.append(client)
        return client

    yield start
    for client in clients:
        client.__exit__(None, None, None)


def preview_of(client: TestClient) -> Preview:
    preview: Preview = client.app.state.preview  # type: ignore[attr-defined]
    return preview


def edit(client: TestClient, name: str, text: str) -> None:
    """Write a project file and rebuild as the watcher would."""
    preview = preview_of(client)
    path = preview.root / name
    path.write_text(text, encoding="utf-8")
    client.portal.call(preview.refresh, [path])  # type: ignore[union-attr]


def strip_block(html: bytes) -> bytes:
    start = html.index(BLOCK_START)
    end = html.index(BLOCK_END) + len(BLOCK_END)
    return html[:start] + html[end:]


def overlay_text(html: str) -> str:
    match = re.search(r'<div id="form8k-overlay".*?</ul></div>', html, re.S)
    assert match, "no overlay"
    text = re.sub(r"</(li|div|button)>", "\n", match.group(0))
    return html_module.unescape(re.sub(r"<[^>]+>", "", text)).replace("\u2014", "-")


def raw_get(client: TestClient, raw_path: str, method: str = "GET") -> tuple[int, bytes]:
    """Send ``raw_path`` exactly as given (an HTTP client would normalize ``..`` away)."""
    path, _, query = raw_path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": unquote(path),
        "raw_path": path.encode("latin-1"),
        "query_string": query.encode("latin-1"),
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def call() -> None:
        await client.app(scope, receive, send)  # type: ignore[arg-type]

    client.portal.call(call)  # type: ignore[union-attr]
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body


# --- listing ----------------------------------------------------------------------------------


class _Rows(HTMLParser):
    """The listing's rows: each cell's text by its class, and each row's links."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, str]] = {}
        self.links: dict[str, list[str]] = {}
        self._row: dict[str, str] | None = None
        self._key = ""
        self._cell: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr" and found.get("class") == "filing":
            self._key = found["data-key"] or ""
            self._row = self.rows[self._key] = {}
            self.links[self._key] = []
        elif tag == "td" and self._row is not None:
            self._cell = found["class"] or ""
            self._row[self._cell] = ""
        elif tag == "a" and self._row is not None:
            self.links[self._key].append(found["href"] or "")
        elif tag in ("br", "div", "li") and self._row is not None and self._cell is not None:
            self._row[self._cell] += "\n"

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._row = None
        elif tag == "td":
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._row is not None and self._cell is not None:
            self._row[self._cell] += data


def listing(client: TestClient) -> dict[str, dict[str, str]]:
    """The listing page as {filing: {cell: text}}; cells: key, registrant, form, date,
    deadline, headline, items, documents, checks (text lines joined with newlines)."""
    response = client.get("/")
    assert response.status_code == 200
    return listing_rows(response.text)[0]


def listing_rows(html: str) -> tuple[dict[str, dict[str, str]], dict[str, list[str]]]:
    """The rows of a listing page (see ``listing``) and each row's links."""
    parser = _Rows()
    parser.feed(html)
    rows = {
        key: {name: re.sub(r"\n+", "\n", text).strip() for name, text in cells.items()}
        for key, cells in parser.rows.items()
    }
    return rows, parser.links


def test_listing_shows_registrant_form_date_deadline_headline_items_documents_checks(
    serve_project,
) -> None:
    client = serve_project({"content/broken/filing.yaml": "form_type: 8-K\nitems: [\n"})
    response = client.get("/")
    assert response.status_code == 200
    rows, links = listing_rows(response.text)
    assert list(rows) == ["broken", "example"]
    row = rows["example"]
    assert list(row) == [
        "key",
        "registrant",
        "form",
        "date",
        "deadline",
        "headline",
        "items",
        "documents",
        "checks",
    ]
    assert (row["key"], row["registrant"], row["form"], row["date"]) == (
        "example",
        "Example Corp.",
        "8-K",
        "2024-03-01",
    )
    assert row["headline"] == "Example Corp. Announces Something"
    assert row["deadline"] == (
        "no four-day deadline (no item reported has one); filing date 2024-03-04"
    )
    assert "8.01 Other Events" in row["items"]
    assert "9.01 Financial Statements and Exhibits" in row["items"]
    assert "Form 8-K" in row["documents"] and "Exhibit 99.1" in row["documents"]
    assert row["checks"] == "passed"
    assert DOC in links["example"] and PDF in links["example"]
    broken = rows["broken"]
    assert broken["registrant"] == broken["deadline"] == broken["headline"] == "\u2014"
    assert broken["documents"] == "not built"
    assert broken["checks"].startswith("1 error")
    assert "content/broken/filing.yaml:3:1: error: invalid YAML" in broken["checks"]


# --- documents --------------------------------------------------------------------------------


def test_document_is_the_build_output_plus_the_preview_block(serve_project, tmp_path) -> None:
    client = serve_project()
    response = client.get(DOC)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    served = response.content
    reference = build(Project.at(preview_of(client).root), out=tmp_path / "ref", formats=("html",))
    assert not reference.problems
    built = (tmp_path / "ref" / "example" / "exmp-20240301.htm").read_bytes()
    assert strip_block(served) == built
    block = served[served.index(BLOCK_START) : served.index(BLOCK_END)].decode()
    assert served.index(BLOCK_END) < served.rindex(b"</body>")
    assert '<script src="/_preview/reload.js" data-filing="example" data-version="1">' in block
    assert OVERLAY not in block


def test_preview_block_never_reaches_the_preview_folder(serve_project) -> None:
    client = serve_project()
    assert client.get(DOC).status_code == 200
    folder = preview_of(client).folder
    written = {p.name for p in (folder / "html" / "example").iterdir()}
    assert {"exmp-20240301.htm", "exmp-ex99-1.htm"} <= written
    for path in (folder / "html" / "example").iterdir():
        assert b"form8k preview" not in path.read_bytes()
        assert b"<script" not in path.read_bytes()


def test_exhibit_index_links_work_in_the_preview(serve_project) -> None:
    client = serve_project()
    html = client.get(DOC).text
    hrefs = re.findall(r'href="([^"/]+\.htm)"', strip_block(html.encode()).decode())
    assert hrefs == ["exmp-ex99-1.htm"]
    exhibit = client.get(f"/filings/example/{hrefs[0]}")
    assert exhibit.status_code == 200
    assert "Example Corp. Announces Something" in exhibit.text


def test_filing_folder_opens_its_form_8k(serve_project) -> None:
    client = serve_project()
    assert client.get("/filings/example").headers["location"] == "/filings/example/"
    response = client.get("/filings/example/")
    assert response.status_code == 307
    assert response.headers["location"] == DOC


def test_graphics_are_served_with_their_documents() -> None:
    project = Project.at(REPO)
    with TestClient(create_app(project, watch=False)) as client:
        folder = "/filings/lumen-ridge/2025-11-06-q3-results"
        release = client.get(f"{folder}/lrsy-ex99-1.htm")
        assert 'src="lrsy-logo.jpg"' in release.text
        logo = client.get(f"{folder}/lrsy-logo.jpg")
        assert logo.status_code == 200
        assert logo.headers["content-type"] == "image/jpeg"
        assert logo.content == (REPO / "content" / "lumen-ridge" / "logo.jpg").read_bytes()


def test_head_is_answered_without_a_body(serve_project) -> None:
    client = serve_project()
    response = client.head(DOC)
    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["content-length"]) > 1000


# --- PDF --------------------------------------------------------------------------------------


def test_pdf_is_made_on_request_and_cached_until_its_inputs_change(serve_project) -> None:
    client = serve_project()
    builder: CountingBuilder = preview_of(client).builder  # type: ignore[assignment]
    assert builder.count("pdf") == 0
    response = client.get(PDF)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert "Something happened." in "".join(page.extract_text() for page in reader.pages)
    combined = client.get("/filings/example/exmp-20240301-combined.pdf")
    assert combined.status_code == 200
    assert builder.count("pdf") == 1
    edit(client, "content/example/filing.yaml", FILING_YAML.replace("Something", "Nothing"))
    reader = pypdf.PdfReader(io.BytesIO(client.get(PDF).content))
    assert "Nothing happened." in "".join(page.extract_text() for page in reader.pages)
    assert builder.count("pdf") == 2
    client.get("/filings/example/exmp-ex99-1.pdf")
    assert builder.count("pdf") == 2


def test_pdf_of_a_filing_with_errors_shows_its_problems(serve_project) -> None:
    client = serve_project()
    edit(client, "content/example/filing.yaml", FILING_YAML.replace("items:", "itmes:"))
    response = client.get(PDF)
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "unknown key 'itmes' (did you mean 'items'?)" in overlay_text(response.text)


def test_unknown_pdf_name_is_not_found_and_builds_nothing(serve_project) -> None:
    client = serve_project()
    assert client.get("/filings/example/other.pdf").status_code == 404
    assert preview_of(client).builder.count("pdf") == 0  # type: ignore[attr-defined]


# --- problems: the overlay over the last good render ------------------------------------------


def test_broken_yaml_shows_overlay_with_line_over_last_good_render(serve_project) -> None:
    client = serve_project()
    broken = FILING_YAML.replace('  - number: "9.01"', '  - number: "9.01\n    : :')
    edit(client, "content/example/filing.yaml", broken)
    html = client.get(DOC).text
    text = overlay_text(html)
    assert "1 error in example" in text and "the page shows the last good build" in text
    assert re.search(r"content/example/filing\.yaml:\d+:\d+: error: invalid YAML: ", text)
    assert "Something happened." in html
    edit(client, "content/example/filing.yaml", FILING_YAML.replace("Something", "All"))
    html = client.get(DOC).text
    assert OVERLAY not in html
    assert "All happened." in html


def test_unknown_key_is_shown_with_its_line_and_a_suggestion(serve_project) -> None:
    client = serve_project()
    edit(client, "content/example/filing.yaml", FILING_YAML.replace("items:", "itmes:"))
    text = overlay_text(client.get(EXHIBIT).text)
    assert (
        "content/example/filing.yaml:4:1: error: unknown key 'itmes' (did you mean 'items'?)"
        in text
    )


def test_template_error_is_shown_at_the_template_line(serve_project) -> None:
    client = serve_project()
    template = preview_of(client).root / "templates" / "8-k.htm.j2"
    lines = template.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(2, "{% if %}\n")
    edit(client, "templates/8-k.htm.j2", "".join(lines))
    html = client.get(DOC).text
    assert re.search(r"templates/8-k\.htm\.j2:3: error: template error: ", overlay_text(html))
    assert "Something happened." in html


def test_failed_check_is_shown_in_the_overlay(serve_project) -> None:
    client = serve_project()
    edit(
        client,
        "content/example/filing.yaml",
        FILING_YAML.replace('  - number: "9.01"\n', ""),
    )
    text = overlay_text(client.get(DOC).text)
    assert "content/example/filing.yaml:" in text
    assert "no Item 9.01" in text


def test_a_broken_style_table_is_shown_on_every_filing(serve_project) -> None:
    client = serve_project(
        {
            "content/other/filing.yaml": FILING_YAML,
            "content/other/press-release.md": PRESS_RELEASE_MD,
        }
    )
    edit(client, "templates/styles.yaml", "body: [unclosed\n")
    for path in (DOC, "/filings/other/exmp-20240301.htm"):
        html = client.get(path).text
        assert "templates/styles.yaml: error: cannot read the style table: " in overlay_text(html)
        assert "Something happened." in html


def test_a_removed_filing_is_gone_and_comes_back(serve_project) -> None:
    client = serve_project()
    filing = preview_of(client).root / "content" / "example" / "filing.yaml"
    filing.unlink()
    client.portal.call(preview_of(client).refresh, [filing])  # type: ignore[union-attr]
    response = client.get(DOC)
    assert response.status_code == 404
    assert '<script src="/_preview/reload.js" data-version="2">' in response.text
    assert 'data-key="example"' not in client.get("/").text
    edit(client, "content/example/filing.yaml", FILING_YAML)
    assert client.get(DOC).status_code == 200


def test_builder_crash_is_shown_and_the_server_keeps_serving(serve_project) -> None:
    client = serve_project()
    builder: CountingBuilder = preview_of(client).builder  # type: ignore[assignment]
    builder.fail = RuntimeError("disk on fire")
    edit(client, "content/example/filing.yaml", FILING_YAML.replace("Something", "More"))
    html = client.get(DOC).text
    assert (
        "content/example/filing.yaml: error: internal error: RuntimeError: disk on fire"
        in overlay_text(html)
    )
    assert "Something happened." in html
    builder.fail = None
    edit(client, "content/example/filing.yaml", FILING_YAML)
    assert OVERLAY not in client.get(DOC).text


def test_filing_that_never_built_shows_its_problems(serve_project) -> None:
    client = serve_project({"content/example/filing.yaml": "items: [\n"})
    response = client.get("/filings/example/")
    assert response.status_code == 200
    text = overlay_text(response.text)
    assert "nothing has built yet" in text
    assert "content/example/filing.yaml:2:1: error: invalid YAML" in text
    assert 'data-filing="example"' in response.text


def test_warnings_show_in_an_overlay_that_says_the_page_is_current(serve_project) -> None:
    client = serve_project()
    edit(
        client,
        "content/example/press-release.md",
        "---\nheadline: H\ndateline:\n  city: X\n  date: 2024-03-01\n---\n"
        "See [our site](https://example.com).\n",
    )
    html = client.get(EXHIBIT).text
    text = overlay_text(html)
    assert "1 warning in example" in text and "the page is up to date" in text
    assert "content/example/press-release.md:7: warning: " in text
    assert "See our site." in strip_block(html.encode()).decode()


# --- reloading --------------------------------------------------------------------------------


def test_a_change_concerns_its_filing_a_company_file_those_below_a_template_all(
    serve_project,
) -> None:
    client = serve_project(
        {
            "content/acme/company.yaml": COMPANY_YAML,
            "content/acme/q1/filing.yaml": FILING_YAML,
            "content/acme/q1/press-release.md": PRESS_RELEASE_MD,
        }
    )
    preview = preview_of(client)
    content = preview.project.content
    assert sorted(preview.filings) == ["acme/q1", "example"]
    assert preview.affected([content / "acme/q1/press-release.md"]) == ["acme/q1"]
    assert preview.affected([content / "acme/company.yaml"]) == ["acme/q1"]
    assert preview.affected([content / "company.yaml"]) == ["acme/q1", "example"]
    assert preview.affected([preview.project.templates / "styles.yaml"]) == ["acme/q1", "example"]


def test_events_send_the_version_at_once_then_after_each_rebuild(serve_project) -> None:
    client = serve_project()
    preview = preview_of(client)
    path = preview.root / "content" / "example" / "filing.yaml"

    def later() -> None:
        channel = client.app.state.channel
        while channel.streams == 0:
            threading.Event().wait(0.01)
        client.portal.call(preview.refresh, [path])
        client.portal.call(channel.close)

    thread = threading.Thread(target=later)
    thread.start()
    response = client.get("/_preview/events?filing=example")
    thread.join()
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.text == ("retry: 500\n\nevent: version\ndata: 1\n\nevent: version\ndata: 2\n\n")


def test_head_of_the_event_stream_does_not_wait_for_events(serve_project) -> None:
    response = serve_project().head("/_preview/events?filing=example")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")


def test_reload_script_is_served(serve_project) -> None:
    response = serve_project().get("/_preview/reload.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "new EventSource(" in response.text and "location.reload()" in response.text


# --- what the server refuses ------------------------------------------------------------------


TRAVERSALS = [
    "/filings/../pyproject.toml",
    "/filings/example/../../../pyproject.toml",
    "/filings/example/../company.yaml",
    "/filings/%2e%2e/%2e%2e/pyproject.toml",
    "/filings/example/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/filings/example/..%2fcompany.yaml",
    "/filings/example/%252e%252e%252fcompany.yaml",
    "/filings/example/..\\company.yaml",
    "/filings/example/filing.yaml",
    "/filings/example/press-release.md",
    "/filings//etc/passwd",
    "/filings/%2Fetc%2Fpasswd",
    "//etc/passwd",
    "/etc/passwd",
    "/content/example/filing.yaml",
    "/templates/8-k.htm.j2",
    "/filings/example/exmp-20240301.htm/..",
    "/filings/example/exmp-20240301.htm%00.pdf",
    "/_preview/../pyproject.toml",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_paths_outside_the_preview_are_not_found(serve_project, path: str) -> None:
    client = serve_project()
    status, body = raw_get(client, path)
    assert status == 404, body
    assert b"[project]" not in body and b"root:" not in body and b"form_type" not in body


def test_symlinks_out_of_the_project_are_not_served(serve_project, tmp_path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "filing").mkdir(parents=True)
    (elsewhere / "filing" / "filing.yaml").write_text(FILING_YAML)
    secret = elsewhere / "secret.jpg"
    secret.write_bytes(b"\xff\xd8secret")
    client = serve_project()
    preview = preview_of(client)
    (preview.root / "content" / "example" / "leak.jpg").symlink_to(secret)
    (preview.folder / "html" / "example" / "leak.jpg").symlink_to(secret)
    (preview.root / "content" / "outside").symlink_to(elsewhere)
    edit(client, "content/example/filing.yaml", FILING_YAML)
    for path in (
        "/filings/example/leak.jpg",
        "/filings/outside/secret.jpg",
        "/filings/outside/filing/",
        "/filings/example/../outside/secret.jpg",
    ):
        status, body = raw_get(client, path)
        assert status == 404 and b"secret" not in body, path
    assert OVERLAY not in client.get(DOC).text


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"])
def test_only_get_and_head_are_accepted(serve_project, method: str) -> None:
    client = serve_project()
    for path in ("/", DOC, "/_preview/events", "/nowhere"):
        status, _ = raw_get(client, path, method)
        assert status == 405, (method, path)
    response = client.request(method, DOC)
    assert response.headers["allow"] == "GET, HEAD"


def test_only_the_named_hosts_are_answered(serve_project) -> None:
    client = serve_project(hosts=["testserver"])
    assert client.get("/").status_code == 200
    assert client.get("/", headers={"host": "attacker.example"}).status_code == 400


def test_documents_may_not_load_anything_but_the_preview(serve_project) -> None:
    policy = serve_project().get(DOC).headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy


# --- the temporary folder ---------------------------------------------------------------------


def test_preview_builds_into_a_temporary_folder_never_output(serve_project) -> None:
    client = serve_project()
    assert client.get(PDF).status_code == 200
    preview = preview_of(client)
    assert not (preview.root / "output").exists()
    assert not preview.folder.is_relative_to(preview.root)
    assert (preview.folder / "pdf" / "example" / "exmp-20240301.pdf").is_file()
    client.__exit__(None, None, None)
    assert not preview.folder.exists()


# --- the command ------------------------------------------------------------------------------


def test_serve_on_a_busy_port_is_a_usage_error(make_project, run_cli) -> None:
    import socket

    root = make_project()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, _, err = run_cli("--project", str(root), "serve", "--port", str(port))
    assert code == 2
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in err
