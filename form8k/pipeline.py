"""build(project, out, ...) -> report: the run over every filing. Light to import.

For each selected filing: compare its fingerprint with the last build's stamp and skip it when
nothing changed; otherwise load, check, render, print and write it (``form8k.builder``), in
this process or in worker processes that each set up the renderer once. A filing with an error
is reported and skipped; the others still build. Results come back in the filings' order,
whatever the number of workers.

A filing that changed is built again, but a document of it whose HTML is what its PDF was
printed from keeps that PDF (``form8k.builder``): an edit of a press release prints that
exhibit only. When a single filing is to be built and another core is free, a print process
starts at once and sets the renderer up (WeasyPrint, the fonts, the stylesheet) while this one
loads, renders and checks the filing.

A build that writes holds the output folder's lock (``.form8k-build/lock``): a second build into
the same folder stops with a message naming the first. It then removes what a killed build left
(hidden temporary folders), and at the end the outputs of this project's filings whose content
is gone, never another project's. An OS error (a full disk, a read-only folder, a name too
long) fails the filing it concerns, naming the path; the other filings still build. Worker
processes end when the build's process does, even when it is killed.

With a shard (``--shard K/N``) a build makes its share of the filings only (``form8k.shard``),
removes nothing, and records which filings it was given (``.form8k-build/shard.json``) for
``form8k merge``.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import hashlib
import json
import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from form8k import __version__
from form8k.errors import OutputBusy, Problem, Severity, SourceLocation, UsageError
from form8k.fingerprint import (
    CHANGED,
    Entry,
    Hasher,
    Inputs,
    Listing,
    Stamp,
    _library_versions,
    code_digest,
    config_inputs,
    digest_bytes,
    filing_inputs,
    fingerprint,
    is_print_input,
    problem_records,
    signature,
    template_inputs,
    unchanged,
)
from form8k.fontcover import coverage
from form8k.project import FILING_FILE, Project, check_out, select
from form8k.results import BuildReport, FilingResult
from form8k.stack import with_room
from form8k.write import (
    OutputBusyError,
    holder_info,
    output_lock,
    remove_leftovers,
    write_file,
    write_filing,
)

if TYPE_CHECKING:
    from form8k.builder import FilingBuilder, Previous
    from form8k.config import Config
    from form8k.efm import EdgarSetup
    from form8k.pdf import PrintDocument, PrintedFiling, Reused
    from form8k.review.draft import DraftMark
    from form8k.shard import Shard

__all__ = ["FORMATS", "BuildReport", "FilingResult", "Project", "build"]

FORMATS = ("html", "pdf")
STAMPS = ".form8k-build"
"""Folder of output/ holding the build's records: each filing's stamp (``stamps/<filing>.json``)
and the lock. No filing folder at the top of content/ may have this name."""
LOCK = "lock"
SHARD_RECORD = "shard.json"
"""In a shard's output folder (``.form8k-build/shard.json``): the shard, and what became of
each filing it was given; ``form8k merge`` reads it and never copies it."""

#: Called as each filing finishes: (its result, how many are done, how many in all).
Progress = Callable[[FilingResult, int, int], None]

#: The longest file name most file systems take (bytes).
NAME_MAX = 255


def stamp_path(out: Path, key: str) -> Path:
    """Where a filing's stamp is; a name too long for a file name is shortened, made unique by
    its digest (the stamp records the filing's name)."""
    *parents, name = key.split("/")
    if len(f"{name}.json".encode()) > NAME_MAX:
        short = name.encode()[:96].decode(errors="ignore")
        name = f"{short}~{hashlib.sha256(name.encode()).hexdigest()[:16]}"
    return out.joinpath(STAMPS, "stamps", *parents, f"{name}.json")


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def build(
    project: Project,
    *,
    out: Path,
    paths: Sequence[Path] = (),
    formats: Iterable[str] = FORMATS,
    strict: bool = False,
    write: bool = True,
    force: bool = False,
    jobs: int = 1,
    progress: Progress | None = None,
    edgar: EdgarSetup | None = None,
    shard: Shard | None = None,
    draft: DraftMark | None = None,
) -> BuildReport:
    """Build the selected filings of ``project`` into ``out``/<filing>/.

    Filings whose fingerprint matches their last build are skipped (not with ``force``). With
    ``write=False`` every filing is loaded, checked and rendered, and nothing is written: that
    is ``check``. ``jobs`` > 1 builds in that many worker processes. With ``edgar``, each
    filing also passes the SEC's own validation (EDGAR's plugin for Arelle) or fails. With
    ``shard``, only that shard's share of the selected filings is built, nothing is removed,
    and the shard's record is written for ``form8k merge``. With ``draft`` (``build --draft``),
    every page of the PDFs carries the draft mark and the manifest records it, so that
    ``package`` and ``submit`` refuse the output; the HTML is as filed.
    """
    out = check_out(project, out)
    selection = select(project, paths)
    folders = selection.folders
    if shard is not None:
        from form8k import shard as sharding

        folders = sharding.select(folders, [project.key(f) for f in folders], shard)
    notices = [_link_notice(link) for link in selection.links]
    run = _Run(project, out, folders, formats, strict, write, force, jobs, edgar, draft)
    if not write:
        report = run.go(progress)
    else:
        with _locked(project, out, folders):
            record = out / STAMPS / SHARD_RECORD
            with contextlib.suppress(OSError):  # an earlier shard's record: not of this build
                record.unlink()
            report = run.go(progress)
            if shard is not None:
                notices += _record_shard(project, record, shard, report, whole=not paths)
            elif not paths:
                report.removed, problems = _remove_orphans(project, out)
                notices += problems
    report.notices = notices + report.notices
    return report


def _record_shard(
    project: Project, path: Path, shard: Shard, report: BuildReport, *, whole: bool
) -> list[Problem]:
    """Write the shard's record: which shard, of which project (all of it, or some folders),
    and each filing's outcome."""
    data = {
        "shard": f"{shard.index}/{shard.count}",
        "project": str(project.root),
        "whole": whole,
        "filings": {
            result.key: "kept" if result.skipped else ("built" if result.ok else "failed")
            for result in report.results
        },
    }
    try:
        write_file(path, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode())
    except OSError as error:
        return [os_problem(error, path, "record the shard (form8k merge needs it)")]
    return []


def _link_notice(link: Path) -> Problem:
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    return Problem(
        SourceLocation(link),
        f"a link to a folder ({target}), not built: links are not followed in content/; "
        "move the filing's folder here instead",
        Severity.WARNING,
        "linked-folder",
    )


class _Run:
    """One build's selection and options; ``go`` makes the report."""

    def __init__(
        self,
        project: Project,
        out: Path,
        folders: list[Path],
        formats: Iterable[str],
        strict: bool,
        write: bool,
        force: bool,
        jobs: int,
        edgar: EdgarSetup | None,
        draft: DraftMark | None = None,
    ) -> None:
        self.project, self.out, self.folders = project, out, folders
        self.draft = draft
        self.chosen = sorted(set(formats))
        self.strict, self.write, self.force, self.jobs, self.edgar = (
            strict,
            write,
            force,
            jobs,
            edgar,
        )

    def go(self, progress: Progress | None) -> BuildReport:
        project, out, folders = self.project, self.out, self.folders
        options: dict[str, object] = {"formats": self.chosen, "edgar": self.edgar is not None}
        if self.draft is not None:  # a draft is built again when its version changes
            options["draft"] = self.draft.fingerprint()
        code = code_digest()
        # One look at each shared file and folder for the whole comparison.
        hasher = Hasher(project.root, memo=True)
        listing = Listing()
        results: dict[Path, FilingResult] = {}
        todo: list[Path] = []
        service: _PrintProcess | None = None
        try:
            for folder in folders:
                key = project.key(folder)
                stamp = Stamp.read_file(stamp_path(out, key)) if self.write else None
                refused = _refusal(project, out, folder, key, stamp)
                if refused is not None:
                    results[folder] = refused
                    continue
                if self.force:
                    stamp = None
                if (
                    stamp is not None
                    and unchanged(
                        project,
                        folder,
                        stamp,
                        hasher,
                        options=options,
                        code=code,
                        listing=listing,
                    )
                    and stamp.outputs_intact(out / key, stamp_path(out, key))
                ):
                    results[folder] = FilingResult(
                        key,
                        written=list(stamp.outputs),
                        problems=stamp.problem_objects(project.root),
                        skipped=True,
                    )
                    continue
                todo.append(folder)
                if len(todo) == 1 and self._print_aside():
                    # Likely the one filing to build: its renderer sets up meanwhile.
                    with contextlib.suppress(OSError):  # else printed here, as ever
                        service = _PrintProcess(project)
                elif service is not None:
                    service.close()
                    service = None
            done = len(results)
            if progress:
                for number, folder in enumerate(f for f in folders if f in results):
                    progress(results[folder], number + 1, len(folders))
            if todo:
                # form8k.yaml is hashed before it is read: a save while the build runs shows.
                config_taken = {
                    path: Hasher(project.root).entry(path, settle=True)
                    for path in config_inputs(project)
                }
                config = _load_config(project)
                task = _Task(
                    project,
                    out,
                    set(self.chosen),
                    config,
                    self.strict,
                    self.write,
                    options,
                    self.edgar,
                    config_taken,
                    code,
                    reuse=not self.force and self.draft is None,
                    service=service,
                    draft=self.draft,
                )
                workers = max(1, min(self.jobs, len(todo)))
                for result in _run(task, todo, workers):
                    folder = project.content / result.key
                    results[folder] = result
                    done += 1
                    if progress:
                        progress(result, done, len(folders))
            if self.write:
                self._vouch([results[folder] for folder in todo])
        finally:
            if service is not None:
                service.close()
        return BuildReport([results[folder] for folder in folders], out)

    def _vouch(self, built: list[FilingResult]) -> None:
        """Have the stamps of the filings built vouch for their outputs (those written long
        enough ago), so that the next build need not read them back."""
        for result in built:
            if not result.ok:
                continue
            path = stamp_path(self.out, result.key)
            stamp = Stamp.read_file(path)
            if stamp is not None:
                stamp.vouch(self.out / result.key, path)

    def _print_aside(self) -> bool:
        """Whether a filing's PDFs are best printed in a process of their own while this one
        does the rest: when PDFs are made and a second core is allowed (``jobs``)."""
        return (
            self.write
            and "pdf" in self.chosen
            and self.jobs >= 2
            and os.name == "posix"
            and self.draft is None  # a draft's marks are drawn by this process's renderer
        )


def _refusal(
    project: Project, out: Path, folder: Path, key: str, stamp: Stamp | None
) -> FilingResult | None:
    """A failed result for a filing that must not be built into ``out``, else None."""
    if key.split("/")[0] == STAMPS:
        problem = Problem(
            SourceLocation(folder / FILING_FILE),
            f"a filing folder at the top of {project.content.name}/ may not be named {STAMPS}: "
            f"the build keeps its records in the output folder's {STAMPS}/; rename the folder",
        )
        return FilingResult(key, problems=[problem])
    if stamp is not None and _foreign(stamp, project):
        problem = Problem(
            SourceLocation(out / key),
            f"holds the output of another project ({stamp.project}), left as it is: build "
            "this project into another folder (--out)",
        )
        return FilingResult(key, problems=[problem])
    return None


def _ours(stamp: Stamp, project: Project) -> bool:
    """Whether this project's builds made the stamp."""
    if stamp.project is None:
        return False
    return stamp.project == str(project.root) or Path(stamp.project).resolve() == (
        project.root.resolve()
    )


def _foreign(stamp: Stamp, project: Project) -> bool:
    """Whether a stamp is of another project that still exists (a moved project's is not)."""
    if stamp.project is None or _ours(stamp, project):
        return False
    return (Path(stamp.project) / "content").is_dir()


@contextlib.contextmanager
def _locked(project: Project, out: Path, folders: Sequence[Path]) -> Iterator[None]:
    """Hold the output folder's lock; the first holder removes what killed builds left."""
    lock = output_lock(
        out / STAMPS / LOCK,
        holder_info(project.root),
        first=lambda: _remove_leftovers(project, out, folders),
    )
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(lock)
        except OutputBusyError as busy:
            raise OutputBusy([_busy_problem(out, busy.holder)]) from None
        except OSError as error:
            raise OutputBusy([os_problem(error, out, "write into the output folder")]) from None
        yield


def _busy_problem(out: Path, holder: dict[str, object]) -> Problem:
    who = []
    if holder.get("pid"):
        who.append(f"process {holder['pid']}")
    if holder.get("command"):
        who.append(f"`{holder['command']}`")
    if holder.get("project"):
        who.append(f"building {holder['project']}")
    if holder.get("started"):
        who.append(f"since {holder['started']}")
    other = ", ".join(who) or "one that has just started"
    return Problem(
        SourceLocation(out),
        f"another build is writing into this output folder ({other}): wait for it to finish, "
        "or build into another folder with --out",
    )


def _stamped(out: Path) -> dict[str, Path]:
    """Every stamp under ``out``, by the name of the filing it is of."""
    stamps = out / STAMPS / "stamps"
    found: dict[str, Path] = {}
    for path in sorted(stamps.rglob("*.json")) if stamps.is_dir() else []:
        if path.name.startswith("."):
            continue
        key = path.relative_to(stamps).with_suffix("").as_posix()
        if "~" in path.name:  # a shortened name: the stamp says whose it is
            stamp = Stamp.read_file(path)
            if stamp is None or stamp.key is None:
                continue
            key = stamp.key
        found[key] = path
    return found


def _remove_leftovers(project: Project, out: Path, folders: Sequence[Path]) -> None:
    """Remove the hidden temporary folders and files killed builds left beside filings' outputs
    and stamps. Nothing else is touched: only names made beside a filing's output folder."""
    keys = {project.key(folder) for folder in folders} | set(_stamped(out))
    beside: dict[Path, set[str]] = {}
    for key in keys:
        target = out / key
        beside.setdefault(target.parent, set()).add(target.name)
    for parent, names in beside.items():
        remove_leftovers(parent, names)
    stamps = out / STAMPS / "stamps"
    if stamps.is_dir():
        for folder, _, _ in os.walk(stamps):
            remove_leftovers(Path(folder))


def _remove_orphans(project: Project, out: Path) -> tuple[list[str], list[Problem]]:
    """Remove the outputs of this project's filings whose folder is gone from content/.

    Only folders this project's builds stamped are touched; nothing else in ``out`` is, and
    never another project's outputs (a shared ``--out``).
    """
    removed: list[str] = []
    problems: list[Problem] = []
    for key, path in _stamped(out).items():
        if key.split("/")[0] == STAMPS or (project.content / key / FILING_FILE).is_file():
            continue
        stamp = Stamp.read_file(path)
        if stamp is None or not _ours(stamp, project):
            continue
        if remove_output(out, key, path, problems):
            removed.append(key)
    return removed, problems


def remove_output(out: Path, key: str, stamp: Path, problems: list[Problem]) -> bool:
    """Remove the output folder of the filing ``key`` from ``out``, then its ``stamp``; whether
    both went (else a warning in ``problems`` says what stayed)."""
    failures: list[OSError] = []
    target = out / key
    if target.is_dir() and not target.is_symlink():
        _rmtree(target, failures)
    if failures:
        problems.append(
            os_problem(
                failures[0], target, "remove the output of a deleted filing", Severity.WARNING
            )
        )
        return False
    try:
        stamp.unlink()
    except OSError as error:
        problems.append(
            os_problem(error, stamp, "remove the stamp of a deleted filing", Severity.WARNING)
        )
        return False
    return True


def _rmtree(folder: Path, failures: list[OSError]) -> None:
    def failed(function: object, path: str, info: tuple[type, BaseException, object]) -> None:
        error = info[1]
        if isinstance(error, OSError):
            if error.filename is None:
                error.filename = path
            failures.append(error)

    shutil.rmtree(folder, onerror=failed)


#: What to suggest, by errno, after an OS error's own words.
_HINTS = {
    errno.ENOSPC: "free some space",
    errno.EDQUOT: "free some space",
    errno.EROFS: "the file system is read-only: build into another folder with --out",
    errno.EACCES: "check the folder's permissions, or build into another folder with --out",
    errno.EPERM: "check the folder's permissions, or build into another folder with --out",
    errno.ENAMETOOLONG: "the name is too long for the file system: shorten the filing folder's "
    "name",
}


def os_problem(
    error: OSError, fallback: Path, doing: str, severity: Severity = Severity.ERROR
) -> Problem:
    """An OS error as a problem at the path it concerns: what failed, why, what to do."""
    path = Path(os.fsdecode(error.filename)) if error.filename else fallback
    reason = error.strerror or str(error)
    code = errno.errorcode.get(error.errno or 0)
    hint = _HINTS.get(error.errno or 0)
    message = f"cannot {doing}: {reason}" + (f" ({code})" if code else "")
    return Problem(SourceLocation(path), message + (f"; {hint}" if hint else ""), severity)


def _load_config(project: Project) -> Config:
    from form8k.config import load_config
    from form8k.load import LoadError

    try:
        return load_config(project.root)
    except LoadError as error:
        raise UsageError(error.problems) from None


#: One lock per filing output folder, for builds in threads of one process (the preview's).
_TARGETS: dict[Path, threading.Lock] = {}
_TARGETS_GUARD = threading.Lock()


def _target_lock(target: Path) -> threading.Lock:
    with _TARGETS_GUARD:
        return _TARGETS.setdefault(target, threading.Lock())


class _Task:
    """What every filing of one run is built with; sent once to each worker."""

    def __init__(
        self,
        project: Project,
        out: Path,
        formats: set[str],
        config: Config,
        strict: bool,
        write: bool,
        options: dict[str, object],
        edgar: EdgarSetup | None = None,
        config_taken: dict[Path, Entry] | None = None,
        code: str | None = None,
        *,
        reuse: bool = True,
        service: _PrintProcess | None = None,
        draft: DraftMark | None = None,
    ) -> None:
        self.project = project
        self.edgar = edgar
        self.out = out
        self.formats = formats
        self.config = config
        self.strict = strict
        self.write = write
        self.options = options
        self.config_taken = config_taken or {}
        """form8k.yaml as it was hashed before the run read it."""
        self.code = code
        """The digest of form8k's code the run started with."""
        self.reuse = reuse
        """Whether a document whose HTML is what its PDF was printed from keeps that PDF."""
        self.service = service
        """The print process of this run (one filing, in this process), if any."""
        self.draft = draft
        """The draft mark of a ``build --draft``: on every page of the PDFs."""
        self._builder: FilingBuilder | None = None
        self._hasher: Hasher | None = None
        self._templates_taken: dict[Path, Entry] = {}

    def __getstate__(self) -> dict[str, object]:
        return {
            **self.__dict__,
            "_builder": None,
            "_hasher": None,
            "_templates_taken": {},
            "service": None,
        }

    @property
    def hasher(self) -> Hasher:
        """One per process and run: shared files (templates, fonts) are hashed once."""
        if self._hasher is None:
            self._hasher = Hasher(self.project.root)
        return self._hasher

    def builder(self) -> FilingBuilder:
        """The filing builder of this run: made once per process, and kept for the next run in
        the same process (the preview server's) while the templates and options are the same.

        The template folder is hashed before the builder reads it; those digests are what the
        stamps record for the templates."""
        if self._builder is not None:
            return self._builder
        if self.service is not None:
            # PDFs printed by the run's print process: a builder of this run only.
            self._templates_taken = self._take_templates()
            self._builder = self._new_builder(self.service)
            return self._builder
        key = (
            self.project.root,
            tuple(sorted(self.formats)),
            tuple(sorted((rule, str(level)) for rule, level in self.config.severities.items())),
            self.edgar,
        )
        cached = _BUILDERS.get(key)
        if cached is None or not _unchanged(cached[0], template_inputs(self.project)):
            if len(_BUILDERS) >= MAX_CACHED_BUILDERS:
                _BUILDERS.clear()
            cached = _BUILDERS[key] = (self._take_templates(), self._new_builder())
        self._templates_taken, self._builder = cached
        return self._builder

    def _take_templates(self) -> dict[Path, Entry]:
        """The template folder's files, hashed before the builder reads them."""
        hasher = self.hasher
        return {path: hasher.entry(path, settle=True) for path in template_inputs(self.project)}

    def _new_builder(self, service: _PrintProcess | None = None) -> FilingBuilder:
        from form8k.builder import FilingBuilder
        from form8k.render import RenderError

        self._check_print_files()
        try:
            builder = FilingBuilder(
                self.project,
                formats=self.formats,
                config=self.config,
                edgar=self.edgar,
                service=service,
            )
            builder.renderer.compile_all()  # a broken template stops the run here, once
        except RenderError as error:
            raise UsageError([error.problem]) from None
        # What is loaded by now (libraries, templates, fonts) lives as long as the process:
        # keeping it out of the garbage collector's scans makes each filing about 5% cheaper.
        gc.freeze()
        return builder

    def check_templates(self) -> None:
        """Check the template folder here, once, so that a broken one stops the run early.

        Every template is compiled and the style table and print stylesheet are found; the
        workers then meet no error of the template folder's own.
        """
        from form8k.render import Renderer, RenderError

        try:
            Renderer(self.project.templates).compile_all()
        except RenderError as error:
            raise UsageError([error.problem]) from None
        self._check_print_files()

    def _check_print_files(self) -> None:
        """The print stylesheet and the files it names are there (when PDFs are made)."""
        css = self.project.templates / "print.css"
        if "pdf" in self.formats and not css.is_file():
            raise UsageError([Problem(SourceLocation(css), "the print stylesheet is missing")])
        if "pdf" in self.formats:
            missing = [
                Problem(SourceLocation(css, line), f"{url!r} is missing: the PDFs need it")
                for line, url in _stylesheet_files(css)
                if not (css.parent / url).is_file()
            ]
            if missing:
                raise UsageError(missing)

    def __call__(self, folder: Path) -> FilingResult:
        """Build one filing; write it (and its stamp) unless it has a fatal problem.

        An OS error fails this filing only, naming its path; so does an internal error (a
        bug), whose traceback the result keeps."""
        key = self.project.key(folder)
        try:
            return with_room(self._make, folder, key)
        except OSError as error:
            return FilingResult(key, problems=[os_problem(error, folder, "build the filing")])
        except UsageError:
            raise  # a broken template folder: the run stops, once
        except Exception as error:
            return crashed(folder, key, error)

    def _make(self, folder: Path, key: str) -> FilingResult:
        target = self.out / key
        builder = self.builder()
        inputs = Inputs(self.hasher, {**self._templates_taken, **self.config_taken})
        inputs.take(filing_inputs(self.project, folder))
        previous = self._previous(key, target) if self.reuse else None
        result, files = builder.make(
            folder, target, inputs=inputs, previous=previous, draft=self.draft
        )
        fatal = {Severity.ERROR, Severity.WARNING} if self.strict else {Severity.ERROR}
        if files is None or any(problem.severity in fatal for problem in result.problems):
            return result
        record = fingerprint(
            self.project,
            folder,
            self.hasher,
            options=self.options,
            extra=result.inputs,
            inputs=inputs,
            code=self.code,
        )
        digests = record["inputs"]
        assert isinstance(digests, dict)
        result.changed = [
            self.hasher.root / name for name, digest in digests.items() if digest == CHANGED
        ]
        if self.write:
            if _build_gone():
                _exit(1)  # the build was killed: write nothing more
            with _target_lock(target):
                try:
                    write_filing(target, files)
                except OSError as error:
                    result.problems.append(
                        os_problem(
                            error, target, "write the filing's output (the previous output is kept)"
                        )
                    )
                    return result
                stamp = Stamp(
                    record,
                    sorted(files),
                    problem_records(result.problems, self.project.root),
                    project=str(self.project.root),
                    key=key,
                    hashes={name: digest_bytes(data) for name, data in files.items()},
                    documents=result.documents,
                )
                path = stamp_path(self.out, key)
                try:
                    write_file(path, stamp.to_bytes())
                except OSError as error:
                    result.problems.append(
                        os_problem(
                            error, path, "record the build (the filing is built again next time)"
                        )
                    )
        result.written = sorted(files)
        return result

    def _previous(self, key: str, target: Path) -> Previous | None:
        """The last build's record of a filing when its PDFs may be used again: a stamp of
        this project with records of its documents, made by the same code and libraries from
        the print stylesheet and fonts (every file of the template folder but the Jinja
        templates) as they are now, none saved while it was built."""
        if not self.write or "pdf" not in self.formats:
            return None
        stamp = Stamp.read_file(stamp_path(self.out, key))
        if stamp is None or not stamp.documents or not _ours(stamp, self.project):
            return None
        made = stamp.fingerprint
        options = made.get("options")
        if not isinstance(options, dict) or "draft" in options:
            return None  # a draft's PDFs carry its mark
        if (
            made.get("form8k") != __version__
            or made.get("code") != (self.code or code_digest())
            or made.get("libraries") != _library_versions()
        ):
            return None
        templates = self.hasher.name(self.project.templates)
        recorded = made.get("inputs")
        if not isinstance(recorded, dict):
            return None
        before = {n: d for n, d in recorded.items() if is_print_input(n, templates)}
        now = {
            name: digest
            for name, digest in (
                (self.hasher.name(path), entry[1]) for path, entry in self._templates_taken.items()
            )
            if is_print_input(name, templates)
        }
        if before != now:
            return None
        from form8k.builder import Previous

        return Previous(stamp, target, self.hasher)


def crashed(folder: Path, key: str, error: BaseException) -> FilingResult:
    """The result of a filing an internal error (a bug) stopped."""
    problem = Problem(
        SourceLocation(folder / FILING_FILE),
        f"internal error: {type(error).__name__}: {error} (a bug in form8k; the other filings "
        "are built)",
    )
    import traceback

    trace = "".join(traceback.format_exception(error))
    return FilingResult(key, problems=[problem], internal=trace)


def _unchanged(taken: dict[Path, Entry], paths: list[Path]) -> bool:
    """Whether ``paths`` are the files ``taken`` hashed, each with the same signature."""
    return set(paths) == set(taken) and all(signature(p) == taken[p][0] for p in paths)


def _stylesheet_files(css: Path) -> list[tuple[int, str]]:
    """(line, relative URL) of every file the print stylesheet names (its fonts)."""
    import re

    found = []
    for number, line in enumerate(css.read_text(encoding="utf-8").splitlines(), start=1):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", line):
            if ":" not in url:
                found.append((number, url))
    return found


#: Builders kept between runs in one process, by project and options, with the template files
#: they were made from as hashed then (a changed folder gets a new builder).
_BUILDERS: dict[tuple[object, ...], tuple[dict[Path, Entry], FilingBuilder]] = {}
MAX_CACHED_BUILDERS = 4


# --- Worker processes that end with the build --------------------------------------------------

PR_SET_PDEATHSIG = 1

_WORKER_TASK: _Task | None = None
_BUILD_PROCESS: int | None = None
"""In a worker: the build's process id."""
_BUILD_HANDLE: int | None = None
"""In a worker: a pidfd of the build's process (Linux), readable once it has ended."""


def _die_with_parent() -> None:
    """Have the kernel kill this process when the one (thread) that started it ends (Linux)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _in_forkserver() -> bool:
    """Whether this module is being imported by multiprocessing's fork server (to preload it)."""
    frame = sys._getframe()
    while frame is not None:
        if frame.f_code.co_name == "main" and (
            frame.f_globals.get("__name__") == "multiprocessing.forkserver"
        ):
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


if _in_forkserver():
    # The fork server forks the workers; it ends with the build, and they end with it.
    _die_with_parent()


def _watch_build(pid: int) -> None:
    """End this worker when the build's process ``pid`` ends (a killed build leaves none)."""
    global _BUILD_PROCESS, _BUILD_HANDLE
    _BUILD_PROCESS = pid
    _die_with_parent()  # killed with the fork server
    try:
        _BUILD_HANDLE = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):
        _BUILD_HANDLE = None

    def watch() -> None:
        import select
        import time

        if _BUILD_HANDLE is not None:
            select.select([_BUILD_HANDLE], [], [])
            _exit(1)
        while not _build_gone():
            time.sleep(0.2)
        _exit(1)

    threading.Thread(target=watch, name="form8k-build-watch", daemon=True).start()


