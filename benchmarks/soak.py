"""Soak test: files saved while builds (and previews) run; nothing may be left stale.

    .venv/bin/python benchmarks/soak.py                 # 200 saves during builds, then previews
    .venv/bin/python benchmarks/soak.py --saves 50 --no-preview --seconds 300

Makes a project of a few filings (``benchmarks/corpus.py``) in a work folder and, until
``--saves`` saves have landed while a build was running (or ``--seconds`` have passed), runs
cases of three kinds:

- build: one file saved (press release, earnings release, filing.yaml, company.yaml, a
  template, form8k.yaml; in place or by renaming a new file over it, as editors do) at a random
  moment of a build in this process (one job, or two worker processes); then the next plain
  build, as a user would run it, after which the output must be what a clean build of the
  files as they are makes;
- kill: a build in another process killed at a random moment (SIGKILL); none of its processes
  may survive it, and the next build leaves no temporary folder behind;
- preview (``form8k.serve.app.create_app``, in this process, watching the files): two saves
  of a filing, the second at a random moment while the preview rebuilds after the first; the
  preview must come to show the last save.

It ends with a plain build and a clean ``--force`` build of the whole project into another
folder, which must give the same bytes, and prints the figures: cases, saves during a build,
stale outputs, errors (unexpected error problems), tracebacks, leaks (processes that outlived a
killed build, temporary folders left behind). Exit status 0 when all four are zero. Public
tools only: Python, this repository, its venv.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import make_corpus  # noqa: E402

from form8k.pipeline import BuildReport, build  # noqa: E402
from form8k.project import Project  # noqa: E402

HTML = ("html",)
#: How often each kind of file is saved.
KINDS = {
    "release": 30,
    "earnings": 10,
    "filing": 20,
    "company": 15,
    "template": 15,
    "config": 10,
}
MARK = re.compile(r"soak \d+")


@dataclass
class Figures:
    cases: int = 0
    build_cases: int = 0
    kill_cases: int = 0
    preview_cases: int = 0
    saves: int = 0
    during: int = 0
    """Saves that landed while a build (or a preview rebuild) was running."""
    seen: int = 0
    """Filings whose build said an input changed while it ran (``FilingResult.changed``)."""
    stale: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """Error problems where none was due (a build racing a save may rightly fail a filing
    that it read half-written: not counted)."""
    tracebacks: list[str] = field(default_factory=list)
    """Internal errors of the build, and exceptions of a case."""
    leaks: list[str] = field(default_factory=list)
    settle: list[float] = field(default_factory=list)
    """Seconds from a preview case's last save to the preview showing it."""


# --- The project and its saves -----------------------------------------------------------------


def make_project(root: Path, filings: int) -> Project:
    make_corpus(filings, root)
    company = root / "content" / "benchmark" / "company.yaml"
    _replace(company, "2,400 people", "2,400 people (soak 0)")
    for folder in sorted((root / "content" / "benchmark").glob("filing-*")):
        filing = folder / "filing.yaml"
        filing.write_text(re.sub(r"\(filing (\d+)\)", r"(filing \1, soak 0)", filing.read_text()))
        for name in ("press-release.md", "earnings.md"):
            path = folder / name
            path.write_text(path.read_text() + "\nThis is soak 0.\n")
    signature = root / "templates" / "_signature.htm.j2"
    _replace(signature, 'title="Signatures"', 'title="Signatures soak 0"')
    (root / "form8k.yaml").write_text("checks:\n  exhibit-number: warning\n")
    return Project.at(root)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    if old not in text:
        raise SystemExit(f"soak: {path} no longer holds {old!r}: update benchmarks/soak.py")
    path.write_text(text.replace(old, new))


def target(project: Project, kind: str, folder: Path) -> Path:
    return {
        "release": folder / "press-release.md",
        "earnings": folder / "earnings.md",
        "filing": folder / "filing.yaml",
        "company": project.content / "benchmark" / "company.yaml",
        "template": project.root / "templates" / "_signature.htm.j2",
        "config": project.root / "form8k.yaml",
    }[kind]


