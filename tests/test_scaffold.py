"""form8k init and form8k new: content that builds at once, never overwriting anything."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from form8k.schema import SCHEMAS, schema


def _run(run_cli, root: Path, *args: str) -> tuple[int, str, str]:
    return run_cli("--project", str(root), *args)


def test_init_then_new_filing_then_build(tmp_path: Path, run_cli, monkeypatch) -> None:
    root = tmp_path / "filings"
    code, out, err = run_cli("init", str(root), "--company", "acme")
    assert (code, err) == (0, "")
    for name in (
        "form8k.yaml",
        ".gitignore",
        ".github/workflows/filings.yml",
        ".form8k/schemas/company.schema.json",
        "content/acme/company.yaml",
    ):
        assert (root / name).is_file(), name
    assert not (root / "templates").exists()  # form8k's own look, until the project wants its own
    company = (root / "content/acme/company.yaml").read_text()
    assert company.startswith(
        "# yaml-language-server: $schema=../../.form8k/schemas/company.schema.json\n"
    )

    code, out, err = _run(
        run_cli, root, "new", "filing", "--items", "2.02,9.01", "--date", "2026-11-25"
    )
    assert (code, err) == (0, ""), out
    folder = root / "content/acme/2026-11-25-item-2-02"
    assert (folder / "filing.yaml").is_file() and (folder / "press-release.md").is_file()
    filing = yaml.safe_load((folder / "filing.yaml").read_text())
    assert [item["number"] for item in filing["items"]] == ["2.02", "9.01"]
    assert filing["filing_date"] == "2026-11-25"

    code, out, err = _run(run_cli, root, "build")
    assert code == 0, out + err
    assert (root / "output/acme/2026-11-25-item-2-02/acme-20261125.pdf").is_file()
    # the placeholders are warned about until replaced: --strict refuses them
    assert err.count("placeholder-value") == 3
    code, out, _ = _run(run_cli, root, "check", "--strict")
    assert code == 1


def test_the_next_filing_day_is_taken_when_edgar_is_closed(tmp_path: Path, run_cli) -> None:
    root = tmp_path / "filings"
    run_cli("init", str(root))
    # Thanksgiving 2026 is a Thursday: filed the Friday after
    code, _, err = _run(run_cli, root, "new", "filing", "--date", "2026-11-26", "--items", "8.01")
    assert (code, err) == (0, "")
    filing = yaml.safe_load((root / "content/example/2026-11-26-item-8-01/filing.yaml").read_text())
    assert (filing["date_of_report"], filing["filing_date"]) == ("2026-11-26", "2026-11-27")


def test_a_filing_from_an_earlier_one_and_an_amendment(tmp_path: Path, run_cli) -> None:
    root = tmp_path / "filings"
    run_cli("init", str(root))
    _run(run_cli, root, "new", "filing", "--items", "5.02,9.01", "--date", "2026-11-02")
    earlier = root / "content/example/2026-11-02-item-5-02"
    code, _, err = _run(
        run_cli, root, "new", "filing", "--from", str(earlier), "--date", "2026-11-16"
    )
    assert (code, err) == (0, "")
    (later,) = [p for p in (root / "content/example").iterdir() if p.name.startswith("2026-11-16")]
    data = yaml.safe_load((later / "filing.yaml").read_text())
    assert [item["number"] for item in data["items"]] == ["5.02", "9.01"]
    assert data["date_of_report"] == "2026-11-16" and (later / "press-release.md").is_file()

    code, _, err = _run(run_cli, root, "new", "amendment", str(earlier))
    assert (code, err) == (0, "")
    amendment = root / "content/example/2026-11-02-item-5-02-amendment-1"
    data = yaml.safe_load((amendment / "filing.yaml").read_text())
    assert (data["form_type"], data["amendment_number"]) == ("8-K/A", 1)
    assert data["date_of_report"] == "2026-11-02"
    code, out, _ = _run(run_cli, root, "check")
    assert code == 0, out
    assert "example/2026-11-02-item-5-02-amendment-1: Form 8-K/A of 2026-11-02" in out


def test_nothing_is_overwritten(tmp_path: Path, run_cli) -> None:
    root = tmp_path / "filings"
    run_cli("init", str(root))
    code, _, err = run_cli("init", str(root))
    assert code == 2 and "content/ already exists" in err
    code, _, err = _run(run_cli, root, "new", "company", "example")
    assert code == 2 and "already exists; form8k never overwrites content" in err
    _run(run_cli, root, "new", "company", "second")
    code, _, err = _run(run_cli, root, "new", "filing")
    assert code == 2 and "name the company's folder" in err


def test_the_schemas_accept_the_examples_and_refuse_a_typo() -> None:
    from tests.conftest import REPO

    company = json.loads(schema(SCHEMAS["company.schema.json"]))
    data = yaml.safe_load((REPO / "content/lumen-ridge/company.yaml").read_text())
    jsonschema.validate(json.loads(json.dumps(data, default=str)), company)
    filing = json.loads(schema(SCHEMAS["filing.schema.json"]))
    data = yaml.safe_load(
        (REPO / "content/lumen-ridge/2025-11-06-q3-results/filing.yaml").read_text()
    )
    jsonschema.validate(json.loads(json.dumps(data, default=str)), filing)
    data["itmes"] = data.pop("items")
    try:
        jsonschema.validate(json.loads(json.dumps(data, default=str)), filing)
    except jsonschema.ValidationError as error:
        assert "itmes" in error.message or "items" in error.message
    else:
        raise AssertionError("a misspelt key passed the schema")


def test_what_new_reads_is_read_as_the_build_reads_it(tmp_path: Path, run_cli) -> None:
    """A broken or outside company.yaml is a located error, never a traceback or a read of a
    file outside the project; a filing to copy must be the project's."""
    root = tmp_path / "filings"
    run_cli("init", str(root))
    company = root / "content/example/company.yaml"
    kept = company.read_text()
    company.write_text("name: [Acme\n")
    code, _, err = _run(run_cli, root, "new", "filing")
    assert code == 2 and "content/example/company.yaml:1:" in err and "Traceback" not in err

    secret = tmp_path / "secret.yaml"
    secret.write_text("name: Not For Messages\n")
    company.unlink()
    company.symlink_to(secret)
    code, _, err = _run(run_cli, root, "new", "filing")
    assert code == 2 and "a link to a file outside the project" in err
    assert "Not For Messages" not in err
    assert not any((root / "content/example").glob("*-item-*"))

    company.unlink()
    company.write_text(kept)
    other = tmp_path / "other"
    run_cli("init", str(other))
    _run(run_cli, other, "new", "filing", "--date", "2026-11-02")
    outside = other / "content/example/2026-11-02-item-8-01"
    code, _, err = _run(run_cli, root, "new", "filing", "--from", str(outside))
    assert code == 2 and "not in this project" in err


