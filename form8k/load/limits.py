"""How big and how deep content may be: each limit as data, with the reason for its value.

Every limit is far above what real filings need (the figures in ``real`` come from the ten
EDGAR-accepted filings rebuilt in ``tests/fixtures/real/`` and the repository's examples) and
far below what would make a build take minutes or gigabytes. Content past a limit is an error
at the file and line where the limit is passed, naming the limit and why it is there;
nothing is ever cut off silently.

EDGAR's own ceiling is on a whole submission (``submission-size``, 200 MB, still to be
verified against the current EDGAR Filer Manual); none of these limits comes near it.
"""

from __future__ import annotations

from dataclasses import dataclass

from form8k.errors import Problem, Severity, SourceLocation

KB = 1_000
MB = 1_000_000


@dataclass(frozen=True)
class Limit:
    """One limit: what it bounds, its value, the largest real figure, and why it is there."""

    name: str
    value: int
    unit: str
    real: str
    reason: str

    @property
    def shown(self) -> str:
        """The limit in words, e.g. ``2 MB`` or ``32 levels``."""
        if self.unit == "bytes":
            if self.value % MB == 0:
                return f"{self.value // MB:,} MB"
            if self.value % KB == 0:
                return f"{self.value // KB:,} KB"
        return f"{self.value:,} {self.unit}"

    def problem(self, location: SourceLocation, what: str) -> Problem:
        """The error for content past this limit: ``what`` says what went past it."""
        return Problem(
            location,
            f"{what}: {self.name} is limited to {self.shown} ({self.reason})",
            Severity.ERROR,
        )


YAML_BYTES = Limit(
    "YAML text (a file, or the front matter of a Markdown file)",
    1 * MB,
    "bytes",
    "11 KB (Adobe's filing.yaml)",
    "PyYAML reads some 0.3 MB a second; a filing.yaml, company.yaml or front matter that "
    "big is a mistake",
)
MARKDOWN_BYTES = Limit(
    "a Markdown file",
    2 * MB,
    "bytes",
    "10 KB (an Oracle schedule); Oracle's 1.78 MB EX-99.1 on EDGAR is 175 KB as form8k writes it",
    "room for a long agreement (some 500 pages), whose build takes some 20 s",
)
YAML_DEPTH = Limit(
    "the nesting of YAML values",
    32,
    "levels",
    "5 levels",
    "PyYAML reads nested values by recursion; thousands of levels stop it",
)
YAML_NODES = Limit(
    "a YAML file",
    100_000,
    "values",
    "148 values (Oracle's company.yaml)",
    "anchors and aliases (*name) can make a small file expand to billions of values",
)
YAML_EXPANDED = Limit(
    "the text of a YAML file's values (each alias counted where it is used)",
    1 * MB,
    "characters",
    "the file itself (real content uses no aliases)",
    "an alias repeats its anchor's text wherever it is used",
)
MARKDOWN_BLOCK_DEPTH = Limit(
    "the nesting of lists, block quotes and footnotes",
    16,
    "levels",
    "2 levels",
    "markdown-it drops everything after 50 nested lists or 100 nested quotes, and the PDF "
    "renderer recurses on each level",
)
MARKDOWN_INLINE_DEPTH = Limit(
    "the nesting of emphasis, links, superscripts and subscripts",
    16,
    "levels",
    "2 levels",
    "the PDF renderer recurses on each level and fails past a few hundred",
)
MARKDOWN_ELEMENTS = Limit(
    "one Markdown text (a file, or a value of a YAML file)",
    200_000,
    "elements",
    "about 850 (an Oracle schedule); 2 MB of a credit agreement's text makes 115,000",
    "each element (a paragraph, a list item, a cell, an emphasis mark) costs markdown-it "
    "some 15 microseconds and 400 bytes",
)
MARKDOWN_STEPS = Limit(
    "the Markdown parser's work on one text",
    2_000_000,
    "steps",
    "about 850 (an Oracle schedule); 2 MB of a credit agreement's text takes 96,000",
    "brackets and emphasis opened and never closed make markdown-it look ahead again and again",
)
MARKDOWN_QUOTES = Limit(
    "one paragraph",
    2_000,
    "quotation marks",
    "14 (in the real filings rebuilt in the tests)",
    "markdown-it's typographer (curly quotes) takes time in their number times the "
    "paragraph's length",
)
TABLE_COLUMNS = Limit(
    "a table",
    100,
    "columns",
    "11 columns (Oracle's supplemental revenues)",
    "a row of a wider table cannot be printed on a page",
)
TABLE_ROWS = Limit(
    "a table",
    2_000,
    "rows",
    "47 rows (Oracle's supplemental revenues and headcount)",
    "the PDF of a table costs about 1.7 ms and 30 KB of memory a cell",
)
TABLE_CELLS = Limit(
    "a table",
    20_000,
    "cells",
    "517 cells (Oracle's supplemental revenues and headcount)",
    "the PDF of a table costs about 1.7 ms and 30 KB of memory a cell",
)
RENDERED_BYTES = Limit(
    "the HTML of one filing's Markdown",
    5 * MB,
    "bytes",
    "254 KB (the Oracle 2014 press release as form8k writes it)",
    "printing takes about 10 s and 100 MB of memory a megabyte of text",
)
RENDERED_ELEMENTS = Limit(
    "the HTML of one filing's Markdown",
    25_000,
    "elements",
    "about 3,000 (the Oracle 2014 press release as form8k writes it)",
    "printing takes up to 2.5 ms and 50 KB of memory an element (a list item, a table cell, "
    "a paragraph)",
)

