"""Hostile and oversized content: every limit is an error at the file and line that passes it,
naming the limit; content files must be files of the project; nothing in loading or Markdown
raises anything but a located error."""

from __future__ import annotations

import dataclasses
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from form8k import markdown as markdown_module
from form8k.errors import Severity, SourceLocation
from form8k.load import LoadError, limits, load_filing, parse_yaml, read_front_matter
from form8k.markdown import MarkdownRenderer, parse_statement_table
from form8k.render import text as render_text
from tests.conftest import COMPANY_YAML, FILING_YAML, PRESS_RELEASE_MD, C, F, P, filing, release

MakeProject = Callable[..., Path]
RunCli = Callable[..., tuple[int, str, str]]

OUTSIDE = "is a link to a file outside the project; content may only use project files"


def problems_of(root: Path, key: str = "example") -> list[str]:
    """What loading one filing of the project reports, one line per problem."""
    content = root / "content"
    with pytest.raises(LoadError) as error:
        load_filing(content / key, content=content, root=root)
    return [problem.display(root) for problem in error.value.problems]


def yaml_problems(text: str) -> list[str]:
    path = Path("/project/filing.yaml")
    with pytest.raises(LoadError) as error:
        parse_yaml(text, path)
    return [problem.display(path.parent) for problem in error.value.problems]


def render(text: str) -> tuple[str, list[str]]:
    """Markdown at line 10 of press-release.md: its HTML and its problems as displayed."""
    renderer = MarkdownRenderer({})
    html, problems = renderer.render(text, base=SourceLocation(Path("press-release.md"), 10))
    return str(html), [problem.display() for problem in problems]


def check(run_cli: RunCli, root: Path) -> tuple[int, list[str]]:
    code, out, err = run_cli("--project", str(root), "check")
    return code, [line for line in (out + err).splitlines() if ": error: " in line]


def smaller(monkeypatch: pytest.MonkeyPatch, module: object, name: str, value: int) -> None:
    """Make the limit ``name`` of ``module`` ``value`` (to test it without megabytes)."""
    limit = getattr(module, name)
    monkeypatch.setattr(module, name, dataclasses.replace(limit, value=value))


# --- YAML -------------------------------------------------------------------------------------


def test_yaml_nested_20000_deep_is_an_error_at_its_line_not_a_recursion_error(
    make_project: MakeProject,
) -> None:
    deep = "[" * 20_000 + "]" * 20_000
    root = make_project(
        filing("filing_date: 2024-03-04", f"filing_date: 2024-03-04\nstyle: {deep}")
    )
    assert problems_of(root) == [
        f"{F}:4:39: error: a value nested 33 levels deep: the nesting of YAML values is "
        "limited to 32 levels (PyYAML reads nested values by recursion; thousands of levels "
        "stop it)"
    ]


def test_yaml_nested_in_blocks_is_reported_where_it_goes_too_deep() -> None:
    text = "".join(" " * depth + f"k{depth}:\n" for depth in range(40)) + " " * 40 + "v\n"
    (shown,) = yaml_problems(text)
    assert shown.startswith("filing.yaml:32:32: error: a value nested 33 levels deep")


def test_a_value_that_holds_an_alias_to_itself_is_an_error() -> None:
    assert yaml_problems("a: &loop [x, *loop]\n") == [
        "filing.yaml:1:4: error: a value that holds an alias to itself (&name ... *name inside it)"
    ]


def test_aliases_that_repeat_long_text_are_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    smaller(monkeypatch, limits, "YAML_EXPANDED", 100)
    monkeypatch.setattr("form8k.load.text.YAML_EXPANDED", limits.YAML_EXPANDED)
    text = "a: &a " + "x" * 40 + "\nb: [*a, *a, *a]\n"
    assert yaml_problems(text) == [
        "filing.yaml:1:4: error: more than 100 characters: the text of a YAML file's values "
        "(each alias counted where it is used) is limited to 100 characters (an alias repeats "
        "its anchor's text wherever it is used)"
    ]


