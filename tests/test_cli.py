"""The command line: what a user types, what they see, and the exit status."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from form8k.render import Renderer
from tests.conftest import EXAMPLE_FILINGS, REPO

#: The example filings alone, whatever else content/ holds.
EXAMPLE_FOLDERS = [f"content/{company}/{filing}" for company, filing in EXAMPLE_FILINGS]

LINK_WARNING = (
    "content/example/press-release.md:7: warning: link to 'https://example.com' written as "
    "plain text: EDGAR accepts links only to documents of the same submission or to "
    "EDGAR's archives"
)
PRESS_RELEASE_WITH_LINK = """\
---
headline: Example Corp. Announces Something
dateline:
  city: SPRINGFIELD, Ill.
  date: 2024-03-01
---
See [our site](https://example.com) for more.
"""


def test_no_command_builds_every_filing(make_project, run_cli) -> None:
    root = make_project(
        {
            "content/second/filing.yaml": (REPO / "tests" / "conftest.py")
            .read_text()
            .split('FILING_YAML = """\\\n')[1]
            .split('"""')[0],
            "content/second/press-release.md": "---\nheadline: H\ndateline:\n  city: X\n"
            "  date: 2024-03-01\n---\nText.\n",
        }
    )
    code, out, err = run_cli("--project", str(root))
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "2 built, 0 failed; 0 errors, 0 warnings"
    assert (root / "output" / "example" / "exmp-20240301.htm").is_file()
    assert (root / "output" / "second" / "exmp-20240301.htm").is_file()


def test_build_path_builds_only_that_filing_into_out(make_project, run_cli, tmp_path) -> None:
    root = make_project({"content/other/filing.yaml": "not: [valid"})
    out = tmp_path / "elsewhere"
    code, stdout, err = run_cli(
        "--project", str(root), "build", str(root / "content" / "example"), "--out", str(out)
    )
    assert (code, err) == (0, "")
    assert "built  example -> " in stdout
    assert sorted(p.name for p in (out / "example").iterdir())[:2] == [
        "exmp-20240301-combined.pdf",
        "exmp-20240301.htm",
    ]
    assert not (out / "other").exists()


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        (
            "html",
            [
                "exmp-20240301.htm",
                "exmp-20240301.xsd",
                "exmp-20240301_def.xml",
                "exmp-20240301_lab.xml",
                "exmp-20240301_pre.xml",
                "exmp-ex99-1.htm",
                "manifest.json",
            ],
        ),
        ("pdf", ["exmp-20240301-combined.pdf", "exmp-20240301.pdf", "exmp-ex99-1.pdf"]),
    ],
)
def test_format_writes_only_that_format(make_project, run_cli, fmt, expected) -> None:
    root = make_project()
    code, _, err = run_cli("--project", str(root), "build", "--format", fmt)
    assert (code, err) == (0, "")
    assert sorted(p.name for p in (root / "output" / "example").iterdir()) == expected


def test_bad_path_is_a_usage_error(make_project, run_cli, tmp_path) -> None:
    root = make_project()
    code, _, err = run_cli("--project", str(root), "build", str(tmp_path / "nowhere"))
    assert code == 2
    assert err.strip() == f"form8k: error: {tmp_path / 'nowhere'}: no such file or folder"
    code, _, err = run_cli("--project", str(root), "build", str(root / "templates"))
    assert code == 2
    assert "not inside" in err


def test_output_folder_may_not_be_the_content(make_project, run_cli) -> None:
    root = make_project()
    code, _, err = run_cli("--project", str(root), "build", "--out", str(root / "content"))
    assert code == 2
    assert "the output folder may not be" in err


def test_unknown_option_is_a_usage_error(run_cli) -> None:
    code, _, err = run_cli("build", "--fromat", "pdf")
    assert code == 2
    assert "No such option '--fromat'. (Did you mean one of: " in err
    assert "'--format'" in err.split("Did you mean", 1)[1]


