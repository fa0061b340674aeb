"""build(project, out, ...) -> report: the run over every filing. Light to import.

For each selected filing: compare its fingerprint with the last build's stamp and skip it when
nothing changed; otherwise load, check, render, print and write it (``form8k.builder``), in
this process or in worker processes that each set up the renderer once. A filing with an error
is reported and skipped; the others still build. Results come back in the filings' order,
whatever the number of workers.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING

from form8k.errors import Severity, UsageError
from form8k.fingerprint import Hasher, Stamp, fingerprint, problem_records
from form8k.project import FILING_FILE, Project, check_out, select_filings
from form8k.results import BuildReport, FilingResult
from form8k.write import write_file, write_filing

if TYPE_CHECKING:
    from form8k.builder import FilingBuilder
    from form8k.config import Config
    from form8k.efm import EdgarSetup

__all__ = ["FORMATS", "BuildReport", "FilingResult", "Project", "build"]

FORMATS = ("html", "pdf")
STAMPS = ".form8k-build"
"""Folder of output/ holding each filing's stamp (``<filing>.json``)."""

#: Called as each filing finishes: (its result, how many are done, how many in all).
Progress = Callable[[FilingResult, int, int], None]


def stamp_path(out: Path, key: str) -> Path:
    return out / STAMPS / f"{key}.json"


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
) -> BuildReport:
    """Build the selected filings of ``project`` into ``out``/<filing>/.

    Filings whose fingerprint matches their last build are skipped (not with ``force``). With
    ``write=False`` every filing is loaded, checked and rendered, and nothing is written: that
    is ``check``. ``jobs`` > 1 builds in that many worker processes. With ``edgar``, each
    filing also passes the SEC's own validation (EDGAR's plugin for Arelle) or fails.
    """
    out = check_out(project, out)
    chosen = sorted(set(formats))
    folders = select_filings(project, paths)
    options: dict[str, object] = {"formats": chosen, "edgar": edgar is not None}
    hasher = Hasher(project.root)
    results: dict[Path, FilingResult] = {}
    todo: list[Path] = []
    for folder in folders:
        key = project.key(folder)
        stamp = None if (force or not write) else Stamp.read_file(stamp_path(out, key))
        if stamp is not None and stamp.outputs_intact(out / key):
            current = fingerprint(
                project, folder, hasher, options=options, extra=stamp.extra_inputs(project.root)
            )
            if current == stamp.fingerprint:
                results[folder] = FilingResult(
                    key,
                    written=list(stamp.outputs),
                    problems=stamp.problem_objects(project.root),
                    skipped=True,
                )
                continue
        todo.append(folder)
    done = len(results)
    if progress:
        for number, folder in enumerate(f for f in folders if f in results):
            progress(results[folder], number + 1, len(folders))
    if todo:
        config = _load_config(project)
        task = _Task(project, out, set(chosen), config, strict, write, options, edgar)
        workers = max(1, min(jobs, len(todo)))
        for result in _run(task, todo, workers):
            folder = project.content / result.key
            results[folder] = result
            done += 1
            if progress:
                progress(result, done, len(folders))
    removed = _remove_orphans(project, out) if write and not paths else []
    return BuildReport([results[folder] for folder in folders], out, removed)


def _remove_orphans(project: Project, out: Path) -> list[str]:
    """Remove the outputs of filings whose folder is gone from content/.

    Only folders an earlier build stamped are touched; nothing else in ``out`` is.
    """
    stamps = out / STAMPS
    removed = []
    for stamp in sorted(stamps.rglob("*.json")) if stamps.is_dir() else []:
        key = stamp.relative_to(stamps).with_suffix("").as_posix()
        if (project.content / key / FILING_FILE).is_file():
            continue
        shutil.rmtree(out / key, ignore_errors=True)
        stamp.unlink()
        removed.append(key)
    return removed


