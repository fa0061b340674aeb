"""Markdown -> HTML that EDGAR accepts in both plain HTML and Inline XBRL (XHTML) documents.

markdown-it-py with raw HTML off and tables on; every element gets its look as a ``style``
attribute (EDGAR allows no ``<style>`` element); tables lose ``thead``/``tbody``; links go only
where EDGAR allows; smart quotes and dashes are on, but not the ``(c)`` -> (c)-sign replacement,
which would corrupt legal citations such as "Rule 13e-4(c)".

Beyond CommonMark, for filings:

* **Footnotes** (``text[^1]`` and ``[^1]: the note``, mdit-py-plugins' footnote plugin). Notes
  are numbered 1, 2, ... in the order first referenced, whatever their labels. A reference
  renders as ``<sup><a href="#P-fn-1" id="P-fnref-1">1</a></sup>``; the notes close the
  fragment as an ``<hr>`` and one ``<p id="P-fn-1">`` per note that opens with the note's
  number (a link back to the first reference). No ``section``, ``ol`` or ``class``. ``P-`` is
  the fragment's id prefix (see :meth:`MarkdownRenderer.render`), so that the several
  fragments of one document never share an id. A reference to a note that does not exist, and
  a note nobody references, are warnings. Inline notes (``^[...]``) are not supported.
* **Superscript** ``x^2^`` and **subscript** ``H~2~O`` (Pandoc's syntax: no unescaped spaces
  inside). A caret or tilde without a partner stays literal (``2^10``), and so does a run of
  two or more tildes (``~~`` is neither strikethrough, which is off, nor subscript).
* **Financial-statement tables**: a fenced block with the info string ``table``; see
  :func:`parse_statement_table` for the syntax.
* Fenced and indented code blocks render as ``<pre style=...><code>`` with the ``pre`` style and
  no ``class`` attribute.

The style table's keys are element names (``p``, ``td``, ``sup``, ...) plus the names of the
features above: ``footnote_ref``, ``footnote_rule``, ``footnote``, ``statement_table``,
``statement_header``, ``statement_cell``, ``statement_indent`` (a CSS length per indent level,
not a declaration), ``statement_rule`` and ``statement_double_rule``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block import table as gfm_table
from markdown_it.rules_core.replacements import replace_rare
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

from form8k.errors import Problem, Severity, SourceLocation
from form8k.load.limits import (
    MARKDOWN_BLOCK_DEPTH,
    MARKDOWN_ELEMENTS,
    MARKDOWN_INLINE_DEPTH,
    MARKDOWN_QUOTES,
    MARKDOWN_STEPS,
    TABLE_CELLS,
    TABLE_COLUMNS,
    TABLE_ROWS,
    Limit,
    cap,
    clip,
)

#: Decides where a link may point; returns the href to write, or None to drop the link.
LinkPolicy = Callable[[str], str | None]
#: Maps an image reference to its name in the submission, or None when it cannot be used.
ImagePolicy = Callable[[str], str | None]

DROPPED_TAGS = ("thead", "tbody")
#: The info string that makes a fenced block a financial-statement table.
TABLE_FENCE = "table"
#: The indent per ``>`` level of a statement table's row label, when the style table has none.
DEFAULT_INDENT = "12pt"

_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
_PIPE = re.compile(r"(?<!\\)\|")
_DELIMITER_CELL = re.compile(r":?-+:?")
_RULE_CELL = re.compile(r"-{3,}|={3,}")
_INDENT = re.compile(r"(?:>[ \t]*)+")
_LENGTH = re.compile(r"(\d+(?:\.\d+)?)([a-z]+|%)")
_WIDTH_OPTION = re.compile(r"width=(\d+(?:\.\d+)?(?:%|pt|in|cm|mm|px))")

#: markdown-it's own nesting limit (its ``maxNesting``). Past it, markdown-it drops the rest
#: of the text without a word; a list counts two levels (the list and its item), a block quote
#: or a footnote one, so text this deep is always past MARKDOWN_BLOCK_DEPTH first, and reported.
#: It also bounds how far markdown-it looks ahead for the end of each ``[`` (link text), whose
#: cost grows with it.
MAX_NESTING = 2 * MARKDOWN_BLOCK_DEPTH.value + 4
#: The tokens that open a level of MARKDOWN_BLOCK_DEPTH.
_CONTAINERS = frozenset(
    ("blockquote_open", "bullet_list_open", "ordered_list_open", "footnote_reference_open")
)
_DELIMITER_RUN = re.compile(r"\*+|_+")
#: Warnings one text reports; the rest are counted in one more.
MAX_WARNINGS = 100


@dataclass
class _Env:
    """What one render call needs and collects: styles, policies, ids, problems."""

    base: SourceLocation
    links: LinkPolicy
    images: ImagePolicy
    styles: Mapping[str, str]
    ids: str
    problems: list[Problem] = field(default_factory=list)
    warnings: int = 0
    """Warnings found, those left out included."""
    elements: int = 0
    """Elements read so far: block tokens, then steps of the inline parser."""
    steps: int = 0
    """Steps of the inline parser, its look-ahead included."""
    reading: Token | None = None
    """The inline token the inline parser reads."""

    def line(self, token: Token | None, lines_into: int = 0) -> int | None:
        """The line of ``token`` in the file, ``lines_into`` lines into it."""
        line = self.base.line
        if line is not None and token is not None and token.map:
            line += token.map[0] + lines_into
        return line

    def warn(self, token: Token | None, message: str, *, lines_into: int = 0) -> None:
        """A warning at ``token``'s line, ``lines_into`` lines into it."""
        self.warnings += 1
        if self.warnings > MAX_WARNINGS:
            return
        location = SourceLocation(self.base.path, self.line(token, lines_into))
        self.problems.append(Problem(location, cap(message), Severity.WARNING))

    def exceed(self, limit: Limit, line: int | None, what: str) -> None:
        """The error for going past ``limit`` at ``line`` (0-based in the text)."""
        at = self.base.line + line if self.base.line is not None and line is not None else None
        self.problems.append(limit.problem(SourceLocation(self.base.path, at), what))

    def finish(self) -> None:
        """Count the warnings left out in one more."""
        left_out = self.warnings - MAX_WARNINGS
        if left_out > 0:
            self.problems.append(
                Problem(
                    SourceLocation(self.base.path, self.base.line),
                    f"{left_out:,} more warnings about this text are left out (the first "
                    f"{MAX_WARNINGS} are shown)",
                    Severity.WARNING,
                )
            )


