"""HTML -> PDF with WeasyPrint, reading nothing but the project's own files.

One ``PdfRenderer`` serves many documents: it parses the print stylesheet and sets up its fonts
once. Documents are laid out once each; the combined PDF of a filing is joined from the
documents' PDFs. A document printed before from the same HTML (``reuse``) is not laid out
again: its earlier PDF, the places of its links to the other documents and its warnings are
given back, and the combined PDF is joined from it as from a new one.

The fonts are the bundled ones only (``print.css``'s ``@font-face`` rules): the renderer's
Fontconfig configuration holds no font of the machine, so no machine font can ever be picked to
fill in a character. A character that no bundled font has is put in a span of class
``form8k-no-glyph``, which ``print.css`` sets in "Form8k Last Resort": it prints as that font's
.notdef, a box, and still reads as itself in the PDF's text (``form8k.glyphs`` finds those
characters and reports where the content wrote them).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import logging
import mimetypes
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.request import url2pathname

from form8k.errors import Problem, Severity, SourceLocation
from form8k.fontcover import (
    NO_GLYPH_CLASS,
    coverage,
    covered_text,
    may_lack_glyphs,
    missing_characters,
)
from form8k.stack import with_room

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
class PrintRecord:
    """What printing one document gave besides its PDF: the places of its links to the other
    documents (for the combined PDF), the renderer's warnings while laying it out and while
    writing it, and the project files it read beyond the submission's graphics and the
    templates (by path, with their digests). Kept in the build's stamp, so that the PDF can be
    used again as if printed anew."""

    jumps: tuple[_Jump, ...] = ()
    layout_warnings: tuple[str, ...] = ()
    write_warnings: tuple[str, ...] = ()
    fetched: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "jumps": [[jump.page, list(jump.rectangle), jump.target] for jump in self.jumps],
            "warnings": [list(self.layout_warnings), list(self.write_warnings)],
            "fetched": dict(self.fetched),
        }

    @classmethod
    def from_json(cls, data: object) -> PrintRecord | None:
        """The record a stamp holds, or None when it is not one."""
        try:
            assert isinstance(data, dict)
            jumps = tuple(
                _Jump(int(page), tuple(float(v) for v in rectangle), str(target))  # type: ignore[arg-type]
                for page, rectangle, target in data["jumps"]
            )
            layout, write = data["warnings"]
            fetched = data.get("fetched", {})
            assert isinstance(fetched, dict) and all(len(j.rectangle) == 4 for j in jumps)
            return cls(
                jumps,
                tuple(str(w) for w in layout),
                tuple(str(w) for w in write),
                tuple(sorted((str(k), str(v)) for k, v in fetched.items())),
            )
        except (AssertionError, KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True)
class Reused:
    """A document's PDF from an earlier build of the same HTML, with that build's record."""

    pdf: bytes
    record: PrintRecord


@dataclass(frozen=True)
class PrintedFiling:
    """PDF bytes of each document (by submission name) and of the whole filing."""

    documents: dict[str, bytes]
    combined: bytes
    problems: list[Problem]
    records: dict[str, PrintRecord] = field(default_factory=dict)
    """What printing each document gave besides its PDF, by submission name."""
    printed: list[str] = field(default_factory=list)
    """The documents laid out by this call (not taken from ``reuse``), in order."""


def _make_fetcher(
    roots: Sequence[Path], files: Mapping[str, Path | bytes], fetched: dict[str, str] | None = None
) -> Any:
    """A URL fetcher serving the submission's files (by name: a path, or the bytes themselves)
    and the files under ``roots``. A file read under the first root (the project) but not under
    the last (the templates) is noted in ``fetched`` with its digest."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):
        """Serves the submission's graphics and the project's template assets; refuses the rest."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=True)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(SUBMISSION_BASE):
                name = url[len(SUBMISSION_BASE) :].split("#")[0].split("?")[0]
                source = files.get(name)
                if source is None:
                    raise FetchRefused(f"{name!r} is not a file of this submission")
                data = source if isinstance(source, bytes) else source.read_bytes()
                label = name
            elif url.startswith("file:"):
                path = Path(url2pathname(url.removeprefix("file:").split("?")[0])).resolve()
                if not any(path.is_relative_to(root) for root in roots):
                    raise FetchRefused(f"{url} is outside the project and its templates")
                data = path.read_bytes()
                label = path.name
                if fetched is not None and not path.is_relative_to(roots[-1]):
                    fetched[path.as_posix()] = hashlib.sha256(data).hexdigest()
            else:
                raise FetchRefused(f"{url}: the PDF renderer reads only project files")
            content_type = mimetypes.guess_type(label)[0]
            return URLFetcherResponse(
                url, data, {"Content-Type": content_type or "application/octet-stream"}
            )

    return ProjectFetcher()


class _Collect(logging.Handler):
    """Turns WeasyPrint's log records into problems of the document being printed."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