def _load_config(project: Project) -> Config:
    from form8k.config import load_config
    from form8k.load import LoadError

    try:
        return load_config(project.root)
    except LoadError as error:
        raise UsageError(error.problems) from None


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
    ) -> None:
        self.project = project
        self.edgar = edgar
        self.out = out
        self.formats = formats
        self.config = config
        self.strict = strict
        self.write = write
        self.options = options
        self._builder: FilingBuilder | None = None
        self._hasher: Hasher | None = None

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "_builder": None, "_hasher": None}

    @property
    def hasher(self) -> Hasher:
        """One per process and run: shared files (templates, fonts) are hashed once."""
        if self._hasher is None:
            self._hasher = Hasher(self.project.root)
        return self._hasher

    def builder(self) -> FilingBuilder:
        """The filing builder of this run: made once per process, and kept for the next run in
        the same process (the preview server's) while the templates and options are the same."""
        if self._builder is None:
            key = (
                self.project.root,
                tuple(sorted(self.formats)),
                tuple(sorted((rule, str(level)) for rule, level in self.config.severities.items())),
                self.edgar,
            )
            snapshot = _snapshot(self.project.templates)
            cached = _BUILDERS.get(key)
            if cached is None or cached[0] != snapshot:
                if len(_BUILDERS) >= MAX_CACHED_BUILDERS:
                    _BUILDERS.clear()
                cached = _BUILDERS[key] = (snapshot, self._new_builder())
            self._builder = cached[1]
        return self._builder

    def _new_builder(self) -> FilingBuilder:
        from form8k.builder import FilingBuilder
        from form8k.render import RenderError

        self.check_templates()
        try:
            builder = FilingBuilder(
                self.project, formats=self.formats, config=self.config, edgar=self.edgar
            )
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
        from form8k.errors import Problem, SourceLocation
        from form8k.render import Renderer, RenderError

        try:
            Renderer(self.project.templates).compile_all()
        except RenderError as error:
            raise UsageError([error.problem]) from None
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
        """Build one filing; write it (and its stamp) unless it has a fatal problem."""
        key = self.project.key(folder)
        target = self.out / key
        result, files = self.builder().make(folder, target)
        fatal = {Severity.ERROR, Severity.WARNING} if self.strict else {Severity.ERROR}
        if files is None or any(problem.severity in fatal for problem in result.problems):
            return result
        if self.write:
            write_filing(target, files)
            stamp = Stamp(
                fingerprint(
                    self.project, folder, self.hasher, options=self.options, extra=result.inputs
                ),
                sorted(files),
                problem_records(result.problems, self.project.root),
            )
            write_file(stamp_path(self.out, key), stamp.to_bytes())
        result.written = sorted(files)
        return result


def _stylesheet_files(css: Path) -> list[tuple[int, str]]:
    """(line, relative URL) of every file the print stylesheet names (its fonts)."""
    import re

    found = []
    for number, line in enumerate(css.read_text(encoding="utf-8").splitlines(), start=1):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", line):
            if ":" not in url:
                found.append((number, url))
    return found


#: Builders kept between runs in one process, by project and options, with the state of the
#: template folder they were made from (a changed folder gets a new builder).
_BUILDERS: dict[tuple[object, ...], tuple[tuple[tuple[str, int, int], ...], FilingBuilder]] = {}
MAX_CACHED_BUILDERS = 4


def _snapshot(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file of a folder with its modification time and size: changes when any changes."""
    return tuple(
        (path.relative_to(folder).as_posix(), stat.st_mtime_ns, stat.st_size)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and (stat := path.stat())
    )


_WORKER_TASK: _Task | None = None


def _start_worker(task: _Task) -> None:
    global _WORKER_TASK
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
    task.check_templates()  # fail early, in this process, on a broken template folder
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["form8k.builder", "weasyprint"])
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(task,)
    ) as pool:
        futures = [pool.submit(_work, folder) for folder in folders]
        for future in as_completed(futures):
            yield future.result()