def test_a_yaml_file_over_the_limit_is_an_error_at_the_line_that_passes_it(
    make_project: MakeProject,
) -> None:
    body = "".join(
        f"      Line {n} of a very long item body, to make the file big.\n" for n in range(20_000)
    )
    root = make_project(filing("body: Something happened.", f"body: |\n{body}"))
    data = (root / F).read_bytes()
    line = data[:1_000_000].count(b"\n") + 1
    assert problems_of(root) == [
        f"{F}:{line}: error: a file of {len(data):,} bytes: YAML text (a file, or the front "
        "matter of a Markdown file) is limited to 1 MB (PyYAML reads some 0.3 MB a second; a "
        "filing.yaml, company.yaml or front matter that big is a mistake)"
    ]


def test_front_matter_over_the_yaml_limit_is_an_error_in_the_markdown_file(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    smaller(monkeypatch, limits, "YAML_BYTES", 500)  # company.yaml and filing.yaml are smaller
    monkeypatch.setattr("form8k.load.text.YAML_BYTES", limits.YAML_BYTES)
    root = make_project(release("headline:", "about: " + "x" * 600 + "\nheadline:"))
    front_matter = (root / P).read_text().split("---\n")[1]
    (shown,) = problems_of(root)
    assert shown.startswith(
        f"{P}:2: error: {len(front_matter)} bytes: YAML text (a file, or the front matter of a "
        "Markdown file) is limited to 500 bytes"
    )


def test_a_markdown_file_over_the_limit_is_an_error_at_the_line_that_passes_it(
    make_project: MakeProject,
) -> None:
    paragraph = "word " * 199 + "word\n\n"  # 1,001 bytes and a blank line
    root = make_project(
        release("announced something.", "announced something.\n\n" + paragraph * 2_100)
    )
    data = (root / P).read_bytes()
    line = data[:2_000_000].count(b"\n") + 1
    assert problems_of(root) == [
        f"{P}:{line}: error: a file of {len(data):,} bytes: a Markdown file is limited to 2 MB "
        f"({limits.MARKDOWN_BYTES.reason})"
    ]


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ("a: b\nc: x\0y\n", "2:5", "a control character (U+0000)"),
        ("a: \x1b[31m\n", "1:4", "a control character (U+001B)"),
        ("a: \ufffe\n", "1:4", "a character (U+FFFE)"),
    ],
)
def test_a_character_yaml_does_not_allow_is_located(text: str, where: str, what: str) -> None:
    assert yaml_problems(text) == [
        f"filing.yaml:{where}: error: invalid YAML: {what} that YAML does not allow in its "
        "text: remove it"
    ]


def test_a_line_separator_in_yaml_is_an_error_where_it_is() -> None:
    # YAML ends a line at U+2028; editors and messages do not: every line after it would be
    # counted wrongly (and explaining a mistake after it failed with an IndexError).
    assert yaml_problems("a: x\nb: y\u2028 <script>\nc: z\n") == [
        "filing.yaml:2:5: error: invalid YAML: an invisible LINE SEPARATOR character (U+2028), "
        "which YAML reads as a line break: remove it (or write \\u2028 in a value in double quotes)"
    ]


def test_half_a_surrogate_pair_is_an_error_not_a_crash_when_written() -> None:
    assert yaml_problems('name: "\\ud83d\\ude00"\n"\\udc00": x\n') == [
        "filing.yaml:1:7: error: a \\uD800-\\uDFFF escape is half of a UTF-16 pair, no "
        "character: write the character itself, or \\U and eight digits for one past U+FFFF "
        "(\\U0001F600)",
        "filing.yaml:2:1: error: a \\uD800-\\uDFFF escape is half of a UTF-16 pair, no "
        "character: write the character itself, or \\U and eight digits for one past U+FFFF "
        "(\\U0001F600)",
    ]


def test_explaining_a_mistake_at_the_end_of_a_long_file_takes_linear_time() -> None:
    # 10,000 keys and one indented a space too far: 12 s before (a scan per line), now < 1 s.
    text = "".join(f"k{n}: value {n}\n" for n in range(10_000)) + " bad: x\n"
    start = time.perf_counter()
    (shown,) = yaml_problems(text)
    assert shown.startswith("filing.yaml:10001:2: error: invalid YAML: 'bad' is indented 1 space")
    assert time.perf_counter() - start < 4


