"""Incremental and parallel builds: skip what did not change, same bytes whatever --jobs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from form8k.pipeline import build
from form8k.project import Project
from tests.conftest import COMPANY_YAML, FILING_YAML, PRESS_RELEASE_MD, REPO


def outputs(out: Path) -> dict[str, tuple[int, bytes]]:
    """Every output file with its modification time (ns) and bytes."""
    return {
        p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".form8k-build" not in p.parts
    }


@pytest.fixture
def three(make_project) -> Project:
    """A project of three filings."""
    files = {}
    for name in ("second", "third"):
        files[f"content/{name}/filing.yaml"] = FILING_YAML
        files[f"content/{name}/press-release.md"] = PRESS_RELEASE_MD
    return Project.at(make_project(files))


def test_unchanged_filings_are_skipped_and_their_files_left_alone(three: Project) -> None:
    out = three.root / "output"
    first = build(three, out=out, formats=("html",))
    assert (first.skipped, first.failed) == (0, 0)
    before = outputs(out)
    again = build(three, out=out, formats=("html",))
    assert [r.skipped for r in again.results] == [True, True, True]
    assert [r.written for r in again.results] == [r.written for r in first.results]
    assert outputs(out) == before  # same bytes, and not even rewritten (same mtime)


def test_editing_one_filing_rebuilds_only_that_filing(three: Project) -> None:
    out = three.root / "output"
    build(three, out=out, formats=("html",))
    before = outputs(out)
    release = three.content / "second" / "press-release.md"
    release.write_text(release.read_text().replace("announced something", "announced more"))
    report = build(three, out=out, formats=("html",))
    assert [(r.key, r.skipped) for r in report.results] == [
        ("example", True),
        ("second", False),
        ("third", True),
    ]
    after = outputs(out)
    changed = {name for name in after if after[name] != before[name]}
    assert changed and all(name.startswith("second/") for name in changed)
    assert b"announced more" in after["second/exmp-ex99-1.htm"][1]


@pytest.mark.parametrize(
    "edit",
    ["templates/_signature.htm.j2", "templates/styles.yaml", "content/company.yaml"],
)
def test_a_shared_input_rebuilds_every_filing_that_uses_it(three: Project, edit: str) -> None:
    out = three.root / "output"
    build(three, out=out, formats=("html",))
    path = three.root / edit
    path.write_text(path.read_text() + "\n")
    report = build(three, out=out, formats=("html",))
    assert [r.skipped for r in report.results] == [False, False, False]


def test_force_options_and_missing_outputs_rebuild(three: Project) -> None:
    out = three.root / "output"
    build(three, out=out, formats=("html",))
    assert build(three, out=out, formats=("html",), force=True).skipped == 0
    assert build(three, out=out, formats=("html", "pdf")).skipped == 0
    (out / "third" / "exmp-ex99-1.htm").unlink()
    report = build(three, out=out, formats=("html", "pdf"))
    assert [r.skipped for r in report.results] == [True, True, False]


def test_a_file_named_from_elsewhere_in_the_project_is_part_of_the_fingerprint(
    make_project,
) -> None:
    logo = (REPO / "content" / "lumen-ridge" / "logo.jpg").read_bytes()
    root = make_project(
        {
            "content/acme/company.yaml": COMPANY_YAML + "logo: ../../assets/logo.jpg\n",
            "content/acme/x/filing.yaml": FILING_YAML,
            "content/acme/x/press-release.md": PRESS_RELEASE_MD,
        },
        example=False,
    )
    (root / "assets").mkdir()
    (root / "assets" / "logo.jpg").write_bytes(logo)  # neither in the filing's folders nor above
    project = Project.at(root)
    out = root / "output"
    assert build(project, out=out, formats=("html",)).failed == 0
    assert build(project, out=out, formats=("html",)).skipped == 1
    (root / "assets" / "logo.jpg").write_bytes(logo + b"\0")
    assert build(project, out=out, formats=("html",)).skipped == 0


def test_warnings_of_a_skipped_filing_are_reported_again(make_project) -> None:
    late = FILING_YAML.replace("filing_date: 2024-03-04", "filing_date: 2024-03-20").replace(
        '"8.01"', '"5.02"'
    )
    project = Project.at(make_project({"content/example/filing.yaml": late}))
    out = project.root / "output"
    first = build(project, out=out, formats=("html",))
    second = build(project, out=out, formats=("html",))
    assert second.skipped == 1
    assert [p.display(project.root) for p in second.problems] == [
        p.display(project.root) for p in first.problems
    ]
    assert second.problems[0].rule == "late-filing"


def test_outputs_are_byte_identical_with_one_or_two_jobs(three: Project, tmp_path: Path) -> None:
    one = build(three, out=tmp_path / "one", jobs=1)
    two = build(three, out=tmp_path / "two", jobs=2)
    assert [r.key for r in two.results] == [r.key for r in one.results]
    assert (one.failed, two.failed) == (0, 0)
    first = {k: v[1] for k, v in outputs(tmp_path / "one").items()}
    second = {k: v[1] for k, v in outputs(tmp_path / "two").items()}
    assert first.keys() == second.keys() and len(first) == 3 * 10
    for name in first:
        assert first[name] == second[name], name


def test_a_build_with_nothing_to_do_imports_no_renderer(three: Project) -> None:
    build(three, out=three.root / "output", formats=("html", "pdf"))
    script = (
        "import sys\n"
        "from form8k.cli import main\n"
        "try:\n"
        f"    main(['--project', {str(three.root)!r}, 'build'])\n"
        "except SystemExit as exit:\n"
        "    code = exit.code\n"
        "heavy = sorted(m for m in ('weasyprint', 'jinja2', 'pydantic', 'lxml')"
        " if m in sys.modules)\n"
        "print(code, heavy)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
    )
    lines = run.stdout.splitlines()
    assert lines[-1] == "0 []"
    assert "0 built, 3 unchanged, 0 failed; 0 errors, 0 warnings" in lines


def test_progress_is_told_of_every_filing_in_any_order_but_results_keep_theirs(
    three: Project,
) -> None:
    seen: list[tuple[str, int, int, bool]] = []

    def progress(result, done: int, total: int) -> None:
        seen.append((result.key, done, total, result.skipped))

    out = three.root / "output"
    build(three, out=out, formats=("html",), progress=progress)
    assert sorted((key, total, skipped) for key, _, total, skipped in seen) == [
        ("example", 3, False),
        ("second", 3, False),
        ("third", 3, False),
    ]
    assert [done for _, done, _, _ in seen] == [1, 2, 3]
    seen.clear()
    report = build(three, out=out, formats=("html",), progress=progress)
    assert [(key, skipped) for key, _, _, skipped in seen] == [
        ("example", True),
        ("second", True),
        ("third", True),
    ]
    assert [r.key for r in report.results] == ["example", "second", "third"]


def test_plain_lines_without_a_terminal(three: Project, run_cli) -> None:
    code, out, err = run_cli("--project", str(three.root), "build", "--format", "html")
    assert (code, err) == (0, "")
    assert [line.split()[0] for line in out.splitlines()] == ["built", "built", "built", "3"]
    code, out, _ = run_cli("--project", str(three.root), "build", "--format", "html")
    assert out.splitlines() == [
        "kept   example: unchanged since the last build",
        "kept   second: unchanged since the last build",
        "kept   third: unchanged since the last build",
        "0 built, 3 unchanged, 0 failed; 0 errors, 0 warnings",
    ]


def test_outputs_of_a_deleted_filing_are_removed_and_nothing_else(three: Project, run_cli):
    out = three.root / "output"
    build(three, out=out, formats=("html",))
    (out / "notes.txt").write_text("mine")
    shutil.rmtree(three.content / "second")
    code, stdout, _ = run_cli("--project", str(three.root), "build", "--format", "html")
    assert code == 0
    assert "removed second: its content is gone" in stdout.splitlines()
    assert not (out / "second").exists()
    assert not (out / ".form8k-build" / "stamps" / "second.json").exists()
    assert (out / ".form8k-build" / "stamps" / "third.json").is_file()
    assert (out / "example").is_dir() and (out / "third").is_dir()
    assert (out / "notes.txt").read_text() == "mine"
    # a build of some filings only never removes the others
    shutil.rmtree(three.content / "third")
    report = build(three, out=out, paths=[three.content / "example"], formats=("html",))
    assert report.removed == [] and (out / "third").is_dir()


def test_one_process_reuses_its_builder_until_the_templates_change(three: Project) -> None:
    from form8k import pipeline

    out = three.root / "output"
    pipeline._BUILDERS.clear()
    build(three, out=out, formats=("html",), force=True)
    ((_, first),) = pipeline._BUILDERS.values()
    build(three, out=out, formats=("html",), force=True)
    assert [builder for _, builder in pipeline._BUILDERS.values()] == [first]
    template = three.templates / "_signature.htm.j2"
    template.write_text(template.read_text().replace('title="Signatures"', 'title="Signed"'))
    report = build(three, out=out, formats=("html",))
    assert report.skipped == 0
    ((_, second),) = pipeline._BUILDERS.values()
    assert second is not first
    assert b'title="Signed"' in (out / "example" / "exmp-20240301.htm").read_bytes()
