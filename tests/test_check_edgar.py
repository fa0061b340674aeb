"""`check --edgar`: EDGAR's own validation from the command line, its messages at the content
line that caused them."""

from __future__ import annotations

import pytest

from tests.conftest import COMPANY_YAML, FILING_YAML, REPO

EFM = REPO.parent / "shared" / "efm"
PLUGIN = EFM / "EDGAR"
CACHE = EFM / "xbrl-cache" / "cache"
#: A filing the offline taxonomy cache serves in full (dei 2025).
MODERN = FILING_YAML.replace("2024-03-01", "2025-11-03").replace("2024-03-04", "2025-11-04")


def _edgar(*args: str) -> tuple[str, ...]:
    if not (PLUGIN / "validate" / "__init__.py").is_file():
        pytest.skip(f"the SEC's EDGAR plugin is not here: {PLUGIN}")
    return ("check", "--edgar", "--edgar-plugin", str(PLUGIN), "--edgar-cache", str(CACHE), *args)


@pytest.mark.shared
@pytest.mark.efm
def test_a_clean_filing_passes_edgars_validation(make_project, run_cli) -> None:
    root = make_project({"content/example/filing.yaml": MODERN})
    code, out, err = run_cli("--project", str(root), *_edgar("--strict"))
    assert (code, err) == (0, ""), out
    assert out.startswith("ok     example: Form 8-K of 2025-11-03")


@pytest.mark.shared
@pytest.mark.efm
def test_an_edgar_error_is_reported_at_the_content_line(make_project, run_cli) -> None:
    # Our own rule only warns about the file number's form; EDGAR's schema refuses it.
    root = make_project(
        {
            "content/company.yaml": COMPANY_YAML.replace("001-12345", '"12345"'),
            "content/example/filing.yaml": MODERN,
        }
    )
    code, out, _ = run_cli("--project", str(root), *_edgar())
    assert code == 1
    lines = out.splitlines()
    assert (
        "content/company.yaml:4:14: error: edgar-efm: EDGAR xmlSchema:valueError: Element "
        "ix:nonNumeric fact dei:EntityFileNumber type string value error: 12345, pattern facet "
        "[0-9]{1,3}-[0-9]{1,8}(-.{1,4})? (exmp-20251103.htm:"
    ) in "\n".join(lines)
    assert lines[-1].startswith("failed example:")


def test_without_a_plugin_edgar_says_how_to_get_one(make_project, run_cli, monkeypatch) -> None:
    monkeypatch.delenv("FORM8K_EDGAR_PLUGIN", raising=False)
    root = make_project()
    code, out, err = run_cli("--project", str(root), "check", "--edgar")
    assert code == 2 and out == ""
    assert err.startswith("form8k: error: No EDGAR plugin is configured.")
    assert "git clone https://github.com/Arelle/EDGAR" in err
    assert "--edgar-plugin" in err and "FORM8K_EDGAR_PLUGIN" in err and "edgar_plugin" in err


def test_the_plugin_can_be_named_in_form8k_yaml(make_project, run_cli, tmp_path) -> None:
    root = make_project()
    (root / "form8k.yaml").write_text("edgar_plugin: nowhere/EDGAR\n")
    code, _, err = run_cli("--project", str(root), "check", "--edgar")
    assert code == 2
    assert (
        f"edgar_plugin in form8k.yaml names {root / 'nowhere' / 'EDGAR'}, which does not exist"
        in err
    )