#: What WeasyPrint logs when it draws a .notdef: the glyph-missing check reports it, with the
#: place in the content, so it is not repeated as a PDF warning.
_NOTDEF_WARNING = ".notdef glyph rendered"


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


#: Removes the font folder of each renderer of this process (see ``remove_font_folders``).
_FONT_FOLDERS: list[Any] = []


def temporary_folder(kind: str) -> str:
    """A new temporary folder named for this process (``form8k-<kind>-<pid>-...``). Folders a
    killed process left (SIGKILL runs no code) are removed by the next form8k that makes one."""
    import tempfile

    _sweep_dead_folders(tempfile.gettempdir())
    return tempfile.mkdtemp(prefix=f"form8k-{kind}-{os.getpid()}-")


@functools.cache
def _sweep_dead_folders(base: str) -> None:
    """Remove this user's ``form8k-fonts-*`` and ``form8k-print-*`` folders in ``base`` whose
    process has ended (once a process and folder)."""
    import shutil

    with contextlib.suppress(OSError):
        for entry in os.scandir(base):
            parts = entry.name.split("-", 3)
            if len(parts) != 4 or parts[0] != "form8k" or parts[1] not in ("fonts", "print"):
                continue
            if not parts[2].isdigit() or _alive(int(parts[2])):
                continue
            with contextlib.suppress(OSError):
                if entry.is_dir(follow_symlinks=False) and entry.stat().st_uid == os.getuid():
                    shutil.rmtree(entry.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    if os.name != "posix":  # os.kill would end the process there: never swept
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's: alive
        return True
    return True


def _font_folder(renderer: object) -> str:
    """A new folder for a renderer's copies of the fonts, removed when the renderer is collected
    or its process ends (multiprocessing's finalizers run in worker processes too, and never in
    another process than the one that made the folder); if the process is killed, by the next
    form8k process that makes such a folder."""
    import shutil
    from multiprocessing.util import Finalize

    folder = temporary_folder("fonts")
    finalizer = Finalize(
        renderer, shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}, exitpriority=1
    )
    _FONT_FOLDERS[:] = [f for f in _FONT_FOLDERS if f.still_active()] + [finalizer]
    return folder


def remove_font_folders() -> None:
    """Remove the font folders of this process's renderers now: for a process about to end with
    ``os._exit``, which runs no exit hook."""
    for finalizer in _FONT_FOLDERS:
        finalizer()
    _FONT_FOLDERS.clear()


@contextmanager
def _temporary_files_in(folder: str) -> Iterator[None]:
    """Python's temporary files and folders go into ``folder`` meanwhile (this thread's work:
    the renderer is never shared between threads)."""
    import tempfile

    before = tempfile.tempdir
    tempfile.tempdir = folder
    try:
        yield
    finally:
        tempfile.tempdir = before