def save(path: Path, number: int, *, atomic: bool) -> None:
    """Save ``path`` with a new mark, in place or as editors that rename a new file over it."""
    text = path.read_text()
    if path.name == "form8k.yaml":
        new = "ignore" if "warning" in text else "warning"
        text = re.sub(r"exhibit-number: \w+", f"exhibit-number: {new}", text)
    else:
        text = MARK.sub(f"soak {number}", text)
    if atomic:
        temporary = path.with_name(f".{path.name}.soak~")
        temporary.write_text(text)
        os.replace(temporary, path)
    else:
        with open(path, "r+") as stream:
            stream.truncate(0)
            stream.write(text)


def outputs(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".form8k-build" not in p.relative_to(out).parts
    }


def clean_copy(project: Project, scratch: Path) -> Project:
    """A copy of the project's files as they are now (built apart from the original, so that
    no builder of this process is shared with a build that may be running). Only the files
    that differ are written, so that the copy's builder is kept while its templates are."""
    wanted: set[Path] = set()
    for source in sorted(project.root.rglob("*")):
        relative = source.relative_to(project.root)
        if not source.is_file() or relative.parts[0] not in ("content", "templates", "form8k.yaml"):
            continue
        copy = scratch / relative
        wanted.add(copy)
        data = source.read_bytes()
        if not copy.is_file() or copy.read_bytes() != data:
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(data)
    for copy in sorted(scratch.rglob("*"), reverse=True):
        if copy.is_file() and copy not in wanted:
            copy.unlink()
    return Project.at(scratch)


def check_report(report: BuildReport, figures: Figures, what: str, *, racing: bool = False) -> None:
    """Count the report's errors; of a build racing a save (which may read a half-written
    file, and then rightly fails that filing), only internal errors."""
    for result in report.results:
        if getattr(result, "internal", None) is not None:
            figures.tracebacks.append(f"{what}: {result.key}: {getattr(result, 'internal', '')}")
        elif not racing:
            for problem in result.problems:
                if problem.severity.value == "error":
                    figures.errors.append(f"{what}: {problem.display()}")
    for problem in getattr(report, "notices", []):
        figures.errors.append(f"{what}: {problem.display()}")


# --- Cases -------------------------------------------------------------------------------------


class Saver:
    """Saves a file once, after a delay, from another thread; notes whether a build ran then."""

    def __init__(self, path: Path, number: int, delay: float, atomic: bool) -> None:
        self.running = threading.Event()
        self.landed_during: bool | None = None
        self._thread = threading.Timer(delay, self._save, args=(path, number, atomic))

    def _save(self, path: Path, number: int, atomic: bool) -> None:
        save(path, number, atomic=atomic)
        self.landed_during = self.running.is_set()

    @contextlib.contextmanager
    def around_build(self) -> Iterator[None]:
        self._thread.start()
        self.running.set()
        try:
            yield
        finally:
            self.running.clear()
            self._thread.join()


def build_case(
    project: Project,
    out: Path,
    scratch: Path,
    rng: random.Random,
    figures: Figures,
    number: int,
    durations: dict[int, float],
) -> None:
    folders = sorted((project.content / "benchmark").glob("filing-*"))
    kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
    folder = rng.choice(folders)
    path = target(project, kind, folder)
    jobs = 2 if rng.random() < 0.25 else 1
    # something to build: the same file saved just before, so the build reads it
    save(path, number * 2, atomic=False)
    expected = durations.get(jobs, 0.5)
    delay = rng.uniform(0, 0.8 * expected)
    saver = Saver(path, number * 2 + 1, delay, atomic=rng.random() < 0.5)
    started = time.perf_counter()
    with saver.around_build():
        report = build(project, out=out, formats=HTML, jobs=jobs)
    took = time.perf_counter() - started
    durations[jobs] = 0.7 * durations.get(jobs, took) + 0.3 * took
    figures.saves += 1
    figures.during += bool(saver.landed_during)
    figures.seen += sum(1 for result in report.results if getattr(result, "changed", None))
    check_report(report, figures, f"case {number} ({kind}, jobs {jobs})", racing=True)
    # the next plain build, then: the output is what the files make
    check_report(build(project, out=out, formats=HTML), figures, f"case {number}, next build")
    clean = clean_copy(project, scratch / "project")
    check_report(
        build(clean, out=scratch / "out", formats=HTML, force=True), figures, "clean build"
    )
    ours, theirs = outputs(out), outputs(scratch / "out")
    stale = sorted({name.split("/")[1] for name in ours.keys() ^ theirs.keys()})
    stale += sorted(
        {name.split("/")[1] for name in ours.keys() & theirs.keys() if ours[name] != theirs[name]}
    )
    figures.stale += [f"case {number} ({kind} saved during a build): {key}" for key in stale]
    figures.build_cases += 1


