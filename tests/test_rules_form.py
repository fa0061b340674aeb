"""Each Form 8-K rule fires on a small broken filing, at the line the user must fix."""

from __future__ import annotations

import pytest

from form8k.rules import RULES
from tests.conftest import (
    CO_REGISTRANT,
    COMPANY_YAML,
    EXAMPLE_FILINGS,
    FILING_YAML,
    IMAGES_EXHIBIT,
    SCAN_GIF,
    C,
    F,
    P,
    company,
    filing,
    release,
)

ITEM_202 = '  - number: "2.02"\n    body: Results were announced.\n'
FURNISHED = (
    '  - number: "2.02"\n    body: Results were announced. This information shall not be '
    'deemed "filed" for purposes of Section 18 of the Exchange Act.\n'
)

CASES = [
    (
        "item-unknown",
        filing('"8.01"', '"8.1"'),
        f"{F}:5:13: error: item-unknown: unknown item '8.1': Form 8-K has items 1.01 to 9.01 "
        "(did you mean '8.01'?)",
    ),
    (
        "item-duplicate",
        filing('  - number: "9.01"\n', '  - number: "9.01"\n  - number: "9.01"\n'),
        f"{F}:8:13: error: item-duplicate: Item 9.01 is reported twice; report each item once",
    ),
    (
        "item-not-in-force",
        filing('  - number: "9.01"\n', '  - number: "9.01"\n  - number: "1.05"\n')
        | {
            F: FILING_YAML.replace("2024-03-0", "2023-03-0").replace(
                '  - number: "9.01"\n', '  - number: "9.01"\n  - number: "1.05"\n'
            )
        },
        f"{F}:8:13: error: item-not-in-force: Item 1.05 (Material Cybersecurity Incidents) exists "
        "only from 2023-12-18 (Release 33-11216 (effective September 5, 2023; compliance from "
        "December 18, 2023)); this filing is dated 2023-03-04",
    ),
    (
        "exhibits-need-item-9.01",
        filing('  - number: "9.01"\n', ""),
        f"{F}:8:3: error: exhibits-need-item-9.01: the filing has exhibits but no Item 9.01",
    ),
    (
        "item-9.01-without-exhibits",
        {F: FILING_YAML.split("exhibits:")[0]},
        f"{F}:7:13: warning: item-9.01-without-exhibits: Item 9.01 is reported but the filing "
        "lists no exhibits",
    ),
    (
        "exhibit-duplicate",
        filing(
            "    source: press-release.md\n",
            '    source: press-release.md\n  - number: "99.1"\n    description: Again\n'
            "    source: press-release.md\n",
        ),
        f"{F}:12:13: error: exhibit-duplicate: Exhibit 99.1 is listed twice",
    ),
    (
        "exhibit-number",
        filing('number: "99.1"', 'number: "98.1"'),
        f"{F}:9:13: warning: exhibit-number: Exhibit 98.1: Item 601 has no exhibit 98 for Form 8-K",
    ),
    (
        "exhibit-99-sequence",
        filing('number: "99.1"', 'number: "99.2"'),
        f"{F}:9:13: warning: exhibit-99-sequence: Exhibits 99.x should be numbered 99.1, 99.2, ... "
        "without gaps; expected 99.1, found 99.2",
    ),
    (
        "exhibit-images-only",
        {F: FILING_YAML + IMAGES_EXHIBIT, "content/example/scan.gif": SCAN_GIF},
        f"{F}:15:12: warning: exhibit-images-only: Exhibit 99.2 is page images only",
    ),
    (
        "exhibit-104-document",
        filing('number: "99.1"', 'number: "104"'),
        f"{F}:9:13: error: exhibit-104-document: Exhibit 104 is the cover page's Inline XBRL",
    ),
    (
        "exhibit-unlisted",
        {"content/example/notes.md": "# Draft notes\n"},
        f"{F}:9:3: warning: exhibit-unlisted: 'notes.md' looks like an exhibit document but no "
        "exhibit names it as its source",
    ),
    (
        "amendment-number",
        filing("form_type: 8-K", "form_type: 8-K/A"),
        f"{F}:1:12: error: amendment-number: an 8-K/A needs 'amendment_number' (1 for the first "
        "amendment)",
    ),
    (
        "date-order",
        filing("date_of_report: 2024-03-01", "date_of_report: 2024-03-05"),
        f"{F}:2:17: error: date-order: the date of report (2024-03-05) is after the filing date "
        "(2024-03-04)",
    ),
    (
        "filing-date-closed",
        filing("filing_date: 2024-03-04", "filing_date: 2024-03-02"),
        f"{F}:3:14: error: filing-date-closed: the filing date 2024-03-02 is a Saturday",
    ),
    (
        "signature-date",
        {F: FILING_YAML + "signature:\n  date: 2024-02-28\n"},
        f"{F}:13:9: error: signature-date: the signature date (2024-02-28) is before the date of "
        "report (2024-03-01)",
    ),
    (
        "late-filing",
        {
            F: FILING_YAML.replace("filing_date: 2024-03-04", "filing_date: 2024-03-11").replace(
                "items:\n", "items:\n" + FURNISHED
            )
        },
        f"{F}:3:14: warning: late-filing: filed on 2024-03-11, 2 business days late: Item 2.02 had "
        "to be filed within four business days after 2024-03-01, by 2024-03-07",
    ),
    (
        "cik-format",
        company('cik: "1234567"', "cik: 12-34"),
        f"{C}:2:6: error: cik-format: CIK must be 1 to 10 digits, got '12-34'",
    ),
    (
        "placeholder-value",
        company('cik: "1234567"', 'cik: "0000000000"'),
        f"{C}:2:6: warning: placeholder-value: cik is still the placeholder '0000000000'",
    ),
    (
        "ein-format",
        company("irs_employer_id: 12-3456789", "irs_employer_id: 123456789"),
        f"{C}:5:18: error: ein-format: IRS Employer Identification No. '123456789' should read "
        "NN-NNNNNNN",
    ),
    (
        "file-number-format",
        company("file_number: 001-12345", "file_number: 12345"),
        f"{C}:4:14: warning: file-number-format: Commission File Number '12345' should read like "
        "0-17999",
    ),
    (
        "incorporation",
        company(
            "jurisdiction_of_incorporation: Delaware", "jurisdiction_of_incorporation: Delawere"
        ),
        f"{C}:3:32: warning: incorporation: 'Delawere' is not a U.S. state or a country "
        "(did you mean 'Delaware'?)",
    ),
    (
        "zip-format",
        company('zip: "62701"', 'zip: "6270"'),
        f"{C}:10:8: warning: zip-format: ZIP code '6270' should read NNNNN or NNNNN-NNNN",
    ),
    (
        "telephone-format",
        company("telephone: (217) 555-0100", "telephone: 555-0100"),
        f"{C}:11:12: warning: telephone-format: telephone number '555-0100' should include its "
        "area code",
    ),
    (
        "section-12b-row",
        {
            C: COMPANY_YAML + "section_12b_securities:\n  - title: Common Stock\n"
            "    trading_symbol: EXMP!\n    exchange: Nasdaq\n"
        },
        f"{C}:18:21: error: section-12b-row: Section 12(b) row 1: trading symbol 'EXMP!' should "
        "be letters and digits",
    ),
    (
        "co-registrant-cik",
        {C: COMPANY_YAML + CO_REGISTRANT},
        f"{C}:19:10: error: co-registrant-cik: CIK 0001234567 is already the CIK",
    ),
    (
        "transition-election",
        {C: COMPANY_YAML + "elected_not_to_use_extended_transition_period: true\n"},
        f"{C}:16:48: error: transition-election: the extended-transition-period election applies "
        "only to an emerging growth company",
    ),
    (
        "release-fields",
        release("headline: Example Corp. Announces Something", 'headline: ""'),
        f"{P}:2:11: error: release-fields: the press release's headline is empty",
    ),
    (
        "release-date",
        release("  date: 2024-03-01", "  date: 2024-03-05"),
        f"{P}:5:9: error: release-date: the press release is dated 2024-03-05, after the filing "
        "date 2024-03-04",
    ),
    (
        "safe-harbor-missing",
        release("today announced something.", "today announced something. It expects growth."),
        f"{P}:2:11: warning: safe-harbor-missing: the press release uses forward-looking language "
        "('expects') but carries no forward-looking-statements paragraph",
    ),
    (
        "signatory-missing",
        {C: COMPANY_YAML.split("signatory:")[0]},
        f"{F}:1:1: error: signatory-missing: no signatory: give signature.name here or "
        "signatory.name in company.yaml",
    ),
]


