"""Financial-statement tables: ```table fences with header rows, spans, indents and rules."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from form8k.markdown import MarkdownRenderer, TableSyntaxError, parse_statement_table
from tests.test_markdown import BASE, ROOT, STYLES, edgar_fragment, submission_links

MakeProject = Callable[..., Path]
RunCli = Callable[..., tuple[int, str, str]]

HEADER = STYLES["statement_header"]
CELL = STYLES["statement_cell"]
RULE = STYLES["statement_rule"]
DOUBLE = STYLES["statement_double_rule"]
FILE = "content/example/press-release.md"

STATEMENT = """\
Results follow.

```table
|                        | Three Months Ended May 31, ||
|                        | -------------------------- ||
| (in millions)          |     2024     |     2023    |
|:-----------------------|-------------:|------------:|
| Revenues:              |              |             |
| > Cloud services       |     $ 10,000 |     $ 9,000 |
| >> License             |        2,000 |       1,800 |
|                        |          --- |         --- |
| **Total revenues**     |     $ 12,000 |    $ 10,800 |
|                        |          === |         === |
```
"""


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer(STYLES)


def render(renderer: MarkdownRenderer, text: str, **options: object) -> tuple[str, list[str]]:
    html, problems = renderer.render(text, base=BASE, links=submission_links, **options)  # type: ignore[arg-type]
    return str(html), [problem.display(ROOT) for problem in problems]


def table_of(html: str) -> lxml.etree._Element:
    """The one table of ``html``, after checking the whole fragment against EDGAR's rules."""
    (table,) = edgar_fragment(html).iter("table")
    return table


def texts(row: lxml.etree._Element) -> list[str]:
    return [cell.xpath("string(.)") for cell in row]


def fence(body: str, info: str = "table") -> str:
    return f"```{info}\n{textwrap.dedent(body)}```\n"


# --- structure --------------------------------------------------------------------------------


def test_statement_table_rows_cells_and_spans(renderer: MarkdownRenderer) -> None:
    html, problems = render(renderer, STATEMENT)
    assert problems == []
    table = table_of(html)
    assert table.get("style") == STYLES["statement_table"]
    assert [child.tag for child in table] == ["tr"] * 6  # rule rows are no rows
    rows = list(table)
    assert [[cell.tag for cell in row] for row in rows] == [["th", "th"], ["th"] * 3] + [
        ["td"] * 3
    ] * 4
    assert texts(rows[0]) == ["", "Three Months Ended May 31,"]
    assert [cell.get("colspan") for cell in rows[0]] == [None, "2"]
    assert texts(rows[1]) == ["(in millions)", "2024", "2023"]
    assert texts(rows[3]) == ["Cloud services", "$ 10,000", "$ 9,000"]
    assert texts(rows[4]) == ["License", "2,000", "1,800"]
    assert rows[5][0].xpath("strong/text()") == ["Total revenues"]
    for tag in ("thead", "tbody", "tfoot", "col", "colgroup", "caption"):
        assert f"<{tag}" not in html


def test_header_cells_alignment_and_rules(renderer: MarkdownRenderer) -> None:
    rows = list(table_of(render(renderer, STATEMENT)[0]))
    # an empty header cell looks like a body cell; a spanning one keeps the header's centring;
    # the rule row under "Three Months Ended" underlines it
    assert [cell.get("style") for cell in rows[0]] == [
        f"{CELL};text-align:left",
        f"{HEADER};{RULE}",
    ]
    assert [cell.get("style") for cell in rows[1]] == [
        f"{HEADER};text-align:left",
        f"{HEADER};text-align:right",
        f"{HEADER};text-align:right",
    ]


def test_row_labels_are_indented_one_step_per_marker(renderer: MarkdownRenderer) -> None:
    rows = list(table_of(render(renderer, STATEMENT)[0]))
    assert [row[0].get("style") for row in rows[2:5]] == [
        f"{CELL};text-align:left",
        f"{CELL};text-align:left;padding-left:12pt",
        f"{CELL};text-align:left;padding-left:24pt",
    ]


