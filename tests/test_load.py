"""Content files -> model: every mistake is reported with the text and place the user wrote it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from form8k.errors import Problem
from form8k.load import LoadError, load_filing, parse_yaml, read_front_matter, validate
from form8k.model import Company, Filing, FilingBundle
from tests.conftest import FILING_YAML

MakeProject = Callable[..., Path]
RunCli = Callable[..., tuple[int, str, str]]

NO_FRONT_MATTER = "expected YAML front matter: a first line '---', the fields, then '---'"
OUTSIDE = "is outside the project; content may only use project files"
NOT_A_DATE = "is not a date: write dates as YYYY-MM-DD (year, month, day), e.g. 2024-03-01"
KEYS = "the keys of one mapping must start in the same column"


def load(root: Path, key: str = "example") -> FilingBundle:
    """Load one filing of the project at ``root``."""
    return load_filing(root / "content" / key, content=root / "content", root=root)


def problems_of(root: Path, key: str = "example") -> list[str]:
    """What the user sees for a filing that does not load: one line per problem."""
    with pytest.raises(LoadError) as error:
        load(root, key)
    return [problem.display(root) for problem in error.value.problems]


def yaml_problems(text: str, name: str = "filing.yaml") -> list[str]:
    """Problems parse_yaml reports for ``text``, shown relative to the file's folder."""
    path = Path("/project") / name
    with pytest.raises(LoadError) as error:
        parse_yaml(text, path)
    return [problem.display(path.parent) for problem in error.value.problems]


def build_html(run_cli: RunCli, root: Path) -> tuple[int, str, str]:
    return run_cli("--project", str(root), "build", "--format", "html")


# --- 1. malformed YAML ------------------------------------------------------------------------


def test_load_reports_line_and_column_of_bad_indentation(make_project: MakeProject) -> None:
    root = make_project(
        {
            "content/example/filing.yaml": FILING_YAML.replace(
                "filing_date: 2024-03-04", " filing_date: 2024-03-04"
            )
        }
    )
    # PyYAML stops at the colon (3:13) and says "mapping values are not allowed here".
    assert problems_of(root) == [
        "content/example/filing.yaml:3:2: error: invalid YAML: 'filing_date' is indented 1 space "
        f"more than 'date_of_report' on line 2: {KEYS}"
    ]


def test_cli_reports_bad_yaml_as_one_line_and_exits_1_without_traceback(
    make_project: MakeProject, run_cli: RunCli
) -> None:
    root = make_project(
        {
            "content/example/filing.yaml": FILING_YAML.replace(
                "filing_date: 2024-03-04", " filing_date: 2024-03-04"
            )
        }
    )
    code, out, err = build_html(run_cli, root)
    assert code == 1
    assert err.splitlines() == [
        "content/example/filing.yaml:3:2: error: invalid YAML: 'filing_date' is indented 1 space "
        f"more than 'date_of_report' on line 2: {KEYS}"
    ]
    assert "Traceback" not in out + err
    assert out.splitlines() == [
        "failed example: nothing written, previous output kept",
        "0 built, 1 failed; 1 error, 0 warnings",
    ]
    assert not (root / "output" / "example").exists()


def test_load_reports_unclosed_quote_as_invalid_yaml(make_project: MakeProject) -> None:
    root = make_project(
        {
            "content/example/filing.yaml": FILING_YAML.replace(
                "description: Press release dated March 1, 2024",
                'description: "Press release dated March 1, 2024',
            )
        }
    )
    # PyYAML notices the missing quote only at the end of the file: point where it opened.
    assert problems_of(root) == [
        'content/example/filing.yaml:10:18: error: invalid YAML: the quotation mark " that opens '
        'this value is never closed: end the value with a matching "'
    ]


def test_load_reports_where_an_unclosed_quote_opened() -> None:
    assert yaml_problems('headline: "Example\nsubheadline: More\n') == [
        'filing.yaml:1:11: error: invalid YAML: the quotation mark " that opens this value is '
        'never closed: end the value with a matching "'
    ]


