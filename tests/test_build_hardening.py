"""The build under faults, races and odd input: nothing stale, nothing lost, no internal error.

Races are made at precise moments by hooks (a function of the build patched to save a file just
after the build read it), never by sleeping. Each test failed on the build before issue 14.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from form8k import builder as builder_module
from form8k.pipeline import build
from form8k.project import Project
from form8k.render import Renderer
from tests.conftest import COMPANY_YAML, FILING_YAML, PRESS_RELEASE_MD, REPO

HTML = ("html",)


def outputs(out: Path) -> dict[str, bytes]:
    """Every output file's bytes (the build's own records left out)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".form8k-build" not in p.relative_to(out).parts
    }


def matches_its_sources(project: Project, out: Path, tmp_path: Path, **options: object) -> bool:
    """Whether ``out`` holds what a clean build of the files as they are now makes."""
    clean = tmp_path / f"clean-{time.monotonic_ns()}"
    build(project, out=clean, force=True, **options)  # type: ignore[arg-type]
    return outputs(out) == outputs(clean)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (old, path)
    path.write_text(text.replace(old, new))


@pytest.fixture
def three(make_project) -> Project:
    files = {}
    for name in ("second", "third"):
        files[f"content/{name}/filing.yaml"] = FILING_YAML
        files[f"content/{name}/press-release.md"] = PRESS_RELEASE_MD
    return Project.at(make_project(files))


# --- 1. A save while the build reads is always built again -------------------------------------


def _after_reading(monkeypatch: pytest.MonkeyPatch, action: Callable[[], None]) -> list[str]:
    """Run ``action`` once, in the first filing's build, after everything was read and rendered
    and before the build records what it was made from (the manifest is the last step)."""
    done: list[str] = []
    real = builder_module.manifest

    def manifest(bundle, rendered):  # type: ignore[no-untyped-def]
        if not done:
            done.append(bundle.key)
            action()
        return real(bundle, rendered)

    monkeypatch.setattr(builder_module, "manifest", manifest)
    return done


SAVES = {
    "press release": ("content/example/press-release.md", "announced something", "announced more"),
    "filing.yaml, same size": (
        "content/example/filing.yaml",
        "Something happened.",
        "Somethin' happened",
    ),
    "company.yaml": ("content/company.yaml", "Example Corp.", "Example Corp. Two"),
    "template": ("templates/_signature.htm.j2", 'title="Signatures"', 'title="Signed"'),
}


@pytest.mark.parametrize("what", list(SAVES))
def test_a_file_saved_during_the_build_is_built_again_next_time(
    make_project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, what: str
) -> None:
    project = Project.at(make_project())
    out = project.root / "output"
    name, old, new = SAVES[what]
    hooked = _after_reading(monkeypatch, lambda: edit(project.root / name, old, new))
    first = build(project, out=out, formats=HTML)
    assert hooked == ["example"] and first.failed == 0
    monkeypatch.undo()
    again = build(project, out=out, formats=HTML)
    assert again.skipped == 0, "a save during the build was recorded as built"
    # the build that read the earlier text says so (the preview rebuilds at once on this)
    assert first.results[0].changed == [project.root / name]
    assert again.results[0].changed == []
    assert matches_its_sources(project, out, tmp_path, formats=HTML)
    assert build(project, out=out, formats=HTML).skipped == 1  # and then it is settled