def test_messages_quote_long_keys_and_values_cut_short() -> None:
    key = "k" * 1_000  # YAML takes no longer key without '? '
    (shown,) = yaml_problems(f"{key}: 1\n{key}: 2\n")
    assert len(shown) < 200
    assert shown.endswith("(and 940 characters more) (first given on line 1)")


def test_an_unknown_key_and_a_value_of_half_a_megabyte_are_quoted_short(
    make_project: MakeProject,
) -> None:
    long = "x" * 300_000
    root = make_project(filing("filing_date: 2024-03-04", f"filing_date: {long}\n? {long}\n: 1"))
    quoted = "'" + "x" * 60 + "' (and 299,940 characters more)"
    assert problems_of(root) == [
        f"{F}:3:14: error: filing_date: {quoted} is not a date: write dates as YYYY-MM-DD (year, "
        "month, day), e.g. 2024-03-01",
        f"{F}:4:3: error: unknown key {quoted}",
    ]


# --- Markdown nesting -------------------------------------------------------------------------


def test_lists_nested_50_deep_are_an_error_not_silently_dropped(
    make_project: MakeProject, run_cli: RunCli
) -> None:
    nested = "".join("  " * depth + f"- level {depth}\n" for depth in range(50))
    root = make_project(
        release("announced something.\n", f"announced something.\n\n{nested}\nAfter.\n")
    )
    code, errors = check(run_cli, root)
    assert code == 1
    assert errors == [
        f"{P}:25: error: nested 17 levels deep: the nesting of lists, block quotes and footnotes "
        "is limited to 16 levels (markdown-it drops everything after 50 nested lists or 100 "
        "nested quotes, and the PDF renderer recurses on each level)"
    ]


def test_block_quotes_nested_100_deep_are_an_error_not_silently_dropped() -> None:
    _html, problems = render("Before.\n\n" + "> " * 100 + "deep\n\nAfter.\n")
    assert problems == [
        "press-release.md:12: error: nested 17 levels deep: the nesting of lists, block quotes "
        "and footnotes is limited to 16 levels (markdown-it drops everything after 50 nested "
        "lists or 100 nested quotes, and the PDF renderer recurses on each level)"
    ]


def test_nesting_within_the_limit_keeps_every_word() -> None:
    quotes = "".join("> " * depth + f"q{depth}\n" + "> " * depth + "\n" for depth in range(1, 17))
    lists = "".join("    " * depth + f"- l{depth}\n" for depth in range(16))
    html, problems = render(f"{quotes}\n{lists}\nAfter.\n")
    assert problems == []
    assert all(f"q{n}" in html for n in range(1, 17)) and all(f"l{n}" in html for n in range(16))
    assert "After." in html


def test_emphasis_nested_5000_deep_is_an_error_found_quickly(
    make_project: MakeProject, run_cli: RunCli
) -> None:
    text = "*a " * 5_000 + "x" + " b*" * 5_000
    body = "body: Something happened."
    root = make_project(filing(body, f'body: "{text}"'))
    start = time.perf_counter()
    _code, errors = check(run_cli, root)
    assert time.perf_counter() - start < 10
    assert errors == [
        f"{F}:6: error: nested 17 levels deep: the nesting of emphasis, links, superscripts "
        "and subscripts is limited to 16 levels (the PDF renderer recurses on each level and "
        "fails past a few hundred)"
    ]


# --- tables -----------------------------------------------------------------------------------

GFM = "| a | b |\n|---|--:|\n"


def test_a_table_of_more_rows_than_the_limit_is_an_error_at_the_first_row_past_it() -> None:
    rows = "".join(f"| r{n} | 1 |\n" for n in range(2_500))
    html, problems = render(GFM + rows)
    assert problems == [
        "press-release.md:2011: error: more than 2,000 rows: a table is limited to 2,000 rows "
        f"({limits.TABLE_ROWS.reason})"
    ]
    assert html == ""  # nothing of a text past a limit is rendered