def test_a_copy_keeps_the_values_as_written(tmp_path: Path, run_cli) -> None:
    root = tmp_path / "filings"
    run_cli("init", str(root))
    _run(run_cli, root, "new", "filing", "--items", "2.02,9.01", "--date", "2026-11-02")
    earlier = root / "content/example/2026-11-02-item-2-02"
    (earlier / "filing.yaml").write_text(
        (earlier / "filing.yaml").read_text() + "check_boxes:\n  written_communications: false\n"
    )
    code, _, err = _run(
        run_cli, root, "new", "filing", "--from", str(earlier), "--date", "2026-11-16"
    )
    assert (code, err) == (0, "")
    text = (root / "content/example/2026-11-16-item-2-02/filing.yaml").read_text()
    assert "written_communications: false\n" in text


def test_the_workflow_of_init_installs_form8k_from_the_teams_variable_only(
    tmp_path: Path, run_cli, monkeypatch
) -> None:
    # a bare package name would install whatever the package index holds under that name
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("init")
    assert code == 0, out + err
    workflow = yaml.safe_load((tmp_path / ".github/workflows/filings.yml").read_text())
    steps = [step.get("run", "") for step in workflow["jobs"]["filings"]["steps"]]
    (install,) = [run for run in steps if "pip install" in run]
    assert 'pip install "${{ vars.FORM8K_SPEC }}"' in install
    assert "||" not in install and "exit 1" in install