def test_warnings_are_reported_with_location_and_fail_only_with_strict(make_project, run_cli):
    root = make_project({"content/example/press-release.md": PRESS_RELEASE_WITH_LINK})
    code, out, err = run_cli("--project", str(root), "build", "--format", "html")
    assert code == 0
    assert err.strip() == LINK_WARNING
    assert out.splitlines()[-1] == "1 built, 0 failed; 0 errors, 1 warning"

    (root / "output").rename(root / "previous")
    code, out, err = run_cli("--project", str(root), "build", "--format", "html", "--strict")
    assert code == 1
    assert err.strip() == LINK_WARNING
    assert out.splitlines()[-1] == (
        "0 built, 1 failed; 0 errors, 1 warning (--strict: warnings are errors)"
    )
    assert not (root / "output" / "example").exists()


def test_template_error_points_at_the_template_line(make_project, run_cli) -> None:
    root = make_project()
    template = root / "templates" / "_signature.htm.j2"
    lines = template.read_text().splitlines()
    line = next(i for i, text in enumerate(lines) if "css.signature.heading" in text)
    lines[line] = "<p>{{ signature_date.nmae }}</p>"
    template.write_text("\n".join(lines) + "\n")
    code, _, err = run_cli("--project", str(root), "build", "--format", "html")
    assert code == 1
    assert err.strip() == (
        f"templates/_signature.htm.j2:{line + 1}: error: template error: "
        "'datetime.date object' has no attribute 'nmae'"
    )


def test_internal_error_is_one_line_unless_debug(make_project, run_cli, monkeypatch) -> None:
    root = make_project()

    def broken(self: Renderer, bundle: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(Renderer, "render_filing", broken)
    code, out, err = run_cli("--project", str(root), "build")
    assert code == 70
    assert err.splitlines() == [
        "content/example/filing.yaml: error: internal error: RuntimeError: boom (a bug in form8k; "
        "the other filings are built)",
        "form8k: internal error (a bug) in the filings above (run with --debug for the traceback)",
    ]
    assert out.splitlines()[-1] == "0 built, 1 failed; 1 error, 0 warnings"
    code, _, err = run_cli("--project", str(root), "--debug", "build")
    assert code == 70
    assert "Traceback (most recent call last)" in err


def test_not_a_project_is_a_usage_error(run_cli, tmp_path) -> None:
    code, _, err = run_cli("--project", str(tmp_path), "build")
    assert code == 2
    assert (
        err.strip()
        == f"form8k: error: {tmp_path}: no content/ folder here; is this a form8k project? "
        "(`form8k init` makes one)"
    )


def test_build_py_and_console_script_build_byte_identical_output(tmp_path: Path) -> None:
    """Two separate processes (build.py and the installed console script) write the same bytes."""
    first, second = tmp_path / "first", tmp_path / "second"
    script = Path(sys.executable).parent / "form8k"
    subprocess.run(
        [sys.executable, "build.py", "build", *EXAMPLE_FOLDERS, "--out", str(first)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [str(script), "build", *EXAMPLE_FOLDERS, "--out", str(second)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert len(files) == 22  # 7 + 12 outputs, the two filings' build stamps and the (idle) lock
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_a_broken_template_folder_is_reported_once_without_a_traceback(
    make_project, run_cli
) -> None:
    root = make_project()
    (root / "templates" / "styles.yaml").write_text("- not\n- a mapping\n")
    code, _, err = run_cli("--project", str(root), "build")
    assert code == 2
    assert err.strip() == (
        "templates/styles.yaml:1:1: error: the style table must be a mapping of names to CSS "
        "declarations"
    )
    (root / "templates" / "styles.yaml").unlink()
    code, _, err = run_cli("--project", str(root), "build")
    assert code == 2 and err.startswith("templates/styles.yaml: error: cannot read")


def test_a_template_syntax_error_is_reported_once_for_all_filings(make_project, run_cli) -> None:
    from tests.conftest import FILING_YAML, PRESS_RELEASE_MD

    root = make_project(
        {"content/b/filing.yaml": FILING_YAML, "content/b/press-release.md": PRESS_RELEASE_MD}
    )
    template = root / "templates" / "exhibit.htm.j2"
    template.write_text(template.read_text() + "{% if %}\n")
    code, _, err = run_cli("--project", str(root), "build", "--jobs", "2")
    assert code == 2
    assert err.count("templates/exhibit.htm.j2:") == 1
    assert "Traceback" not in err