def test_parse_yaml_reports_undefined_alias() -> None:
    assert yaml_problems("name: *nope\n") == [
        "filing.yaml:1:7: error: invalid YAML: found undefined alias 'nope'"
    ]


def test_parse_yaml_refuses_a_key_that_is_not_a_plain_word() -> None:
    assert yaml_problems("? [a, b]\n: 1\n") == [
        "filing.yaml:1:3: error: a key must be a plain word"
    ]


def test_parse_yaml_stops_alias_bombs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("form8k.load.text.MAX_NODES", 50)
    text = "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
    assert yaml_problems(text) == [
        "filing.yaml:1:8: error: more than 50 values, each alias counted where it is used: "
        "a YAML file is limited to 50 values (anchors and aliases (*name) can make a small file "
        "expand to billions of values)"
    ]


def test_read_yaml_file_needs_a_mapping_at_the_top(make_project: MakeProject) -> None:
    root = make_project({"content/example/filing.yaml": "- 8.01\n- 9.01\n"})
    assert problems_of(root) == [
        "content/example/filing.yaml:1:1: error: expected a mapping of keys to values"
    ]


def test_load_reports_a_file_that_is_not_utf8(make_project: MakeProject) -> None:
    root = make_project()
    (root / "content/example/filing.yaml").write_bytes(
        FILING_YAML.replace("Something", "Caf\xe9").encode("latin-1")
    )
    # Not "invalid continuation byte at byte 105": the line and column of the "é".
    assert problems_of(root) == [
        "content/example/filing.yaml:6:14: error: the file is not UTF-8 (it looks like "
        "Windows-1252): save it as UTF-8 (the first character that is not UTF-8 is 'é', byte 0xE9)"
    ]


# --- 2. wrong types ---------------------------------------------------------------------------


def test_load_names_the_key_and_line_of_a_value_of_the_wrong_type(
    make_project: MakeProject,
) -> None:
    root = make_project(
        {
            "content/example/filing.yaml": FILING_YAML.replace(
                "date_of_report: 2024-03-01", "date_of_report: yesterday"
            )
        }
    )
    assert problems_of(root) == [
        f"content/example/filing.yaml:2:17: error: date_of_report: 'yesterday' {NOT_A_DATE}"
    ]


def test_load_names_the_nested_key_of_a_value_of_the_wrong_type(
    make_project: MakeProject,
) -> None:
    text = FILING_YAML + "check_boxes:\n  soliciting_material: perhaps\n"
    root = make_project({"content/example/filing.yaml": text})
    assert problems_of(root) == [
        "content/example/filing.yaml:13:24: error: check_boxes.soliciting_material: "
        "input should be a valid boolean, unable to interpret input"
    ]


def test_load_reports_a_list_given_where_text_is_expected(make_project: MakeProject) -> None:
    text = FILING_YAML.replace(
        "description: Press release dated March 1, 2024", "description: [a, b]"
    )
    root = make_project({"content/example/filing.yaml": text})
    assert problems_of(root) == [
        "content/example/filing.yaml:10:18: error: exhibits.description: "
        "input should be a valid string"
    ]


# --- 3. missing required fields ---------------------------------------------------------------


def test_load_reports_missing_required_key_at_the_mapping(make_project: MakeProject) -> None:
    text = FILING_YAML.replace("date_of_report: 2024-03-01\n", "")
    root = make_project({"content/example/filing.yaml": text})
    assert problems_of(root) == [
        "content/example/filing.yaml:1:1: error: missing required key 'date_of_report'"
    ]


def test_load_reports_missing_nested_key_at_its_mapping(make_project: MakeProject) -> None:
    company = """\
        name: Example Corp.
        cik: "1234567"
        jurisdiction_of_incorporation: Delaware
        file_number: 001-12345
        irs_employer_id: 12-3456789
        address:
          street: 1 Main Street
          state: IL
          zip: "62701"
        telephone: (217) 555-0100
        prefix: exmp
        """
    root = make_project({"content/company.yaml": company})
    assert problems_of(root) == ["content/company.yaml:7:3: error: missing required key 'city'"]