def _no_links(href: str) -> str | None:
    return None


def _no_images(src: str) -> str | None:
    return None


def default_id_prefix(base: SourceLocation) -> str:
    """The id prefix of a fragment that starts at ``base``: its file's stem and its position.

    ``content/example/press-release.md`` at line 7 gives ``press-release-7-``: fragments of one
    document come from different files or lines, so their ids differ, and a build writes the
    same ids every time. The prefix always starts with a letter (XML ids must).
    """
    stem = re.sub(r"[^a-z0-9]+", "-", base.path.stem.lower()).strip("-")
    parts = [part for part in (stem, base.line, base.column) if part not in (None, "")]
    prefix = "-".join(str(part) for part in parts)
    if not prefix[:1].isalpha():
        prefix = f"md-{prefix}" if prefix else "md"
    return prefix + "-"


class MarkdownRenderer:
    """Renders Markdown with one style table; reusable across documents."""

    def __init__(self, styles: Mapping[str, str]) -> None:
        self.styles = dict(styles)
        md = MarkdownIt(
            "js-default",
            {"typographer": True, "xhtmlOut": True, "linkify": False, "maxNesting": MAX_NESTING},
        )
        md.disable(["replacements", "strikethrough"])
        md.enable("smartquotes")
        footnote_plugin(md, inline=False)
        superscript_plugin(md)
        sub_plugin(md)
        md.inline.ruler.before("sub", "tilde_run", _tilde_run)
        md.block.ruler.before("table", "element_limit", _block_elements)
        md.block.ruler.at("table", _limited_table, {"alt": ["paragraph", "reference"]})
        md.inline.ruler.before("text", "element_limit", _inline_elements)
        md.core.ruler.after("block", "block_limits", _block_limits)
        md.core.ruler.after("block_limits", "statement_tables", self._statement_tables)
        md.core.ruler.at("inline", _core_inline)
        md.core.ruler.after("inline", "inline_limits", _inline_limits)
        md.core.ruler.before("footnote_tail", "footnote_check", _check_footnotes)
        md.core.ruler.before("smartquotes", "dashes", _dashes)
        md.core.ruler.before("smartquotes", "quote_limit", _quote_limit)
        md.core.ruler.push("edgar", self._edgar)
        for tag in DROPPED_TAGS:
            md.add_render_rule(f"{tag}_open", _render_nothing)
            md.add_render_rule(f"{tag}_close", _render_nothing)
        for name in ("sub_open", "sub_close"):  # the plugin's own rules drop the style
            md.add_render_rule(name, _render_token)
        for name in ("fence", "code_block"):
            md.add_render_rule(name, _render_code)
        md.add_render_rule("footnote_ref", _render_footnote_ref)
        md.add_render_rule("footnote_number", _render_footnote_number)
        md.add_render_rule("footnote_block_open", _render_footnote_rule)
        for name in ("footnote_block_close", "footnote_open", "footnote_close", "footnote_anchor"):
            md.add_render_rule(name, _render_nothing)
        self.md = md

    def render(
        self,
        text: str,
        *,
        base: SourceLocation,
        links: LinkPolicy = _no_links,
        images: ImagePolicy = _no_images,
        lead: str | None = None,
        inline: bool = False,
        id_prefix: str | None = None,
    ) -> tuple[Markup, list[Problem]]:
        """Render ``text``; ``lead`` opens the first paragraph (a press release's dateline).

        ``id_prefix`` starts every id the fragment gets (footnotes: ``{prefix}fn-1``,
        ``{prefix}fnref-1``); it must make them unique in the document and be valid in an id.
        By default it is :func:`default_id_prefix` of ``base``; ``""`` gives plain ``fn-1``.
        """
        ids = default_id_prefix(base) if id_prefix is None else id_prefix
        env = {"form8k": _Env(base, links, images, self.styles, ids)}
        try:
            tokens = self.md.parse(text, env)
        except _Stop as stop:
            env["form8k"].exceed(stop.limit, stop.line, stop.what)
            env["form8k"].finish()
            return Markup(""), env["form8k"].problems
        env["form8k"].finish()
        if lead:
            created = _prepend_lead(tokens, lead)
            if created is not None:
                self._style(created)
        if inline:
            tokens = _strip_paragraphs(tokens)
        html = self.md.renderer.render(tokens, self.md.options, env)
        return Markup(html.strip()), env["form8k"].problems

    # --- core rules ---------------------------------------------------------------------------

    def _edgar(self, state: StateCore) -> None:
        env: _Env = state.env["form8k"]
        for token in state.tokens:
            self._style(token)
            if token.type == "inline" and token.children:
                token.children = self._inline(token.children, env, token)
        _number_footnotes(state.tokens, env)

    def _style(self, token: Token) -> None:
        if token.nesting == -1 or not token.tag or token.meta.get("styled"):
            return
        style = self.styles.get(token.tag)
        if style is None:
            return
        own = token.attrGet("style")
        token.attrSet("style", f"{style};{own}" if own else style)

    def _inline(self, children: Sequence[Token], env: _Env, parent: Token) -> list[Token]:
        result: list[Token] = []
        dropped_depth = 0
        breaks = 0
        for child in children:
            if child.type in ("softbreak", "hardbreak"):
                breaks += 1
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                target = env.links(href)
                if target is None:
                    env.warn(
                        parent,
                        f"link to {clip(href)} written as plain text: EDGAR accepts links only to "
                        "documents of the same submission or to EDGAR's archives",
                        lines_into=breaks,
                    )
                    dropped_depth += 1
                    continue
                child.attrSet("href", target)
            elif child.type == "link_close" and dropped_depth:
                dropped_depth -= 1
                continue
            elif child.type == "image":
                src = str(child.attrGet("src") or "")
                name = env.images(src)
                if name is None:
                    env.warn(
                        parent,
                        f"image {clip(src)} left out: it is not a usable .jpg or .gif file",
                        lines_into=breaks,
                    )
                    continue
                child.attrSet("src", name)
            self._style(child)
            result.append(child)
        return result

    def _statement_tables(self, state: StateCore) -> None:
        """Replace each ```` ```table ```` fence with table tokens, before inline parsing."""
        env: _Env = state.env["form8k"]
        tokens: list[Token] = []
        for token in state.tokens:
            words = token.info.split() if token.type == "fence" else []
            if words[:1] == [TABLE_FENCE]:
                tokens += self._table_tokens(token, words[1:], env)
            else:
                tokens.append(token)
        state.tokens = tokens

    # --- financial-statement tables -----------------------------------------------------------

    def _table_tokens(self, fence: Token, options: list[str], env: _Env) -> list[Token]:
        try:
            table = parse_statement_table(fence.content)
        except TableLimitError as error:
            line = (fence.map[0] + 1 + error.line) if fence.map else None
            raise _Stop(error.limit, line, error.what) from None
        except TableSyntaxError as error:
            env.warn(fence, f"{error}: the table is shown as preformatted text")
            return [fence]
        for line, message in table.problems:
            env.warn(fence, message, lines_into=1 + line)
        first_line = (fence.map[0] if fence.map else 0) + 1
        level = fence.level

        def block(kind: str, tag: str, nesting: Literal[-1, 1], style: str = "") -> Token:
            token = Token(kind, tag, nesting, level=level, block=True, meta={"styled": True})
            if style:
                token.attrSet("style", style)
            return token

        table_style = [self.styles.get("statement_table", "")]
        for option in options:
            width = _WIDTH_OPTION.fullmatch(option)
            if option == "page-break":
                table_style.append("page-break-before:always")
            elif width:
                table_style.append(f"width:{width.group(1)}")
            else:
                env.warn(
                    fence,
                    f"table option {clip(option)} ignored: the options are page-break and "
                    "width=N% (or pt, in, cm, mm, px)",
                )
        tokens = [block("table_open", "table", 1, _join(table_style))]
        level += 1
        for row in table.rows:
            tokens.append(block("tr_open", "tr", 1))
            level += 1
            tag = "th" if row.header else "td"
            column = 0
            for cell in row.cells:
                open_ = block(f"{tag}_open", tag, 1, self._cell_style(cell, row, table, column))
                if cell.span > 1:
                    open_.attrs = {"colspan": cell.span, **open_.attrs}
                if cell.indent and self._indent(cell.indent) is None:
                    env.warn(
                        fence,
                        f"row label indent left out: the style table's statement_indent "
                        f"{self.styles.get('statement_indent')!r} is not a CSS length like 12pt",
                        lines_into=1 + row.line,
                    )
                line = first_line + row.line
                inline = Token("inline", "", 0, map=[line, line + 1], level=level + 1, block=True)
                inline.content = cell.text.replace(LINE_BREAK, "\\\n")
                inline.children = []
                tokens += [open_, inline, block(f"{tag}_close", tag, -1)]
                column += cell.span
            level -= 1
            tokens.append(block("tr_close", "tr", -1))
        tokens.append(block("table_close", "table", -1))
        return tokens

    def _cell_style(
        self, cell: StatementCell, row: StatementRow, table: StatementTable, col: int
    ) -> str:
        header = row.header and bool(cell.text)
        parts = [self.styles.get("statement_header" if header else "statement_cell", "")]
        align = table.align[col]
        if align and not (row.header and cell.span > 1):
            parts.append(f"text-align:{align}")
        indent = self._indent(cell.indent) if cell.indent else None
        if indent:
            parts.append(f"padding-left:{indent}")
        if cell.rule:
            parts.append(self.styles.get(f"statement_{cell.rule}", ""))
        return _join(parts)

    def _indent(self, levels: int) -> str | None:
        """The left padding of a row label ``levels`` deep, or None if the style is no length."""
        match = _LENGTH.fullmatch(self.styles.get("statement_indent", DEFAULT_INDENT).strip())
        if match is None:
            return None
        return f"{float(match.group(1)) * levels:g}{match.group(2)}"