class PdfRenderer:
    """Prints documents with the project's print stylesheet and bundled fonts."""

    def __init__(
        self, *, templates: Path, root: Path, covered: frozenset[int] | None = None
    ) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        os.environ.setdefault("SOURCE_DATE_EPOCH", REPRODUCIBLE_EPOCH)
        self.root = root.resolve()
        self.templates = templates
        #: What the PDF may read: the project, and its templates wherever they are (form8k's
        #: own, or a project's templates/ that links elsewhere).
        self.roots = (self.root, templates.resolve())
        self.font_config = FontConfiguration()
        _forget_machine_fonts(self.font_config)
        self._covered = covered
        css_path = templates / PRINT_CSS
        # WeasyPrint copies each bundled font into a temporary folder, removed only when its
        # font configuration is collected: never in a process that ends with os._exit (build
        # workers, print processes). The copies go into a folder of this renderer's own,
        # removed when it is let go or when its process ends, whichever way.
        self.font_folder = _font_folder(self)
        with _temporary_files_in(self.font_folder):
            self.stylesheet = CSS(
                string=css_path.read_text(encoding="utf-8"),
                base_url=css_path.resolve().as_uri(),
                url_fetcher=_make_fetcher(self.roots, {}),
                font_config=self.font_config,
            )
        self.css_path = css_path
        if not _font_count(self.font_config):
            # Pango would crash with no font at all (and a machine font is never used).
            from form8k.render import RenderError

            raise RenderError(
                Problem(
                    SourceLocation(css_path),
                    "the print stylesheet loads no font (@font-face): the PDFs use its fonts "
                    "only, and would have none to draw with",
                )
            )

    @property
    def covered(self) -> frozenset[int]:
        """The characters some bundled font has; any other is drawn as the last resort's box
        (found when first needed, unless given)."""
        if self._covered is None:
            self._covered = coverage(self.templates)
        return self._covered

    @covered.setter
    def covered(self, value: frozenset[int]) -> None:
        self._covered = value

    def print_filing(
        self,
        documents: Sequence[PrintDocument],
        *,
        files: Mapping[str, Path | bytes],
        title: str,
        reuse: Mapping[str, Reused] | None = None,
        join: bool = True,
    ) -> PrintedFiling:
        """Lay out each document once (but those in ``reuse``, whose earlier PDF is given);
        write each one's PDF and join the combined PDF (without ``join``: ``join_filing``
        joins it, from the returned PDFs and records)."""
        return with_room(
            self._print_filing, documents, files=files, title=title, reuse=reuse, join=join
        )

    def _print_filing(
        self,
        documents: Sequence[PrintDocument],
        *,
        files: Mapping[str, Path | bytes],
        title: str,
        reuse: Mapping[str, Reused] | None,
        join: bool,
    ) -> PrintedFiling:
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError

        reuse = reuse or {}
        problems: list[Problem] = []
        layouts: dict[str, Any] = {}
        fetched: dict[str, dict[str, str]] = {}
        layout_warnings: dict[str, list[Problem]] = {}
        failed = False
        for document in documents:
            location = SourceLocation(Path(document.name))
            reused = reuse.get(document.name)
            if reused is not None:
                problems += _recorded(location, reused.record.layout_warnings)
                continue
            fetched[document.name] = {}
            fetcher = _make_fetcher(self.roots, files, fetched[document.name])
            with _collect_warnings() as collected:
                try:
                    html = HTML(string=document.html, base_url=SUBMISSION_BASE, url_fetcher=fetcher)
                    if may_lack_glyphs(document.html, self.covered):
                        _mark_missing_glyphs(html, self.covered)
                    layout = html.render(
                        stylesheets=[self.stylesheet], font_config=self.font_config
                    )
                except FatalURLFetchingError as error:
                    cause = error.__cause__ or error
                    problems.append(Problem(location, f"PDF: {cause}"))
                    failed = True
                    continue
            layout_warnings[document.name] = _warnings(location, collected)
            problems += layout_warnings[document.name]
            _set_metadata(layout, document)
            layouts[document.name] = layout
        if failed:
            return PrintedFiling({}, b"", problems)

        pdfs: dict[str, bytes] = {}
        records: dict[str, PrintRecord] = {}
        for document in documents:
            location = SourceLocation(Path(document.name))
            reused = reuse.get(document.name)
            if reused is not None:
                pdfs[document.name] = reused.pdf
                records[document.name] = reused.record
                problems += _recorded(location, reused.record.write_warnings)
                continue
            layout = layouts[document.name]
            jumps = _document_links(layout)
            with _without_document_links(layout), _collect_warnings() as collected:
                pdfs[document.name] = bytes(layout.write_pdf())
            written = _warnings(location, collected)
            problems += written
            records[document.name] = PrintRecord(
                tuple(jumps),
                tuple(p.message for p in layout_warnings[document.name]),
                tuple(p.message for p in written),
                tuple(sorted(fetched[document.name].items())),
            )
        printed = [document.name for document in documents if document.name not in reuse]
        done = PrintedFiling(pdfs, b"", problems, records, printed)
        return join_filing(documents, done, title) if join else done


