"""form8k.efm: the SEC's EDGAR plugin for Arelle over a submission folder, offline.

Uses the plugin and the offline taxonomy cache in shared/efm/ beside the repository (skipped
when absent). Real EDGAR-accepted submissions must give what the shared reference runner
(shared/efm/validate, Arelle on the command line) gives for them; copies of a real submission,
each broken in one way, must give the EFM error for it, with document, line and fact ids.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import yaml

from form8k import efm
from form8k.efm import (
    EdgarPluginError,
    EdgarSetup,
    EfmMessage,
    SubmissionDocument,
    SubmissionHeader,
    find_plugin,
    read_manifest_header,
    validate_submission,
)

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
EFM_DIR = SHARED / "efm"
PLUGIN = EFM_DIR / "EDGAR"
CACHE = EFM_DIR / "xbrl-cache" / "cache"
REAL = SHARED / "reference" / "real-filings"
ADBE = REAL / "adbe-2023-03-15"
ADBE_PRIMARY = "adbe-20230315.htm"
ADBE_SCHEMA = "adbe-20230315.xsd"
ADBE_LABELS = "adbe-20230315_lab.xml"


@pytest.fixture(scope="module")
def setup() -> EdgarSetup:
    if not (PLUGIN / "validate" / "__init__.py").is_file() or not CACHE.is_dir():
        pytest.skip(f"the EDGAR plugin and taxonomy cache are not here: {EFM_DIR}")
    return EdgarSetup.locate(PLUGIN, cache=CACHE)


def real_header(folder: Path) -> SubmissionHeader:
    """The EDGAR header of a real submission, from its meta.yaml and header.txt."""
    meta = yaml.safe_load((folder / "meta.yaml").read_text(encoding="utf-8"))
    sgml = folder / "header.txt"
    fye = re.search(r"FISCAL YEAR END:\s*(\d\d)(\d\d)", sgml.read_text() if sgml.exists() else "")
    inline = meta.get("primary_document") if meta.get("inline_xbrl") else None
    return SubmissionHeader(
        form_type=meta["form"],
        cik=meta["cik"],
        period=date.fromisoformat(meta["date_of_report"]),
        items=[str(i) for i in meta.get("items") or []],
        documents=[
            SubmissionDocument(f["file"], f["edgar_type"], f["file"] == inline)
            for f in meta["files"]
            if f.get("made_by") == "filer"
        ],
        fiscal_year_end=f"{fye.group(1)}/{fye.group(2)}" if fye else None,
    )


def reference_runner(folder: Path, *options: str) -> set[tuple[str, str, str]]:
    """(severity, code, document) of every message of shared/efm/validate on `folder`."""
    run = subprocess.run(
        [str(EFM_DIR / "validate"), str(folder), *options],
        env={**os.environ, "EFM_PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.stdout.rstrip().splitlines()[-1].startswith("efm: "), run.stdout + run.stderr
    found = set()
    for line in run.stdout.splitlines():
        match = re.match(r"^([A-Z-]+)\s+(\S+) \[([^\]]+)\] ", line)
        if match:
            level, code, document = match.groups()
            found.add(("error" if level.startswith("ERROR") else "warning", code, document))
    return found


def listing(messages: list[EfmMessage]) -> str:
    return "\n".join(m.display() for m in messages)


def broken_adbe(tmp_path: Path, change: Callable[[Path], None]) -> Path:
    """A copy of ADBE's submission with `change` applied to it."""
    folder = tmp_path / "adbe"
    shutil.copytree(ADBE, folder)
    for path in folder.iterdir():
        path.chmod(0o644)
    change(folder)
    return folder


def edit(path: Path, old: str, new: str, count: int = -1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path.name}")


def ecik_fact_id() -> str:
    text = (ADBE / ADBE_PRIMARY).read_text(encoding="utf-8")
    match = re.search(r'<ix:nonNumeric[^>]*name="dei:EntityCentralIndexKey"[^>]*id="([^"]+)"', text)
    assert match
    return match.group(1)


