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
    assert err.startswith("content/example/filing.yaml:2:17: error: date_of_report: ")
    assert "failed example: nothing written, previous output kept" in stdout
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == [".form8k-build", "example"]
    assert sorted(p.name for p in (out.parent / ".form8k-build").iterdir()) == ["lock", "stamps"]


def test_a_name_at_the_file_systems_limit_is_written(tmp_path: Path) -> None:
    """The hidden temporary names beside a folder keep only the start of its name."""
    target = tmp_path / "out" / ("n" * 255)
    write_filing(target, {"a.htm": b"one"})
    write_filing(target, {"a.htm": b"two"})
    assert snapshot(target) == {"a.htm": b"two"}
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_an_os_error_names_the_file_it_concerns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from form8k import write

    target = tmp_path / "out" / "filing"

    def full(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write, "_write_bytes", full)
    with pytest.raises(OSError) as raised:
        write_filing(target, {"a.htm": b"one"})
    assert raised.value.filename == str(target / "a.htm")
    assert list(target.parent.iterdir()) == []


def test_leftovers_are_removed_only_beside_the_names_given(tmp_path: Path) -> None:
    from form8k.write import remove_leftovers

    for name in (".filing.abcd1234.tmp", ".filing.abcd1234.old", ".other.abcd1234.tmp"):
        (tmp_path / name).mkdir()
    (tmp_path / "filing").mkdir()
    removed = remove_leftovers(tmp_path, {"filing"})
    assert sorted(p.name for p in removed) == [".filing.abcd1234.old", ".filing.abcd1234.tmp"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.abcd1234.tmp", "filing"]
