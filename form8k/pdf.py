"""HTML -> PDF with WeasyPrint, reading nothing but the project's own files.

One ``PdfRenderer`` serves many documents: it parses the print stylesheet and sets up its fonts
once. Documents are laid out once each; the per-document PDFs and the combined PDF of a filing
are written from the same layouts.
"""

from __future__ import annotations

import io
import logging
import mimetypes
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.request import url2pathname

from form8k.errors import Problem, Severity, SourceLocation

#: fontTools stamps each embedded font subset with the time it was made unless this is set;
#: a fixed stamp keeps two builds of the same content byte-identical.
REPRODUCIBLE_EPOCH = "0"

#: Base URL of a document being printed: its relative references name files of the submission.
SUBMISSION_BASE = "file:///form8k-submission/"
PRINT_CSS = "print.css"
PT_PER_PX = 0.75


class FetchRefused(Exception):
    """A document or stylesheet asked for something outside the project."""


@dataclass(frozen=True)
class PrintDocument:
    """A document to print: its submission name, HTML and metadata."""

    name: str
    html: str
    title: str
    author: str
    description: str
    keywords: Sequence[str]


@dataclass(frozen=True)
class PrintedFiling:
    """PDF bytes of each document (by submission name) and of the whole filing."""

    documents: dict[str, bytes]
    combined: bytes
    problems: list[Problem]


def _make_fetcher(root: Path, files: Mapping[str, Path]) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):
        """Serves the submission's graphics and the project's template assets; refuses the rest."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=True)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(SUBMISSION_BASE):
                name = url[len(SUBMISSION_BASE) :].split("#")[0].split("?")[0]
                path = files.get(name)
                if path is None:
                    raise FetchRefused(f"{name!r} is not a file of this submission")
            elif url.startswith("file:"):
                path = Path(url2pathname(url.removeprefix("file:").split("?")[0])).resolve()
                if not path.is_relative_to(root):
                    raise FetchRefused(f"{url} is outside the project")
            else:
                raise FetchRefused(f"{url}: the PDF renderer reads only project files")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return ProjectFetcher()


class _Collect(logging.Handler):
    """Turns WeasyPrint's log records into problems of the document being printed."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _collect_warnings() -> Iterator[_Collect]:
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


class PdfRenderer:
    """Prints documents with the project's print stylesheet and bundled fonts."""

    def __init__(self, *, templates: Path, root: Path) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        os.environ.setdefault("SOURCE_DATE_EPOCH", REPRODUCIBLE_EPOCH)
        self.root = root.resolve()
        self.templates = templates
        self.font_config = FontConfiguration()
        css_path = templates / PRINT_CSS
        self.stylesheet = CSS(
            string=css_path.read_text(encoding="utf-8"),
            base_url=css_path.resolve().as_uri(),
            url_fetcher=_make_fetcher(self.root, {}),
            font_config=self.font_config,
        )
        self.css_path = css_path

    def print_filing(
        self, documents: Sequence[PrintDocument], *, files: Mapping[str, Path], title: str
    ) -> PrintedFiling:
        """Lay out each document once; write each one's PDF and the combined PDF."""
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError

        fetcher = _make_fetcher(self.root, files)
        problems: list[Problem] = []
        layouts = []
        for document in documents:
            location = SourceLocation(Path(document.name))
            with _collect_warnings() as collected:
                try:
                    layout = HTML(
                        string=document.html, base_url=SUBMISSION_BASE, url_fetcher=fetcher
                    ).render(stylesheets=[self.stylesheet], font_config=self.font_config)
                except FatalURLFetchingError as error:
                    cause = error.__cause__ or error
                    problems.append(Problem(location, f"PDF: {cause}"))
                    continue
            problems += [
                Problem(location, f"PDF: {_describe(record)}", Severity.WARNING)
                for record in collected.records
            ]
            _set_metadata(layout, document)
            layouts.append((document, layout))
        if len(layouts) < len(documents):
            return PrintedFiling({}, b"", problems)

        pdfs = {}
        jumps: list[list[_Jump]] = []
        for document, layout in layouts:
            jumps.append(_document_links(layout))
            with _without_document_links(layout):
                pdfs[document.name] = bytes(layout.write_pdf())
        first = documents[0]
        combined = _combine(
            [pdfs[document.name] for document, _ in layouts],
            jumps,
            [document.name for document, _ in layouts],
            metadata={
                "/Title": title,
                "/Author": first.author,
                "/Subject": first.description,
                "/Keywords": ", ".join(first.keywords),
            },
        )
        return PrintedFiling(pdfs, combined, problems)


def _describe(record: logging.LogRecord) -> str:
    """A WeasyPrint log record as one line, with the error that caused it when there is one."""
    message = record.getMessage().strip()
    if record.exc_info and record.exc_info[1] is not None:
        error = record.exc_info[1]
        message = f"{message.rstrip(':')}: {type(error).__name__}: {error}"
    return " ".join(message.split())


def _set_metadata(layout: Any, document: PrintDocument) -> None:
    metadata = layout.metadata
    metadata.title = document.title
    metadata.authors = [document.author]
    metadata.description = document.description
    metadata.keywords = list(document.keywords)
    metadata.generator = None
    metadata.created = None
    metadata.modified = None


@contextmanager
def _without_document_links(layout: Any) -> Iterator[None]:
    """A PDF of one document keeps its internal links but none to the other documents.

    EDGAR strips unofficial PDFs that carry hyperlinks, and a link to a sibling ``.htm`` would
    lead nowhere once the PDF is read on its own.
    """
    saved = [page.links for page in layout.pages]
    for page in layout.pages:
        page.links = [link for link in page.links if link[0] != "external"]
    try:
        yield
    finally:
        for page, links in zip(layout.pages, saved, strict=True):
            page.links = links


@dataclass(frozen=True)
class _Jump:
    """A link from a document to another document of the submission, where it is drawn."""

    page: int
    rectangle: tuple[float, float, float, float]
    """In PDF points, origin at the bottom left."""
    target: str


def _document_links(layout: Any) -> list[_Jump]:
    """The links to sibling documents (the exhibit index), with their places on the page."""
    jumps = []
    for number, page in enumerate(layout.pages):
        height = page.height * PT_PER_PX
        for kind, target, (x1, y1, x2, y2), _box in page.links:
            if kind == "external" and target.startswith(SUBMISSION_BASE):
                name = target[len(SUBMISSION_BASE) :].partition("#")[0]
                rectangle = (
                    x1 * PT_PER_PX,
                    height - y2 * PT_PER_PX,
                    x2 * PT_PER_PX,
                    height - y1 * PT_PER_PX,
                )
                jumps.append(_Jump(number, rectangle, name))
    return jumps


def _combine(
    pdfs: Sequence[bytes],
    jumps: Sequence[Sequence[_Jump]],
    names: Sequence[str],
    *,
    metadata: Mapping[str, str],
) -> bytes:
    """One PDF of the whole filing, joined from the documents' PDFs (no second layout).

    Each document keeps its bookmarks; the exhibit index's links jump to the exhibits' first
    pages.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Link

    writer = PdfWriter()
    first_page: dict[str, int] = {}
    for name, data in zip(names, pdfs, strict=True):
        first_page[name] = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(data)))
    for name, document_jumps in zip(names, jumps, strict=True):
        for jump in document_jumps:
            if jump.target in first_page:
                writer.add_annotation(
                    first_page[name] + jump.page,
                    Link(rect=jump.rectangle, target_page_index=first_page[jump.target]),
                )
    writer.add_metadata({**metadata, "/Producer": "form8k (WeasyPrint and pypdf)"})
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()