def test_a_table_just_within_the_limits_is_whole() -> None:
    rows = "".join(f"| r{n} | 1 |\n" for n in range(1_999))
    html, problems = render(GFM + rows + "\nAfter.\n")
    assert problems == [] and html.count("<tr") == 2_000 and "After." in html


def test_a_table_of_too_many_columns_is_an_error() -> None:
    header = "|" + "|".join(f"c{n}" for n in range(150)) + "|\n"
    delimiter = "|" + "|".join("-" for _ in range(150)) + "|\n"
    _html, problems = render(header + delimiter + "| x |\n" * 5)
    assert problems == [
        "press-release.md:10: error: a table of 150 columns: a table is limited to 100 columns "
        f"({limits.TABLE_COLUMNS.reason})"
    ]


def test_a_narrow_header_and_short_rows_cannot_make_a_million_cells(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # markdown-it pads every row to the header's width: 100 columns and 1,000 rows of "|x"
    # (2 bytes each) are 100,000 cells.
    header = "|" + "|".join("c" for _ in range(100)) + "|\n"
    delimiter = "|" + "|".join("-" for _ in range(100)) + "|\n"
    html, problems = render(header + delimiter + "|x\n" * 1_000)
    assert problems == [
        "press-release.md:211: error: more than 20,000 cells: a table is limited to 20,000 "
        f"cells ({limits.TABLE_CELLS.reason})"
    ]
    assert html.count("<td") <= 20_100


@pytest.mark.parametrize(
    ("rows", "line", "message"),
    [
        (
            "".join(f"| r{n} | 1 |\n" for n in range(2_001)),
            2012,
            "more than 2,000 rows: a table is limited to 2,000 rows",
        ),
        (
            "| " + " | ".join("x" for _ in range(120)) + " |\n",
            13,
            "a table row of 120 columns: a table is limited to 100 columns",
        ),
    ],
)
def test_a_statement_table_past_a_limit_is_an_error(rows: str, line: int, message: str) -> None:
    _html, problems = render("```table\n" + GFM + rows + "```\n")
    assert len(problems) == 1 and problems[0].startswith(
        f"press-release.md:{line}: error: {message}"
    )


def test_a_statement_table_of_too_many_cells_is_an_error_at_the_first_row_past_them() -> None:
    wide = (
        "|"
        + "|".join("c" for _ in range(50))
        + "|\n"
        + "|"
        + "|".join("-" for _ in range(50))
        + "|\n"
    )
    content = wide + "|x|\n" * 500
    with pytest.raises(markdown_module.TableLimitError) as error:
        parse_statement_table(content)
    assert (error.value.line, error.value.limit) == (401, limits.TABLE_CELLS)


# --- the size of what Markdown renders to -----------------------------------------------------


def test_markdown_elements_past_the_limit_are_an_error_and_not_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    smaller(monkeypatch, markdown_module, "MARKDOWN_ELEMENTS", 1_000)
    html, problems = render("- item\n" * 2_000)
    assert problems == [
        "press-release.md:210: error: more than 1,000 elements: one Markdown text (a file, or "
        f"a value of a YAML file) is limited to 1,000 elements ({limits.MARKDOWN_ELEMENTS.reason})"
    ]
    assert html == ""  # nothing past a limit is rendered: the text is in error


def test_inline_elements_past_the_limit_are_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    smaller(monkeypatch, markdown_module, "MARKDOWN_ELEMENTS", 1_000)
    _html, problems = render("Para.\n\n" + "[a" * 5_000 + "\n")
    assert len(problems) == 1
    assert problems[0].startswith("press-release.md:12: error: more than 1,000 elements")


def test_a_filing_whose_markdown_renders_past_the_limit_is_an_error_at_that_text(
    make_project: MakeProject, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    smaller(monkeypatch, render_text, "RENDERED_BYTES", 2_000)
    root = make_project(
        release("announced something.", "announced something.\n\n" + "More. " * 400)
    )
    code, errors = check(run_cli, root)
    assert code == 1
    assert len(errors) == 1
    assert errors[0].startswith(f"{P}:7: error: with this text, the filing's Markdown renders to ")
    assert "bytes of HTML: the HTML of one filing's Markdown is limited to 2 KB" in errors[0]


def test_a_filing_whose_markdown_renders_to_too_many_elements_is_an_error(
    make_project: MakeProject, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A list item costs the PDF as much as a paragraph of text: 33,000 of them (1.3 MB of
    # HTML) took 78 s and 1.6 GB to print.
    smaller(monkeypatch, render_text, "RENDERED_ELEMENTS", 100)
    root = make_project(
        release("announced something.", "announced something.\n\n" + "- item\n" * 120)
    )
    code, errors = check(run_cli, root)
    assert code == 1
    assert errors == [
        f"{P}:7: error: with this text, the filing's Markdown renders to 123 HTML elements: the "
        "HTML of one filing's Markdown is limited to 100 elements (printing takes up to 2.5 ms "
        "and 50 KB of memory an element (a list item, a table cell, a paragraph))"
    ]


def test_a_document_too_big_to_print_is_an_error_at_the_document() -> None:
    # For the build (form8k/builder.py) to call on each rendered document before printing:
    # YAML can make one big too (9,000 contacts in a 1 MB company.yaml: a 1.8 MB release).
    where = SourceLocation(Path("output/example/exmp-ex99-1.htm"))
    contact = "<p><b>Investors</b><br/>Person<br/>(217) 555-0100</p>\n"  # 4 elements
    assert limits.document_problem(contact * 7_000, where) is None
    problem = limits.document_problem(contact * 9_000, where)
    assert problem is not None and problem.display() == (
        "output/example/exmp-ex99-1.htm: error: 36,000 elements: a rendered document is "
        f"limited to 30,000 elements ({limits.DOCUMENT_ELEMENTS.reason})"
    )
    problem = limits.document_problem("<p>" + "x" * 6_000_001 + "</p>", where)
    assert problem is not None and problem.message.startswith("6,000,008 bytes: a rendered")


def test_the_build_refuses_a_document_too_big_to_print_and_prints_nothing(
    make_project: Callable[..., Path], run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project()
    smaller(monkeypatch, limits, "DOCUMENT_ELEMENTS", 60)
    code, out, err = run_cli("--project", str(root), "build", "--jobs", "1")
    assert code == 1, out + err
    shown = [line for line in (out + err).splitlines() if ": error: " in line]
    assert shown and all(
        line.startswith("output/example/exmp-")
        and "a rendered document is limited to 60 elements" in line
        for line in shown
    ), shown
    assert not list((root / "output").rglob("*.pdf"))


def test_warnings_of_one_text_are_counted_past_a_hundred() -> None:
    _html, problems = render(
        "".join(f"[link {n}](https://example.com/{n})\n\n" for n in range(150))
    )
    assert len(problems) == 101
    assert problems[-1] == (
        "press-release.md:10: warning: 50 more warnings about this text are left out (the first "
        "100 are shown)"
    )


# --- content files must be files of the project -----------------------------------------------


@pytest.mark.parametrize(("name", "text"), [(F, FILING_YAML), (C, COMPANY_YAML)])
def test_a_content_file_linked_to_a_file_outside_the_project_is_refused(
    make_project: MakeProject, tmp_path: Path, name: str, text: str
) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text(text + "api_token: s3cr3t-value\n", encoding="utf-8")
    root = make_project()
    (root / name).unlink()
    os.symlink(secret, root / name)
    shown = problems_of(root)
    assert shown == [f"{name}: error: {Path(name).name} {OUTSIDE}"]
    assert "api_token" not in " ".join(shown) and "s3cr3t" not in " ".join(shown)


def test_a_content_file_linked_inside_the_project_is_read(make_project: MakeProject) -> None:
    root = make_project({"content/shared/profile.yaml": COMPANY_YAML})
    (root / C).unlink()
    os.symlink(root / "content/shared/profile.yaml", root / C)
    content = root / "content"
    bundle = load_filing(content / "example", content=content, root=root)
    assert bundle.company.name == "Example Corp."


def test_a_dangling_company_yaml_is_reported_not_passed_over(make_project: MakeProject) -> None:
    root = make_project({"content/example/company.yaml": COMPANY_YAML})
    (root / "content/example/company.yaml").unlink()
    os.symlink(root / "nowhere.yaml", root / "content/example/company.yaml")
    assert problems_of(root) == [
        "content/example/company.yaml: error: cannot read: No such file or directory"
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_named_company_yaml_is_reported_not_waited_on(make_project: MakeProject) -> None:
    root = make_project()
    os.mkfifo(root / "content/example/company.yaml")
    assert problems_of(root) == [
        "content/example/company.yaml: error: cannot read: not a file (a folder, a device or "
        "a pipe)"
    ]


def test_schedules_pages_and_images_linked_outside_the_project_are_refused(
    make_project: MakeProject, tmp_path: Path, run_cli: RunCli
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "schedule.md").write_text("| secret |\n", encoding="utf-8")
    (outside / "scan.gif").write_bytes(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
    images = (
        '  - number: "99.2"\n    description: Letter\n    kind: images\n    pages: [scan.gif]\n'
    )
    root = make_project(
        {
            F: FILING_YAML + images,
            P: PRESS_RELEASE_MD.replace("---\nExample", "schedules: [schedule.md]\n---\nExample")
            + "\n![chart](chart.gif)\n",
        }
    )
    folder = root / "content/example"
    for name, target in (
        ("schedule.md", "schedule.md"),
        ("scan.gif", "scan.gif"),
        ("chart.gif", "scan.gif"),
    ):
        os.symlink(outside / target, folder / name)
    outside_message = "is outside the project; content may only use project files"
    assert problems_of(root) == [
        f"{P}:6:13: error: 'schedule.md' {outside_message}",
        f"{F}:15:13: error: 'scan.gif' {outside_message}",
    ]
    (root / F).write_text(FILING_YAML, encoding="utf-8")
    (folder / "press-release.md").write_text(PRESS_RELEASE_MD + "\n![chart](chart.gif)\n")
    code, out, _ = run_cli("--project", str(root), "check")
    assert code == 0
    assert (
        f"{P}:9: warning: image 'chart.gif' left out: it is not a usable .jpg or .gif file" in out
    )


@pytest.mark.parametrize("name", ['"a\\0b.md"', "x" * 5_000 + ".md", "a/" * 3_000 + "b.md"])
def test_a_file_name_the_system_cannot_take_is_an_error_not_a_crash(
    make_project: MakeProject, name: str
) -> None:
    root = make_project(filing("source: press-release.md", f"source: {name}"))
    (shown,) = problems_of(root)
    assert shown.startswith(f"{F}:11:13: error: ")
    assert len(shown) < 300


def test_an_image_name_the_system_cannot_take_is_left_out_with_a_warning(
    make_project: MakeProject, run_cli: RunCli
) -> None:
    root = make_project(
        release("announced something.", "announced something. ![x](" + "a" * 5_000 + ".gif)")
    )
    code, out, err = run_cli("--project", str(root), "check")
    assert code == 0, out + err
    assert f"{P}:7: warning: image 'aaaaaaaaaa" in out and "left out" in out


def test_a_line_separator_in_front_matter_is_located_in_the_markdown_file(
    tmp_path: Path,
) -> None:
    # str.splitlines() ended a line there too: every line number after it was one too many.
    path = tmp_path / "release.md"
    path.write_text("---\nheadline: a\u2028b\n---\nBody\x0cmore\n", encoding="utf-8")
    with pytest.raises(LoadError) as error:
        read_front_matter(path)
    assert [p.display(tmp_path) for p in error.value.problems] == [
        "release.md:2:12: error: invalid YAML: an invisible LINE SEPARATOR character (U+2028), "
        "which YAML reads as a line break: remove it (or write \\u2028 in a value in double "
        "quotes)"
    ]
    path.write_text("---\nheadline: a\n---\nBody\x0cmore\n", encoding="utf-8")
    assert read_front_matter(path)[2:] == ("Body\x0cmore\n", 4)


# --- fuzzing: nothing but located errors --------------------------------------------------------

HOSTILE = [
    "\0", "\x1b[31m", "\u202e", "\u2028", "\x85", "\ufeff", "\ud800", '"\\ud800"', "\t", "\x0c",
    "&a", "*a", "&a [*a]", "!!python/object:os.system", "!!binary aGk=", "? [a]", "<<: *a",
    "[" * 60, "{" * 60, "- " * 40, "> " * 40, "*_" * 40, "![" * 40, "[^1]", "|", "```table",
    "x" * 3_000, "9" * 5_000, "../" * 8 + "etc/passwd", "/etc/passwd", "a" * 300 + ".md", "%",
    "'", '"', "#", ": ", "|-", ">+", "~", "2024-02-30", ".nan", "0x1F",
]  # fmt: skip


def _hostile(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return rng.choice(HOSTILE)
    if kind == 1:
        return "".join(rng.choice(HOSTILE) for _ in range(rng.randint(2, 4)))
    if kind == 2:
        return "".join(chr(rng.randrange(1, 0x3000)) for _ in range(rng.randint(1, 30)))
    return "".join(chr(rng.randrange(0, 128)) for _ in range(rng.randint(1, 30)))


def _mutated(rng: random.Random, text: str) -> bytes:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(lines))
        line = lines[at]
        cut = rng.randrange(len(line) + 1)
        choice = rng.randrange(3)
        if choice == 0 and ":" in line:
            lines[at] = line.partition(":")[0] + ": " + _hostile(rng)
        elif choice == 1:
            lines[at] = line[:cut] + _hostile(rng) + line[cut:]
        else:
            lines.insert(at, _hostile(rng))
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    if rng.random() < 0.15:
        cut = rng.randrange(len(data))
        data = data[:cut] + bytes(rng.randrange(256) for _ in range(4)) + data[cut:]
    return data


def test_fuzzed_content_files_give_located_errors_only(make_project: MakeProject) -> None:
    rng = random.Random(14)
    root = make_project()
    content = root / "content"
    files = {F: FILING_YAML, C: COMPANY_YAML, P: PRESS_RELEASE_MD}
    start = time.perf_counter()
    for _ in range(600):
        name = rng.choice(list(files))
        (root / name).write_bytes(_mutated(rng, files[name]))
        try:
            load_filing(content / "example", content=content, root=root)
        except LoadError as error:
            assert error.problems
            for problem in error.problems:
                assert problem.location.path.is_relative_to(root)
                assert len(problem.message) < 1_100
        (root / name).write_text(files[name], encoding="utf-8")
    assert time.perf_counter() - start < 10


def test_fuzzed_markdown_renders_or_reports_never_raises() -> None:
    rng = random.Random(14)
    pieces = [*HOSTILE, "*", "_", "**", "[", "](", ")", "^", "~", "`", "\n", "\n\n", "1. ", "# "]
    renderer = MarkdownRenderer({})
    start = time.perf_counter()
    for _ in range(300):
        if rng.random() < 0.5:
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 300)))
        else:
            piece = rng.choice(pieces)
            text = piece * rng.randint(1, 300) + "x"
        html, problems = renderer.render(
            text, base=SourceLocation(Path("x.md"), 1), inline=rng.random() < 0.2
        )
        str(html).encode("utf-8", "surrogatepass")
        assert all(p.severity in (Severity.ERROR, Severity.WARNING) for p in problems)
    assert time.perf_counter() - start < 10


def test_every_limit_is_far_above_the_largest_real_figure() -> None:
    for limit in limits.LIMITS:
        assert limit.reason and limit.real and limit.value > 0
    assert limits.MARKDOWN_BYTES.value >= 100 * 11_105  # the largest real content file
    assert limits.TABLE_CELLS.value >= 30 * 517 and limits.TABLE_ROWS.value >= 40 * 47
    assert limits.RENDERED_BYTES.value >= 15 * 254_366  # Oracle 2014's release as we write it
    assert limits.RENDERED_ELEMENTS.value >= 8 * 3_049  # the same, in HTML elements
    assert limits.RENDERED_ELEMENTS.value > limits.TABLE_CELLS.value * 1.1  # a table fits
    assert limits.MARKDOWN_QUOTES.value >= 100 * 14 and limits.YAML_DEPTH.value >= 6 * 5