# --- 4. unknown keys, with did-you-mean -------------------------------------------------------


def test_load_reports_unknown_key_with_did_you_mean(make_project: MakeProject) -> None:
    text = FILING_YAML.replace("items:", "itmes:")
    root = make_project({"content/example/filing.yaml": text})
    assert problems_of(root) == [
        "content/example/filing.yaml:4:1: error: unknown key 'itmes' (did you mean 'items'?)",
    ]


def test_load_reports_unknown_key_in_an_item_with_did_you_mean(make_project: MakeProject) -> None:
    text = FILING_YAML.replace('  - number: "8.01"', '  - nubmer: "8.01"')
    root = make_project({"content/example/filing.yaml": text})
    assert problems_of(root) == [
        "content/example/filing.yaml:5:5: error: unknown key 'nubmer' (did you mean 'number'?)",
    ]


def test_load_reports_unknown_key_in_company_yaml_with_did_you_mean(
    make_project: MakeProject,
) -> None:
    root = make_project()
    company = root / "content" / "company.yaml"
    company.write_text(company.read_text().replace("telephone:", "telephon:"), encoding="utf-8")
    assert problems_of(root) == [
        "content/company.yaml:11:1: error: unknown key 'telephon' (did you mean 'telephone'?)",
    ]


def test_load_reports_unknown_key_without_a_suggestion_when_nothing_is_close(
    make_project: MakeProject,
) -> None:
    text = FILING_YAML + "colour: blue\n"
    root = make_project({"content/example/filing.yaml": text})
    assert problems_of(root) == ["content/example/filing.yaml:12:1: error: unknown key 'colour'"]


# --- 5. unknown item numbers ------------------------------------------------------------------


def test_load_reports_unknown_item_with_did_you_mean(make_project: MakeProject) -> None:
    text = FILING_YAML.replace('number: "8.01"', 'number: "8.1"')
    root = make_project({"content/example/filing.yaml": text})
    assert problems_of(root) == [
        "content/example/filing.yaml:5:13: error: item-unknown: unknown item '8.1': "
        "Form 8-K has items 1.01 to 9.01 (did you mean '8.01'?)"
    ]


def test_load_reads_an_unquoted_item_number_as_written(make_project: MakeProject) -> None:
    text = FILING_YAML.replace('number: "8.01"', "number: 8.01")
    bundle = load(make_project({"content/example/filing.yaml": text}))
    assert [item.number for item in bundle.filing.items] == ["8.01", "9.01"]


# --- 6. missing files -------------------------------------------------------------------------


def test_load_reports_missing_exhibit_source_with_did_you_mean(make_project: MakeProject) -> None:
    text = FILING_YAML.replace("source: press-release.md", "source: press-relase.md")
    root = make_project({"content/example/filing.yaml": text})
    assert problems_of(root) == [
        "content/example/filing.yaml:11:13: error: file 'press-relase.md' not found "
        "(did you mean 'press-release.md'?)"
    ]


def test_load_reports_missing_exhibit_source_without_suggestion(make_project: MakeProject) -> None:
    text = FILING_YAML.replace("source: press-release.md", "source: x.md")
    root = make_project({"content/example/filing.yaml": text})
    assert problems_of(root) == ["content/example/filing.yaml:11:13: error: file 'x.md' not found"]


def test_load_reports_missing_logo(make_project: MakeProject) -> None:
    root = make_project()
    company = root / "content" / "company.yaml"
    company.write_text(company.read_text() + "logo: logo.jpg\n", encoding="utf-8")
    assert problems_of(root) == ["content/company.yaml:16:7: error: file 'logo.jpg' not found"]


def test_load_refuses_a_logo_that_edgar_cannot_take(make_project: MakeProject) -> None:
    root = make_project({"content/logo.png": "not really a png"})
    company = root / "content" / "company.yaml"
    company.write_text(company.read_text() + "logo: logo.png\n", encoding="utf-8")
    assert problems_of(root) == [
        "content/company.yaml:16:7: error: 'logo.png' must be a .jpg or .gif file "
        "(EDGAR accepts no other images)"
    ]


