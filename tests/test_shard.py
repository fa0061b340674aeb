"""A build spread over CI runners: `build --shard K/N` on each, `form8k merge` of their outputs
gives the bytes of one build on one machine, stamps included."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from form8k.errors import UsageError
from form8k.pipeline import build
from form8k.project import Project
from form8k.shard import Shard, assign
from tests.conftest import FILING_YAML, PRESS_RELEASE_MD

RECORD = Path(".form8k-build") / "shard.json"


def tree(out: Path) -> dict[str, bytes]:
    """Every file under ``out``, the build's records (stamps, lock) included."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
    }


@pytest.fixture
def six(make_project) -> Project:
    """Six filings of two companies, of different sizes."""
    files: dict[str, str] = {}
    for number in range(5):
        key = f"content/acme/2024-{number:02}"
        files[f"{key}/filing.yaml"] = FILING_YAML
        files[f"{key}/press-release.md"] = PRESS_RELEASE_MD + "More news.\n\n" * (number * 20)
    return Project.at(make_project(files))


def test_shards_are_every_filing_once_balanced_by_size() -> None:
    sizes = [(f"f{n}", size) for n, size in enumerate([900, 100, 100, 100, 500, 400, 300, 200])]
    shards = assign(sizes, 3)
    assert sorted(name for shard in shards for name in shard) == sorted(n for n, _ in sizes)
    loads = [sum(dict(sizes)[name] for name in shard) for shard in shards]
    assert max(loads) - min(loads) <= 100
    assert shards == assign(list(reversed(sizes)), 3)  # the same on every runner
    assert assign(sizes, 20)[19] == []  # more shards than filings: some build nothing
    assert Shard.parse(" 2 / 8 ") == Shard(2, 8)
    for wrong in ("0/4", "5/4", "2", "a/b", "-1/2"):
        with pytest.raises(UsageError, match="write K/N with 1 <= K <= N"):
            Shard.parse(wrong)


def test_four_shards_merged_are_the_one_machine_build_byte_for_byte(
    six: Project, tmp_path: Path, run_cli
) -> None:
    root = str(six.root)
    one = tmp_path / "one"
    code, _, err = run_cli("--project", root, "build", "--out", str(one), "-j", "1")
    assert (code, err) == (0, "")
    shards = [tmp_path / f"shard-{k}" for k in range(1, 5)]
    built: list[str] = []
    for k, folder in enumerate(shards, start=1):
        code, out, err = run_cli(
            "--project", root, "build", "--shard", f"{k}/4", "--out", str(folder), "-j", "1"
        )
        assert (code, err) == (0, ""), out
        record = json.loads((folder / RECORD).read_text())
        assert record["shard"] == f"{k}/4" and record["project"] == root
        assert set(record["filings"].values()) <= {"built"}
        built += record["filings"]
    assert sorted(built) == sorted(six.key(p.parent) for p in six.content.rglob("filing.yaml"))
    merged = tmp_path / "merged"
    code, out, err = run_cli("merge", *map(str, shards), "--out", str(merged))
    assert (code, err) == (0, ""), out
    assert out.splitlines()[-1].startswith("6 merged into ")
    assert tree(merged) == tree(one)  # the stamps and the idle lock included; no shard record
    # a later build there keeps everything
    assert build(six, out=merged).skipped == 6


def test_shards_built_from_a_restored_output_keep_what_is_unchanged(
    six: Project, tmp_path: Path, run_cli
) -> None:
    """CI restores the last merged output into each runner: a shard keeps its unchanged
    filings, and merge takes from each shard only its own."""
    root = str(six.root)
    merged = tmp_path / "merged"
    build(six, out=merged, jobs=1)
    release = six.content / "acme" / "2024-03" / "press-release.md"
    release.write_text(release.read_text() + "An edit.\n")
    shards = []
    for k in (1, 2):
        folder = tmp_path / f"shard-{k}"
        shutil.copytree(merged, folder)
        code, _, err = run_cli(
            "--project", root, "build", "--shard", f"{k}/2", "--out", str(folder)
        )
        assert (code, err) == (0, "")
        shards.append(folder)
    outcomes = {
        key: outcome
        for folder in shards
        for key, outcome in json.loads((folder / RECORD).read_text())["filings"].items()
    }
    assert outcomes == {key: "built" if key == "acme/2024-03" else "kept" for key in outcomes}
    assert len(outcomes) == 6
    code, _, err = run_cli("merge", *map(str, shards), "--out", str(merged))
    assert (code, err) == (0, "")
    fresh = tmp_path / "fresh"
    build(six, out=fresh, jobs=1)
    assert tree(merged) == tree(fresh)


