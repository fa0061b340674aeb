"""Per-document rebuilds: a document's PDF is printed again only when what it is printed from
changed, and the output is always the bytes of a full build (stamps included)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from form8k import pipeline
from form8k.fingerprint import CLOCK_GRAIN_NS
from form8k.pipeline import build
from form8k.project import Project
from tests.conftest import FILING_YAML, PRESS_RELEASE_MD

EIGHT_K, RELEASE = "exmp-20240301.htm", "exmp-ex99-1.htm"


def tree(out: Path) -> dict[str, bytes]:
    """Every file under ``out``, the build's records included."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
    }


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (old, path)
    path.write_text(text.replace(old, new))


def same_as_a_full_build(project: Project, out: Path, tmp_path: Path, **options: object) -> None:
    """``out`` holds the bytes, stamps included, of a --force build of the files as they are."""
    clean = tmp_path / f"clean-{time.monotonic_ns()}"
    report = build(project, out=clean, force=True, **options)  # type: ignore[arg-type]
    assert report.failed == 0, [p.display(project.root) for p in report.problems]
    ours, theirs = tree(out), tree(clean)
    assert ours.keys() == theirs.keys()
    assert [name for name in ours if ours[name] != theirs[name]] == []


@pytest.fixture
def two(make_project) -> Project:
    """Two filings of one company (one is built, the other kept)."""
    return Project.at(
        make_project(
            {
                "content/other/filing.yaml": FILING_YAML,
                "content/other/press-release.md": PRESS_RELEASE_MD,
            }
        )
    )


EDITS = {
    # what is edited: (file, old, new, documents printed again)
    "the 8-K only": (
        "content/example/filing.yaml",
        "Something happened.",
        "Something else happened.",
        [EIGHT_K],
    ),
    "the press release": (
        "content/example/press-release.md",
        "announced something",
        "announced something more",
        [RELEASE],
    ),
    "company.yaml": (
        "content/company.yaml",
        "Example Corp.",
        "Example Corp. Two",
        [EIGHT_K, RELEASE],
    ),
    "a template of the 8-K": (
        "templates/_signature.htm.j2",
        'title="Signatures"',
        'title="Signed"',
        [EIGHT_K],
    ),
    "the print stylesheet": (
        "templates/print.css",
        "p { orphans: 2; widows: 2; }",
        "p { orphans: 3; widows: 3; }",
        [EIGHT_K, RELEASE],
    ),
}


@pytest.mark.parametrize("jobs", [1, 2], ids=["in-process", "print-process"])
@pytest.mark.parametrize("what", list(EDITS))
def test_an_edit_prints_only_the_documents_it_changes_and_gives_a_full_builds_bytes(
    two: Project, tmp_path: Path, what: str, jobs: int
) -> None:
    out = two.root / "output"
    assert build(two, out=out).failed == 0
    name, old, new, printed = EDITS[what]
    edit(two.root / name, old, new)
    report = build(two, out=out, jobs=jobs)
    by_key = {result.key: result for result in report.results}
    if name.startswith("content/example/"):
        assert by_key["other"].skipped
    else:
        assert by_key["other"].printed == printed
    assert by_key["example"].printed == printed
    assert by_key["example"].written == sorted(by_key["example"].written)
    same_as_a_full_build(two, out, tmp_path)


def test_a_kept_pdf_is_the_last_builds_own_and_force_prints_everything(
    two: Project, tmp_path: Path
) -> None:
    out = two.root / "output"
    build(two, out=out)
    pdf = out / "example" / "exmp-20240301.pdf"
    data = bytearray(pdf.read_bytes())
    data[-20] ^= 1  # a changed byte, same size: not the PDF the build wrote
    pdf.write_bytes(bytes(data))
    edit(two.content / "example" / "press-release.md", "announced something", "announced more")
    report = build(two, out=out)
    assert report.results[0].printed == [EIGHT_K, RELEASE]  # the 8-K's PDF is not trusted
    same_as_a_full_build(two, out, tmp_path)
    forced = build(two, out=out, force=True)
    assert [r.printed for r in forced.results] == [[EIGHT_K, RELEASE]] * 2


def test_the_warnings_of_a_kept_pdf_are_reported_again(two: Project, tmp_path: Path) -> None:
    """WeasyPrint warns of the release's unknown style; editing the 8-K keeps the release's
    PDF, and its warnings are those a full build reports."""
    template = two.templates / "press-release.htm.j2"
    edit(template, '<div id="press-release"', '<div style="form8k-unknown: 1" id="press-release"')
    out = two.root / "output"
    first = build(two, out=out, formats=("pdf",))
    assert first.failed == 0
    warned = [p.message for p in first.results[0].problems]
    assert any("form8k-unknown" in message for message in warned), warned
    edit(two.content / "example" / "filing.yaml", "Something happened.", "Something else.")
    again = build(two, out=out, formats=("pdf",))
    assert again.results[0].printed == [EIGHT_K]
    assert [p.message for p in again.results[0].problems] == warned
    same_as_a_full_build(two, out, tmp_path, formats=("pdf",))


