"""The preview's state: each filing's last good HTML, its latest problems, its cached PDFs.

``Preview`` knows nothing of HTTP. It builds into a temporary folder with the builder it is
given, keeps the files of each filing's last good build in memory (so a page is never read
half-written, and a failed build leaves the last good render to show), and counts a version per
filing that open pages compare with to know when to reload.

The build is incremental: a filing whose inputs did not change since its last build in the
temporary folder is *skipped*, and its result has no bundle, only the names of the files kept.
Its summary (what the listing says of it) is then the one of the build that wrote those files,
which the preview remembers (``FilingState.written``); only a filing the preview never built in
this session (a folder renamed back, say) is loaded again to describe it.

The last save wins: a refresh notes the files its filings are built from before and after the
build (``Inputs``); when one changed meanwhile (a save while the build ran), the build may have
read either version, so the stamps of the filings it concerns are forgotten (the next build
cannot keep them as unchanged) and they are built again, until a build ends with the files as
they were when it began. PDFs are checked the same way, and one that was made while its files
changed is not kept.

PDFs are made one at a time, whatever the filing (``Preview.pdf``); with the project's own
builder they are made in a child process (``form8k.serve.printer``), never in the server's
threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import os
import shutil
import tempfile
import time
import traceback
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG
from typing import Protocol

from form8k.errors import Form8kError, Problem, Severity, SourceLocation
from form8k.load import LoadError, find_filings, load_filing
from form8k.model import FilingBundle, PressRelease
from form8k.pipeline import BuildReport, FilingResult, Project, build, stamp_path
from form8k.project import CONFIG_FILE
from form8k.rules.filing import Deadline, deadline
from form8k.serve.printer import PdfProcess, Refreezer, RendererStopped

HTML: tuple[str, ...] = ("html",)
PDF: tuple[str, ...] = ("pdf",)


class Builder(Protocol):
    """Builds ``folders`` (filing folders) in ``formats`` into ``out``/<filing key>/."""

    def __call__(
        self, folders: Sequence[Path], *, out: Path, formats: Sequence[str]
    ) -> BuildReport: ...


def project_builder(project: Project) -> Builder:
    """The real builder: ``form8k.pipeline.build`` on ``project``."""

    refreezer = Refreezer()

    def builder(folders: Sequence[Path], *, out: Path, formats: Sequence[str]) -> BuildReport:
        try:
            return build(project, out=out, paths=folders, formats=formats)
        finally:
            refreezer.after_build()  # a builder replaced after a template change is freed

    return builder


#: How many times one refresh builds again while files change under it; after that, the
#: filings concerned are left with no stamp, and the watcher's next refresh builds them.
MAX_ROUNDS = 5
#: Files up to this size are hashed to tell a save from none; larger ones (fonts, images) are
#: compared by size, modification time and inode.
HASHED_BYTES = 256 * 1024

#: A file's state: size, modification time, inode, and a hash of small files' content.
FileState = tuple[int, int, int, bytes]
Inputs = dict[Path, FileState]


@dataclass(frozen=True)
class Document:
    """One document of a filing as the preview links it."""

    label: str
    """``Form 8-K``, ``Exhibit 99.1``."""
    name: str
    """Submission file name, e.g. ``imgn-20050906.htm``."""

    @property
    def pdf(self) -> str:
        return Path(self.name).with_suffix(".pdf").name


@dataclass(frozen=True)
class Summary:
    """What the listing says about a filing: who files what, when it is due, its documents."""

    registrant: str
    co_registrants: tuple[str, ...]
    form_type: str
    date_of_report: dt.date
    filing_date: dt.date
    """The date the filing.yaml plans to file on."""
    deadline: Deadline
    headline: str | None
    """The headline of the first press release (by exhibit number), if there is one."""
    items: tuple[tuple[str, str], ...]
    """(number, official title) in numeric order."""
    documents: tuple[Document, ...]
    combined_pdf: str

    @classmethod
    def of(cls, bundle: FilingBundle) -> Summary:
        filing = bundle.filing
        documents = [Document(f"Form {filing.form_type}", bundle.primary_document)]
        documents += [
            Document(f"Exhibit {exhibit.number}", bundle.exhibit_document(exhibit))
            for exhibit in filing.sorted_exhibits
            if exhibit.number in bundle.exhibits
        ]
        releases = (
            source.front_matter
            for exhibit in filing.sorted_exhibits
            if (source := bundle.exhibits.get(exhibit.number)) is not None
        )
        headline = next(
            (front.headline for front in releases if isinstance(front, PressRelease)), None
        )
        return cls(
            registrant=bundle.company.name,
            co_registrants=tuple(co.name for co in bundle.co_registrants),
            form_type=filing.form_type,
            date_of_report=filing.date_of_report,
            filing_date=filing.filing_date,
            deadline=deadline(bundle),
            headline=headline,
            items=tuple((item.spec.number, item.spec.title) for item in filing.sorted_items),
            documents=tuple(documents),
            combined_pdf=f"{bundle.document_stem}-combined.pdf",
        )


@dataclass
class FilingState:
    """One filing as the preview knows it."""

    key: str
    folder: Path
    version: int = 0
    """Bumped by every rebuild; an open page reloads when its version is no longer current."""
    problems: list[Problem] = field(default_factory=list)
    """Problems of the latest build."""
    summary: Summary | None = None
    """From the latest build that loaded the filing."""
    good: Summary | None = None
    """From the last good build: the documents that ``files`` holds."""
    written: Summary | None = None
    """From the last build that wrote the filing's files into the temporary folder: what a
    build that skips the filing as unchanged keeps (its result carries no bundle)."""
    files: dict[str, bytes] = field(default_factory=dict)
    """Files of the last good HTML build (documents and graphics), by name."""
    pdf_version: int = -1
    """Version the cached PDFs were made at."""
    pdf_files: dict[str, bytes] = field(default_factory=dict)
    pdf_problems: list[Problem] = field(default_factory=list)
    pdf_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.WARNING)

    @property
    def current(self) -> bool:
        """The files are of the content as it is now (the latest build had no error)."""
        return bool(self.files) and not self.errors


@dataclass(frozen=True)
class Outcome:
    """What one build did to one filing, as read back in the worker thread."""

    problems: list[Problem]
    summary: Summary | None = None
    """Of the content as it is now; None when it did not load."""
    files: dict[str, bytes] | None = None
    """The files of a good build; None when there are none to show."""
    output: bool = False
    """The filing has files in the temporary folder (written now or kept as unchanged), and
    ``summary`` describes them."""


@dataclass(frozen=True)
class Rebuilt:
    """What one refresh did, for the console and the pages that must reload."""

    keys: tuple[str, ...]
    seconds: float


class Preview:
    """Builds the project's filings into a temporary folder and remembers the last good ones."""

    def __init__(
        self,
        project: Project,
        *,
        builder: Builder | None = None,
        log: Callable[[str], None] = lambda line: None,
        debug: bool = False,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.project = project
        self.debug = debug
        self.today = today
        """The day the listing counts the business days left from."""
        self.log = log
        self.folder = Path(tempfile.mkdtemp(prefix="form8k-preview-"))
        self.builder = builder or project_builder(project)
        self.pdf_builder: Builder = builder or PdfProcess(project, temp=self.folder / "tmp")
        """Makes the PDFs, one build at a time: the builder given, or the project's build in
        a child process."""
        self.filings: dict[str, FilingState] = {}
        self.version = 0
        """Bumped by every refresh; the listing page reloads when it changes."""
        self.listeners: set[Callable[[Rebuilt], None]] = set()
        """Called after each refresh."""
        self.pdf_listeners: set[Callable[[int], None]] = set()
        """Called each time a PDF build asks for its turn, with the number of builds asking
        (itself included; the one being made is not): a test hook."""
        self.pdf_waiting = 0
        self._lock = asyncio.Lock()
        self._pdf_turn = asyncio.Lock()

    @property
    def root(self) -> Path:
        return self.project.root

    async def start_renderer(self) -> None:
        """Start the PDF renderer process ahead of the first PDF request (when there is one)."""
        if isinstance(self.pdf_builder, PdfProcess):
            await asyncio.to_thread(self.pdf_builder.start)

    def close(self) -> None:
        """Stop the PDF renderer; remove the temporary folder."""
        if isinstance(self.pdf_builder, PdfProcess):
            self.pdf_builder.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- HTML: every change -------------------------------------------------------------------

    async def refresh(self, changed: Iterable[Path] = ()) -> Rebuilt:
        """Rebuild the HTML of the filings that ``changed`` paths concern (all when none given),
        again while their files change under the build (see the module's note)."""
        async with self._lock:
            started = time.perf_counter()
            changed = list(changed)
            touched: dict[str, None] = {}  # in order: rebuilt, then gone
            removed: list[str] = []
            for rounds in range(1, MAX_ROUNDS + 1):
                folders = await asyncio.to_thread(find_filings, self.project.content)
                keys = {
                    folder.relative_to(self.project.content).as_posix(): folder
                    for folder in folders
                }
                gone = [key for key in self.filings if key not in keys]
                for key in gone:
                    del self.filings[key]
                removed.extend(gone)
                for key, folder in keys.items():
                    self.filings.setdefault(key, FilingState(key, folder))
                affected = self.affected(changed)
                if not affected:
                    break
                touched.update(dict.fromkeys(affected))
                states = [self.filings[key] for key in affected]
                before = await asyncio.to_thread(self._inputs, states)
                outcomes = await asyncio.to_thread(self._build_html, states, changed)
                after = await asyncio.to_thread(self._inputs, states)
                for state, outcome in zip(states, outcomes, strict=True):
                    self._update(state, outcome)
                moved = sorted(
                    path
                    for path in before.keys() | after.keys()
                    if before.get(path) != after.get(path)
                )
                if not moved:
                    break
                # Saved while the build ran: what it read, and so what it stamped, may be
                # either version. Build those filings again, trusting no stamp of theirs.
                self._forget_stamps(self.folder / "html", self.affected(moved))
                for path in moved:
                    self.log(f"changed {_shown(path, self.root)} during the build")
                if rounds == MAX_ROUNDS:
                    self.log("files keep changing: the next change builds them again")
                changed = moved
            self.version += 1
            touched.update(dict.fromkeys(key for key in removed if key not in self.filings))
            rebuilt = Rebuilt(tuple(touched), time.perf_counter() - started)
            for listener in list(self.listeners):
                listener(rebuilt)
            return rebuilt

    def affected(self, changed: Sequence[Path]) -> list[str]:
        """The filings a change concerns: all of them for a template, the project's
        form8k.yaml (rule severities) or an unplaced file."""
        if not changed:
            return list(self.filings)
        affected: set[str] = set()
        for path in changed:
            if path == self.root / CONFIG_FILE:
                return list(self.filings)
            hits = {
                key
                for key, state in self.filings.items()
                if path.is_relative_to(state.folder) or state.folder.is_relative_to(path.parent)
            }
            if not hits or path.is_relative_to(self.project.templates):
                return list(self.filings)
            affected |= hits
        return sorted(affected)

    def _inputs(self, states: Sequence[FilingState]) -> Inputs:
        """The state of every file a change of which concerns ``states`` (see ``affected``):
        the templates, form8k.yaml, each filing's folder and the files of the folders above
        it in content/."""
        found: Inputs = {}
        _note(found, self.root / CONFIG_FILE)
        for path in _files_below(self.project.templates):
            _note(found, path)
        content = self.project.content
        folders: set[Path] = set()
        for state in states:
            for path in _files_below(state.folder):
                _note(found, path)
            folder = state.folder
            while folder.is_relative_to(content) and folder not in folders:
                folders.add(folder)
                folder = folder.parent
        for folder in folders:
            with contextlib.suppress(OSError):
                for path in folder.iterdir():
                    _note(found, path)
        return found

    def _forget_stamps(self, out: Path, keys: Iterable[str]) -> None:
        """Remove the stamps of ``keys`` in ``out``: their next build builds them whatever the
        stamps said."""
        for key in keys:
            with contextlib.suppress(OSError):
                stamp_path(out, key).unlink(missing_ok=True)

    def _build_html(self, states: Sequence[FilingState], changed: Sequence[Path]) -> list[Outcome]:
        """Run the builder (in a worker thread); read back what it wrote."""
        out = self.folder / "html"
        report = self._run(self.builder, states, out=out, formats=HTML, changed=changed)
        if isinstance(report, list):
            if len(states) > 1:
                # One filing the builder refuses (say, a folder moved away) must not stop the rest.
                return [one for state in states for one in self._build_html([state], changed)]
            return [Outcome(report)]
        by_key = {result.key: result for result in report.results}
        outcomes: list[Outcome] = []
        for state in states:
            result = by_key.get(state.key)
            if result is None:
                problem = Problem(SourceLocation(state.folder), "the builder skipped this filing")
                outcomes.append(Outcome([problem]))
                continue
            problems = list(result.problems)
            summary = self._summary(state, result)
            files = None
            if result.ok:
                try:
                    files = {name: (out / state.key / name).read_bytes() for name in result.written}
                except OSError as error:
                    problems.append(
                        Problem(SourceLocation(state.folder), f"cannot read the build: {error}")
                    )
            outcomes.append(Outcome(problems, summary, files, result.ok and summary is not None))
        return outcomes

    def _summary(self, state: FilingState, result: FilingResult) -> Summary | None:
        """The summary of the filing as ``result`` leaves it.

        A skipped filing has no bundle: its files are those of the last build that wrote them,
        whose summary the state keeps; a filing this preview never wrote is loaded again.
        """
        if result.bundle is not None:
            return Summary.of(result.bundle)
        if not result.skipped:
            return None
        if state.written is not None:
            return state.written
        try:
            bundle = load_filing(state.folder, content=self.project.content, root=self.root)
        except (LoadError, OSError):
            return None
        return Summary.of(bundle)

    def _run(
        self,
        builder: Builder,
        states: Sequence[FilingState],
        *,
        out: Path,
        formats: Sequence[str],
        changed: Sequence[Path] = (),
    ) -> BuildReport | list[Problem]:
        """The builder's report, or the problems that stopped it: the preview never dies."""
        try:
            return builder([state.folder for state in states], out=out, formats=formats)
        except Form8kError as error:
            return error.problems or [Problem(SourceLocation(self.project.root), str(error))]
        except RendererStopped:
            raise
        except Exception as error:
            if self.debug:
                self.log(traceback.format_exc())
            where = changed[0] if changed else states[0].folder / "filing.yaml"
            return [
                Problem(SourceLocation(where), f"internal error: {type(error).__name__}: {error}")
            ]

    def _update(self, state: FilingState, outcome: Outcome) -> None:
        problems, summary, files = outcome.problems, outcome.summary, outcome.files
        state.version += 1
        state.problems = problems
        if summary is not None:
            state.summary = summary
        if outcome.output:
            state.written = summary
        if files is not None and not any(p.severity is Severity.ERROR for p in problems):
            state.files = files
            if summary is not None:
                state.good = summary
        for problem in problems:
            self.log(problem.display(self.root))
        errors, warnings = state.errors, state.warnings
        if errors:
            self.log(f"failed {state.key}: {_count(errors, 'error')}; showing the last good build")
        else:
            self.log(f"built  {state.key}" + (f" ({_count(warnings, 'warning')})" * bool(warnings)))

    # --- PDF: on request ----------------------------------------------------------------------

    async def pdf(self, state: FilingState) -> tuple[dict[str, bytes], list[Problem]]:
        """The filing's PDFs at its current version (made now unless cached), and their problems.

        One build per filing at a time (the requests that come meanwhile get its PDFs), and one
        PDF build at a time whatever the filing (``pdf_builder`` is never called twice at once).
        """
        async with state.pdf_lock:
            if state.pdf_version != state.version:
                if not state.current:
                    return {}, state.problems
                version = state.version
                async with self._renderer():
                    files, problems, keep = await asyncio.to_thread(self._build_pdf, state)
                if not keep:
                    return files, problems
                state.pdf_files, state.pdf_problems = files, problems
                state.pdf_version = version
            return state.pdf_files, state.pdf_problems

    @contextlib.asynccontextmanager
    async def _renderer(self) -> AsyncIterator[None]:
        """The PDF builder's turn: wait for the build before to end."""
        self.pdf_waiting += 1
        try:
            for listener in list(self.pdf_listeners):
                listener(self.pdf_waiting)
            await self._pdf_turn.acquire()
        finally:
            self.pdf_waiting -= 1
        try:
            yield
        finally:
            self._pdf_turn.release()

    def _build_pdf(self, state: FilingState) -> tuple[dict[str, bytes], list[Problem], bool]:
        """The PDFs of ``state`` and their problems, and whether to keep them: not when the
        renderer stopped, nor when the filing's files changed while they were made."""
        out = self.folder / "pdf"
        before = self._inputs([state])
        try:
            report = self._run(self.pdf_builder, [state], out=out, formats=PDF)
        except RendererStopped as error:
            return {}, [Problem(SourceLocation(state.folder / "filing.yaml"), str(error))], False
        keep = self._inputs([state]) == before
        if not keep:
            self._forget_stamps(out, [state.key])
        if isinstance(report, list):
            return {}, report, keep
        for result in report.results:
            if result.key == state.key and result.ok:
                try:
                    return (
                        {name: (out / state.key / name).read_bytes() for name in result.written},
                        list(result.problems),
                        keep,
                    )
                except OSError as error:
                    problem = Problem(SourceLocation(state.folder), f"cannot read PDF: {error}")
                    return {}, [problem], False
            if result.key == state.key:
                return {}, list(result.problems), keep
        problem = Problem(SourceLocation(state.folder), "the builder skipped this filing")
        return {}, [problem], keep


def _files_below(folder: Path) -> Iterator[Path]:
    """Every file in ``folder`` and the folders below it (none for a folder gone)."""
    for parent, _, names in os.walk(folder):
        for name in names:
            yield Path(parent, name)


def _note(found: Inputs, path: Path) -> None:
    """Add the state of file ``path`` (nothing for a folder or a file gone)."""
    try:
        stat = path.stat()
        if not S_ISREG(stat.st_mode):
            return
        digest = b""
        if stat.st_size <= HASHED_BYTES:
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    except OSError:
        return
    found[path] = (stat.st_size, stat.st_mtime_ns, stat.st_ino, digest)


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"