def _descendants(pid: int) -> dict[int, str]:
    found: dict[int, str] = {}
    parents, grew = {pid}, True
    while grew:
        grew = False
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) in found:
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) in parents and fields[0] != "Z":
                found[int(entry.name)] = fields[19]
                parents.add(int(entry.name))
                grew = True
    return found


def _alive(pid: int, started: str) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z" and fields[19] == started


def kill_case(
    project: Project, out: Path, rng: random.Random, figures: Figures, number: int
) -> None:
    """A build in another process, killed at a random moment: nothing of it may survive."""
    path = target(project, "company", project.content)  # every filing to build
    save(path, number * 2, atomic=False)
    process = subprocess.Popen(
        [
            sys.executable,
            "build.py",
            "--project",
            str(project.root),
            "build",
            "--format",
            "html",
            "--jobs",
            "2",
            "--out",
            str(out),
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + rng.uniform(0.5, 3.0)
    children: dict[int, str] = {}
    while time.monotonic() < deadline and process.poll() is None:
        children.update(_descendants(process.pid))
        time.sleep(0.02)
    children.update(_descendants(process.pid))
    process.kill()
    process.wait()
    end = time.monotonic() + 10
    while time.monotonic() < end and any(_alive(*child) for child in children.items()):
        time.sleep(0.05)
    for pid, started in children.items():
        if _alive(pid, started):
            figures.leaks.append(f"case {number}: process {pid} outlived its killed build")
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    report = build(project, out=out, formats=HTML)
    check_report(report, figures, f"case {number}, build after a kill")
    left = [p for p in out.rglob(".*") if p.name.endswith((".tmp", ".old"))]
    figures.leaks += [f"case {number}: {p} left behind" for p in left]
    figures.kill_cases += 1


class PreviewRun:
    """The preview app in this process (``create_app``, watching), on its own project."""

    def __init__(self, project: Project) -> None:
        from starlette.testclient import TestClient

        from form8k.serve.app import create_app

        self.project = project
        self.app = create_app(project, watch=True)
        self.client = TestClient(self.app)
        self.client.__enter__()
        self.refresh_time = 0.1
        """How long a rebuild of the preview takes (a moving average), to aim saves into."""

    def close(self) -> None:
        self.client.__exit__(None, None, None)

    def refreshing(self) -> bool:
        lock = getattr(self.app.state.preview, "_lock", None)
        return bool(lock is not None and lock.locked())

    def files(self, key: str) -> dict[str, bytes]:
        state = self.app.state.preview.filings.get(key)
        return dict(state.files) if state is not None else {}


def preview_case(
    run: PreviewRun, scratch: Path, rng: random.Random, figures: Figures, number: int
) -> None:
    project = run.project
    folders = sorted((project.content / "benchmark").glob("filing-*"))
    folder = rng.choice(folders)
    key = project.key(folder)
    kind = rng.choice(["release", "filing", "earnings"])
    path = target(project, kind, folder)
    save(path, number * 2, atomic=rng.random() < 0.5)
    # the second save: at a random moment of the rebuild the first one starts
    start = time.monotonic()
    while not run.refreshing() and time.monotonic() - start < 2:
        time.sleep(0.002)
    began = time.monotonic()
    time.sleep(rng.uniform(0, 0.8 * run.refresh_time))
    during = run.refreshing()
    save(path, number * 2 + 1, atomic=rng.random() < 0.5)
    saved = time.monotonic()
    while run.refreshing() and time.monotonic() - began < 5:
        time.sleep(0.002)
    run.refresh_time = 0.7 * run.refresh_time + 0.3 * (time.monotonic() - began)
    figures.saves += 2
    figures.during += during
    clean = clean_copy(project, scratch / "preview-project")
    build(clean, out=scratch / "preview-out", paths=[clean.content / key], formats=HTML, force=True)
    wanted = outputs(scratch / "preview-out" / key)
    while True:
        if run.files(key) == wanted:
            figures.settle.append(time.monotonic() - saved)
            break
        if time.monotonic() - saved > 20:
            figures.stale.append(f"preview case {number} ({kind}): {key} shows an earlier save")
            break
        time.sleep(0.02)
    page = run.client.get(f"/filings/{key}/{_document(wanted, kind)}")
    if f"soak {number * 2 + 1}".encode() not in page.content:
        figures.stale.append(f"preview case {number}: the page of {key} lacks the last save")
    figures.preview_cases += 1


def _document(files: dict[str, bytes], kind: str) -> str:
    names = sorted(name for name in files if name.endswith(".htm"))
    wanted = {"release": "ex99-1", "earnings": "ex99-2"}.get(kind)
    return next((name for name in names if wanted and wanted in name), names[0])


# --- The run -----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=200, help="saves during builds to reach")
    parser.add_argument("--filings", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=1200, help="stop after this long")
    parser.add_argument("--work", type=Path, default=Path("/tmp/form8k-soak"))
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--kill-every", type=int, default=20, help="every Nth case kills")
    parser.add_argument("--no-preview", action="store_true")
    parser.add_argument("--preview-cases", type=int, default=40)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    work = args.work
    shutil.rmtree(work, ignore_errors=True)
    project = make_project(work / "project", args.filings)
    out, scratch = work / "output", work / "scratch"
    figures = Figures()
    started = time.monotonic()
    durations: dict[int, float] = {}

    def left() -> float:
        return args.seconds - (time.monotonic() - started)

    check_report(build(project, out=out, formats=HTML), figures, "first build")
    number = 0
    while figures.during < args.saves and left() > 0:
        number += 1
        try:
            if sys.platform.startswith("linux") and number % args.kill_every == 0:
                kill_case(project, out, rng, figures, number)
            else:
                build_case(project, out, scratch, rng, figures, number, durations)
        except Exception:
            figures.tracebacks.append(f"case {number}: {traceback.format_exc()}")
        figures.cases += 1
    build_during = figures.during

    preview_note = "not run (--no-preview)"
    if not args.no_preview and left() > 0:
        preview_project = make_project(work / "preview", args.filings)
        try:
            run = PreviewRun(preview_project)
        except Exception as error:  # the preview's API changed: say so, do not fail the soak
            preview_note = f"not run: {type(error).__name__}: {error}"
        else:
            try:
                for _ in range(args.preview_cases):
                    if left() <= 0:
                        break
                    number += 1
                    try:
                        preview_case(run, scratch, rng, figures, number)
                    except Exception:
                        figures.tracebacks.append(
                            f"preview case {number}: {traceback.format_exc()}"
                        )
                    figures.cases += 1
            finally:
                run.close()
            settle = sorted(figures.settle)
            preview_note = (
                f"{figures.preview_cases} cases, {figures.during - build_during} second saves "
                "during a rebuild"
                + (
                    f"; shown {statistics.median(settle):.2f} s after the last save (median), "
                    f"{settle[-1]:.2f} s at most"
                    if settle
                    else ""
                )
            )

    # the end: a plain build, then a clean --force build into another folder, byte for byte
    check_report(build(project, out=out, formats=HTML), figures, "last build")
    clean = clean_copy(project, scratch / "final-project")
    check_report(
        build(clean, out=work / "final-clean", formats=HTML, force=True, jobs=2),
        figures,
        "final clean build",
    )
    same = outputs(out) == outputs(work / "final-clean")
    if not same:
        figures.stale.append("final: the output differs from a clean --force build")

    elapsed = time.monotonic() - started
    print(f"soak: {figures.cases} cases in {elapsed:.0f} s (seed {args.seed})")
    print(
        f"  builds: {figures.build_cases} cases: {figures.build_cases} saves, {build_during} "
        f"of them while the build ran; {figures.seen} filings' builds noticed a save under "
        "them (built again by the next build)"
    )
    print(f"  killed builds: {figures.kill_cases} cases")
    print(f"  preview: {preview_note}")
    print(f"  final: output equals a clean --force build into another folder: {same}")
    print(f"  stale outputs: {len(figures.stale)}")
    print(f"  errors: {len(figures.errors)}")
    print(f"  tracebacks: {len(figures.tracebacks)}")
    print(f"  leaks: {len(figures.leaks)}")
    if build_during < args.saves:
        print(f"  (stopped after {args.seconds:.0f} s, before {args.saves} saves during builds)")
    for line in figures.stale + figures.errors + figures.tracebacks + figures.leaks:
        print(f"  - {line}")
    return 1 if figures.stale or figures.errors or figures.tracebacks or figures.leaks else 0


if __name__ == "__main__":
    sys.exit(main())
