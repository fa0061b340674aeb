"""Messages in plain words for the mistakes people make in content files and on the command
line: each is reported once, at the line and column of the mistake (which is not always where
the YAML parser stopped), and says what to write instead."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from form8k.load import LoadError, load_filing, parse_yaml, read_front_matter, validate
from tests.conftest import COMPANY_YAML, FILING_YAML, PRESS_RELEASE_MD

MakeProject = Callable[..., Path]
RunCli = Callable[..., tuple[int, str, str]]

KEYS = "the keys of one mapping must start in the same column"
ITEMS = "the items of one list must start in the same column"


def yaml_problems(text: str, name: str = "filing.yaml") -> list[str]:
    """What the user sees for ``text`` (path:line:column: ...), relative to its folder."""
    path = Path("/project") / name
    with pytest.raises(LoadError) as error:
        parse_yaml(text, path)
    return [problem.display(path.parent) for problem in error.value.problems]


def pyyaml_stops_at(text: str) -> str:
    """Where PyYAML itself reports the error (line:column), for comparison."""
    with pytest.raises(yaml.MarkedYAMLError) as error:
        yaml.compose(text, Loader=yaml.SafeLoader)
    mark = error.value.problem_mark
    assert mark is not None
    return f"{mark.line + 1}:{mark.column + 1}"


def problems_of(root: Path, key: str = "example") -> list[str]:
    """What the user sees for a filing that does not load: one line per problem."""
    content = root / "content"
    with pytest.raises(LoadError) as error:
        load_filing(content / key, content=content, root=root)
    return [problem.display(root) for problem in error.value.problems]


def changed(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


# --- tabs -------------------------------------------------------------------------------------


def test_a_tab_in_the_indentation() -> None:
    # PyYAML: "found character '\t' that cannot start any token".
    assert yaml_problems('items:\n\t- number: "8.01"\n') == [
        "filing.yaml:2:1: error: invalid YAML: a tab in the indentation: YAML indents with "
        "spaces only; use spaces"
    ]


def test_a_tab_between_a_key_and_its_value() -> None:
    assert yaml_problems("form_type:\t8-K\n") == [
        "filing.yaml:1:11: error: invalid YAML: a tab before a value: YAML separates with "
        "spaces only; use a space"
    ]


# --- indentation ------------------------------------------------------------------------------


def test_a_key_indented_one_space_too_far(make_project: MakeProject) -> None:
    company = changed(COMPANY_YAML, "  city: Springfield", "   city: Springfield")
    root = make_project({"content/company.yaml": company})
    # PyYAML stops at the colon, "mapping values are not allowed here".
    assert pyyaml_stops_at(company) == "8:8"
    assert problems_of(root) == [
        f"content/company.yaml:8:4: error: invalid YAML: 'city' is indented 1 space more than "
        f"'street' on line 7: {KEYS}"
    ]


def test_a_key_dedented_in_the_middle_of_a_mapping(make_project: MakeProject) -> None:
    company = changed(COMPANY_YAML, "  city: Springfield", " city: Springfield")
    root = make_project({"content/company.yaml": company})
    assert problems_of(root) == [
        f"content/company.yaml:8:2: error: invalid YAML: 'city' is indented 1 space less than "
        f"'street' on line 7: {KEYS}"
    ]


def test_the_last_key_of_a_mapping_dedented(make_project: MakeProject) -> None:
    company = changed(COMPANY_YAML, "  title: Chief", " title: Chief")
    root = make_project({"content/company.yaml": company})
    assert problems_of(root) == [
        f"content/company.yaml:15:2: error: invalid YAML: 'title' is indented 1 space less than "
        f"'name' on line 14: {KEYS}"
    ]


def test_a_top_level_key_indented_one_space_too_far(make_project: MakeProject) -> None:
    filing = changed(FILING_YAML, "filing_date:", " filing_date:")
    root = make_project({"content/example/filing.yaml": filing})
    assert pyyaml_stops_at(filing) == "3:13"
    assert problems_of(root) == [
        f"content/example/filing.yaml:3:2: error: invalid YAML: 'filing_date' is indented 1 "
        f"space more than 'date_of_report' on line 2: {KEYS}"
    ]


def test_a_list_item_under_indented(make_project: MakeProject) -> None:
    filing = changed(FILING_YAML, '  - number: "9.01"', ' - number: "9.01"')
    root = make_project({"content/example/filing.yaml": filing})
    assert problems_of(root) == [
        "content/example/filing.yaml:7:2: error: invalid YAML: this list item is indented 1 "
        f"space less than the one on line 5: {ITEMS}"
    ]


def test_a_list_item_over_indented(make_project: MakeProject) -> None:
    filing = changed(FILING_YAML, '  - number: "9.01"', '   - number: "9.01"')
    root = make_project({"content/example/filing.yaml": filing})
    assert problems_of(root) == [
        "content/example/filing.yaml:7:4: error: invalid YAML: this list item is indented 1 "
        f"space more than the one on line 5: {ITEMS}"
    ]


def test_a_key_of_a_list_item_under_indented(make_project: MakeProject) -> None:
    filing = changed(FILING_YAML, "    body: Something", "   body: Something")
    root = make_project({"content/example/filing.yaml": filing})
    assert problems_of(root) == [
        "content/example/filing.yaml:6:4: error: invalid YAML: 'body' is indented 1 space less "
        f"than 'number' on line 5: {KEYS}"
    ]


def test_a_key_of_a_list_item_over_indented(make_project: MakeProject) -> None:
    filing = changed(FILING_YAML, "    body: Something", "     body: Something")
    root = make_project({"content/example/filing.yaml": filing})
    assert problems_of(root) == [
        "content/example/filing.yaml:6:6: error: invalid YAML: 'body' is indented 1 space more "
        f"than 'number' on line 5: {KEYS}"
    ]


def test_the_first_key_of_a_mapping_out_of_step_with_the_rest() -> None:
    text = "signatory:\n   name: Jane Q. Public\n  title: Chief Executive Officer\nprefix: x\n"
    # PyYAML stops at 'title', which lines up with the usual indentation; 'name' does not.
    assert pyyaml_stops_at(text) == "3:3"
    assert yaml_problems(text) == [
        f"filing.yaml:2:4: error: invalid YAML: 'name' is indented 1 space more than 'title' "
        f"on line 3: {KEYS}"
    ]


def test_the_first_line_of_the_file_indented() -> None:
    assert yaml_problems(" form_type: 8-K\ndate_of_report: 2024-03-01\nfiling_date: x\n") == [
        "filing.yaml:1:2: error: invalid YAML: 'form_type' is indented 1 space more than "
        f"'date_of_report' on line 2: {KEYS}"
    ]


def test_a_line_of_a_block_of_text_dedented_is_reported_where_it_is() -> None:
    lines = [f"      Line {n} of the text of the item, which goes on." for n in range(1, 14)]
    lines[1] = lines[1][2:]
    text = 'items:\n  - number: "8.01"\n    body: |\n' + "\n".join(lines) + "\n  - number: x\n"
    # PyYAML reports "could not find expected ':'" twelve lines below the mistake.
    assert pyyaml_stops_at(text) == "17:3"
    assert yaml_problems(text) == [
        "filing.yaml:5:5: error: invalid YAML: this line of the text of 'body' is indented 2 "
        "spaces less than line 4: every line of a block of text must be indented at least as "
        "far as its first line"
    ]


def test_the_first_line_of_a_block_of_text_indented_too_far() -> None:
    text = (
        "about: |\n   Example Corp. makes things.\n  It was founded in 1901.\n"
        "  It is in Springfield.\nprefix: exmp\n"
    )
    assert pyyaml_stops_at(text) == "3:3"
    assert yaml_problems(text) == [
        "filing.yaml:2:4: error: invalid YAML: the first line of the text of 'about' is indented "
        "1 space more than the lines after it (on line 3): a block of text takes its indentation "
        "from its first line; indent them alike"
    ]


def test_a_block_of_text_no_further_right_than_its_key() -> None:
    assert yaml_problems("about: |\nExample Corp. makes things.\n  Since 1901.\nprefix: x\n") == [
        "filing.yaml:2:1: error: invalid YAML: this text is indented no further than 'about' on "
        "line 1, whose text it is: the lines of a block of text (|) must be indented further "
        "than its key"
    ]


def test_a_sentence_of_a_block_of_text_that_became_a_key() -> None:
    text = (
        'items:\n  - number: "5.02"\n    body: |\n      Mr. Whitaker was appointed.\n\n'
        "    He will receive:\n\n      - a salary;\n      - a bonus.\n\n"
        "      More text here\n      and more.\n"
    )
    assert pyyaml_stops_at(text) == "12:7"
    assert yaml_problems(text) == [
        "filing.yaml:6:5: error: invalid YAML: this line of the text of 'body' is indented no "
        "further than 'body' (line 3), so YAML reads it as a key, up to its ':'; indent it like "
        "the rest of the text"
    ]


def test_front_matter_messages_name_the_markdown_files_lines(make_project: MakeProject) -> None:
    release = changed(PRESS_RELEASE_MD, "dateline:", " dateline:")
    root = make_project({"content/example/press-release.md": release})
    assert problems_of(root) == [
        "content/example/press-release.md:3:2: error: invalid YAML: 'dateline' is indented 1 "
        f"space more than 'headline' on line 2: {KEYS}"
    ]


# --- colons -----------------------------------------------------------------------------------


def test_an_unquoted_colon_in_a_value(make_project: MakeProject) -> None:
    filing = changed(
        FILING_YAML, "description: Press release dated", "description: Press release: dated"
    )
    root = make_project({"content/example/filing.yaml": filing})
    # PyYAML: "mapping values are not allowed here".
    assert problems_of(root) == [
        "content/example/filing.yaml:10:31: error: invalid YAML: the value of 'description' has "
        "a colon and a space (': ') in it, which YAML reads as another key: put the value in "
        'quotes, description: "Press release: dated March 1, 2024"'
    ]


def test_a_value_ending_in_a_colon() -> None:
    assert yaml_problems("description: Note:\n") == [
        "filing.yaml:1:18: error: invalid YAML: the value of 'description' has a colon and a "
        "space (': ') in it, which YAML reads as another key: put the value in quotes, "
        'description: "Note:"'
    ]


def test_an_unquoted_colon_in_text_over_several_lines() -> None:
    text = 'items:\n  - number: "8.01"\n    body: Something happened\n      today. Note: more\n'
    assert yaml_problems(text) == [
        "filing.yaml:4:18: error: invalid YAML: the text of 'body' (from line 3) goes on over "
        "several lines and has a colon and a space (': ') here, which YAML reads as a key: put "
        "the text in quotes, or write it as a block of text (body: | and the text on the lines "
        "below)"
    ]


def test_a_key_without_its_colon(make_project: MakeProject) -> None:
    company = changed(COMPANY_YAML, "  name: Jane Q. Public", "  name Jane Q. Public")
    root = make_project({"content/company.yaml": company})
    assert problems_of(root) == [
        "content/company.yaml:14:3: error: invalid YAML: 'name' needs a colon after it: write "
        "name: Jane Q. Public"
    ]


def test_the_first_key_without_its_colon() -> None:
    assert pyyaml_stops_at("form_type 8-K\ndate_of_report: 2024-03-01\n") == "2:15"
    assert yaml_problems("form_type 8-K\ndate_of_report: 2024-03-01\n") == [
        "filing.yaml:1:1: error: invalid YAML: 'form_type' needs a colon after it: write "
        "form_type: 8-K"
    ]


def test_the_first_key_of_a_list_item_without_its_colon() -> None:
    assert yaml_problems("contacts:\n  - audience Investors\n    name: Jane\n") == [
        "filing.yaml:2:5: error: invalid YAML: 'audience' needs a colon after it: write "
        "audience: Investors"
    ]


# --- quotes and other characters --------------------------------------------------------------


def test_a_quote_never_closed(make_project: MakeProject) -> None:
    filing = changed(FILING_YAML, 'number: "99.1"', 'number: "99.1')
    root = make_project({"content/example/filing.yaml": filing})
    assert problems_of(root) == [
        'content/example/filing.yaml:9:13: error: invalid YAML: the quotation mark " that opens '
        'this value is never closed: end the value with a matching "'
    ]


def test_a_quote_closed_only_on_a_later_line() -> None:
    text = 'headline: "Example\nsubheadline: "More"\nrelease_time: now\n'
    assert pyyaml_stops_at(text) == "2:15"
    assert yaml_problems(text) == [
        'filing.yaml:1:11: error: invalid YAML: the quotation mark " that opens this value is not '
        'closed on its line: YAML reads on to the next ", on line 2; end the value with a '
        'matching "'
    ]


def test_text_after_the_closing_quote() -> None:
    assert yaml_problems('title: "The "Big" Deal"\n') == [
        'filing.yaml:1:14: error: invalid YAML: text after the closing " of a value in quotes: '
        'to put a " inside the value, write it \\", or quote the value with the other quotation '
        "mark"
    ]


def test_a_backslash_in_double_quotes() -> None:
    assert yaml_problems('logo: "C:\\Users\\logo.jpg"\n') == [
        "filing.yaml:1:10: error: invalid YAML: a backslash in a value in double quotes starts "
        "an escape such as \\n: write \\\\ for a backslash, or put the value in single quotes"
    ]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "headline: **Big** news\n",
            "1:11: error: invalid YAML: a value that starts with '*' must be in quotes: YAML "
            "reads it as a reference to an anchor",
        ),
        (
            "website: @acme\n",
            "1:10: error: invalid YAML: a value that starts with '@' must be in quotes",
        ),
        (
            "title: | in brief\n",
            "1:8: error: invalid YAML: a value that starts with '|' must be in quotes: YAML reads "
            "'|' there as the start of a block of text on the lines below",
        ),
    ],
)
def test_a_value_that_starts_with_a_character_yaml_reserves(text: str, shown: str) -> None:
    assert yaml_problems(text) == [f"filing.yaml:{shown}"]


def test_duplicate_keys_are_still_reported_with_the_first_line() -> None:
    assert yaml_problems("name: a\nprefix: b\nname: c\n") == [
        "filing.yaml:3:1: error: duplicate key 'name' (first given on line 1)"
    ]


# --- encodings --------------------------------------------------------------------------------


def test_a_file_saved_as_windows_1252(make_project: MakeProject) -> None:
    root = make_project()
    text = changed(FILING_YAML, "Something happened.", "The company\u2019s news.")
    (root / "content/example/filing.yaml").write_bytes(text.encode("cp1252"))
    assert problems_of(root) == [
        "content/example/filing.yaml:6:22: error: the file is not UTF-8 (it looks like "
        "Windows-1252): save it as UTF-8 (the first character that is not UTF-8 is '\u2019', "
        "byte 0x92)"
    ]


def test_a_markdown_file_saved_as_windows_1252(make_project: MakeProject) -> None:
    root = make_project()
    text = PRESS_RELEASE_MD + "\n\u201cWe are pleased,\u201d said the CEO.\n"
    (root / "content/example/press-release.md").write_bytes(text.encode("cp1252"))
    assert problems_of(root) == [
        "content/example/press-release.md:9:1: error: the file is not UTF-8 (it looks like "
        "Windows-1252): save it as UTF-8 (the first character that is not UTF-8 is '\u201c', "
        "byte 0x93)"
    ]


def test_a_file_saved_as_utf_16(make_project: MakeProject) -> None:
    root = make_project()
    (root / "content/example/filing.yaml").write_bytes(FILING_YAML.encode("utf-16"))
    assert problems_of(root) == [
        "content/example/filing.yaml:1:1: error: the file is UTF-16, not UTF-8: save it as UTF-8"
    ]


def test_a_byte_that_no_encoding_explains(make_project: MakeProject) -> None:
    root = make_project()
    (root / "content/example/filing.yaml").write_bytes(b"form_type: 8-K\x81\n")
    assert problems_of(root) == [
        "content/example/filing.yaml:1:15: error: the file is not UTF-8 (byte 0x81 here is not "
        "UTF-8): save it as UTF-8"
    ]


def test_windows_line_endings_and_a_byte_order_mark_still_read(tmp_path: Path) -> None:
    path = tmp_path / "release.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\nheadline: X\r\n---\r\nFirst line.\r\nSecond.\r\n")
    data, _, body, body_line = read_front_matter(path)
    assert (data, body, body_line) == ({"headline": "X"}, "First line.\nSecond.\n", 4)


# --- dates ------------------------------------------------------------------------------------


def test_a_date_written_month_first(make_project: MakeProject) -> None:
    filing = changed(FILING_YAML, "date_of_report: 2024-03-01", "date_of_report: 11/26/2026")
    root = make_project({"content/example/filing.yaml": filing})
    # pydantic: "input should be a valid date or datetime, invalid character in year".
    assert problems_of(root) == [
        "content/example/filing.yaml:2:17: error: date_of_report: '11/26/2026' is not a date in "
        "the form YYYY-MM-DD: write 2026-11-26 (November 26, 2026)"
    ]


class Dated(BaseModel):
    date: dt.date


WRITE = "is not a date in the form YYYY-MM-DD: write"
FORM = "write dates as YYYY-MM-DD (year, month, day)"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("3/4/2026", f"{WRITE} 2026-03-04 (March 4, 2026)"),
        ("26/11/2026", f"{WRITE} 2026-11-26 (November 26, 2026)"),
        ("2024/03/01", f"{WRITE} 2024-03-01 (March 1, 2024)"),
        ("2024-3-1", f"{WRITE} 2024-03-01 (March 1, 2024)"),
        ("Nov. 26, 2026", f"{WRITE} 2026-11-26 (November 26, 2026)"),
        ("26 November 2026", f"{WRITE} 2026-11-26 (November 26, 2026)"),
        ("2024-03-01T16:05", f"{WRITE} 2024-03-01 (March 1, 2024)"),
        ("2026-02-30", "is not a date: February 2026 has 28 days"),
        ("2026-13-01", f"is not a date: there is no month 13; {FORM}"),
        ("soon", f"is not a date: {FORM}, e.g. 2024-03-01"),
    ],
)
def test_dates_written_another_way(written: str, message: str) -> None:
    data, sources = parse_yaml(f"date: {written}\n", Path("/project/filing.yaml"))
    with pytest.raises(LoadError) as error:
        validate(Dated, data, sources)
    shown = [problem.display(Path("/project")) for problem in error.value.problems]
    assert shown == [f"filing.yaml:1:7: error: date: {written!r} {message}"]


# --- the command line -------------------------------------------------------------------------


def test_a_misspelt_command_gets_a_did_you_mean(make_project: MakeProject, run_cli: RunCli):
    root = make_project()
    code, out, err = run_cli("--project", str(root), "chek")
    assert code == 2
    assert err.splitlines()[-1] == "Error: no such command 'chek' (did you mean 'check'?)"
    assert out == ""
    assert not (root / "output").exists()


def test_a_path_that_looks_like_a_command_is_still_built(
    make_project: MakeProject, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"filing.yaml": FILING_YAML, "press-release.md": PRESS_RELEASE_MD}
    root = make_project({f"content/checks/{name}": text for name, text in files.items()})
    monkeypatch.chdir(root / "content")
    code, out, err = run_cli("--project", str(root), "checks", "--format", "html")
    assert (code, err) == (0, "")
    assert out.splitlines()[0].startswith("built  checks -> ")


def test_a_word_like_no_command_is_a_path(make_project: MakeProject, run_cli: RunCli) -> None:
    root = make_project()
    code, _, err = run_cli("--project", str(root), "zzz")
    assert code == 2
    assert err.strip() == "form8k: error: zzz: no such file or folder"


# --- a company.yaml problem shared by several filings -----------------------------------------


def two_filings_with_a_broken_company(make_project: MakeProject) -> Path:
    return make_project(
        {
            "content/company.yaml": changed(COMPANY_YAML, "prefix: exmp", "prefix: EXMP"),
            "content/second/filing.yaml": FILING_YAML,
            "content/second/press-release.md": PRESS_RELEASE_MD,
        }
    )


PREFIX = (
    "content/company.yaml:12:9: error: prefix: prefix must be 1 to 20 lower-case letters or "
    "digits (EDGAR file names), got 'EXMP'"
)


def test_a_shared_company_problem_is_counted_once_in_the_json_report(
    make_project: MakeProject, run_cli: RunCli
) -> None:
    root = two_filings_with_a_broken_company(make_project)
    code, out, _ = run_cli("--project", str(root), "check", "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert (report["errors"], report["warnings"]) == (1, 0)
    for filing in report["filings"]:  # each filing still fails, and says why
        assert filing["ok"] is False
        assert [p["message"] for p in filing["problems"]] == [PREFIX.split("error: ")[1]]


def test_a_shared_company_problem_is_shown_and_counted_once(
    make_project: MakeProject, run_cli: RunCli
) -> None:
    root = two_filings_with_a_broken_company(make_project)
    code, out, err = run_cli("--project", str(root), "build", "--format", "html")
    assert code == 1
    assert err.splitlines() == [PREFIX]
    assert out.splitlines() == [
        "failed example: nothing written, previous output kept",
        "failed second: nothing written, previous output kept",
        "0 built, 2 failed; 1 error, 0 warnings",
    ]