# --- the statement table syntax ---------------------------------------------------------------


class TableSyntaxError(ValueError):
    """A ```` ```table ```` block that cannot be read as a table."""


class TableLimitError(ValueError):
    """A ```` ```table ```` block past TABLE_COLUMNS, TABLE_ROWS or TABLE_CELLS; ``line``
    (from 0, inside the fence) is where it goes past."""

    def __init__(self, limit: Limit, line: int, what: str) -> None:
        super().__init__(what)
        self.limit = limit
        self.line = line
        self.what = what


@dataclass
class StatementCell:
    """One cell: its inline Markdown, the columns it spans, its indent and the rule below it."""

    text: str
    span: int = 1
    indent: int = 0
    rule: str | None = None  # "rule" or "double_rule": the border under the cell


@dataclass
class StatementRow:
    """One row of cells; ``line`` counts from the first line inside the fence, from 0."""

    cells: list[StatementCell]
    line: int
    header: bool


@dataclass
class StatementTable:
    """A parsed statement table: column alignments, rows, and what was wrong with rows."""

    align: list[str | None]
    rows: list[StatementRow] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)


#: In a table cell, a backslash between spaces breaks the line ("March 3, \\ 2023").
LINE_BREAK = " \\ "


def parse_statement_table(content: str) -> StatementTable:
    """Read the inside of a ```` ```table ```` fence (options follow ``table`` on its line).

    Syntax::

        ```table page-break width=100%
        |                        | Three Months Ended May 31, ||
        |                        | -------------------------- ||
        | (in millions)          |     2024     |     2023    |
        |:-----------------------|-------------:|------------:|
        | Revenues:              |              |             |
        | > Cloud services       |     $ 10,000 |     $ 9,000 |
        | > License[^1]          |        2,000 |       1,800 |
        |                        |          --- |         --- |
        | Total revenues         |     $ 12,000 |    $ 10,800 |
        |                        |          === |         === |
        ```

    * Rows are GFM pipe rows (outer pipes optional, ``\\|`` for a literal pipe); blank lines are
      skipped. Every row before the delimiter row (``|:--|--:|``) is a header row; there may be
      several, or none. The delimiter row gives the number of columns and each column's
      alignment as in GFM (``:--`` left, ``--:`` right, ``:-:`` center).
    * A cell that is empty with no space between its pipes (``||``) extends the cell before it
      by one column (MultiMarkdown's convention); ``| |`` is an empty cell. At the start of a
      row, ``||`` is an empty cell.
    * Leading ``>`` characters in a row's first cell indent its label one level each.
    * A row whose non-empty cells are all ``---`` (three or more) or ``===`` is a rule, not a
      row: it draws a single or double line under the cells of the row above, in the columns
      where it has them. Before the delimiter row a rule needs at least one empty cell (a row
      of nothing but dashes is the delimiter row).
    * Cells hold inline Markdown: emphasis, code, footnote references, ``^sup^``, ``~sub~``,
      links (under the document's link policy); a backslash between spaces (`` \\ ``)
      breaks the line inside a cell.
    * A row whose width (spans counted) differs from the delimiter row's is padded with empty
      cells or cut, and reported in :attr:`StatementTable.problems`.

    Header cells (``th``) get the ``statement_header`` style, or ``statement_cell`` when empty;
    a header cell spanning several columns keeps the header style's alignment. Raises
    :class:`TableSyntaxError` when there is no delimiter row, and :class:`TableLimitError`
    for a table of more than TABLE_COLUMNS columns (in any row), TABLE_ROWS rows (the
    delimiter row left out) or TABLE_CELLS cells.
    """
    lines = [(number, line) for number, line in enumerate(content.split("\n")) if line.strip()]
    if not lines:
        raise TableSyntaxError("the table is empty")
    if len(lines) > TABLE_ROWS.value + 1:
        raise TableLimitError(
            TABLE_ROWS, lines[TABLE_ROWS.value + 1][0], f"more than {TABLE_ROWS.value:,} rows"
        )
    for number, line in lines:
        width = len(_PIPE.findall(line)) - 1
        if width > TABLE_COLUMNS.value:
            raise TableLimitError(TABLE_COLUMNS, number, f"a table row of {width:,} columns")
    rows = [(number, _split_row(line)) for number, line in lines]
    delimiter = next((i for i, (_, cells) in enumerate(rows) if _is_delimiter(cells)), None)
    if delimiter is None:
        raise TableSyntaxError("the table has no delimiter row (like |:---|---:|)")
    table = StatementTable([_alignment(cell.text) for cell in rows[delimiter][1]])
    allowed = TABLE_CELLS.value // len(table.align)
    if len(rows) - 1 > allowed:
        past = rows[allowed + (allowed >= delimiter)][0]
        raise TableLimitError(TABLE_CELLS, past, f"more than {TABLE_CELLS.value:,} cells")
    for index, (number, cells) in enumerate(rows):
        if index == delimiter:
            continue
        cells = _fit(cells, len(table.align), number, table.problems)
        rules = _rules(cells)
        if rules is not None:
            _draw_rules(table, rules, number)
            continue
        match = _INDENT.match(cells[0].text)
        if match:
            cells[0].indent = match.group().count(">")
            cells[0].text = cells[0].text[match.end() :]
        table.rows.append(StatementRow(cells, number, header=index < delimiter))
    return table


