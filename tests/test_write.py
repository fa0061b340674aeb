"""Nothing in output/ is half-written or lost: files appear all at once, or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from form8k.write import write_filing


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_write_replaces_the_folder_with_exactly_the_new_files(tmp_path: Path) -> None:
    target = tmp_path / "out" / "filing"
    write_filing(target, {"a.htm": b"one", "stale.htm": b"old"})
    write_filing(target, {"a.htm": b"two", "b.pdf": b"%PDF"})
    assert snapshot(target) == {"a.htm": b"two", "b.pdf": b"%PDF"}
    assert sorted(p.name for p in target.parent.iterdir()) == ["filing"]


def test_write_that_fails_keeps_the_previous_folder_and_leaves_no_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out" / "filing"
    write_filing(target, {"a.htm": b"good"})
    real_replace = os.replace

    def failing_replace(src: str | Path, dst: str | Path) -> None:
        if Path(src).name.endswith(".tmp"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError):
        write_filing(target, {"a.htm": b"new"})
    assert snapshot(target) == {"a.htm": b"good"}
    assert sorted(p.name for p in target.parent.iterdir()) == ["filing"]


def test_failed_build_leaves_previous_output_untouched(make_project, run_cli) -> None:
    root = make_project()
    code, _, err = run_cli("--project", str(root), "build")
    assert code == 0, err
    out = root / "output" / "example"
    before = snapshot(out)
    assert sorted(before) == [
        "exmp-20240301-combined.pdf",
        "exmp-20240301.htm",
        "exmp-20240301.pdf",
        "exmp-20240301.xsd",
        "exmp-20240301_def.xml",
        "exmp-20240301_lab.xml",
        "exmp-20240301_pre.xml",
        "exmp-ex99-1.htm",
        "exmp-ex99-1.pdf",
        "manifest.json",
    ]

    filing = root / "content" / "example" / "filing.yaml"
    filing.write_text(
        filing.read_text().replace("date_of_report: 2024-03-01", "date_of_report: soon")
    )
    code, stdout, err = run_cli("--project", str(root), "build")
    assert code == 1
    assert (
        "content/example/filing.yaml:2:17: error: date_of_report: input should be a valid date"
        in err
    )
    assert "failed example: nothing written, previous output kept" in stdout
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == [".form8k-build", "example"]