def test_a_shard_build_never_removes_other_shards_filings(six: Project, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(six, out=out, formats=("html",))
    shutil.rmtree(
        six.content / "acme" / "2024-00"
    )  # a deleted filing: only a full build removes it
    before = tree(out)
    report = build(six, out=out, formats=("html",), shard=Shard(1, 3))
    assert report.removed == [] and len(report.results) <= 3
    after = tree(out)
    assert {name for name in before if name not in after} == set()
    assert (out / "acme" / "2024-00").is_dir()
    # a whole build afterwards removes it, and the shard's record goes too
    assert build(six, out=out, formats=("html",)).removed == ["acme/2024-00"]
    assert not (out / RECORD).exists()


def _shards(project: Project, tmp_path: Path, count: int) -> list[Path]:
    folders = []
    for k in range(1, count + 1):
        folder = tmp_path / f"s{k}"
        assert build(project, out=folder, formats=("html",), shard=Shard(k, count)).failed == 0
        folders.append(folder)
    return folders


def test_merge_refuses_shards_that_are_not_the_n_of_one_build(
    six: Project, tmp_path: Path, run_cli
) -> None:
    s1, s2, s3 = _shards(six, tmp_path, 3)
    out = str(tmp_path / "merged")
    cases = {
        (str(s1), str(s2)): "shard 3 of 3 is missing: merge the outputs of all 3",
        (str(s1), str(s1), str(s2), str(s3)): "shard 1/3 is given twice",
        (str(s1), str(s2), str(six.root)): "not the output of a shard's build",
    }
    for shards, message in cases.items():
        code, stdout, stderr = run_cli("merge", *shards, "--out", out)
        assert code == 2 and message in stderr and stdout == "", (shards, stderr)
    other = tmp_path / "other"
    assert build(six, out=other, formats=("html",), shard=Shard(1, 2)).failed == 0
    code, _, stderr = run_cli("merge", str(other), str(s2), str(s3), "--out", out)
    assert code == 2 and "split differently" in stderr
    assert not (tmp_path / "merged").exists()


def test_a_damaged_artifact_merges_nothing_into_a_new_folder(
    six: Project, tmp_path: Path, run_cli
) -> None:
    folders = _shards(six, tmp_path, 2)
    record = json.loads((folders[1] / RECORD).read_text())
    key = sorted(record["filings"])[0]
    exhibit = folders[1] / key / "exmp-ex99-1.htm"
    exhibit.write_bytes(exhibit.read_bytes()[:-10])  # cut short
    merged = tmp_path / "merged"
    code, _, stderr = run_cli("merge", *map(str, folders), "--out", str(merged))
    assert code == 1
    assert f"{exhibit}: error: is not the file shard 2/2's build wrote" in stderr
    assert not merged.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".merged.")]


def test_merge_into_an_existing_output_replaces_built_filings_and_removes_gone_ones(
    six: Project, tmp_path: Path, run_cli
) -> None:
    out = tmp_path / "out"
    build(six, out=out, formats=("html",))
    (out / "notes.txt").write_text("mine")
    shutil.rmtree(six.content / "acme" / "2024-01")
    (six.content / "acme" / "2024-02" / "filing.yaml").write_text(
        FILING_YAML.replace("filing_date: 2024-03-04", "filing_date: 2024-03-03")  # a Sunday
    )
    folders = []
    for k in (1, 2):
        folder = tmp_path / f"s{k}"
        build(six, out=folder, formats=("html",), shard=Shard(k, 2))
        folders.append(folder)
    code, stdout, _ = run_cli("merge", *map(str, folders), "--out", str(out))
    assert code == 1  # a filing failed in its shard
    assert "removed acme/2024-01: its content is gone" in stdout.splitlines()
    assert any(line.startswith("failed acme/2024-02: shard ") for line in stdout.splitlines())
    assert (out / "acme" / "2024-02" / "manifest.json").is_file()  # its earlier output is kept
    assert (out / "notes.txt").read_text() == "mine"
    fresh = tmp_path / "fresh"
    shutil.copytree(tmp_path / "out", fresh)
    report = build(six, out=fresh, formats=("html",))
    assert report.removed == [] and [r.key for r in report.results if not r.skipped] == [
        "acme/2024-02"
    ]