# --- finding the plugin -----------------------------------------------------------------------


def test_a_missing_plugin_says_how_to_get_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(efm.PLUGIN_ENV, raising=False)
    for call in (
        lambda: find_plugin(tmp_path / "nowhere"),
        lambda: find_plugin(None),
        lambda: find_plugin(config="nowhere", base=tmp_path),
        lambda: EdgarSetup.locate(tmp_path),  # a folder, but not the plugin
    ):
        with pytest.raises(EdgarPluginError) as error:
            call()
        message = str(error.value)
        for hint in (
            "git clone https://github.com/Arelle/EDGAR",
            "--edgar-plugin",
            efm.PLUGIN_ENV,
            "edgar_plugin:",
        ):
            assert hint in message
    assert error.value.exit_code == 2  # a usage error: the CLI prints it, no traceback


def test_the_plugin_folder_must_be_named_edgar(tmp_path: Path) -> None:
    fake = tmp_path / "edgar-plugin"
    for part in ("validate", "validateHtm", "transform"):
        (fake / part).mkdir(parents=True)
        (fake / part / "__init__.py").write_text("")
    with pytest.raises(EdgarPluginError, match="must be named EDGAR"):
        find_plugin(fake)


def test_the_plugin_comes_from_option_then_environment_then_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not PLUGIN.is_dir():
        pytest.skip(f"no plugin at {PLUGIN}")
    monkeypatch.setenv(efm.PLUGIN_ENV, str(PLUGIN))
    assert find_plugin(None, config=tmp_path / "elsewhere") == PLUGIN.resolve()
    with pytest.raises(EdgarPluginError, match="--edgar-plugin names"):
        find_plugin(tmp_path / "elsewhere")  # an explicit path wins, and must be right
    monkeypatch.delenv(efm.PLUGIN_ENV)
    assert find_plugin(None, config=PLUGIN.name, base=PLUGIN.parent) == PLUGIN.resolve()


def test_without_arelle_or_pytz_it_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = efm.importlib.util.find_spec
    monkeypatch.setattr(
        efm.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "pytz" else real_find_spec(name, *a),
    )
    with pytest.raises(EdgarPluginError, match=r"pip install 'form8k\[edgar\]'.*pytz"):
        efm.check_requirements()


# --- the header -------------------------------------------------------------------------------


def test_the_manifest_gives_the_header(tmp_path: Path) -> None:
    manifest = {
        "form_type": "8-K",
        "cik": "1987654",
        "date_of_report": "2025-11-06",
        "items": ["2.02", "9.01"],
        "co_registrants": [{"cik": "0000000042", "name": "Sub LLC"}],
        "documents": [
            {"file": "a-20251106.htm", "type": "8-K", "inline_xbrl": True},
            {"file": "a-ex99-1.htm", "type": "EX-99.1", "inline_xbrl": False},
            {"file": "a-20251106.xsd", "type": "EX-101.SCH"},
        ],
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    header = read_manifest_header(tmp_path)
    assert header.form_type == "8-K"
    assert header.period == date(2025, 11, 6)
    assert list(header.documents) == [
        ("a-20251106.htm", "8-K", True),
        ("a-ex99-1.htm", "EX-99.1", False),
        ("a-20251106.xsd", "EX-101.SCH", False),
    ]
    params = header.entry_parameters()
    assert params["cik"] == "0001987654"  # EDGAR's 10 digits
    assert params["periodOfReport"] == "11-06-2025"
    assert params["itemsList"] == ["2.02", "9.01"]
    # the submission's filers, as EDGAR's header gives them to the plugin: no names known
    assert params["cikNameList"] == {"0001987654": None, "0000000042": None}


# --- real submissions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "strict"),
    [
        ("adbe-2023-03-15", False),  # dei 2022: efm-pragmatic-all-years; EX-99.1 via validateHtm
        ("adbe-2023-03-15", True),  # efm-strict-all-years
        ("nvda-2026-03-02", False),  # dei 2025: the current release
        ("iff-2025-05-01", False),  # standard schemas missing offline: the runner's IOerrors
    ],
)
def test_a_real_submission_gives_what_the_reference_runner_gives(
    setup: EdgarSetup, name: str, strict: bool
) -> None:
    folder = REAL / name
    messages = validate_submission(
        folder, real_header(folder), dataclasses.replace(setup, strict=strict)
    )
    expected = reference_runner(folder, *(["--strict"] if strict else []))
    assert {(m.severity, m.code, m.entry) for m in messages} == expected, listing(messages)
    assert all(m.code != efm.ARELLE_FAILED for m in messages)
    if name != "iff-2025-05-01":
        assert messages == [], listing(messages)  # EDGAR accepted it