def join_filing(
    documents: Sequence[PrintDocument], printed: PrintedFiling, title: str
) -> PrintedFiling:
    """``printed`` with its combined PDF, joined from its documents' PDFs (pikepdf: no second
    layout). Each document keeps its bookmarks; the exhibit index's links jump to the
    exhibits' first pages."""
    if not printed.documents:
        return printed
    first = documents[0]
    names = [document.name for document in documents]
    combined = _combine(
        [printed.documents[name] for name in names],
        [printed.records[name].jumps for name in names],
        names,
        metadata={
            "/Title": title,
            "/Author": first.author,
            "/Subject": first.description,
            "/Keywords": ", ".join(first.keywords),
        },
    )
    return PrintedFiling(
        printed.documents, combined, printed.problems, printed.records, printed.printed
    )


def _recorded(location: SourceLocation, messages: Sequence[str]) -> list[Problem]:
    """The warnings an earlier print of a document gave, as they were reported then."""
    return [Problem(location, message, Severity.WARNING) for message in messages]


def _forget_machine_fonts(font_config: Any) -> None:
    """Give ``font_config`` an empty Fontconfig configuration: no font of the machine.

    WeasyPrint starts from the machine's configuration, so a character the stylesheet's fonts
    lack would be drawn with whatever installed font has it (and embedded in the PDF). With an
    empty configuration, the ``@font-face`` fonts added to it later are all there is; Pango
    falls back among them only, and draws a .notdef where none has the character.
    """
    from weasyprint.text.ffi import ffi, fontconfig, pangoft2

    try:
        create = fontconfig.FcConfigCreate
    except AttributeError:  # WeasyPrint declares only the Fontconfig functions it calls
        ffi.cdef("FcConfig * FcConfigCreate (void);")
        create = fontconfig.FcConfigCreate
    config = create()
    if config == ffi.NULL:
        raise MemoryError("Fontconfig could not create a configuration")
    font_map = ffi.cast("PangoFcFontMap *", font_config.font_map)
    pangoft2.pango_fc_font_map_set_config(font_map, config)  # the font map keeps a reference
    fontconfig.FcConfigDestroy(config)
    font_config._config = config  # where add_font_face() registers the @font-face fonts


def _font_count(font_config: Any) -> int:
    """How many fonts ``font_config`` holds (after ``_forget_machine_fonts``: the bundled)."""
    from weasyprint.text.ffi import ffi, fontconfig

    fonts = fontconfig.FcConfigGetFonts(font_config._config, fontconfig.FcSetApplication)
    return 0 if fonts == ffi.NULL else int(fonts.nfont)


def _mark_missing_glyphs(html: Any, covered: frozenset[int]) -> None:
    """Put each run of characters no bundled font has in a ``form8k-no-glyph`` span.

    Only the text of the body is touched (attributes, the head and style sheets are not drawn).
    The span's font is the last-resort font, whose .notdef (a box) stands for the characters.
    """
    import cssselect2

    root = html.etree_element
    body = next((element for element in root if element.tag == "body"), None)
    if body is None:
        return
    changed = False
    for element in list(body.iter()):
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        if element.text and missing_characters(element.text, covered):
            element.text, spans = _split(element.text, covered, element.makeelement)
            for index, span in enumerate(spans):
                element.insert(index, span)
            changed = True
        for child in list(element):
            if child.tail and missing_characters(child.tail, covered):
                child.tail, spans = _split(child.tail, covered, element.makeelement)
                position = list(element).index(child) + 1
                for offset, span in enumerate(spans):
                    element.insert(position + offset, span)
                changed = True
    if changed:  # WeasyPrint wrapped the tree before it was changed: wrap it again
        html.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        html.etree_element = html.wrapper_element.etree_element


def _split(text: str, covered: frozenset[int], make: Any) -> tuple[str, list[Any]]:
    """``text`` as the text before the first span, and the spans (each with its tail)."""
    runs = covered_text(text, covered)
    head = ""
    spans: list[Any] = []
    for run, drawable in runs:
        if not drawable:
            span = make("span", {"class": NO_GLYPH_CLASS})
            span.text, span.tail = run, ""
            spans.append(span)
        elif spans:
            spans[-1].tail += run
        else:
            head += run
    return head, spans