# --- 7. files outside the project -------------------------------------------------------------


def test_load_refuses_exhibit_source_outside_the_project(make_project: MakeProject) -> None:
    text = FILING_YAML.replace("source: press-release.md", "source: ../../../../etc/passwd")
    root = make_project({"content/example/filing.yaml": text})
    assert problems_of(root) == [
        f"content/example/filing.yaml:11:13: error: '../../../../etc/passwd' {OUTSIDE}"
    ]


def test_load_refuses_an_absolute_path_outside_the_project(make_project: MakeProject) -> None:
    text = FILING_YAML.replace("source: press-release.md", "source: /etc/passwd")
    root = make_project({"content/example/filing.yaml": text})
    assert problems_of(root) == [
        f"content/example/filing.yaml:11:13: error: '/etc/passwd' {OUTSIDE}"
    ]


def test_load_refuses_a_logo_outside_the_project(make_project: MakeProject, tmp_path: Path) -> None:
    (tmp_path / "outside.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a real jpeg")
    root = make_project()
    company = root / "content" / "company.yaml"
    company.write_text(company.read_text() + "logo: ../../outside.jpg\n", encoding="utf-8")
    assert problems_of(root) == [f"content/company.yaml:16:7: error: '../../outside.jpg' {OUTSIDE}"]