def _exit(code: int) -> None:
    """End this (worker or print) process at once, its renderers' font folders removed first
    (``os._exit`` runs no exit hook)."""
    with contextlib.suppress(Exception):
        pdf = sys.modules.get("form8k.pdf")
        if pdf is not None:
            pdf.remove_font_folders()
    os._exit(code)


def _build_gone() -> bool:
    """In a worker: whether the build's process has ended (False anywhere else)."""
    if _BUILD_PROCESS is None:
        return False
    if _BUILD_HANDLE is not None:
        import select

        return bool(select.select([_BUILD_HANDLE], [], [], 0)[0])
    try:
        os.kill(_BUILD_PROCESS, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


# --- A print process for a build of one filing -------------------------------------------------


def _can_fork() -> bool:
    """Whether the print process may be forked from this one: a process with no other thread
    that has never printed (Pango's and GLib's own threads, which ``threading`` does not count,
    could hold a lock the child would then wait on forever)."""
    return hasattr(os, "fork") and threading.active_count() == 1 and "weasyprint" not in sys.modules


class _PrintProcess:
    """Prints one build's PDFs in a process of its own, started as soon as the build knows that
    it has a filing to make: the renderer's set-up there (WeasyPrint's import, the fonts, the
    stylesheet) overlaps the loading, rendering and checking here, and the checks overlap the
    printing; this process joins the combined PDF. The print process is forked when this
    process has no other thread and has never printed, else started afresh; it ends with the
    build (even a killed one)."""

    def __init__(self, project: Project) -> None:

        self.templates = project.templates
        # The print process's temporary files (WeasyPrint's copies of the fonts) go here; this
        # process removes it once the print process has ended, even killed.
        from form8k.pdf import temporary_folder

        self.temp = temporary_folder("print")
        requests, request_end = os.pipe()
        answer_end, answers = os.pipe()
        self.pid: int = 0
        self.process: Any = None
        try:
            if _can_fork():
                self.pid = self._fork(project, requests, answers, request_end, self.temp)
            else:
                self.process = self._spawn(project, requests, answers, self.temp)
        except BaseException:
            for end in (request_end, answer_end):
                os.close(end)
            shutil.rmtree(self.temp, ignore_errors=True)
            raise
        finally:
            os.close(requests)
            os.close(answers)
        from multiprocessing.connection import Connection

        self.requests = Connection(request_end, readable=False)
        self.answers = Connection(answer_end, writable=False)
        self.busy = False
        self.status: int | None = None

    @staticmethod
    def _fork(project: Project, requests: int, answers: int, request_end: int, temp: str) -> int:
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the print process: never back into the caller's code
            try:
                os.close(request_end)
                quiet = os.open(os.devnull, os.O_RDWR)
                for descriptor in (0, 1, 2):
                    os.dup2(quiet, descriptor)
                _serve_prints(requests, answers, parent, project.templates, project.root, temp)
            finally:
                _exit(0)
        return pid

    @staticmethod
    def _spawn(project: Project, requests: int, answers: int, temp: str) -> Any:
        import subprocess

        package = Path(__file__).resolve().parent.parent  # the form8k this process runs
        code = (
            "import sys; sys.path.insert(0, sys.argv[1]); "
            "from form8k.pipeline import _print_main; _print_main()"
        )
        arguments = [package, requests, answers, os.getpid(), project.templates, project.root, temp]
        return subprocess.Popen(
            [sys.executable, "-c", code, *map(str, arguments)],
            pass_fds=(requests, answers),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def submit(
        self,
        documents: list[PrintDocument],
        files: dict[str, bytes],
        title: str,
        reuse: dict[str, Reused],
    ) -> _PrintAnswer:
        if self.busy:  # an earlier job was given up: its answer would come first
            raise RuntimeError("the print process is busy")
        self.busy = True
        try:
            self.requests.send((documents, files, title, reuse, coverage(self.templates)))
        except OSError as error:
            raise RuntimeError(f"the print process ended early ({error})") from None
        return _PrintAnswer(self, documents, title)

    def ended(self) -> int | None:
        """The print process's exit status once it has ended (None while it runs)."""
        if self.status is None:
            if self.process is not None:
                self.status = self.process.poll()
            else:
                with contextlib.suppress(ChildProcessError):
                    pid, status = os.waitpid(self.pid, os.WNOHANG)
                    if pid:
                        self.status = os.waitstatus_to_exitcode(status)
        return self.status

    def close(self) -> None:
        """End the process (at once: a job not waited for is of no use), and remove its
        temporary files."""
        for connection in (self.requests, self.answers):
            with contextlib.suppress(OSError):
                connection.close()
        try:
            self._end()
        finally:
            shutil.rmtree(self.temp, ignore_errors=True)

    def _end(self) -> None:
        if self.ended() is not None:
            return
        if self.process is not None:
            self.process.kill()
            self.status = self.process.wait()
            return
        import signal

        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            self.status = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])