def test_rule_rows_underline_the_row_above_in_their_columns_only(
    renderer: MarkdownRenderer,
) -> None:
    rows = list(table_of(render(renderer, STATEMENT)[0]))
    assert [cell.get("style") for cell in rows[4]] == [
        f"{CELL};text-align:left;padding-left:24pt",
        f"{CELL};text-align:right;{RULE}",
        f"{CELL};text-align:right;{RULE}",
    ]
    assert [cell.get("style") for cell in rows[5]] == [
        f"{CELL};text-align:left",
        f"{CELL};text-align:right;{DOUBLE}",
        f"{CELL};text-align:right;{DOUBLE}",
    ]


def test_a_rule_under_one_column_and_a_spanning_rule(renderer: MarkdownRenderer) -> None:
    text = fence(
        """\
        | A | B | C |
        |---|---|---|
        | 1 | 2 | 3 |
        |   |   | ==== |
        | 4 | 5 ||
        |   | --- ||
        | 6 | 7 | 8 |
        """
    )
    rows = list(table_of(render(renderer, text)[0]))
    assert ["border-bottom" in (cell.get("style") or "") for cell in rows[1]] == [
        False,
        False,
        True,
    ]
    assert rows[1][2].get("style") == f"{CELL};{DOUBLE}"
    assert [cell.get("colspan") for cell in rows[2]] == [None, "2"]
    assert rows[2][1].get("style") == f"{CELL};{RULE}"
    assert texts(rows[3]) == ["6", "7", "8"]


def test_a_rule_under_a_spanning_cell_covers_it_whole(renderer: MarkdownRenderer) -> None:
    text = fence(
        """\
        | A | B | C |
        |---|---|---|
        | x | spans two ||
        |   |   | --- |
        """
    )
    (_, row) = table_of(render(renderer, text)[0])
    assert [cell.get("style") for cell in row] == [CELL, f"{CELL};{RULE}"]


def test_a_row_of_dashes_after_the_delimiter_rules_every_column(
    renderer: MarkdownRenderer,
) -> None:
    text = fence("| A | B |\n|:--|--:|\n| 1 | 2 |\n|---|---|\n")
    (_, row) = table_of(render(renderer, text)[0])
    assert [cell.get("style") for cell in row] == [
        f"{CELL};text-align:left;{RULE}",
        f"{CELL};text-align:right;{RULE}",
    ]


def test_a_table_without_header_rows(renderer: MarkdownRenderer) -> None:
    html, problems = render(renderer, fence("|:--|--:|\n| Cash | 5 |\n"))
    assert problems == []
    (row,) = table_of(html)
    assert [cell.tag for cell in row] == ["td", "td"]


def test_empty_cells_escaped_pipes_and_rows_without_outer_pipes(
    renderer: MarkdownRenderer,
) -> None:
    text = fence("A | B | C\n---|---|---\n|| a \\| b | |\nx || y\n")
    html, problems = render(renderer, text)
    assert problems == []
    rows = list(table_of(html))
    assert texts(rows[1]) == ["", "a | b", ""]  # || at the start of a row is an empty cell
    assert [cell.get("colspan") for cell in rows[2]] == ["2", None]
    assert texts(rows[2]) == ["x", "y"]


def test_cells_hold_inline_markdown(renderer: MarkdownRenderer) -> None:
    text = (
        fence(
            """\
            | Item | Value |
            |---|--:|
            | *Net* income[^1] | CO~2~ 10^3^ |
            | See [Exhibit 99.1](exmp-ex99-1.htm) | -- |
            """
        )
        + "\n[^1]: Attributable to Example Corp.\n"
    )
    html, problems = render(renderer, text, id_prefix="")
    assert problems == []
    root = edgar_fragment(html)
    rows = root.xpath("table/tr")
    assert rows[1][0].xpath("em/text()") == ["Net"]
    assert rows[1][0].xpath("sup/a/@href") == ["#fn-1"]
    assert rows[1][1].xpath("sub/text()|sup/text()") == ["2", "3"]
    assert rows[2][0].xpath("a/@href") == ["exmp-ex99-1.htm"]
    assert texts(rows[2])[1] == "\u2013"
    assert root.xpath("p[@id='fn-1']")[0].xpath("string(.)") == "1 Attributable to Example Corp."