def test_load_refuses_a_symlink_that_leads_outside_the_project(
    make_project: MakeProject, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\nheadline: x\n---\n", encoding="utf-8")
    root = make_project()
    link = root / "content" / "example" / "press-release.md"
    link.unlink()
    os.symlink(secret, link)
    assert problems_of(root) == [
        f"content/example/filing.yaml:11:13: error: 'press-release.md' {OUTSIDE}"
    ]


# --- 8. every problem of a file at once -------------------------------------------------------


def test_load_reports_all_problems_of_a_file_sorted_by_line(make_project: MakeProject) -> None:
    text = """\
        form_type: 8-K
        filing_date: someday
        date_of_report: yesterday
        items:
          - number: "8.01"
        """
    root = make_project({"content/example/filing.yaml": text})
    assert problems_of(root) == [
        f"content/example/filing.yaml:2:14: error: filing_date: 'someday' {NOT_A_DATE}",
        f"content/example/filing.yaml:3:17: error: date_of_report: 'yesterday' {NOT_A_DATE}",
    ]


def test_load_reports_problems_of_company_filing_and_exhibit_together(
    make_project: MakeProject,
) -> None:
    root = make_project(
        {
            "content/example/filing.yaml": FILING_YAML.replace(
                "date_of_report: 2024-03-01", "date_of_report: yesterday"
            ),
            "content/example/press-release.md": "No front matter.\n",
        }
    )
    company = root / "content" / "company.yaml"
    company.write_text(
        company.read_text().replace("prefix: exmp", "prefix: EXMP"), encoding="utf-8"
    )
    assert problems_of(root) == [
        "content/company.yaml:12:9: error: prefix: prefix must be 1 to 20 lower-case letters or "
        "digits (EDGAR file names), got 'EXMP'",
        f"content/example/filing.yaml:2:17: error: date_of_report: 'yesterday' {NOT_A_DATE}",
    ]


def test_load_reports_every_broken_exhibit(make_project: MakeProject) -> None:
    text = FILING_YAML + (
        '  - number: "99.2"\n    description: Second release\n    source: second.md\n'
    )
    root = make_project(
        {
            "content/example/filing.yaml": text,
            "content/example/press-release.md": "No front matter.\n",
        }
    )
    assert problems_of(root) == [
        f"content/example/press-release.md:1:1: error: {NO_FRONT_MATTER}",
        "content/example/filing.yaml:14:13: error: file 'second.md' not found",
    ]


# --- 9. duplicate keys ------------------------------------------------------------------------


def test_load_reports_duplicate_key_naming_the_first_line(make_project: MakeProject) -> None:
    text = FILING_YAML + "date_of_report: 2024-03-02\n"
    root = make_project({"content/example/filing.yaml": text})
    assert problems_of(root) == [
        "content/example/filing.yaml:12:1: error: duplicate key 'date_of_report' "
        "(first given on line 2)"
    ]


def test_load_reports_duplicate_key_in_a_nested_mapping(make_project: MakeProject) -> None:
    text = FILING_YAML.replace(
        "    body: Something happened.\n",
        "    body: Something happened.\n    body: Something else.\n",
    )
    root = make_project({"content/example/filing.yaml": text})
    assert problems_of(root) == [
        "content/example/filing.yaml:7:5: error: duplicate key 'body' (first given on line 6)"
    ]


def test_parse_yaml_reports_every_duplicate_key() -> None:
    assert yaml_problems("a: 1\nb: 2\na: 3\nb: 4\n") == [
        "filing.yaml:3:1: error: duplicate key 'a' (first given on line 1)",
        "filing.yaml:4:1: error: duplicate key 'b' (first given on line 2)",
    ]


# --- 10. scalars stay strings; no unsafe tags -------------------------------------------------


def test_parse_yaml_keeps_scalars_as_written() -> None:
    data, _ = parse_yaml(
        "zip: 01234\ncik: 855654\nein: 04-2726691\nfile: 0-17999\nflag: NO\nrate: 1.50\n",
        Path("/project/company.yaml"),
    )
    assert data == {
        "zip": "01234",
        "cik": "855654",
        "ein": "04-2726691",
        "file": "0-17999",
        "flag": "NO",
        "rate": "1.50",
    }


def test_parse_yaml_records_where_each_key_and_value_was_written() -> None:
    path = Path("/project/filing.yaml")
    _, sources = parse_yaml("a:\n  - b: 1\n    c: two\n", path)
    assert sources.locate(("a", 0, "c")).display(path.parent) == "filing.yaml:3:8"
    assert sources.locate(("a", 0, "c"), key=True).display(path.parent) == "filing.yaml:3:5"
    assert sources.locate(("a", 0, "nothing")).display(path.parent) == "filing.yaml:2:5"


def test_load_converts_scalars_only_as_the_schema_asks(make_project: MakeProject) -> None:
    company = """\
        name: Example Corp.
        cik: 855654
        jurisdiction_of_incorporation: Delaware
        file_number: 0-17999
        irs_employer_id: 04-2726691
        address:
          street: 1 Main Street
          city: Springfield
          state: MA
          zip: 01234
        telephone: (617) 555-0100
        prefix: exmp
        emerging_growth_company: yes
        """
    bundle = load(make_project({"content/company.yaml": company}))
    assert bundle.company.cik == "0000855654"
    assert bundle.company.address.zip == "01234"
    assert bundle.company.irs_employer_id == "04-2726691"
    assert bundle.company.file_number == "0-17999"
    assert bundle.company.address.street == ["1 Main Street"]
    assert bundle.company.emerging_growth_company is True


def test_load_reports_a_cik_that_is_not_digits(make_project: MakeProject) -> None:
    root = make_project()
    company = root / "content" / "company.yaml"
    company.write_text(company.read_text().replace('"1234567"', "12-34567"), encoding="utf-8")
    assert problems_of(root) == [
        "content/company.yaml:2:6: error: cik-format: CIK must be 1 to 10 digits, got '12-34567'"
    ]


def test_parse_yaml_refuses_local_tags() -> None:
    assert yaml_problems("name: !shell rm -rf /\n") == [
        "filing.yaml:1:7: error: YAML tag '!shell' is not supported: content is plain text, "
        "lists and mappings"
    ]


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("name: !!python/object:os.system ls\n", "!!python/object:os.system"),
        ("name: !!python/object/apply:os.system [ls]\n", "!!python/object/apply:os.system"),
        ("name: !shell {cmd: ls}\n", "!shell"),
    ],
)
def test_parse_yaml_refuses_python_tags(text: str, tag: str) -> None:
    assert yaml_problems(text) == [
        f"filing.yaml:1:7: error: YAML tag {tag!r} is not supported: content is plain text, "
        "lists and mappings"
    ]


