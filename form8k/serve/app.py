"""The preview as an ASGI app (Starlette), given the project and a builder.

Routes, all GET or HEAD:

- ``/``: the filings under content/, with their registrant, form type, date of report,
  deadline (and the business days left), the headline of their press release, items, documents
  and checks;
- ``/filings/<filing>/<file>``: a document of the last good build, with the preview's block
  (overlay, navigation, reload script) added; its graphics; its PDFs, made on request;
- ``/_preview/reload.js`` and ``/_preview/events``: the reload script and its event stream.

Only the names the build wrote (or would print) are served, looked up in memory by exact name:
no request path is ever joined to a folder, so ``..``, encoded or absolute paths and symlinks
find nothing and get 404. Nothing of a request is sent back but escaped (``pages``), and a file
name in a header only as the build wrote it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import mimetypes
from collections.abc import AsyncIterator, Callable, Sequence
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from form8k.pipeline import Project
from form8k.serve import pages
from form8k.serve.events import Channel
from form8k.serve.hosts import AllowedHosts, HostCheck
from form8k.serve.preview import Builder, FilingState, Preview

#: What a document page may load: its own graphics, the reload script, its event stream.
DOCUMENT_POLICY = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; script-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
#: What any other file the preview serves (a graphic) may load, if opened as a page: nothing.
FILE_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
READ_METHODS = ("GET", "HEAD")


class ReadOnly:
    """Answers 405 to any method but GET and HEAD, before routing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in READ_METHODS:
            response = PlainTextResponse(
                "Method Not Allowed", 405, headers={"Allow": ", ".join(READ_METHODS)}
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def create_app(
    project: Project,
    *,
    builder: Builder | None = None,
    watch: bool = True,
    hosts: Sequence[str] | AllowedHosts | None = None,
    log: Callable[[str], None] = lambda line: None,
    debug: bool = False,
    today: Callable[[], dt.date] = dt.date.today,
) -> Starlette:
    """The preview app of ``project``; ``builder`` defaults to form8k's own build (and its
    PDFs are then made in a child process; a builder given makes them in a thread, one at a
    time).

    The first build runs at startup (the ASGI lifespan); with ``watch``, content/, templates/
    and the project's form8k.yaml are watched until shutdown, and startup ends only once they
    are. ``hosts``, when given, are the only Host headers answered besides the localhost forms
    (a guard against DNS rebinding: ``form8k.serve.hosts``). ``log`` gets a line per rebuild
    and problem (and, with ``debug``, the traceback of a builder that crashed). ``today`` is
    the day the listing counts business days left from. ``app.state.preview`` is the
    ``Preview``.
    """

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        preview = Preview(project, builder=builder, log=log, debug=debug, today=today)
        channel = Channel()
        loop = asyncio.get_running_loop()
        app.state.preview = preview
        app.state.channel = channel
        app.state.close_streams = lambda: loop.call_soon_threadsafe(channel.close)
        preview.listeners.add(channel.publish)
        stop = asyncio.Event()
        watcher: asyncio.Task[None] | None = None
        renderer: asyncio.Task[None] | None = None
        try:
            if watch:
                from form8k.serve.watch import watch_project

                # Watch before the first build, so that nothing saved while it runs is missed.
                ready = asyncio.Event()
                watcher = asyncio.create_task(
                    watch_project(preview, stop=stop, log=log, ready=ready)
                )
            await preview.refresh()
            # The PDF renderer starts now, in the background (about a second; the server is
            # ready meanwhile), not on the first PDF request.
            renderer = asyncio.create_task(preview.start_renderer())
            if watcher is not None:
                # Started means watching: a file saved once the server is up is always seen.
                watching = asyncio.create_task(ready.wait())
                await asyncio.wait({watcher, watching}, return_when=asyncio.FIRST_COMPLETED)
                watching.cancel()
                if watcher.done():
                    error = watcher.exception()
                    while isinstance(error, BaseExceptionGroup):
                        error = error.exceptions[0]
                    log(f"form8k: not watching for changes: {type(error).__name__}: {error}")
                    watcher = None
            yield
        finally:
            channel.close()
            stop.set()
            if watcher is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.wait_for(watcher, timeout=2)
            if renderer is not None:
                with contextlib.suppress(Exception):
                    await renderer
            preview.close()

    middleware = [Middleware(ReadOnly)]
    if hosts is not None:
        allowed = hosts if isinstance(hosts, AllowedHosts) else AllowedHosts.of(hosts)
        middleware.insert(0, Middleware(HostCheck, allowed=allowed))
    return Starlette(
        routes=[
            Route("/", listing),
            Route(pages.RELOAD_SCRIPT, reload_script),
            Route("/_preview/events", events),
            Route("/filings/{rest:path}", filing_file),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )


def _preview(request: Request) -> Preview:
    preview: Preview = request.app.state.preview
    return preview


def _html(body: bytes, status: int = 200) -> Response:
    headers = {**NO_STORE, "Content-Security-Policy": DOCUMENT_POLICY}
    return Response(body, status, headers=headers, media_type="text/html; charset=utf-8")


def _not_found() -> Response:
    return PlainTextResponse("Not Found", 404, headers=NO_STORE)


async def listing(request: Request) -> Response:
    """The filings under content/."""
    return _html(pages.listing_page(_preview(request)))


async def reload_script(request: Request) -> Response:
    """The script every preview page loads."""
    return Response(pages.RELOAD_JS, headers=NO_STORE, media_type="text/javascript")


async def events(request: Request) -> Response:
    """The event stream of a page: the version of its filing (or of the listing) as it moves."""
    preview = _preview(request)
    key = request.query_params.get("filing")

    def version() -> int:
        if key is None:
            return preview.version
        state = preview.filings.get(key)
        return state.version if state is not None else -1

    if request.method == "HEAD":
        return Response(headers=NO_STORE, media_type="text/event-stream")
    channel: Channel = request.app.state.channel
    return StreamingResponse(
        channel.stream(key, version),
        media_type="text/event-stream",
        headers={**NO_STORE, "X-Accel-Buffering": "no"},
    )


async def filing_file(request: Request) -> Response:
    """A file of a filing's preview: a document, a graphic, or a PDF."""
    preview = _preview(request)
    rest: str = request.path_params["rest"]
    if rest in preview.filings:
        return RedirectResponse(pages.filing_url(rest), 307)
    key, _, name = rest.rpartition("/")
    state = preview.filings.get(key)
    if state is None:
        # A page whose filing went away (a folder renamed, say) reloads when it comes back.
        return _html(pages.missing_page(preview), 404) if name.endswith(".htm") else _not_found()
    if not name:
        return _filing_index(preview, state)
    if name.endswith(".pdf"):
        return await _pdf(preview, state, name)
    content = state.files.get(name)
    if content is None:
        if name.endswith(".htm"):
            return _html(pages.missing_page(preview), 404)
        return _not_found()
    if name.endswith(".htm"):
        block = pages.preview_block(state, preview.root, current=name)
        return _html(pages.inject(content, block))
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    headers = {**NO_STORE, "Content-Security-Policy": FILE_POLICY}
    return Response(content, headers=headers, media_type=media_type)


def _filing_index(preview: Preview, state: FilingState) -> Response:
    """A filing's folder: its primary document, or its problems when it never built."""
    summary = state.good
    if state.files and summary is not None:
        return RedirectResponse(pages.filing_url(state.key, summary.documents[0].name), 307)
    documents = sorted(name for name in state.files if name.endswith(".htm"))
    if documents:
        return RedirectResponse(pages.filing_url(state.key, documents[0]), 307)
    return _html(
        pages.problem_page(state, preview.root, problems=state.problems, what="The filing")
    )


async def _pdf(preview: Preview, state: FilingState, name: str) -> Response:
    """A PDF of the filing at its current version: made on the first request, then cached.

    The name must be one of the filing's PDFs, as the last good build (else the latest one
    that loaded) names them; a filing that never loaded shows its problems, for any name.
    """
    summary = state.good or state.summary
    if summary is not None and name not in {
        summary.combined_pdf,
        *(document.pdf for document in summary.documents),
    }:
        return _not_found()
    files, problems = await preview.pdf(state)
    content = files.get(name)
    if content is not None:
        headers = {**NO_STORE, "Content-Disposition": _inline(name)}
        return Response(content, headers=headers, media_type="application/pdf")
    if not files and problems:
        page = pages.problem_page(state, preview.root, problems=problems, what=f"The PDF {name}")
        return _html(page, 500)
    return _not_found()


def _inline(name: str) -> str:
    """A Content-Disposition naming ``name`` (a name the build wrote), quoted either way."""
    plain = "".join(
        char if char.isascii() and char.isprintable() and char not in '"\\' else "_"
        for char in name
    )
    return f"inline; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