def _warnings(location: SourceLocation, collected: _Collect) -> list[Problem]:
    """WeasyPrint's warnings about a document, but its .notdef ones (glyph-missing tells)."""
    return [
        Problem(location, f"PDF: {_describe(record)}", Severity.WARNING)
        for record in collected.records
        if not record.getMessage().startswith(_NOTDEF_WARNING)
    ]


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

    Each document keeps its bookmarks, in document order under one outline. A link within a
    document (a footnote's, say) names a destination of that document, and the documents
    share names ("headline" in every press release): in the combined PDF each such link
    points at its own document's place directly, and the name tree keeps the first document's
    place for a name. The exhibit index's links jump to the exhibits' first pages. qpdf
    (pikepdf) copies the pages without reading their content; the file's /ID is a digest of
    the content, so that the same documents give the same bytes.
    """
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    combined = pikepdf.Pdf.new()
    first_page: dict[str, int] = {}
    outlines: list[pikepdf.Object] = []
    destinations: dict[str, pikepdf.Object] = {}
    sources: list[pikepdf.Pdf] = []  # qpdf reads copied streams from them when saving
    for name, data in zip(names, pdfs, strict=True):
        source = pikepdf.open(io.BytesIO(data))
        sources.append(source)
        places: dict[str, pikepdf.Object] = {}
        if Name.Names in source.Root:
            if Name.Dests in source.Root.Names:
                for key, value in pikepdf.NameTree(source.Root.Names.Dests).items():
                    place = value.get(Name.D) if isinstance(value, Dictionary) else value
                    if isinstance(place, Array):  # (the other form: << /D [...] >>)
                        places[str(key)] = source.make_indirect(place)
            del source.Root.Names  # its destinations are carried here, not by the page copy
        first = first_page[name] = len(combined.pages)
        for page in source.pages:  # (one by one: extend() warns of what is carried here)
            combined.pages.append(page)
        own = {key: combined.copy_foreign(place) for key, place in places.items()}
        for key, place in own.items():
            destinations.setdefault(key, place)
        for page in combined.pages[first:]:
            for annotation in page.obj.get(Name.Annots, Array()):
                target = annotation.get(Name.Dest)
                if isinstance(target, (pikepdf.String, pikepdf.Name)) and str(target) in own:
                    annotation.Dest = own[str(target)]
        if Name.Outlines in source.Root and Name.First in source.Root.Outlines:
            outlines.append(combined.copy_foreign(source.Root.Outlines))

    if outlines:
        root = combined.make_indirect(Dictionary(Type=Name.Outlines))
        count, previous = 0, None
        for outline in outlines:
            count += abs(int(outline.get(Name.Count, 0)))
            item = outline.First
            while True:
                item.Parent = root
                if previous is None:
                    root.First = item
                    if Name.Prev in item:
                        del item.Prev
                else:
                    previous.Next, item.Prev = item, previous
                previous = item
                if Name.Next not in item:
                    break
                item = item.Next
        root.Last, root.Count = previous, count
        combined.Root.Outlines = root
    if destinations:
        tree = Array()
        for key in sorted(destinations):
            tree.extend([String(key), destinations[key]])
        combined.Root.Names = Dictionary(Dests=Dictionary(Names=tree))

    for name, document_jumps in zip(names, jumps, strict=True):
        for jump in document_jumps:
            if jump.target in first_page:
                page = combined.pages[first_page[name] + jump.page]
                link = Dictionary(
                    Type=Name.Annot,
                    Subtype=Name.Link,
                    Rect=Array(jump.rectangle),
                    Border=Array([0, 0, 0]),
                    Dest=Array([combined.pages[first_page[jump.target]].obj, Name.Fit]),
                )
                if Name.Annots not in page.obj:
                    page.obj.Annots = Array()
                page.obj.Annots.append(combined.make_indirect(link))

    info = {**metadata, "/Producer": "form8k (WeasyPrint and pikepdf)"}
    combined.docinfo = combined.make_indirect(
        Dictionary({key: String(value) for key, value in info.items()})
    )
    stream = io.BytesIO()
    combined.save(
        stream,
        deterministic_id=True,
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    for source in sources:
        source.close()
    return stream.getvalue()