# --- 11. company overrides in filing.yaml -----------------------------------------------------


def test_load_applies_company_override_from_filing_yaml(make_project: MakeProject) -> None:
    text = FILING_YAML + "company:\n  former_name_or_address: Example Holdings, Inc.\n"
    bundle = load(make_project({"content/example/filing.yaml": text}))
    assert bundle.company.former_name_or_address == "Example Holdings, Inc."
    assert bundle.company.name == "Example Corp."


def test_load_merges_a_nested_company_override(make_project: MakeProject) -> None:
    text = FILING_YAML + "company:\n  address:\n    zip: '62702'\n"
    bundle = load(make_project({"content/example/filing.yaml": text}))
    assert bundle.company.address.zip == "62702"
    assert bundle.company.address.city == "Springfield"
    location = bundle.company_sources.locate(("address", "zip"))
    assert location.display(bundle.folder.parent.parent) == "content/example/filing.yaml:14:10"


def test_company_override_shows_on_the_cover_page(
    make_project: MakeProject, run_cli: RunCli
) -> None:
    text = FILING_YAML + "company:\n  former_name_or_address: Example Holdings, Inc.\n"
    root = make_project({"content/example/filing.yaml": text})
    code, _, err = build_html(run_cli, root)
    assert (code, err) == (0, "")
    html = (root / "output/example/exmp-20240301.htm").read_text()
    assert "<b>Example Holdings, Inc.</b></p>" in html
    assert html.index("Example Holdings, Inc.") < html.index("(Former name or former address")


def test_error_in_company_override_points_at_filing_yaml(make_project: MakeProject) -> None:
    text = FILING_YAML + "company:\n  prefix: Example Corp\n"
    root = make_project({"content/example/filing.yaml": text})
    assert problems_of(root) == [
        "content/example/filing.yaml:13:11: error: prefix: prefix must be 1 to 20 lower-case "
        "letters or digits (EDGAR file names), got 'Example Corp'"
    ]


def test_unknown_key_in_company_override_points_at_filing_yaml(make_project: MakeProject) -> None:
    text = FILING_YAML + "company:\n  former_nmae_or_address: Example Holdings\n"
    root = make_project({"content/example/filing.yaml": text})
    assert problems_of(root) == [
        "content/example/filing.yaml:13:3: error: unknown key 'former_nmae_or_address' "
        "(did you mean 'former_name_or_address'?)"
    ]


def test_logo_given_in_a_company_override_is_relative_to_filing_yaml(
    make_project: MakeProject,
) -> None:
    text = FILING_YAML + "company:\n  logo: logo.gif\n"
    root = make_project({"content/example/filing.yaml": text, "content/example/logo.gif": "GIF89a"})
    bundle = load(root)
    assert bundle.logo is not None
    assert bundle.logo.name == "exmp-logo.gif"
    assert bundle.logo.path == (root / "content/example/logo.gif").resolve()


# --- 12. front matter -------------------------------------------------------------------------


def test_load_reports_press_release_without_front_matter_at_line_1(
    make_project: MakeProject,
) -> None:
    root = make_project({"content/example/press-release.md": "Example Corp. announced.\n"})
    assert problems_of(root) == [f"content/example/press-release.md:1:1: error: {NO_FRONT_MATTER}"]


def test_load_reports_front_matter_without_closing_line(make_project: MakeProject) -> None:
    root = make_project({"content/example/press-release.md": "---\nheadline: X\n\nBody.\n"})
    assert problems_of(root) == [
        "content/example/press-release.md:1:1: error: front matter has no closing '---' line"
    ]


def test_front_matter_errors_carry_the_markdown_files_line_numbers(
    make_project: MakeProject,
) -> None:
    release = """\
        ---
        headline: Example Corp. Announces Something
        dateline:
          city: SPRINGFIELD, Ill.
          date: someday
        hedline: typo
        ---
        Example Corp. today announced something.
        """
    root = make_project({"content/example/press-release.md": release})
    assert problems_of(root) == [
        f"content/example/press-release.md:5:9: error: dateline.date: 'someday' {NOT_A_DATE}",
        "content/example/press-release.md:6:1: error: unknown key 'hedline' "
        "(did you mean 'headline'?)",
    ]