def test_html_then_pdf_prints_every_document(two: Project, tmp_path: Path) -> None:
    out = two.root / "output"
    build(two, out=out, formats=("html",))
    report = build(two, out=out)
    assert [r.printed for r in report.results] == [[EIGHT_K, RELEASE]] * 2
    same_as_a_full_build(two, out, tmp_path)


# --- The print process of a build of one filing -------------------------------------------------


def _children() -> set[int]:
    me = os.getpid()
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == me and fields[0] != "Z":
                found.add(int(entry.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("started", ["forked", "spawned"])
def test_one_filing_with_a_free_core_prints_in_a_process_that_ends_with_the_build(
    two: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: str
) -> None:
    out = two.root / "output"
    build(two, out=out, jobs=1)
    # This process has printed: a build here starts its print process afresh, never forked.
    assert not pipeline._can_fork()
    # Forked, as from a command's fresh process; or afresh, as from one with other threads.
    monkeypatch.setattr(pipeline, "_can_fork", lambda: started == "forked")
    made: list[pipeline._PrintProcess] = []
    real = pipeline._PrintProcess.__init__

    def noting(self, project):  # type: ignore[no-untyped-def]
        real(self, project)
        made.append(self)

    monkeypatch.setattr(pipeline._PrintProcess, "__init__", noting)
    before = _children()
    edit(two.content / "example" / "press-release.md", "announced something", "announced more")
    report = build(two, out=out, jobs=2)
    assert len(made) == 1 and (made[0].process is not None) == (started == "spawned")
    assert report.results[0].printed == [RELEASE] and report.results[1].skipped
    assert _children() <= before  # the print process has ended
    same_as_a_full_build(two, out, tmp_path)


def test_a_filing_with_an_error_prints_nothing_and_leaves_no_process(
    two: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = two.root / "output"
    build(two, out=out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # a filing date on a Sunday: an error of the checks, which run while the print process prints
    edit(
        two.content / "example" / "filing.yaml",
        "filing_date: 2024-03-04",
        "filing_date: 2024-03-03",
    )
    report = build(two, out=out, jobs=2)
    assert not report.results[0].ok
    assert [p.rule for p in report.results[0].problems] == ["filing-date-closed"]
    assert {
        p: p.read_bytes() for p in out.rglob("*") if p.is_file() and "stamps" not in p.parts
    } == {p: d for p, d in before.items() if "stamps" not in p.parts}


def test_a_print_stylesheet_without_fonts_is_one_clear_error_either_way(
    make_project, run_cli
) -> None:
    one = Project.at(make_project())
    root = str(one.root)
    assert run_cli("--project", root, "build", "-j", "1")[0] == 0
    css = one.templates / "print.css"
    text = css.read_text()
    while "@font-face" in text:
        start = text.index("@font-face")
        text = text[:start] + text[text.index("}", start) + 1 :]
    css.write_text(text)
    outcomes = [run_cli("--project", root, "build", "-j", jobs) for jobs in ("1", "2")]
    assert outcomes[0] == outcomes[1]
    code, stdout, stderr = outcomes[0]
    assert code == 2 and stdout == ""
    assert "the print stylesheet loads no font (@font-face)" in stderr


# --- Outputs vouched for by their stamp -----------------------------------------------------------


def _settle() -> None:
    time.sleep(3 * CLOCK_GRAIN_NS / 1e9)


def test_a_hand_edit_after_the_stamp_vouched_for_the_outputs_is_built_again(
    two: Project, tmp_path: Path
) -> None:
    out = two.root / "output"
    build(two, out=out, formats=("html",))
    _settle()
    assert build(two, out=out, formats=("html",)).skipped == 2  # reads them, then vouches
    stamp = out / ".form8k-build" / "stamps" / "example.json"
    vouched = stamp.stat()
    assert build(two, out=out, formats=("html",)).skipped == 2  # without reading them
    exhibit = out / "example" / RELEASE
    exhibit.write_bytes(exhibit.read_bytes().replace(b"something", b"somethinG"))  # same size
    report = build(two, out=out, formats=("html",))
    assert [r.skipped for r in report.results] == [False, True]
    assert stamp.stat().st_ino != vouched.st_ino
    same_as_a_full_build(two, out, tmp_path, formats=("html",))


def test_a_copied_output_folder_is_read_again(two: Project, tmp_path: Path) -> None:
    out = two.root / "output"
    build(two, out=out, formats=("html",))
    _settle()
    build(two, out=out, formats=("html",))  # the stamps vouch for the outputs
    exhibit = out / "example" / RELEASE
    exhibit.write_bytes(exhibit.read_bytes().replace(b"something", b"somethinG"))
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-a", str(out), str(copy)], check=True)  # times kept, new inodes
    assert [r.skipped for r in build(two, out=copy, formats=("html",)).results] == [False, True]
    shutil.rmtree(copy)


def test_a_build_with_nothing_to_do_reads_no_output_once_vouched(
    two: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = two.root / "output"
    build(two, out=out)
    _settle()
    build(two, out=out)
    read: list[Path] = []
    real = Path.read_bytes

    def reading(self: Path) -> bytes:
        read.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", reading)
    assert build(two, out=out).skipped == 2
    assert [path for path in read if path.is_relative_to(out / "example")] == []