def _split_row(line: str) -> list[StatementCell]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells: list[StatementCell] = []
    for raw in _PIPE.split(body):
        if raw == "" and cells:
            cells[-1].span += 1
        else:
            cells.append(StatementCell(raw.strip()))
    return cells


def _is_delimiter(cells: list[StatementCell]) -> bool:
    return all(cell.span == 1 and _DELIMITER_CELL.fullmatch(cell.text) for cell in cells)


def _alignment(delimiter: str) -> str | None:
    left, right = delimiter.startswith(":"), delimiter.endswith(":")
    if left and right:
        return "center"
    return "right" if right else "left" if left else None


def _fit(
    cells: list[StatementCell], columns: int, line: int, problems: list[tuple[int, str]]
) -> list[StatementCell]:
    """``cells`` made ``columns`` wide: padded with empty cells, or cut."""
    width = sum(cell.span for cell in cells)
    if width == columns:
        return cells
    message = (
        f"table row is {width} column{'s' if width != 1 else ''} wide, the delimiter row "
        f"{columns}: "
    )
    if width < columns:
        problems.append((line, message + "padded with empty cells"))
        return cells + [StatementCell("") for _ in range(columns - width)]
    problems.append((line, message + f"the cells past column {columns} are left out"))
    kept: list[StatementCell] = []
    used = 0
    for cell in cells:
        if used == columns:
            break
        cell.span = min(cell.span, columns - used)
        kept.append(cell)
        used += cell.span
    return kept