def test_a_dropped_link_in_a_cell_warns_at_its_row(renderer: MarkdownRenderer) -> None:
    text = "Intro.\n\n" + fence("| A |\n|---|\n| 1 |\n| [site](https://example.com/) |\n")
    html, problems = render(renderer, text)
    assert "<a " not in html and ">site</td>" in html
    assert problems == [
        f"{FILE}:13: warning: link to 'https://example.com/' written as plain text: EDGAR accepts "
        "links only to documents of the same submission or to EDGAR's archives"
    ]


def test_a_table_inside_a_list_item(renderer: MarkdownRenderer) -> None:
    text = "- Segment:\n\n  ```table\n  | A | B |\n  |---|--:|\n  | x | 1 |\n  ```\n"
    html, problems = render(renderer, text)
    assert problems == []
    assert edgar_fragment(html).xpath("ul/li/table/tr[2]/td/text()") == ["x", "1"]


# --- options ----------------------------------------------------------------------------------


def test_page_break_and_width_options(renderer: MarkdownRenderer) -> None:
    html, problems = render(renderer, fence("| A |\n|---|\n| 1 |\n", "table page-break width=80%"))
    assert problems == []
    assert table_of(html).get("style") == (
        f"{STYLES['statement_table']};page-break-before:always;width:80%"
    )


def test_an_unknown_option_is_ignored_with_a_warning(renderer: MarkdownRenderer) -> None:
    html, problems = render(renderer, "Intro.\n\n" + fence("| A |\n|---|\n", "table landscape"))
    assert table_of(html).get("style") == STYLES["statement_table"]
    assert problems == [
        f"{FILE}:9: warning: table option 'landscape' ignored: the options are page-break and "
        "width=N% (or pt, in, cm, mm, px)"
    ]


# --- problems ---------------------------------------------------------------------------------


def test_rows_of_the_wrong_width_are_padded_or_cut_with_a_warning_at_their_line(
    renderer: MarkdownRenderer,
) -> None:
    text = fence("| A | B | C |\n|---|---|---|\n| 1 |\n| 1 | 2 | 3 | 4 |\n| 1 | 2 | spans |||\n")
    html, problems = render(renderer, text)
    rows = list(table_of(html))
    assert [sum(int(cell.get("colspan", "1")) for cell in row) for row in rows] == [3, 3, 3, 3]
    assert texts(rows[1]) == ["1", "", ""]
    assert texts(rows[2]) == ["1", "2", "3"]
    assert texts(rows[3]) == ["1", "2", "spans"] and rows[3][2].get("colspan") is None
    assert problems == [
        f"{FILE}:10: warning: table row is 1 column wide, the delimiter row 3: "
        "padded with empty cells",
        f"{FILE}:11: warning: table row is 4 columns wide, the delimiter row 3: "
        "the cells past column 3 are left out",
        f"{FILE}:12: warning: table row is 5 columns wide, the delimiter row 3: "
        "the cells past column 3 are left out",
    ]


def test_a_table_without_a_delimiter_row_is_preformatted_text_with_a_warning(
    renderer: MarkdownRenderer,
) -> None:
    text = "Intro.\n\n" + fence("| A | B |\n| 1 | 2 |\n", "table page-break")
    html, problems = render(renderer, text)
    root = edgar_fragment(html)
    assert not root.xpath("//table")
    assert root.xpath("pre/code/text()") == ["| A | B |\n| 1 | 2 |\n"]
    assert root.xpath("pre/@style") == [STYLES["pre"]]
    assert problems == [
        f"{FILE}:9: warning: the table has no delimiter row (like |:---|---:|): "
        "the table is shown as preformatted text"
    ]


def test_an_empty_table_is_a_warning(renderer: MarkdownRenderer) -> None:
    html, problems = render(renderer, fence("\n"))
    assert "<table" not in html and "<pre" in html
    assert problems == [
        f"{FILE}:7: warning: the table is empty: the table is shown as preformatted text"
    ]