def test_a_save_undone_before_the_build_ends_is_built_again(
    make_project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Saved just after the loader read it, saved back before the fingerprint: the output is of
    the middle text, which the files no longer hold; hashes alone would call it unchanged."""
    project = Project.at(make_project())
    out = project.root / "output"
    release = project.content / "example" / "press-release.md"
    original = release.read_text()
    real_load = builder_module.load_filing

    def load_then_save(*args, **kwargs):  # type: ignore[no-untyped-def]
        bundle = real_load(*args, **kwargs)
        release.write_text(original.replace("announced something", "announced a draft"))
        return bundle

    monkeypatch.setattr(builder_module, "load_filing", load_then_save)
    _after_reading(monkeypatch, lambda: release.write_text(original))
    build(project, out=out, formats=HTML)
    monkeypatch.undo()
    # the loader read the original text, the draft was saved over it, then the original again:
    # whatever the output holds, the next build makes it from the file as it is
    again = build(project, out=out, formats=HTML)
    assert again.skipped == 0
    assert matches_its_sources(project, out, tmp_path, formats=HTML)


def test_a_logo_saved_during_the_build_is_built_again(
    make_project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    logo = (REPO / "content" / "lumen-ridge" / "logo.jpg").read_bytes()
    root = make_project({"content/company.yaml": COMPANY_YAML + "logo: ../assets/logo.jpg\n"})
    (root / "assets").mkdir()
    (root / "assets" / "logo.jpg").write_bytes(logo)  # named from outside the filing's folders
    project = Project.at(root)
    out = root / "output"
    _after_reading(monkeypatch, lambda: (root / "assets" / "logo.jpg").write_bytes(logo + b"\0"))
    build(project, out=out, formats=HTML)
    monkeypatch.undo()
    assert build(project, out=out, formats=HTML).skipped == 0
    assert matches_its_sources(project, out, tmp_path, formats=HTML)


def test_form8k_yaml_saved_during_the_build_is_built_again(
    make_project, monkeypatch: pytest.MonkeyPatch
) -> None:
    late = FILING_YAML.replace("filing_date: 2024-03-04", "filing_date: 2024-03-20").replace(
        '"8.01"', '"5.02"'
    )
    root = make_project({"content/example/filing.yaml": late})
    project = Project.at(root)
    out = root / "output"
    config = root / "form8k.yaml"
    _after_reading(monkeypatch, lambda: config.write_text("checks:\n  late-filing: ignore\n"))
    first = build(project, out=out, formats=HTML)
    assert [p.rule for p in first.problems] == ["late-filing"]  # read before the save
    monkeypatch.undo()
    again = build(project, out=out, formats=HTML)
    assert again.skipped == 0 and again.problems == []


# --- 2. A shared output folder: stamps name their project; a lock ------------------------------


def _project(root: Path, *keys: str) -> Project:
    (root / "content").mkdir(parents=True)
    (root / "content" / "company.yaml").write_text(COMPANY_YAML)
    for key in keys:
        (root / "content" / key).mkdir(parents=True)
        (root / "content" / key / "filing.yaml").write_text(FILING_YAML)
        (root / "content" / key / "press-release.md").write_text(PRESS_RELEASE_MD)
    return Project.at(root)


def test_a_shared_output_folder_never_loses_another_projects_output(tmp_path: Path) -> None:
    alpha = _project(tmp_path / "alpha", "alpha-filing", "both")
    beta = _project(tmp_path / "beta", "beta-filing", "both")
    shared = tmp_path / "shared"
    assert build(alpha, out=shared, formats=HTML).failed == 0
    before = outputs(shared)
    report = build(beta, out=shared, formats=HTML)
    assert report.removed == []  # alpha's filings are not beta's to remove
    assert (shared / "alpha-filing").is_dir()
    # the folder both projects would write is alpha's: beta's filing fails, naming it
    by_key = {result.key: result for result in report.results}
    assert by_key["beta-filing"].ok
    assert not by_key["both"].ok
    (problem,) = by_key["both"].problems
    assert problem.location.path == shared / "both"
    assert f"holds the output of another project ({alpha.root})" in problem.message
    after = outputs(shared)
    assert {k: v for k, v in after.items() if not k.startswith("beta-filing/")} == before
    stamp = json.loads((shared / ".form8k-build" / "stamps" / "alpha-filing.json").read_text())
    assert (stamp["project"], stamp["key"]) == (str(alpha.root), "alpha-filing")
    # alpha's own build still removes alpha's deleted filings
    shutil.rmtree(alpha.content / "alpha-filing")
    assert build(alpha, out=shared, formats=HTML).removed == ["alpha-filing"]
    assert (shared / "beta-filing").is_dir()


def test_a_second_build_into_the_same_folder_is_refused_naming_the_first(
    three: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = three.root / "output"
    seen: list[subprocess.CompletedProcess[str]] = []

    def second_build() -> None:  # another process, while this build holds the folder
        seen.append(
            subprocess.run(
                [sys.executable, "build.py", "--project", str(three.root), "build"],
                cwd=REPO,
                capture_output=True,
                text=True,
            )
        )

    _after_reading(monkeypatch, second_build)
    report = build(three, out=out, formats=HTML)
    assert report.failed == 0
    (run,) = seen
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert run.stderr.startswith(
        f"output: error: another build is writing into this output folder (process {os.getpid()}"
    )
    assert f"building {three.root}" in run.stderr
    assert "build into another folder with --out" in run.stderr
    # the lock is the build's while it runs, and free afterwards
    assert build(three, out=out, formats=HTML).skipped == 3


def test_builds_in_threads_of_one_process_share_the_output_folder(
    three: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview builds HTML and PDFs in threads of one process: they never lock each other
    out."""
    out = three.root / "output"
    inner: list[int] = []
    _after_reading(
        monkeypatch,
        lambda: inner.append(
            build(three, out=out, paths=[three.content / "third"], formats=HTML).failed
        ),
    )
    assert build(three, out=out, formats=HTML).failed == 0
    assert inner == [0]


# --- 3. OS errors: located, the other filings built ---------------------------------------------


def test_a_full_disk_fails_one_filing_naming_the_file_and_the_others_build(
    three: Project, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = three.root
    code, _, _ = run_cli("--project", str(root), "build", "--format", "html")
    assert code == 0
    before = outputs(root / "output")
    edit(three.content / "company.yaml", "Example Corp.", "Example Corp. Two")  # all rebuild
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        if "/.second." in os.readlink(f"/proc/self/fd/{descriptor}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    code, stdout, stderr = run_cli("--project", str(root), "build", "--format", "html", "-j", "1")
    assert code == 1
    assert stderr.splitlines() == [
        "output/second/exmp-20240301.htm: error: cannot write the filing's output (the previous "
        "output is kept): No space left on device (ENOSPC); free some space"
    ]
    lines = stdout.splitlines()
    assert lines[0].startswith("built  example") and lines[2].startswith("built  third")
    assert lines[1] == "failed second: nothing written, previous output kept"
    assert lines[-1] == "2 built, 1 failed; 1 error, 0 warnings"
    after = outputs(root / "output")
    assert {k: v for k, v in after.items() if k.startswith("second/")} == {
        k: v for k, v in before.items() if k.startswith("second/")
    }
    assert not [p for p in (root / "output").iterdir() if p.name.startswith(".second")]


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """A folder nothing can be written into: chmod, or for root (whom modes do not stop) the
    immutable attribute."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: no way to make a folder read-only")
    made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"chattr +i does not work here: {made.stderr!r}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_read_only_output_folder_fails_its_filings_naming_it_and_the_others_build(
    tmp_path: Path, run_cli
) -> None:
    project = _project(tmp_path / "p", "a/x", "b/y")
    out = project.root / "output"
    code, _, _ = run_cli("--project", str(project.root), "build", "--format", "html")
    assert code == 0
    edit(project.content / "company.yaml", "Example Corp.", "Example Corp. Two")
    with read_only(out / "a"):
        code, stdout, stderr = run_cli("--project", str(project.root), "build", "--format", "html")
    assert code == 1
    (line,) = stderr.splitlines()
    assert line.startswith("output/a/x: error: cannot write the filing's output")
    assert ("Permission denied (EACCES)" in line) or ("Operation not permitted (EPERM)" in line)
    assert stdout.splitlines()[-1] == "1 built, 1 failed; 1 error, 0 warnings"
    assert b"Example Corp. Two" in (out / "b" / "y" / "exmp-20240301.htm").read_bytes()


def test_a_read_only_output_folder_is_one_clear_error(tmp_path: Path, run_cli) -> None:
    project = _project(tmp_path / "p", "x")
    out = tmp_path / "out"
    out.mkdir()
    with read_only(out):
        code, stdout, stderr = run_cli(
            "--project", str(project.root), "build", "--format", "html", "--out", str(out)
        )
    assert code == 1 and stdout == ""
    (line,) = stderr.splitlines()
    assert line.startswith(f"{out}: error: cannot write into the output folder: ")
    assert line.endswith("or build into another folder with --out")


def test_a_long_filing_folder_name_builds(tmp_path: Path, run_cli) -> None:
    long, longest = "x" * 240 + "-2024-03-01", "y" * 255
    project = _project(tmp_path / "p", long, longest)
    code, stdout, stderr = run_cli("--project", str(project.root), "build", "--format", "html")
    assert (code, stderr) == (0, "")
    assert stdout.splitlines()[-1] == "2 built, 0 failed; 0 errors, 0 warnings"
    code, stdout, _ = run_cli("--project", str(project.root), "build", "--format", "html")
    assert stdout.splitlines()[-1] == "0 built, 2 unchanged, 0 failed; 0 errors, 0 warnings"


def test_an_output_path_too_long_fails_that_filing_naming_it(tmp_path: Path, run_cli) -> None:
    """A filing folder deep enough that its output path passes the system's limit (4096)."""
    deep = "/".join(["d" * 250] * 15)
    project = _project(tmp_path / "p", "short", deep)
    out = tmp_path / ("o" * 200) / ("u" * 200)
    assert len(str(out / deep)) > 4096 > len(str(project.content / deep / "filing.yaml"))
    code, stdout, stderr = run_cli(
        "--project", str(project.root), "build", "--format", "html", "--out", str(out)
    )
    assert code == 1
    (line,) = stderr.splitlines()
    assert line.startswith(str(out / "d"))
    assert "File name too long (ENAMETOOLONG)" in line
    assert line.endswith("shorten the filing folder's name")
    lines = stdout.splitlines()
    assert lines[-1] == "1 built, 1 failed; 1 error, 0 warnings"
    assert (out / "short" / "manifest.json").is_file()


def test_an_internal_error_in_one_filing_reports_every_other(
    three: Project, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Renderer.render_filing

    def deep(self: Renderer, bundle):  # type: ignore[no-untyped-def]
        if bundle.key == "second":
            raise RecursionError("maximum recursion depth exceeded")
        return real(self, bundle)

    monkeypatch.setattr(Renderer, "render_filing", deep)
    code, stdout, stderr = run_cli(
        "--project", str(three.root), "build", "--format", "html", "-j", "1"
    )
    assert code == 70
    assert [line.split()[:2] for line in stdout.splitlines()[:3]] == [
        ["built", "example"],
        ["failed", "second:"],
        ["built", "third"],
    ]
    assert stderr.splitlines()[0] == (
        "content/second/filing.yaml: error: internal error: RecursionError: maximum recursion "
        "depth exceeded (a bug in form8k; the other filings are built)"
    )


# --- 4. A killed build: no process left behind, its leftovers removed ---------------------------


def _children(pid: int) -> dict[int, str]:
    """Every live descendant of ``pid``: process id -> start time (to tell a reused id)."""
    found: dict[int, str] = {}
    parents = {pid}
    changed = True
    while changed:
        changed = False
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
                changed = True
    return found


def _alive(pid: int, started: str) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z" and fields[19] == started


def _until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_a_build_leaves_no_process_behind_and_the_next_build_cleans_up(
    tmp_path: Path,
) -> None:
    keys = [f"f{n:02}" for n in range(16)]
    project = _project(tmp_path / "p", *keys)
    out = project.root / "output"
    build_process = subprocess.Popen(
        [sys.executable, "build.py", "--project", str(project.root), "build", "--jobs", "2"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children: dict[int, str] = {}
    try:
        # the moment: the workers have written a first filing, and more are on their way
        assert _until(lambda: (out / "f00" / "manifest.json").exists(), 120)
        children = _children(build_process.pid)
        assert build_process.poll() is None, "the build ended before it could be killed"
        assert len(children) >= 3  # the fork server, the resource tracker, the workers
        build_process.kill()
        build_process.wait()
        assert _until(lambda: not any(_alive(*child) for child in children.items()), 20), [
            Path(f"/proc/{pid}/cmdline").read_bytes()
            for pid in children
            if _alive(pid, children[pid])
        ]
    finally:
        build_process.kill()
        for pid, started in children.items():
            if _alive(pid, started):
                os.kill(pid, signal.SIGKILL)
    written = outputs(out)
    assert len({name.split("/")[0] for name in written}) < len(keys)  # killed mid-run
    # with every process gone, nothing more is written; the next build finishes the work
    run = subprocess.run(
        [
            sys.executable,
            "build.py",
            "--project",
            str(project.root),
            "build",
            "--jobs",
            "1",
            "--format",
            "html",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert not [p for p in out.rglob(".*") if p.name.endswith((".tmp", ".old"))]


def test_leftovers_of_a_killed_build_are_removed_by_the_next(three: Project) -> None:
    out = three.root / "output"
    build(three, out=out, formats=HTML)
    # what a build killed while writing leaves: its staging folder, the folder it was replacing,
    # a stamp half-written (the names write.py gives them)
    staging = out / ".second.k3j_x9aa.tmp"
    staging.mkdir()
    (staging / "exmp-ex99-1.htm").write_bytes(b"half")
    (out / ".third.0abcdefg.old").mkdir()
    stamps = next((out / ".form8k-build").rglob("example.json")).parent
    (stamps / ".example.json.zz11yy22.tmp").write_bytes(b"{")
    # what is not the build's stays
    mine = [out / ".notes.abcdefgh.tmp", out / "draft.tmp", out / ".keep"]
    mine[0].mkdir()
    mine[1].write_text("mine")
    mine[2].write_text("mine")
    report = build(three, out=out, formats=HTML)
    assert report.skipped == 3
    assert not staging.exists() and not (out / ".third.0abcdefg.old").exists()
    assert not (stamps / ".example.json.zz11yy22.tmp").exists()
    assert all(path.exists() for path in mine)


# --- 5. Hand-edited outputs, a folder named like the stamps, linked folders, top-level --force --


def test_a_hand_edited_or_added_output_file_is_built_again(three: Project, tmp_path: Path) -> None:
    out = three.root / "output"
    build(three, out=out, formats=HTML)
    exhibit = out / "second" / "exmp-ex99-1.htm"
    exhibit.write_bytes(exhibit.read_bytes().replace(b"something", b"somethinG"))  # same size
    (out / "third" / "extra.htm").write_text("not the build's")
    report = build(three, out=out, formats=HTML)
    assert [(r.key, r.skipped) for r in report.results] == [
        ("example", True),
        ("second", False),
        ("third", False),
    ]
    assert not (out / "third" / "extra.htm").exists()
    assert matches_its_sources(three, out, tmp_path, formats=HTML)


def test_a_filing_folder_named_like_the_stamps_folder_wipes_nothing(
    three: Project, run_cli
) -> None:
    (three.content / ".form8k-build").mkdir()
    (three.content / ".form8k-build" / "filing.yaml").write_text(FILING_YAML)
    (three.content / ".form8k-build" / "press-release.md").write_text(PRESS_RELEASE_MD)
    code, stdout, stderr = run_cli("--project", str(three.root), "build", "--format", "html")
    assert code == 1
    assert stderr.splitlines() == [
        "content/.form8k-build/filing.yaml: error: a filing folder at the top of content/ may "
        "not be named .form8k-build: the build keeps its records in the output folder's "
        ".form8k-build/; rename the folder"
    ]
    assert stdout.splitlines()[-1] == "3 built, 1 failed; 1 error, 0 warnings"
    code, stdout, _ = run_cli("--project", str(three.root), "build", "--format", "html")
    assert stdout.splitlines()[-1] == "0 built, 3 unchanged, 1 failed; 1 error, 0 warnings"


def test_a_linked_filing_folder_is_named_in_a_warning(three: Project, run_cli) -> None:
    elsewhere = three.root.parent / "elsewhere"
    shutil.copytree(three.content / "second", elsewhere)
    (three.content / "linked").symlink_to(elsewhere, target_is_directory=True)
    code, stdout, stderr = run_cli("--project", str(three.root), "build", "--format", "html")
    assert code == 0
    assert stderr.splitlines() == [
        f"content/linked: warning: linked-folder: a link to a folder ({elsewhere}), not built: "
        "links are not followed in content/; move the filing's folder here instead"
    ]
    assert stdout.splitlines()[-1] == "3 built, 0 failed; 0 errors, 1 warning"
    code, _, _ = run_cli("--project", str(three.root), "build", "--format", "html", "--strict")
    assert code == 1


def test_build_options_work_before_the_command_name(three: Project, run_cli) -> None:
    root = str(three.root)
    code, _, _ = run_cli("--project", root, "build", "--format", "html")
    assert code == 0
    code, stdout, stderr = run_cli("--project", root, "--force", "--format", "html")
    assert (code, stderr) == (0, "")
    assert stdout.splitlines()[-1] == "3 built, 0 failed; 0 errors, 0 warnings"
    code, stdout, _ = run_cli("--project", root, "--format", "html")
    assert stdout.splitlines()[-1] == "0 built, 3 unchanged, 0 failed; 0 errors, 0 warnings"
    run = subprocess.run(
        [sys.executable, "build.py", "--project", root, "--force", "--format", "html", "-j", "1"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "3 built, 0 failed; 0 errors, 0 warnings"


def test_a_build_leaves_no_temporary_files_whatever_its_processes(tmp_path: Path) -> None:
    # WeasyPrint copies the bundled fonts into a temporary folder per renderer: build workers
    # and the print process of a one-filing build end without exit hooks, and left one each.
    project = _project(tmp_path / "p", "alpha", "beta")
    temp = tmp_path / "tmp"
    temp.mkdir()
    environment = {**os.environ, "TMPDIR": str(temp)}
    release = project.root / "content" / "alpha" / "press-release.md"
    for edit, jobs in (("", "2"), ("Two jobs, one filing.", "2"), ("One job.", "1")):
        if edit:  # one filing to build: with a second core, it prints in a process of its own
            release.write_text(release.read_text() + f"\n{edit}\n")
        completed = subprocess.run(
            [sys.executable, "build.py", "--project", str(project.root), "build", "-j", jobs],
            cwd=REPO,
            env=environment,
            capture_output=True,
            text=True,
        )
        assert completed.returncode == 0, completed.stdout + completed.stderr
        assert "0 failed" in completed.stdout
        assert sorted(p.name for p in temp.iterdir()) == [], (edit, jobs)


def test_the_temporary_folders_a_killed_build_left_go_with_the_next_build(tmp_path: Path) -> None:
    # SIGKILL runs no code: the next form8k process that makes such a folder removes them.
    project = _project(tmp_path / "p", "alpha")
    temp = tmp_path / "tmp"
    temp.mkdir()
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    dead = int(ended.stdout)
    left = [temp / f"form8k-fonts-{dead}-abc", temp / f"form8k-print-{dead}-def"]
    alive = temp / f"form8k-fonts-{os.getpid()}-ghi"  # this process's: alive, kept
    other = temp / f"form8k-other-{dead}-jkl"  # not one of form8k's kinds: kept
    for folder in (*left, alive, other):
        (folder / "weasyprint-x").mkdir(parents=True)
    completed = subprocess.run(
        [sys.executable, "build.py", "--project", str(project.root), "build", "-j", "1"],
        cwd=REPO,
        env={**os.environ, "TMPDIR": str(temp)},
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert sorted(p.name for p in temp.iterdir()) == sorted([alive.name, other.name])