def _rules(cells: list[StatementCell]) -> list[str | None] | None:
    """The rule each column gets if ``cells`` is a rule row, else None."""
    rules: list[str | None] = []
    for cell in cells:
        if cell.text and not _RULE_CELL.fullmatch(cell.text):
            return None
        rule = None if not cell.text else "rule" if cell.text[0] == "-" else "double_rule"
        rules += [rule] * cell.span
    return rules if any(rules) else None


def _draw_rules(table: StatementTable, rules: list[str | None], line: int) -> None:
    if not table.rows:
        table.problems.append((line, "a rule with no row above it is ignored"))
        return
    column = 0
    for cell in table.rows[-1].cells:
        covered = [rule for rule in rules[column : column + cell.span] if rule]
        if covered:
            cell.rule = "double_rule" if "double_rule" in covered else "rule"
        column += cell.span


# --- footnotes --------------------------------------------------------------------------------


def _check_footnotes(state: StateCore) -> None:
    """Warn about references to missing notes and notes nobody references (before text_join)."""
    env: _Env = state.env["form8k"]
    notes = state.env.get("footnotes", {})
    referenced = {note.get("label") for note in notes.get("list", {}).values()}
    defined: set[str] = set()
    for token in state.tokens:
        if token.type == "footnote_reference_open":
            label = token.meta["label"]
            if label in defined:
                env.warn(token, f"footnote [^{label}] is defined twice: the last one is used")
            elif label not in referenced:
                env.warn(token, f"footnote [^{label}] is never referenced: it is left out")
            defined.add(label)
        elif token.type == "inline" and token.children:
            breaks = 0
            for child in token.children:
                if child.type in ("softbreak", "hardbreak"):
                    breaks += 1
                elif child.type == "text":
                    for match in _FOOTNOTE_REF.finditer(child.content):
                        env.warn(
                            token,
                            f"footnote reference {match.group()} written as text: no note "
                            f"{match.group()}: ... is defined in the same Markdown text",
                            lines_into=breaks,
                        )