def test_a_rule_with_no_row_above_is_ignored_with_a_warning(renderer: MarkdownRenderer) -> None:
    html, problems = render(renderer, fence("|   | === |\n|---|---|\n| 1 | 2 |\n"))
    assert [texts(row) for row in table_of(html)] == [["1", "2"]]
    assert problems == [f"{FILE}:8: warning: a rule with no row above it is ignored"]


def test_an_indent_style_that_is_no_length_warns() -> None:
    renderer = MarkdownRenderer({"statement_indent": "wide"})
    html, problems = renderer.render(fence("|---|\n| > Cash |\n"), base=BASE)
    assert str(html) == "<table>\n<tr>\n<td>Cash</td>\n</tr>\n</table>"
    assert [p.display(ROOT) for p in problems] == [
        f"{FILE}:9: warning: row label indent left out: the style table's statement_indent "
        "'wide' is not a CSS length like 12pt"
    ]


def test_the_indent_step_comes_from_the_style_table() -> None:
    renderer = MarkdownRenderer({"statement_indent": "0.25in"})
    html, _ = renderer.render(fence("|---|\n| >> Cash |\n"), base=BASE)
    assert '<td style="padding-left:0.5in">Cash</td>' in str(html)


def test_other_fences_are_untouched(renderer: MarkdownRenderer) -> None:
    html, problems = render(renderer, fence("| A |\n|---|\n", "tables"))
    assert "<table" not in html and problems == []


# --- the parser -------------------------------------------------------------------------------


def test_parser_reports_header_rows_alignment_and_lines() -> None:
    table = parse_statement_table("\n| H | ||\n|:-:|--:|---|\n\n| > a | b | c |\n")
    assert table.align == ["center", "right", None]
    assert [(row.line, row.header, len(row.cells)) for row in table.rows] == [
        (1, True, 2),
        (4, False, 3),
    ]
    assert [(c.text, c.span) for c in table.rows[0].cells] == [("H", 1), ("", 2)]
    assert (table.rows[1].cells[0].text, table.rows[1].cells[0].indent) == ("a", 1)
    assert table.problems == []


def test_parser_raises_on_a_table_without_delimiter_row() -> None:
    with pytest.raises(TableSyntaxError, match="no delimiter row"):
        parse_statement_table("| a |\n")


# --- a whole filing ---------------------------------------------------------------------------


def test_cli_builds_a_press_release_with_a_statement_table(
    make_project: MakeProject, run_cli: RunCli
) -> None:
    release = """\
        ---
        headline: Example Corp. Reports Results
        dateline:
          city: SPRINGFIELD, Ill.
          date: 2024-03-01
        ---
        Example Corp. today reported results.[^1]

        ```table page-break
        |                   | Three Months Ended ||
        |                   | ------------------ ||
        |                   |   2024   |   2023  |
        |:------------------|---------:|--------:|
        | > Revenues[^2]    | $ 12,000 | $ 10,800 |
        |                   |      === |      === |
        ```

        [^1]: Unaudited.
        [^2]: Net of returns.
        """
    root = make_project({"content/example/press-release.md": release})
    code, _, err = run_cli("--project", str(root), "build", "--format", "html")
    assert (code, err) == (0, "")
    data = (root / "output/example/exmp-ex99-1.htm").read_bytes()
    tree = lxml.html.fromstring(data)
    (table,) = tree.xpath("//table[tr/td[contains(., 'Revenues')]]")
    assert "page-break-before:always" in table.get("style")
    assert table.xpath("tr[1]/th/@colspan") == ["2"]
    assert table.xpath("tr[3]/td[2]")[0].text_content() == "$ 12,000"
    notes = [p.text_content() for p in tree.xpath("//p[starts-with(@id, 'press-release-')]")]
    assert notes == ["1 Unaudited.", "2 Net of returns."]
    assert not tree.xpath("//thead|//tbody|//section|//ol|//*[@class]")


def test_a_backslash_between_spaces_breaks_the_line_in_a_cell() -> None:
    from form8k.errors import SourceLocation

    html, problems = MarkdownRenderer({}).render(
        "```table\n| | March 3, \\ 2023 |\n|---|---:|\n| Revenue | 4,655 |\n```\n",
        base=SourceLocation(Path("x.md"), 1),
    )
    assert problems == []
    assert "March 3,<br />\n2023" in html
