"""The rule table and how it is applied: ids, severities, messages, and where each one points.

Each Form 8-K rule is shown firing through ``check_filing`` with its full message (the command
line's view of the same rules is in test_rules_form.py; EDGAR's document rules, which our
templates never break, are fired on hand-written HTML in test_rules_edgar.py).
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from pathlib import Path

import pytest

from form8k.errors import Severity, SourceLocation
from form8k.load import LoadError, load_filing
from form8k.render import Renderer
from form8k.rules import RULES, Finding, check_filing, to_problems
from form8k.rules.edgar import Document, check_documents
from tests.conftest import (
    CO_REGISTRANT,
    COMPANY_YAML,
    FILING_YAML,
    IMAGES_EXHIBIT,
    PRESS_RELEASE_MD,
    SCAN_GIF,
    C,
    F,
    P,
    company,
    filing,
    release,
)

MakeProject = Callable[..., Path]
RunCli = Callable[..., tuple[int, str, str]]

#: Rules applied to the rendered HTML, not to the content model.
DOCUMENT_RULES = {
    rule
    for rule in RULES
    if rule.startswith(("html-", "file-name", "submission-", "xbrl-", "edgar-", "glyph-"))
}


def shown(root: Path) -> list[str]:
    """Every problem loading and the model rules find in the example filing, as displayed."""
    content = root / "content"
    try:
        bundle = load_filing(content / "example", content=content, root=root)
    except LoadError as error:
        return [problem.display(root) for problem in error.problems]
    return [problem.display(root) for problem in check_filing(bundle)]


ITEM_101 = '  - number: "1.01"\n    body: An agreement was signed.\n'
ITEM_202 = '  - number: "2.02"\n    body: Results were announced.\n'

#: (rule, files that break it, the line the user sees). Every model rule appears once.
CASES: list[tuple[str, dict[str, str], str]] = [
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
        {
            F: FILING_YAML.replace("2024-03-0", "2012-01-0").replace(
                "items:\n", 'items:\n  - number: "1.04"\n    body: A mine was shut.\n'
            ),
            P: PRESS_RELEASE_MD.replace("2024-03-01", "2012-01-01"),
        },
        f"{F}:5:13: error: item-not-in-force: Item 1.04 (Mine Safety \u2013 Reporting of "
        "Shutdowns and Patterns of Violations) exists only from 2012-01-27 (Release 33-9286 "
        "(Dodd-Frank Act section 1503)); this filing is dated 2012-01-04",
    ),
    (
        "exhibits-need-item-9.01",
        filing('  - number: "9.01"\n', ""),
        f"{F}:8:3: error: exhibits-need-item-9.01: the filing has exhibits but no Item 9.01 to "
        'list them; add an item with number "9.01"',
    ),
    (
        "item-9.01-without-exhibits",
        {F: FILING_YAML.split("exhibits:")[0]},
        f"{F}:7:13: warning: item-9.01-without-exhibits: Item 9.01 is reported but the filing "
        "lists no exhibits",
    ),
    (
        "exhibit-duplicate",
        {
            F: FILING_YAML + '  - number: "99.1"\n    description: Again\n'
            "    source: press-release.md\n"
        },
        f"{F}:12:13: error: exhibit-duplicate: Exhibit 99.1 is listed twice",
    ),
    (
        "exhibit-number",
        filing('number: "99.1"', 'number: "98.1"'),
        f"{F}:9:13: warning: exhibit-number: Exhibit 98.1: Item 601 has no exhibit 98 for Form "
        "8-K (allowed: 1, 2, 3, 4, 5, 7, 8, 10, 14, 16, 17, 20, 23, 24, 95, 96, 99, 101, 104)",
    ),
    (
        "exhibit-99-sequence",
        filing('number: "99.1"', 'number: "99.3"'),
        f"{F}:9:13: warning: exhibit-99-sequence: Exhibits 99.x should be numbered 99.1, 99.2, "
        "... without gaps; expected 99.1, found 99.3",
    ),
    (
        "exhibit-images-only",
        {F: FILING_YAML + IMAGES_EXHIBIT, "content/example/scan.gif": SCAN_GIF},
        f"{F}:15:12: warning: exhibit-images-only: Exhibit 99.2 is page images only: EDGAR "
        "accepts images, but text and tables that must be filed may not be given only as "
        "images; file the text as well where it is required",
    ),
    (
        "exhibit-104-document",
        filing('number: "99.1"', 'number: "104"'),
        f"{F}:9:13: error: exhibit-104-document: Exhibit 104 is the cover page's Inline XBRL, "
        "embedded in the 8-K: list it with 'index_only: true', never as a document of its own",
    ),
    (
        "exhibit-unlisted",
        {"content/example/draft.md": "Draft.\n"},
        f"{F}:9:3: warning: exhibit-unlisted: 'draft.md' looks like an exhibit document but no "
        "exhibit names it as its source",
    ),
    (
        "amendment-number",
        {F: FILING_YAML + "amendment_number: 1\n"},
        f"{F}:12:19: error: amendment-number: 'amendment_number' belongs to an amendment; set "
        "form_type: 8-K/A or remove it",
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
        f"{F}:3:14: error: filing-date-closed: the filing date 2024-03-02 is a Saturday: EDGAR "
        "files nothing that day; the next business day is 2024-03-04",
    ),
    (
        "signature-date",
        {F: FILING_YAML + "signature:\n  date: 2024-03-05\n"},
        f"{F}:13:9: error: signature-date: the signature date (2024-03-05) is after the filing "
        "date (2024-03-04)",
    ),
    (
        "late-filing",
        {
            F: FILING_YAML.replace(
                "date_of_report: 2024-03-01", "date_of_report: 2024-02-01"
            ).replace("items:\n", "items:\n" + ITEM_101),
            P: PRESS_RELEASE_MD.replace("2024-03-01", "2024-02-01"),
        },
        # Four business days after Thursday 2024-02-01 is Wednesday 2024-02-07; Presidents'
        # Day (2024-02-19) is not counted in the 17 days late.
        f"{F}:3:14: warning: late-filing: filed on 2024-03-04, 17 business days late: Item 1.01 "
        "had to be filed within four business days after 2024-02-01, by 2024-02-07 (weekends "
        "and U.S. federal holidays excluded)",
    ),
    (
        "cik-format",
        company('cik: "1234567"', "cik: CIK-1234567"),
        f"{C}:2:6: error: cik-format: CIK must be 1 to 10 digits, got 'CIK-1234567'",
    ),
    (
        "placeholder-value",
        company('cik: "1234567"', 'cik: "0000000000"'),
        f"{C}:2:6: warning: placeholder-value: cik is still the placeholder '0000000000' that "
        "form8k wrote; replace it with the registrant's own",
    ),
    (
        "ein-format",
        company("irs_employer_id: 12-3456789", "irs_employer_id: 12 3456789"),
        f"{C}:5:18: error: ein-format: IRS Employer Identification No. '12 3456789' should read "
        "NN-NNNNNNN",
    ),
    (
        "file-number-format",
        company("file_number: 001-12345", "file_number: 00112345"),
        f"{C}:4:14: warning: file-number-format: Commission File Number '00112345' should read "
        "like 0-17999, 001-41872 or 333-123456",
    ),
    (
        "incorporation",
        company("jurisdiction_of_incorporation: Delaware", "jurisdiction_of_incorporation: Delwar"),
        f"{C}:3:32: warning: incorporation: 'Delwar' is not a U.S. state or a country "
        "(did you mean 'Delaware'?)",
    ),
    (
        "zip-format",
        company('zip: "62701"', "zip: 627O1"),
        f"{C}:10:8: warning: zip-format: ZIP code '627O1' should read NNNNN or NNNNN-NNNN",
    ),
    (
        "telephone-format",
        company("telephone: (217) 555-0100", "telephone: 5550100"),
        f"{C}:11:12: warning: telephone-format: telephone number '5550100' should include its "
        "area code, e.g. (617) 995-2500",
    ),
    (
        "section-12b-row",
        {
            C: COMPANY_YAML + "section_12b_securities:\n"
            "  - {title: Common Stock, trading_symbol: EXMP, exchange: Nasdaq}\n"
            "  - {title: Common Stock, trading_symbol: EXMP, exchange: Nasdaq}\n"
        },
        f"{C}:18:5: error: section-12b-row: Section 12(b) row 2: 'Common Stock' on Nasdaq is "
        "already row 1",
    ),
    (
        "co-registrant-cik",
        {C: COMPANY_YAML + CO_REGISTRANT},
        f"{C}:19:10: error: co-registrant-cik: CIK 0001234567 is already the CIK of another "
        "registrant of this filing",
    ),
    (
        "transition-election",
        {C: COMPANY_YAML + "elected_not_to_use_extended_transition_period: yes\n"},
        f"{C}:16:48: error: transition-election: the extended-transition-period election applies "
        "only to an emerging growth company; set emerging_growth_company: true or remove the "
        "election",
    ),
    (
        "release-fields",
        release("city: SPRINGFIELD, Ill.", 'city: ""'),
        f"{P}:4:9: error: release-fields: the press release's dateline is empty",
    ),
    (
        "release-date",
        release("  date: 2024-03-01", "  date: 2024-03-06"),
        f"{P}:5:9: error: release-date: the press release is dated 2024-03-06, after the filing "
        "date 2024-03-04",
    ),
    (
        "safe-harbor-missing",
        release("today announced something.", "anticipates growth and expects more."),
        f"{P}:2:11: warning: safe-harbor-missing: the press release uses forward-looking language "
        "('anticipates', 'expects') but carries no forward-looking-statements paragraph; give "
        "company.forward_looking_statements or write one",
    ),
    (
        "signatory-missing",
        {C: COMPANY_YAML.split("signatory:")[0], F: FILING_YAML + "signature: {name: J. Doe}\n"},
        f"{F}:12:12: error: signatory-missing: no signatory: give signature.title here or "
        "signatory.title in company.yaml",
    ),
]


# --- the table --------------------------------------------------------------------------------


def test_every_rule_is_filed_under_its_own_id() -> None:
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id
        assert re.fullmatch(r"[a-z0-9.]+(-[a-z0-9.]+)*", rule_id), rule_id
        assert rule.source and rule.message
        assert rule.severity in (Severity.ERROR, Severity.WARNING)


def test_every_rule_message_is_a_format_string_of_named_fields() -> None:
    for rule in RULES.values():
        fields = [name for _, name, _, _ in string.Formatter().parse(rule.message) if name]
        assert all(name.isidentifier() for name in fields), (rule.id, fields)


def test_every_model_rule_has_a_case_here() -> None:
    assert [case[0] for case in CASES] == [rule for rule in RULES if rule not in DOCUMENT_RULES]


def test_rules_without_which_nothing_renders_cannot_be_configured() -> None:
    fixed = {rule.id for rule in RULES.values() if not rule.configurable}
    assert fixed == {
        "item-unknown",
        "exhibits-need-item-9.01",
        "exhibit-duplicate",
        "cik-format",
        "signatory-missing",
        "edgar-efm",
    }
    assert all(RULES[rule].severity is Severity.ERROR for rule in fixed)


# --- each rule fires, with its full message, where the user must fix it ------------------------


@pytest.mark.parametrize(("rule", "files", "expected"), CASES, ids=[case[0] for case in CASES])
def test_rule_fires_with_its_message_at_the_value_to_fix(
    make_project: MakeProject, rule: str, files: dict[str, str], expected: str
) -> None:
    lines = shown(make_project(files))
    assert [line for line in lines if f": {rule}: " in line] == [expected]
    severity = RULES[rule].severity.value
    assert f": {severity}: {rule}: " in expected


def test_amendment_without_number_or_note_gets_both_problems_at_form_type(
    make_project: MakeProject,
) -> None:
    lines = shown(make_project(filing("form_type: 8-K", "form_type: 8-K/A")))
    assert lines == [
        f"{F}:1:12: error: amendment-number: an 8-K/A needs 'amendment_number' (1 for the first "
        "amendment)",
        f"{F}:1:12: error: amendment-number: an 8-K/A needs an 'explanatory_note' stating the "
        "amendment's purpose",
    ]


def test_missing_signatory_is_reported_for_name_and_title(make_project: MakeProject) -> None:
    lines = shown(make_project({C: COMPANY_YAML.split("signatory:")[0]}))
    assert lines == [
        f"{F}:1:1: error: signatory-missing: no signatory: give signature.name here or "
        "signatory.name in company.yaml",
        f"{F}:1:1: error: signatory-missing: no signatory: give signature.title here or "
        "signatory.title in company.yaml",
    ]


def test_signature_in_the_filing_replaces_a_missing_signatory(make_project: MakeProject) -> None:
    files = {
        C: COMPANY_YAML.split("signatory:")[0],
        F: FILING_YAML + "signature:\n  name: John Doe\n  title: Secretary\n",
    }
    assert shown(make_project(files)) == []


def test_every_problem_of_a_filing_is_reported_in_check_order(make_project: MakeProject) -> None:
    files = {
        F: FILING_YAML.replace('  - number: "9.01"\n', '  - number: "8.01"\n')
        + "amendment_number: 2\n",
        C: COMPANY_YAML.replace("telephone: (217) 555-0100", "telephone: 5550100"),
    }
    assert shown(make_project(files)) == [
        f"{F}:7:13: error: item-duplicate: Item 8.01 is reported twice; report each item once",
        f"{F}:9:3: error: exhibits-need-item-9.01: the filing has exhibits but no Item 9.01 to "
        'list them; add an item with number "9.01"',
        f"{F}:12:19: error: amendment-number: 'amendment_number' belongs to an amendment; set "
        "form_type: 8-K/A or remove it",
        f"{C}:11:12: warning: telephone-format: telephone number '5550100' should include its "
        "area code, e.g. (617) 995-2500",
    ]


# --- quiet on valid input ---------------------------------------------------------------------


def test_model_rules_are_quiet_on_the_default_project(make_project: MakeProject) -> None:
    assert shown(make_project()) == []


def test_document_rules_are_quiet_on_the_default_projects_html(make_project: MakeProject) -> None:
    root = make_project()
    content = root / "content"
    bundle = load_filing(content / "example", content=content, root=root)
    rendered = Renderer(root / "templates").render_filing(bundle)
    assert rendered.problems == []
    documents = [
        Document(d.name, d.html.encode("ascii"), root / "output" / d.name, d.inline_xbrl)
        for d in rendered.documents
    ]
    assert [d.name for d in documents] == ["exmp-20240301.htm", "exmp-ex99-1.htm"]
    assert [d.inline_xbrl for d in documents] == [True, False]
    others = [g.name for g in rendered.graphics] + list(rendered.taxonomy)
    assert check_documents(documents, graphics=others) == []


def test_cli_check_is_quiet_on_the_default_project(
    make_project: MakeProject, run_cli: RunCli
) -> None:
    code, out, err = run_cli("--project", str(make_project()), "check", "--strict")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "ok     example: Form 8-K of 2024-03-01, Items 8.01, 9.01; Exhibits 99.1; filed "
        "2024-03-04, no four-day deadline (no item reported has one); 0 errors, 0 warnings"
    ]


# --- applying the table: severities a project may change --------------------------------------


AT = SourceLocation(Path("/project/content/example/filing.yaml"), 3, 14)
LATE = Finding(
    "late-filing",
    AT,
    {
        "filing_date": "2024-03-11",
        "late": 1,
        "plural": "",
        "items": "1.01",
        "date_of_report": "2024-03-01",
        "due": "2024-03-07",
    },
)
DUPLICATE = Finding("exhibit-duplicate", AT, {"number": "99.1"})


def test_to_problems_takes_severity_message_and_id_from_the_table() -> None:
    (problem,) = to_problems([LATE])
    assert problem.display(Path("/project")) == (
        "content/example/filing.yaml:3:14: warning: late-filing: filed on 2024-03-11, 1 business "
        "day late: Item 1.01 had to be filed within four business days after 2024-03-01, by "
        "2024-03-07 (weekends and U.S. federal holidays excluded)"
    )


def test_a_project_can_make_a_warning_an_error() -> None:
    (problem,) = to_problems([LATE], {"late-filing": Severity.ERROR})
    assert (problem.severity, problem.rule) == (Severity.ERROR, "late-filing")


def test_a_project_can_ignore_a_rule() -> None:
    assert to_problems([LATE, DUPLICATE], {"late-filing": None}) == to_problems([DUPLICATE])


def test_a_project_cannot_weaken_a_rule_that_is_not_configurable() -> None:
    (problem,) = to_problems([DUPLICATE], {"exhibit-duplicate": None})
    assert problem.severity is Severity.ERROR
    (problem,) = to_problems([DUPLICATE], {"exhibit-duplicate": Severity.WARNING})
    assert problem.severity is Severity.ERROR


def test_check_filing_applies_the_projects_severities(make_project: MakeProject) -> None:
    root = make_project(filing('number: "99.1"', 'number: "99.2"'))
    content = root / "content"
    bundle = load_filing(content / "example", content=content, root=root)
    assert [p.severity for p in check_filing(bundle)] == [Severity.WARNING]
    assert [p.severity for p in check_filing(bundle, {"exhibit-99-sequence": Severity.ERROR})] == [
        Severity.ERROR
    ]
    assert check_filing(bundle, {"exhibit-99-sequence": None}) == []


# --- EDGAR's file-name rule, met through the content ------------------------------------------


def test_too_long_document_name_points_at_the_prefix(
    make_project: MakeProject, run_cli: RunCli
) -> None:
    root = make_project(company("prefix: exmp", "prefix: abcdefghijklmnopqrst"))
    code, out, _ = run_cli("--project", str(root), "check")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{C}:12:9: error: file-name-length: document name 'abcdefghijklmnopqrst-20240301.htm' "
        "has 33 characters; EDGAR allows at most 32 (shorten 'prefix' in company.yaml)"
    )


def test_too_long_document_name_fails_the_build(make_project: MakeProject, run_cli: RunCli) -> None:
    root = make_project(company("prefix: exmp", "prefix: abcdefghijklmnopqrst"))
    code, out, err = run_cli("--project", str(root), "build", "--format", "html")
    assert code == 1
    assert err.splitlines() == [
        f"{C}:12:9: error: file-name-length: document name 'abcdefghijklmnopqrst-20240301.htm' "
        "has 33 characters; EDGAR allows at most 32 (shorten 'prefix' in company.yaml)"
    ]
    assert out.splitlines()[-1] == "0 built, 1 failed; 1 error, 0 warnings"
    assert not (root / "output" / "example").exists()