def _number_footnotes(tokens: list[Token], env: _Env) -> None:
    """Open each note with its number and its id, and give its paragraphs the footnote style."""
    style = env.styles.get("footnote")
    inside = False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "footnote_open":
            inside = True
            number = token.meta["id"] + 1
            marker = Token("footnote_number", "", 0, meta={"number": number})
            following = tokens[index + 1 : index + 3]
            if [t.type for t in following] == ["paragraph_open", "inline"]:
                following[1].children = [marker, *(following[1].children or [])]
            else:
                paragraph = Token("paragraph_open", "p", 1, block=True)
                tokens[index + 1 : index + 1] = [
                    paragraph,
                    Token("inline", "", 0, block=True, children=[marker]),
                    Token("paragraph_close", "p", -1, block=True),
                ]
            tokens[index + 1].attrSet("id", f"{env.ids}fn-{number}")
        elif token.type == "footnote_close":
            inside = False
        elif inside and token.type == "paragraph_open" and style:
            token.attrSet("style", style)
        index += 1


# --- inline rules -----------------------------------------------------------------------------


def _tilde_run(state: StateInline, silent: bool) -> bool:
    """``~~`` and longer runs are plain text: neither strikethrough (off) nor subscript."""
    start = state.pos
    if start + 1 >= state.posMax or state.src[start : start + 2] != "~~":
        return False
    end = start
    while end < state.posMax and state.src[end] == "~":
        end += 1
    if not silent:
        state.pending += state.src[start:end]
    state.pos = end
    return True