def test_front_matter_missing_key_is_reported_at_line_2(make_project: MakeProject) -> None:
    release = "---\ndateline:\n  city: SPRINGFIELD, Ill.\n---\nBody.\n"
    root = make_project({"content/example/press-release.md": release})
    assert problems_of(root) == [
        "content/example/press-release.md:2:1: error: missing required key 'headline'"
    ]


def test_front_matter_yaml_syntax_error_carries_the_markdown_files_line(
    make_project: MakeProject,
) -> None:
    release = "---\nheadline: Something\n dateline: x\n---\nBody.\n"
    root = make_project({"content/example/press-release.md": release})
    assert problems_of(root) == [
        "content/example/press-release.md:3:2: error: invalid YAML: 'dateline' is indented 1 "
        f"space more than 'headline' on line 2: {KEYS}"
    ]


def test_document_exhibit_uses_the_document_schema(make_project: MakeProject) -> None:
    text = FILING_YAML + (
        '  - number: "10.1"\n'
        "    description: Agreement\n"
        "    source: agreement.md\n"
        "    kind: document\n"
    )
    root = make_project(
        {
            "content/example/filing.yaml": text,
            "content/example/agreement.md": "---\nheadline: wrong schema\n---\nText.\n",
        }
    )
    assert problems_of(root) == [
        "content/example/agreement.md:2:1: error: unknown key 'headline'",
    ]


def test_read_front_matter_returns_the_body_after_the_closing_line(tmp_path: Path) -> None:
    path = tmp_path / "release.md"
    path.write_text("\ufeff---\nheadline: X\n...\nFirst line.\n\nSecond.\n", encoding="utf-8")
    data, sources, body, body_line = read_front_matter(path)
    assert data == {"headline": "X"}
    assert sources.locate(("headline",)).display(tmp_path) == "release.md:2:11"
    assert body == "First line.\n\nSecond.\n"
    assert body_line == 4


# --- 13. one bad filing does not stop the others ----------------------------------------------


def test_a_bad_filing_does_not_stop_the_others(make_project: MakeProject, run_cli: RunCli) -> None:
    root = make_project(
        {
            "content/broken/filing.yaml": FILING_YAML.replace(
                "date_of_report: 2024-03-01", "date_of_report: yesterday"
            ),
            "content/broken/press-release.md": "---\nheadline: x\n---\n",
        }
    )
    code, out, err = build_html(run_cli, root)
    assert code == 1
    assert err.splitlines() == [
        f"content/broken/filing.yaml:2:17: error: date_of_report: 'yesterday' {NOT_A_DATE}"
    ]
    lines = out.splitlines()
    assert lines[0] == "failed broken: nothing written, previous output kept"
    assert lines[1].startswith("built  example -> ")
    assert lines[1].endswith("exmp-ex99-1.htm, manifest.json)")
    assert lines[2] == "1 built, 1 failed; 1 error, 0 warnings"
    assert (root / "output/example/exmp-20240301.htm").is_file()
    assert not (root / "output/broken").exists()


# --- 14. the nearest company.yaml -------------------------------------------------------------


def test_load_uses_the_nearest_company_yaml(make_project: MakeProject) -> None:
    acme = """\
        name: Acme Inc.
        cik: '42'
        jurisdiction_of_incorporation: Nevada
        file_number: 001-00042
        irs_employer_id: 88-0000042
        address: {street: 2 Elm Street, city: Reno, state: NV, zip: '89501'}
        telephone: (775) 555-0100
        prefix: acme
        """
    root = make_project(
        {
            "content/acme/company.yaml": acme,
            "content/acme/2024-q1/filing.yaml": FILING_YAML,
            "content/acme/2024-q1/press-release.md": "---\nheadline: H\ndateline: "
            "{city: RENO, date: 2024-03-01}\n---\nBody.\n",
        }
    )
    bundle = load(root, "acme/2024-q1")
    assert bundle.key == "acme/2024-q1"
    assert bundle.company.name == "Acme Inc."
    assert bundle.company.cik == "0000000042"
    assert bundle.primary_document == "acme-20240301.htm"
    assert load(root).company.name == "Example Corp."