# --- faults found -----------------------------------------------------------------------------


def test_an_https_extension_namespace_is_efm_6_07_04_in_the_schema(
    setup: EdgarSetup, tmp_path: Path
) -> None:
    def https(folder: Path) -> None:
        for file in (ADBE_SCHEMA, ADBE_PRIMARY):  # (ADBE's primary declares no adbe: prefix)
            if file == ADBE_SCHEMA or "http://adobe.com/20230315" in (folder / file).read_text():
                edit(folder / file, '"http://adobe.com/20230315"', '"https://adobe.com/20230315"')

    folder = broken_adbe(tmp_path, https)
    messages = validate_submission(folder, real_header(folder), setup)
    found = [m for m in messages if m.code == "EFM.6.07.04"]
    assert len(found) == 1, listing(messages)
    assert found[0].severity == "error"
    assert found[0].document == ADBE_SCHEMA
    assert found[0].entry == ADBE_PRIMARY
    # the message is about the schema document: the line of its root, which holds the namespace
    assert found[0].line == line_of(folder / ADBE_SCHEMA, 'targetNamespace="https://adobe.com')
    assert "https://adobe.com/20230315" in found[0].text


def test_a_missing_standard_label_is_efm_6_10_01_with_the_fact(
    setup: EdgarSetup, tmp_path: Path
) -> None:
    def unlabel(folder: Path) -> None:
        lines = (folder / ADBE_LABELS).read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [x for x in lines if 'id="lab_dei_EntityCentralIndexKey_label_en-US"' not in x]
        assert len(kept) == len(lines) - 1
        (folder / ADBE_LABELS).write_text("".join(kept), encoding="utf-8")

    folder = broken_adbe(tmp_path, unlabel)
    messages = validate_submission(folder, real_header(folder), setup)
    assert [m.code for m in messages] == ["EFM.6.10.01"], listing(messages)
    (message,) = messages
    fact = ecik_fact_id()
    assert message.fact_ids == (fact,)
    assert message.document == ADBE_PRIMARY
    assert message.line == line_of(folder / ADBE_PRIMARY, f'id="{fact}"')
    assert "dei:EntityCentralIndexKey" in message.text
    assert "\n" not in message.text


def test_a_wrong_context_cik_is_efm_6_05_23_with_the_fact(
    setup: EdgarSetup, tmp_path: Path
) -> None:
    def recik(folder: Path) -> None:
        edit(
            folder / ADBE_PRIMARY,
            '"http://www.sec.gov/CIK">0000796343<',
            '"http://www.sec.gov/CIK">0000796344<',
        )

    folder = broken_adbe(tmp_path, recik)
    messages = validate_submission(folder, real_header(folder), setup)
    found = [m for m in messages if m.code.startswith("EFM.6.05.23")]
    assert found, listing(messages)
    assert all(m.severity == "error" and m.document == ADBE_PRIMARY for m in found)
    assert any(ecik_fact_id() in m.fact_ids and m.line is not None for m in found)