def _dashes(state: StateCore) -> None:
    """Dashes, ellipses and plus-minus only (markdown-it's "rare" replacements)."""
    for token in state.tokens:
        if token.type == "inline" and token.children:
            replace_rare(token.children)


# --- limits -----------------------------------------------------------------------------------


class _Stop(Exception):
    """Markdown past a limit that costs too much to read on: parsing stops there."""

    def __init__(self, limit: Limit, line: int | None, what: str) -> None:
        super().__init__(what)
        self.limit = limit
        self.line = line
        self.what = what


def _block_elements(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Stop past MARKDOWN_ELEMENTS block tokens (each costs markdown-it time and memory)."""
    if not silent and len(state.tokens) > MARKDOWN_ELEMENTS.value:
        raise _Stop(MARKDOWN_ELEMENTS, start, f"more than {MARKDOWN_ELEMENTS.value:,} elements")
    return False


def _inline_elements(state: StateInline, silent: bool) -> bool:
    """Count the inline parser's steps, its look-ahead (``silent``) included, and the elements
    they make: stop past MARKDOWN_STEPS or MARKDOWN_ELEMENTS."""
    env: _Env = state.env["form8k"]
    env.steps += 1
    if env.steps > MARKDOWN_STEPS.value:
        raise _Stop(
            MARKDOWN_STEPS, _inline_line(state), f"more than {MARKDOWN_STEPS.value:,} steps"
        )
    if not silent:
        # A run of * or _ becomes one element a character, all at once.
        run = _DELIMITER_RUN.match(state.src, state.pos)
        env.elements += len(run.group()) if run else 1
        if env.elements > MARKDOWN_ELEMENTS.value:
            what = f"more than {MARKDOWN_ELEMENTS.value:,} elements"
            raise _Stop(MARKDOWN_ELEMENTS, _inline_line(state), what)
    return False


def _quote_limit(state: StateCore) -> None:
    """Stop at a paragraph of more than MARKDOWN_QUOTES quotation marks, before markdown-it's
    typographer, whose time grows with their number times the paragraph's length."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        quotes = sum(
            child.content.count('"') + child.content.count("'")
            for child in token.children
            if child.type == "text"
        )
        if quotes > MARKDOWN_QUOTES.value:
            line = token.map[0] if token.map else None
            raise _Stop(MARKDOWN_QUOTES, line, f"a paragraph of {quotes:,} quotation marks")


def _inline_line(state: StateInline) -> int | None:
    """The line (0-based in the text) of the inline text ``state`` reads, when known."""
    parent = state.env["form8k"].reading
    if parent is not None and parent.map:
        return int(parent.map[0]) + state.src.count("\n", 0, state.pos)
    return None


def _core_inline(state: StateCore) -> None:
    """markdown-it's own core rule "inline", keeping note of the block it reads."""
    env: _Env = state.env["form8k"]
    for token in state.tokens:
        if token.type == "inline":
            env.reading = token
            if token.children is None:
                token.children = []
            state.md.inline.parse(token.content, state.md, state.env, token.children)
    env.reading = None