class _PrintAnswer:
    """The answer of the print process to one filing, joined into the combined PDF here."""

    def __init__(self, service: _PrintProcess, documents: list[PrintDocument], title: str) -> None:
        self.service, self.documents, self.title = service, documents, title

    def result(self) -> PrintedFiling:
        import pikepdf  # noqa: F401  (loaded while the print process prints)

        from form8k.pdf import join_filing

        try:
            kind, value = self.service.answers.recv()
        except (EOFError, OSError):
            raise RuntimeError(
                f"the print process ended unexpectedly (exit status {self.service.ended()})"
            ) from None
        self.service.busy = False
        if kind == "ok":
            return join_filing(self.documents, value, self.title)
        if kind == "usage":
            raise UsageError(value)
        raise RuntimeError(f"in the print process: {value}")

    def cancel(self) -> None:
        self.service.close()


def _print_main() -> None:
    """The print process, started afresh (``python -c``): its arguments are the form8k it
    runs, its two pipes, the build's process, the templates and the project."""
    requests, answers, build_process = (int(arg) for arg in sys.argv[2:5])
    templates, root, temp = Path(sys.argv[5]), Path(sys.argv[6]), sys.argv[7]
    _serve_prints(requests, answers, build_process, templates, root, temp)
    _exit(0)