def test_the_header_cik_is_checked_and_co_registrants_count_as_filers(setup: EdgarSetup) -> None:
    header = dataclasses.replace(real_header(ADBE), cik="0000000001")
    wrong = validate_submission(ADBE, header, setup)
    assert [m.code for m in wrong] == ["EFM.6.05.23.submissionIdentifier"], listing(wrong)
    assert wrong[0].fact_ids == (ecik_fact_id(),)
    # the document's CIK is one of the submission's co-registrants: no error
    with_co = dataclasses.replace(header, co_registrant_ciks=["796343"])
    assert validate_submission(ADBE, with_co, setup) == []


def test_runs_are_independent(setup: EdgarSetup, tmp_path: Path) -> None:
    def recik(folder: Path) -> None:
        edit(folder / ADBE_PRIMARY, ">0000796343<", ">0000796344<")

    broken = broken_adbe(tmp_path, recik)
    first = validate_submission(broken, real_header(broken), setup)
    assert first
    assert validate_submission(ADBE, real_header(ADBE), setup) == []
    assert validate_submission(broken, real_header(broken), setup) == first
    assert "validate" not in sys.modules  # the plugin's modules do not stay behind
    from arelle.plugin_system.entry_point_ref import EntryPointRef

    assert EntryPointRef.discoverAll.__name__ == "discoverAll"  # Arelle's own again


def test_arelle_stays_quiet(setup: EdgarSetup, capfd: pytest.CaptureFixture[str]) -> None:
    validate_submission(ADBE, real_header(ADBE), setup)
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_an_arelle_crash_is_a_message(setup: EdgarSetup, monkeypatch: pytest.MonkeyPatch) -> None:
    from arelle.api.Session import Session

    def crash(*args: object, **kwargs: object) -> bool:
        print("arelle says something")
        raise RuntimeError("boom")

    monkeypatch.setattr(Session, "run", crash)
    messages = validate_submission(ADBE, real_header(ADBE), setup)
    assert {m.code for m in messages} == {efm.ARELLE_FAILED}
    assert {m.entry for m in messages} == {ADBE_PRIMARY, "adbeex991q123.htm"}
    assert all("RuntimeError: boom" in m.text and m.severity == "error" for m in messages)


def test_a_document_missing_from_the_folder_is_reported(setup: EdgarSetup, tmp_path: Path) -> None:
    header = dataclasses.replace(
        real_header(ADBE), documents=[SubmissionDocument("absent.htm", "EX-99.2")]
    )
    messages = validate_submission(tmp_path, header, setup)
    assert [(m.code, m.document) for m in messages] == [(efm.DOCUMENT_MISSING, "absent.htm")]


# --- form8k's own output ----------------------------------------------------------------------


#: The modern example filing alone (a filing a user adds beside it is not this test's).
LUMEN_FOLDER = "content/lumen-ridge/2025-11-06-q3-results"


def test_the_lumen_ridge_build(setup: EdgarSetup, tmp_path: Path) -> None:
    build = subprocess.run(
        [sys.executable, "build.py", "build", LUMEN_FOLDER, "--out", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    folder = tmp_path / "lumen-ridge" / "2025-11-06-q3-results"
    header = read_manifest_header(folder)
    assert header.form_type == "8-K" and header.cik and header.period
    assert [d.file for d in header.documents if d.inline_xbrl]
    messages = validate_submission(folder, header, setup)
    # the count is not asserted (the build is being fixed); what comes back must be well formed
    assert all(m.code != efm.ARELLE_FAILED for m in messages), listing(messages)
    files = {p.name for p in folder.iterdir()}
    html = "".join(p.read_text(encoding="utf-8") for p in folder.glob("*.htm"))
    for m in messages:
        assert m.severity in ("error", "warning") and m.code and m.text
        assert m.document in files and m.entry in files
        for fact_id in m.fact_ids:
            assert f'id="{fact_id}"' in html