def test_error_in_the_nearest_company_yaml_points_at_that_file(make_project: MakeProject) -> None:
    root = make_project(
        {
            "content/acme/company.yaml": "name: Acme Inc.\n",
            "content/acme/2024-q1/filing.yaml": FILING_YAML,
            "content/acme/2024-q1/press-release.md": "---\nheadline: H\n---\n",
        }
    )
    shown = problems_of(root, "acme/2024-q1")
    assert shown[0] == "content/acme/company.yaml:1:1: error: missing required key 'cik'"
    assert all(line.startswith("content/acme/") for line in shown)


def test_load_reports_a_filing_without_company_yaml(make_project: MakeProject) -> None:
    root = make_project(
        {
            "content/solo/filing.yaml": FILING_YAML,
            "content/solo/press-release.md": "---\nheadline: H\n---\n",
        },
        example=False,
    )
    assert problems_of(root, "solo") == [
        "content/solo/filing.yaml:1:1: error: "
        "no company.yaml in this folder or above it in content/"
    ]


# --- validate() on its own --------------------------------------------------------------------


def test_validate_returns_the_model_when_the_data_fits() -> None:
    path = Path("/project/filing.yaml")
    data, sources = parse_yaml(FILING_YAML, path)
    filing = validate(Filing, data, sources)
    assert [item.number for item in filing.sorted_items] == ["8.01", "9.01"]
    assert str(filing.date_of_report) == "2024-03-01"


def test_validate_locates_problems_under_a_prefix() -> None:
    path = Path("/project/filing.yaml")
    data, sources = parse_yaml("company:\n  name: X\n  prefix: ABC\n", path)
    with pytest.raises(LoadError) as error:
        validate(Company, data["company"], sources, prefix=("company",))
    shown = [problem.display(path.parent) for problem in error.value.problems]
    assert shown[-1] == (
        "filing.yaml:3:11: error: prefix: prefix must be 1 to 20 lower-case letters or digits "
        "(EDGAR file names), got 'ABC'"
    )
    assert shown[0] == "filing.yaml:2:3: error: missing required key 'cik'"
    assert all(isinstance(problem, Problem) for problem in error.value.problems)


def test_load_refuses_a_logo_whose_content_is_not_its_type(make_project: MakeProject) -> None:
    root = make_project()
    (root / "content" / "logo.jpg").write_bytes(b"<svg>not a jpeg</svg>")
    company = root / "content" / "company.yaml"
    company.write_text(company.read_text() + "logo: logo.jpg\n")
    assert problems_of(root) == [
        "content/company.yaml:16:7: error: 'logo.jpg' is not a JPG image: its content is no "
        "image EDGAR accepts"
    ]


def test_load_says_a_source_is_a_folder(make_project: MakeProject) -> None:
    root = make_project()
    (root / "content" / "example" / "sub.md").mkdir()
    filing = root / "content" / "example" / "filing.yaml"
    filing.write_text(filing.read_text().replace("source: press-release.md", "source: sub.md"))
    assert problems_of(root) == [
        "content/example/filing.yaml:11:13: error: 'sub.md' is a folder; name a file"
    ]


def test_a_png_named_jpg_is_taken_as_edgar_took_it(make_project: MakeProject) -> None:
    # Adobe's EX-99.1 of 2023-03-15 was accepted with PNG data in image.jpg.
    root = make_project()
    (root / "content" / "logo.jpg").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    company = root / "content" / "company.yaml"
    company.write_text(company.read_text() + "logo: logo.jpg\n")
    bundle = load(root)
    assert bundle.logo is not None and bundle.logo.name == "exmp-logo.jpg"