@pytest.mark.parametrize(("rule", "files", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule_fires_at_the_location_to_fix(make_project, run_cli, rule, files, expected) -> None:
    assert rule in RULES
    root = make_project(files)
    code, out, _ = run_cli("--project", str(root), "check")
    assert any(line.startswith(expected) for line in out.splitlines()), out
    assert code == (1 if f": error: {rule}:" in expected else 0)


def test_every_form_rule_has_a_firing_case() -> None:
    document_rules = {
        r
        for r in RULES
        if r.startswith(("html-", "file-name", "submission-", "xbrl-", "edgar-", "glyph-"))
    }
    assert {case[0] for case in CASES} == set(RULES) - document_rules


def test_rules_stay_quiet_on_the_valid_projects(make_project, run_cli) -> None:
    root = make_project()
    code, out, _ = run_cli("--project", str(root), "check")
    assert code == 0
    assert out == (
        "ok     example: Form 8-K of 2024-03-01, Items 8.01, 9.01; Exhibits 99.1; filed "
        "2024-03-04, no four-day deadline (no item reported has one); 0 errors, 0 warnings\n"
    )


def test_repository_examples_pass_every_rule_strictly(run_cli) -> None:
    folders = [f"content/{company}/{filing}" for company, filing in EXAMPLE_FILINGS]
    code, out, _ = run_cli("check", "--strict", *folders)
    assert code == 0, out
    assert out.splitlines() == [
        "ok     immunogen/2005-09-07-hun901: Form 8-K of 2005-09-06, Items 8.01, 9.01; "
        "Exhibits 99.1; filed 2005-09-07, no four-day deadline (no item reported has one); "
        "0 errors, 0 warnings",
        "ok     lumen-ridge/2025-11-06-q3-results: Form 8-K of 2025-11-06, Items 2.02, 5.02, "
        "9.01; Exhibits 99.1, 99.2; filed 2025-11-06, due 2025-11-13 5:30 p.m. Eastern "
        "(4 business days to spare); 0 errors, 0 warnings",
    ]