def _limited_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's GFM table, read no further than TABLE_ROWS and TABLE_CELLS allow (and one
    row more, to tell a table that goes past them, which is then reported)."""
    if silent or start + 2 > end:
        return gfm_table(state, start, end, silent)
    delimiter = state.src[
        state.bMarks[start + 1] + state.tShift[start + 1] : state.eMarks[start + 1]
    ]
    columns = max(len(delimiter.strip().strip("|").split("|")), 1)
    rows = min(TABLE_ROWS.value, TABLE_CELLS.value // columns)  # the header row counted
    first = len(state.tokens)
    if not gfm_table(state, start, min(end, start + 2 + rows), silent):
        return False
    read = [token for token in state.tokens[first:] if token.type == "tr_open"]
    columns = sum(token.type == "th_open" for token in state.tokens[first:])
    _check_table(start, columns, [(token.map or [start])[0] for token in read])
    return True


def _check_table(start: int, columns: int, lines: list[int]) -> None:
    """Stop at a table (its first line ``start``) past TABLE_COLUMNS, TABLE_ROWS or TABLE_CELLS:
    ``lines`` are the lines of its rows, header rows included, 0-based in the text."""
    if columns > TABLE_COLUMNS.value:
        raise _Stop(TABLE_COLUMNS, start, f"a table of {columns:,} columns")
    if len(lines) > TABLE_ROWS.value:
        raise _Stop(TABLE_ROWS, lines[TABLE_ROWS.value], f"more than {TABLE_ROWS.value:,} rows")
    if len(lines) * columns > TABLE_CELLS.value:
        past = lines[TABLE_CELLS.value // columns]
        raise _Stop(TABLE_CELLS, past, f"more than {TABLE_CELLS.value:,} cells")


def _block_limits(state: StateCore) -> None:
    """Stop at lists, block quotes and footnotes nested past MARKDOWN_BLOCK_DEPTH."""
    env: _Env = state.env["form8k"]
    env.elements = len(state.tokens)
    depth = 0
    for token in state.tokens:
        if token.type in _CONTAINERS:
            depth += 1
            if depth > MARKDOWN_BLOCK_DEPTH.value:
                line = token.map[0] if token.map else None
                raise _Stop(MARKDOWN_BLOCK_DEPTH, line, f"nested {depth} levels deep")
        elif token.nesting == -1 and token.type.replace("_close", "_open") in _CONTAINERS:
            depth -= 1


def _inline_limits(state: StateCore) -> None:
    """Stop at emphasis, links, superscripts and subscripts nested past MARKDOWN_INLINE_DEPTH."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        depth = breaks = 0
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                breaks += 1
            depth += child.nesting
            if depth > MARKDOWN_INLINE_DEPTH.value:
                line = token.map[0] + breaks if token.map else None
                raise _Stop(MARKDOWN_INLINE_DEPTH, line, f"nested {depth} levels deep")


# --- render rules (called with the markdown-it renderer as ``self``) --------------------------


def _render_nothing(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return ""


def _render_token(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return str(self.renderToken(tokens, idx, options, env))


def _style_attribute(env: Any, key: str) -> str:
    style = _env(env).styles.get(key)
    return f' style="{escapeHtml(style)}"' if style else ""


def _env(env: Any) -> _Env:
    found: _Env = env["form8k"]
    return found


def _render_code(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    pre = _style_attribute(env, "pre")
    return f"<pre{pre}><code>{escapeHtml(tokens[idx].content)}</code></pre>\n"


def _render_footnote_ref(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    meta = tokens[idx].meta
    number, ids = meta["id"] + 1, _env(env).ids
    ref = f"{ids}fnref-{number}" + (f"-{meta['subId'] + 1}" if meta.get("subId") else "")
    return (
        f"<sup{_style_attribute(env, 'footnote_ref')}>"
        f'<a href="#{escapeHtml(ids)}fn-{number}" id="{escapeHtml(ref)}">{number}</a></sup>'
    )


def _render_footnote_number(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    number, ids = tokens[idx].meta["number"], _env(env).ids
    return (
        f"<sup{_style_attribute(env, 'footnote_ref')}>"
        f'<a href="#{escapeHtml(ids)}fnref-{number}">{number}</a></sup> '
    )


def _render_footnote_rule(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    close = " />" if options["xhtmlOut"] else ">"
    return f"<hr{_style_attribute(env, 'footnote_rule')}{close}\n"


# --- helpers ----------------------------------------------------------------------------------


def _join(declarations: Sequence[str]) -> str:
    return ";".join(part.strip(";") for part in declarations if part)


def _prepend_lead(tokens: list[Token], lead: str) -> Token | None:
    """Open the first paragraph with ``lead``; return the paragraph made for it, if any."""
    for index, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            break
        if token.type == "paragraph_open" and index + 1 < len(tokens):
            inline = tokens[index + 1]
            text = Token("text", "", 0)
            text.content = lead
            inline.children = [text, *(inline.children or [])]
            return None
    paragraph = Token("paragraph_open", "p", 1)
    inline = Token("inline", "", 0, children=[])
    text = Token("text", "", 0)
    text.content = lead
    inline.children = [text]
    tokens[:0] = [paragraph, inline, Token("paragraph_close", "p", -1)]
    return paragraph


def _strip_paragraphs(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.type not in ("paragraph_open", "paragraph_close")]