def _serve_prints(
    requests_fd: int, answers_fd: int, build_process: int, templates: Path, root: Path, temp: str
) -> None:
    """Set the renderer up, then print each filing sent on ``requests_fd`` (not joining its
    combined PDF) until the build closes it.

    Requests are read as they come, by a thread of their own, so that the build never waits on
    a full pipe while this process is still setting up."""
    import queue
    import tempfile
    from multiprocessing.connection import Connection

    os.environ["TMPDIR"] = tempfile.tempdir = temp  # the build removes it
    _watch_build(build_process)
    requests = Connection(requests_fd, writable=False)
    answers = Connection(answers_fd, readable=False)
    waiting: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def read() -> None:
        while True:
            try:
                waiting.put(requests.recv())
            except (EOFError, OSError):
                waiting.put(None)
                return

    threading.Thread(target=read, name="form8k-print-requests", daemon=True).start()
    printer: Any = None
    failed: tuple[str, object] | None = None
    try:
        from form8k.pdf import PdfRenderer

        printer = PdfRenderer(templates=templates, root=root, covered=frozenset())
    except Exception as error:  # a RenderError (form8k.render is not loaded here for it)
        problem = getattr(error, "problem", None)
        if isinstance(problem, Problem):
            failed = ("usage", [problem])
        else:
            failed = ("error", f"{type(error).__name__}: {error}")
    while (request := waiting.get()) is not None:
        documents, files, title, reuse, covered = request
        if failed is not None:
            answers.send(failed)
            continue
        try:
            printer.covered = covered
            printed = printer.print_filing(
                documents, files=files, title=title, reuse=reuse, join=False
            )
        except Exception as error:
            import traceback

            answers.send(("error", "".join(traceback.format_exception(error))))
            continue
        answers.send(("ok", printed))


def _start_worker(task: _Task, build_process: int | None = None) -> None:
    global _WORKER_TASK
    if build_process is not None:
        _watch_build(build_process)
    _WORKER_TASK = task
    task.builder()  # import the renderer and parse the stylesheet once per worker


def _work(folder: Path) -> FilingResult:
    assert _WORKER_TASK is not None
    return _WORKER_TASK(folder)


def _run(task: _Task, folders: list[Path], workers: int) -> Iterable[FilingResult]:
    if workers == 1:
        for folder in folders:
            yield task(folder)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    task.check_templates()  # fail early, in this process, on a broken template folder
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["form8k.pipeline", "form8k.builder", "weasyprint"])
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(task, os.getpid()),
    ) as pool:
        futures = {pool.submit(_work, folder): folder for folder in folders}
        for future in as_completed(futures):
            folder = futures[future]
            try:
                yield future.result()
            except UsageError:
                raise
            except Exception as error:  # the worker died (killed, out of memory, a crash)
                yield crashed(folder, task.project.key(folder), error)