DOCUMENT_BYTES = Limit(
    "a rendered document",
    6 * MB,
    "bytes",
    "254 KB (the Oracle 2014 press release)",
    "its Markdown is limited to 5 MB; the rest comes from the templates and the YAML (a "
    "contact, a Section 12(b) row), and printing takes about 10 s a megabyte",
)
DOCUMENT_ELEMENTS = Limit(
    "a rendered document",
    30_000,
    "elements",
    "about 3,000 (the Oracle 2014 press release)",
    "its Markdown is limited to 25,000; the rest comes from the templates and the YAML (a "
    "contact, a Section 12(b) row), and printing takes up to 2.5 ms and 50 KB an element",
)

LIMITS = (
    YAML_BYTES,
    MARKDOWN_BYTES,
    YAML_DEPTH,
    YAML_NODES,
    YAML_EXPANDED,
    MARKDOWN_BLOCK_DEPTH,
    MARKDOWN_INLINE_DEPTH,
    MARKDOWN_ELEMENTS,
    MARKDOWN_STEPS,
    MARKDOWN_QUOTES,
    TABLE_COLUMNS,
    TABLE_ROWS,
    TABLE_CELLS,
    RENDERED_BYTES,
    RENDERED_ELEMENTS,
    DOCUMENT_BYTES,
    DOCUMENT_ELEMENTS,
)
"""Every limit, for the documentation and the tests."""


def clip(text: str, length: int = 60) -> str:
    """``text`` for a message: its ``repr``, cut to about ``length`` characters."""
    if len(text) <= length:
        return repr(text)
    return repr(text[:length]) + f" (and {len(text) - length:,} characters more)"


def cap(message: str, length: int = 1_000) -> str:
    """A message cut to about ``length`` characters: one that quotes a long value whole would
    fill a terminal (or a CI log) with it."""
    if len(message) <= length:
        return message
    return message[:length] + f"... ({len(message) - length:,} characters more)"


def html_elements(html: str) -> int:
    """The elements of HTML whose text is escaped (every '<' opens or closes one)."""
    return html.count("<") - html.count("</")


def document_problem(html: str, location: SourceLocation) -> Problem | None:
    """The error for a rendered document (at ``location``, its path in the output) past
    DOCUMENT_BYTES or DOCUMENT_ELEMENTS, before it is printed; None when it is within them."""
    if len(html) > DOCUMENT_BYTES.value:
        return DOCUMENT_BYTES.problem(location, f"{len(html):,} bytes")
    elements = html_elements(html)
    if elements > DOCUMENT_ELEMENTS.value:
        return DOCUMENT_ELEMENTS.problem(location, f"{elements:,} elements")
    return None
