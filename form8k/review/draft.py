"""Draft proofs that cannot be filed by mistake.

A draft build (``form8k build --draft``, and the preview's PDFs) prints on every page of every
PDF a large "DRAFT" across the page and, at its top, a line with the version of the content
(the git revision, and whether the files differ from it) and the time of the build. The
filed HTML never carries them: only the PDFs are stamped, after they are printed, and the
manifest (``manifest.json``, never filed) records the draft, so that ``package`` and
``submit`` refuse the output (``refuse_draft``).

The stamp is a one-page overlay printed once per page size by the build's own PDF renderer
(the bundled fonts only), merged onto each page with pypdf. The same pages with the same mark
(the same version and time) give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import escape

from form8k.errors import Form8kError

if TYPE_CHECKING:
    from form8k.pdf import PdfRenderer

#: The manifest's field that says a build is a draft (absent in a build to file).
FIELD = "draft"
MANIFEST = "manifest.json"
#: The PDF metadata key each stamped PDF carries, with the draft line.
PDF_KEY = "/Form8kDraft"
WORD = "DRAFT"


class DraftOutput(Form8kError):
    """A draft build's output was about to be packaged or submitted."""

    exit_code = 1


@dataclass(frozen=True)
class DraftMark:
    """What a draft's pages say: which version of the content, printed when."""

    revision: str | None
    """The git commit of the content (short hash), None outside git."""
    dirty: bool
    """The files differ from that commit (uncommitted changes)."""
    time: dt.datetime
    """When the draft was built (with its time zone)."""

    @classmethod
    def current(cls, root: Path, now: dt.datetime | None = None) -> DraftMark:
        """The mark for a draft of the project at ``root`` built now (to the minute)."""
        from form8k.review.git import version

        state = version(root)
        when = (now or dt.datetime.now()).astimezone().replace(second=0, microsecond=0)
        if state is None:
            return cls(None, False, when)
        return cls(state[0], state[1], when)

    @property
    def version(self) -> str:
        if self.revision is None:
            return "not under version control"
        return f"{self.revision}{' with uncommitted changes' if self.dirty else ''}"

    @property
    def when(self) -> str:
        offset = self.time.strftime("%z")
        zone = f"UTC{offset[:3]}:{offset[3:]}" if offset else "local time"
        return f"{self.time:%Y-%m-%d %H:%M} ({zone})"

    @property
    def line(self) -> str:
        """The line at the top of every page."""
        return (
            f"{WORD} \u2013 NOT FOR FILING \u2013 version {self.version} \u2013 built {self.when}"
        )

    def record(self) -> dict[str, object]:
        """The manifest's ``draft`` field."""
        return {
            "revision": self.revision,
            "uncommitted_changes": self.dirty,
            "built": self.time.isoformat(),
        }

    def fingerprint(self) -> dict[str, object]:
        """What a build's fingerprint takes of the mark: the version, not the time (a draft
        whose content has not changed is kept with the time it was printed)."""
        return {"revision": self.revision, "dirty": self.dirty}


def mark_output(
    files: Mapping[str, bytes], mark: DraftMark, printer: PdfRenderer | None
) -> dict[str, bytes]:
    """A filing's output files as a draft: every PDF stamped on every page, the manifest
    marked; the HTML and everything else as they are."""
    marked = dict(files)
    overlays = _Overlays(mark, printer) if printer is not None else None
    for name, data in files.items():
        if name.lower().endswith(".pdf") and overlays is not None:
            marked[name] = stamp_pdf(data, mark, overlays)
        elif name == MANIFEST:
            marked[name] = mark_manifest(data, mark)
    return marked


def mark_manifest(data: bytes, mark: DraftMark) -> bytes:
    """``manifest.json`` with its ``draft`` field."""
    manifest = json.loads(data)
    manifest[FIELD] = mark.record()
    return (json.dumps(manifest, indent=2) + "\n").encode("ascii")


def stamp_pdf(data: bytes, mark: DraftMark, overlays: _Overlays | PdfRenderer) -> bytes:
    """The PDF ``data`` with the draft mark on every page (its bookmarks, links and metadata
    kept)."""
    from pypdf import PdfReader, PdfWriter

    if not isinstance(overlays, _Overlays):
        overlays = _Overlays(mark, overlays)
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        box = page.mediabox
        page.merge_page(overlays.page(float(box.width), float(box.height)))
    writer.add_metadata({PDF_KEY: mark.line})
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


class _Overlays:
    """The mark's overlay page for each page size, printed once each."""

    def __init__(self, mark: DraftMark, printer: PdfRenderer) -> None:
        self.mark = mark
        self.printer = printer
        self.pages: dict[tuple[float, float], Any] = {}

    def page(self, width: float, height: float) -> Any:
        key = (round(width, 2), round(height, 2))
        if key not in self.pages:
            from pypdf import PdfReader

            from form8k.pdf import PrintDocument

            document = PrintDocument(
                name="draft-mark.htm",
                html=overlay_html(self.mark, *key),
                title="Draft",
                author="form8k",
                description=self.mark.line,
                keywords=(),
            )
            printed = self.printer.print_filing([document], files={}, title="Draft")
            data = printed.documents.get("draft-mark.htm")
            if data is None:
                problems = "; ".join(problem.message for problem in printed.problems)
                raise RuntimeError(f"the draft mark could not be printed: {problems}")
            self.pages[key] = PdfReader(io.BytesIO(data)).pages[0]
        return self.pages[key]


def overlay_html(mark: DraftMark, width: float, height: float) -> str:
    """One transparent page of ``width`` x ``height`` points: "DRAFT" across it, and the draft
    line in its top margin."""
    size = min(width, height) / 4.2
    line = escape(mark.line)
    return f"""<html><head><title>Draft</title><style>
@page {{ size: {width}pt {height}pt; margin: 0;
  @bottom-center {{ content: none; }} @top-center {{ content: none; }} }}
html, body {{ margin: 0; padding: 0; background: transparent; }}
.mark {{ position: absolute; left: 0; width: {width}pt; top: {height / 2 - size / 2}pt;
  height: {size}pt; line-height: 1; text-align: center; font-size: {size}pt;
  font-weight: bold; color: #c00000;
  opacity: 0.13; transform: rotate(-40deg); }}
.line {{ position: absolute; left: 0.5in; width: {width - 72}pt; top: 0.28in;
  text-align: center; font-size: 8pt; font-weight: bold; color: #c00000; }}
</style></head><body><div class="line">{line}</div><div class="mark">{WORD}</div></body></html>"""


def draft_of(folder: Path) -> dict[str, object] | None:
    """The draft record of a filing's built output, or None when it was built to be filed."""
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    record = data.get(FIELD) if isinstance(data, dict) else None
    if record is None or record is False:
        return None
    return record if isinstance(record, dict) else {"draft": record}


def refuse_draft(folder: Path) -> None:
    """Stop (``DraftOutput``) when the output in ``folder`` is a draft build's: its PDFs say
    DRAFT and it may not be filed. ``package`` and ``submit`` call it before they read it."""
    record = draft_of(folder)
    if record is None:
        return
    built = record.get("built", "?")
    revision = record.get("revision") or "no git revision"
    raise DraftOutput(
        f"{folder}: a draft build (version {revision}, built {built}) is never packaged or "
        "submitted: build it without --draft (form8k build) first"
    )