def test_the_sample_workflow_builds_every_shard_and_merges_them() -> None:
    import yaml

    from tests.conftest import REPO

    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "filings-sharded.yml").read_text())
    build_job, merge_job = workflow["jobs"]["build"], workflow["jobs"]["merge"]
    matrix = build_job["strategy"]["matrix"]["shard"]
    assert matrix == list(range(1, int(workflow["env"]["SHARDS"]) + 1))
    runs = " ".join(step.get("run", "") for step in build_job["steps"])
    assert "--shard ${{ matrix.shard }}/${{ env.SHARDS }}" in runs
    (upload,) = [s for s in build_job["steps"] if "upload-artifact" in s.get("uses", "")]
    assert upload["with"]["include-hidden-files"] is True  # the stamps and the shard's record
    assert merge_job["needs"] == "build"
    assert any("form8k merge shards/" in step.get("run", "") for step in merge_job["steps"])
    installs = [
        s
        for job in (build_job, merge_job)
        for s in job["steps"]
        if "FORM8K_SPEC" in s.get("run", "")
    ]
    assert len(installs) == 2  # installed as `form8k init`'s workflow installs it
    assert not any(
        "build.py" in s.get("run", "") or "scripts/" in s.get("run", "")
        for job in (build_job, merge_job)
        for s in job["steps"]
    )


def test_merge_never_writes_or_reads_outside_the_folders_it_is_given(
    six: Project, tmp_path: Path, run_cli
) -> None:
    # An artifact is data from elsewhere: its record and stamps name paths, its files may be links.
    folders = _shards(six, tmp_path, 2)
    merged = tmp_path / "deep" / "merged"
    record = json.loads((folders[0] / RECORD).read_text())
    key = sorted(record["filings"])[0]
    for bad in ("../../escaped", "/tmp/escaped", "a/./b", ".form8k-build/stamps"):
        changed = {**record, "filings": {**record["filings"], bad: "built"}}
        (folders[0] / RECORD).write_text(json.dumps(changed))
        code, _, stderr = run_cli("merge", *map(str, folders), "--out", str(merged))
        assert code == 2 and "is not a filing folder's name" in stderr, (bad, stderr)
    (folders[0] / RECORD).write_text(json.dumps(record))
    assert not (tmp_path / "escaped").exists() and not merged.exists()

    stamp_file = folders[0] / ".form8k-build" / "stamps" / f"{key}.json"
    stamp = json.loads(stamp_file.read_text())
    secret = tmp_path / "secret.txt"
    secret.write_text("not the shard's")
    name = stamp["outputs"][0]
    target = folders[0] / key / name
    target.unlink()
    target.symlink_to(secret)  # its digest made to match: only the link gives it away
    stamp["hashes"][name] = hashlib.sha256(secret.read_bytes()).hexdigest()
    stamp_file.write_text(json.dumps(stamp))
    code, _, stderr = run_cli("merge", *map(str, folders), "--out", str(merged))
    assert code == 1 and "links outside the shard's output folder" in stderr, stderr
    assert not merged.exists()

    stamp["outputs"] = [*stamp["outputs"], "../b.txt"]
    stamp_file.write_text(json.dumps(stamp))
    code, _, stderr = run_cli("merge", *map(str, folders), "--out", str(merged))
    assert code == 1 and "names '../b.txt', not an output file's name" in stderr, stderr
    assert not (tmp_path / "deep" / "b.txt").exists()


def test_merge_refuses_to_write_into_a_projects_content(
    six: Project, tmp_path: Path, run_cli
) -> None:
    folders = _shards(six, tmp_path, 2)
    before = tree(six.content)
    for out in (six.content, six.content / "acme", six.root):
        code, _, stderr = run_cli(
            "--project", str(six.root), "merge", *map(str, folders), "--out", str(out)
        )
        assert code == 2 and "the output folder may not be" in stderr, (out, stderr)
    assert tree(six.content) == before


def test_a_shard_build_that_stops_leaves_no_earlier_record_behind(
    six: Project, tmp_path: Path, run_cli
) -> None:
    (s1,) = _shards(six, tmp_path, 1)
    assert (s1 / RECORD).is_file()
    (six.root / "templates" / "styles.yaml").write_text("- not\n- a mapping\n")
    code, _, stderr = run_cli(
        "--project", str(six.root), "build", "--shard", "1/1", "--out", str(s1), "--force"
    )
    assert code == 2 and "styles.yaml" in stderr
    assert not (s1 / RECORD).exists()  # merge cannot take the last run's record for this one
