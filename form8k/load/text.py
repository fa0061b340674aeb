"""Reading content files: UTF-8 text, YAML with the line and column of every value, and
Markdown with YAML front matter.

Scalars are read as strings (a YAML 1.1 reader would turn ``0-17999`` into a string but ``01234``
into an octal number and ``NO`` into False); the pydantic schema then converts each value to the
type its field asks for. Every value's line and column is kept so that a problem found later
points at the text the user wrote.

A file YAML cannot read is reported in plain words at the mistake: PyYAML stops where the
text stops making sense to it, often lines below a line indented out of step with its
neighbours, and names what it expected ("mapping values are not allowed here"); the lines'
indentation around that point tells which line is out of step, and what to write instead.
"""

from __future__ import annotations

import codecs
import dataclasses
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from form8k.errors import KeyPath, Problem, SourceLocation, SourceMap
from form8k.load.limits import (
    MARKDOWN_BYTES,
    YAML_BYTES,
    YAML_DEPTH,
    YAML_EXPANDED,
    YAML_NODES,
    Limit,
    clip,
)

#: Nodes one YAML file may expand to; stops alias bombs ("billion laughs").
MAX_NODES = YAML_NODES.value


class LoadError(Exception):
    """A file could not be loaded; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def _mark(path: Path, mark: Any, line_offset: int) -> SourceLocation:
    return SourceLocation(path, mark.line + 1 + line_offset, mark.column + 1)


#: The tags a content file may use: YAML's own scalars and collections, nothing that builds
#: objects (``!!python/...``) or names an application type (``!shell``).
SAFE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)


#: A block mapping key at the start of a line's content: a plain word, or quoted.
_KEY = re.compile(
    r"""("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#"'\[\]{},&*!|>%@`][^#]*?)[ \t]*:(?=\s|$)"""
)
#: A value that opens a block of text: ``|`` or ``>``, perhaps with chomping and indentation.
_BLOCK_TEXT = re.compile(r"[|>][-+0-9]*\s*(#.*)?")
#: A key as content files write them (for "did the user mean a key here?").
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")

ITEM, KEY, TEXT = "list item", "key", "text"

_Found = tuple[int, int, str]
"""A mistake found: its line and column (0-based, in the text parsed) and what to say."""


@dataclass(frozen=True)
class _Line:
    """One line of YAML as its indentation reads: where each entry starts and what it is."""

    number: int
    text: str
    entries: tuple[tuple[int, str], ...]
    """(column, kind) of each entry: a ``-`` (ITEM), a key (KEY) or text (TEXT)."""
    key: str | None = None
    """The key of the line's last entry, when it is one."""
    value: str = ""
    """What follows the key (or the last ``-``) on the line."""
    owner: int | None = None
    """For a line of a ``|`` or ``>`` block: the line of its key."""
    offset: int = 0
    """Lines of the file above the text parsed (front matter's ``---``)."""

    @property
    def shown(self) -> int:
        """The line's number in the file, as messages give it."""
        return self.number + 1 + self.offset

    @property
    def indent(self) -> int:
        return self.entries[0][0]

    def at(self, column: int) -> str | None:
        """The kind of the entry at ``column``, if the line has one there."""
        return next((kind for col, kind in self.entries if col == column), None)

    @property
    def anchor(self) -> int:
        """The column of the line's last key or '-': its text goes on below it, deeper."""
        return max((col for col, kind in self.entries if kind != TEXT), default=self.indent)

    @property
    def opens_block_text(self) -> bool:
        return bool(_BLOCK_TEXT.fullmatch(self.value))


def _read_lines(text: str, offset: int = 0) -> list[_Line | None]:
    """Each line of ``text`` as a _Line; None for a blank line or a comment."""
    result: list[_Line | None] = []
    raws = text.split("\n")
    indents = [len(raw) - len(raw.lstrip(" ")) if raw.strip() else None for raw in raws]
    owner: _Line | None = None  # the key (or '-') whose | or > block the lines are in
    usual = 0  # the indentation of the block's text
    for number, raw in enumerate(raws):
        content = raw.rstrip()
        stripped = content.lstrip(" ")
        indent = len(content) - len(stripped)
        if not stripped:
            result.append(None)
            continue
        if owner is not None and indent > owner.anchor:
            # Text, unless it is less indented than the block's text and reads as a key or an
            # item. The block's text is indented like its first two lines (the lesser, should
            # the first be out of step).
            if not usual:
                firsts = _first_two(indents, number)
                usual = min(i for i in firsts if i > owner.anchor) if firsts else indent
            if indent >= usual or not (_KEY.match(stripped) or stripped[:2] == "- "):
                result.append(
                    _Line(number, raw, ((indent, TEXT),), owner=owner.number, offset=offset)
                )
                continue
        owner, usual = None, 0
        if stripped.startswith("#"):
            result.append(None)
            continue
        entries: list[tuple[int, str]] = []
        column = indent
        while content[column : column + 2] == "- " or content[column:] == "-":
            entries.append((column, ITEM))
            column += 1
            while column < len(content) and content[column] == " ":
                column += 1
        rest = content[column:]
        key = None
        value = rest
        if rest:
            match = _KEY.match(rest)
            if match:
                key = match.group(1)
                value = rest[match.end() :].strip()
                entries.append((column, KEY))
            else:
                entries.append((column, TEXT))
        line = _Line(number, raw, tuple(entries), key, value.strip(), offset=offset)
        if line.opens_block_text:
            owner = line
        result.append(line)
    return result


def _first_two(indents: list[int | None], start: int) -> list[int]:
    """The first two indentations from line ``start`` on (blank lines have none)."""
    found: list[int] = []
    for number in range(start, len(indents)):
        indent = indents[number]
        if indent is not None:
            found.append(indent)
            if len(found) == 2:
                break
    return found


def _previous(lines: list[_Line | None], number: int) -> _Line | None:
    """The nearest line above line ``number`` that is not blank or a comment."""
    for above in range(number - 1, -1, -1):
        if lines[above] is not None:
            return lines[above]
    return None


class _Lookup:
    """For each line, the nearest line above it indented less than (or no more than) a
    column: found in one pass over the file per column, not in one scan per line, so that
    explaining a mistake in a long file takes time in proportion to its length."""

    def __init__(self, lines: list[_Line | None]) -> None:
        self.lines = lines
        self._above: dict[tuple[int, bool], list[_Line | None]] = {}
        self._below: dict[tuple[int, int], set[int]] = {}

    def above(self, number: int, column: int, *, strict: bool) -> _Line | None:
        """The nearest line above line ``number`` indented less than ``column`` (no more than
        ``column`` when not ``strict``)."""
        table = self._above.get((column, strict))
        if table is None:
            table, last = [], None
            for line in self.lines:
                table.append(last)
                if line is not None and (
                    line.indent < column or (not strict and line.indent == column)
                ):
                    last = line
            self._above[(column, strict)] = table
        return table[number]

    def parent(self, line: _Line, column: int) -> _Line | None:
        """The line whose entry holds the entry of ``line`` at ``column``."""
        if line.indent < column:
            return line
        return self.above(line.number, column, strict=True)

    def inside(self, line: _Line, column: int) -> bool:
        """Whether ``line`` (deeper than ``column``) belongs to an entry at ``column`` above it."""
        above = self.above(line.number, column, strict=False)
        if above is None or above.at(column) is None:
            return False
        numbers = self._below.get((above.number, column))
        if numbers is None:
            numbers = {below.number for below in _below(self.lines, above, column)}
            self._below[(above.number, column)] = numbers
        return line.number in numbers


def _indent_step(lines: list[_Line | None], leave_out: set[int]) -> int:
    """How far the file indents a key's mapping below it (2 unless most of it says otherwise),
    judged without the lines in question."""
    steps: dict[int, int] = {}
    previous = None
    for line in lines:
        if line is None or line.owner is not None:
            continue
        if line.number in leave_out:
            previous = None
            continue
        if previous is not None and previous.entries[-1][1] == KEY and not previous.value:
            step = line.indent - previous.entries[-1][0]
            if step > 0:
                steps[step] = steps.get(step, 0) + 1
        previous = line
    return max(steps, key=lambda s: (steps[s], -s)) if steps else 2


def _spaces(n: int) -> str:
    return f"{n} space{'s' * (n != 1)}"


def _out_of_step(lines: list[_Line | None], m: int) -> _Found | None:
    """(line, column, message) of the line whose indentation does not fit, judged around line
    ``m``, where the parser stopped; None when indentation does not explain the error.

    Line ``m`` (column c) does not line up with the entries above it (column a). Either it is
    out of step (it belongs at a), or the entries at a are (they belong at c), or the single
    line that opened the entries at a is (it belongs at c, where the lines before it are):
    the mistake is the one that takes the fewest lines to put right, and on a tie the one
    that leaves the file indented by its usual step.
    """
    here = lines[m]
    if here is None:
        return None
    c, kind = here.entries[0]
    before = [line for line in lines[:m] if line is not None]
    if kind == KEY and before and before[-1].entries[-1] == (c, TEXT):
        found = _missing_colon(lines, before[-1], alone=True)
        if found is not None:
            return found  # "- name value" above a key: the item's first key lacks its colon
    if kind == TEXT and before and before[-1].opens_block_text and before[-1].anchor >= c:
        opener = before[-1]
        name = repr(_short(opener.key)) if opener.key is not None else "the '-'"
        message = (
            f"this text is indented no further than {name} on line {opener.shown}, "
            f"whose text it is: the lines of a block of text ({opener.value[0]}) must be "
            "indented further than its key"
        )
        return m, c, message
    parent = next((line for line in reversed(before) if line.indent < c), None)
    between = before[before.index(parent) + 1 :] if parent is not None else before
    p = max((e for e in parent.entries if e[0] < c), default=None) if parent else None
    inner = sorted(
        {e for line in ([parent] if parent else []) + between for e in line.entries if e[0] > c}
    )
    same = [e for e in inner if e[1] == kind]
    if same:
        a, deeper = same[0], False
    elif p is not None and (p[1] == kind or not inner):
        a, deeper = p, True
    elif inner:
        a, deeper = inner[0], False
    else:
        return None
    if deeper:
        assert parent is not None
        if not between and parent.entries[-1] == a and (not parent.value or parent.key is None):
            return None  # the first line below a key or '-' without a value: its child
        holder = (
            parent
            if parent.indent < a[0]
            else next((line for line in reversed(before) if line.indent < a[0]), None)
        )
    else:
        holder = parent
    q = -1
    if holder is not None:
        q = max(col for col, _ in holder.entries if col < min(a[0], c))
    following = [line for line in lines[(holder.number + 1 if holder else 0) :] if line]
    block = []
    for line in following:
        if line.indent <= q:
            break
        block.append(line)
    if holder is not None and holder.entries[-1][0] > q:
        block.insert(0, holder)

    def moved(line: _Line, column: int, to: int, until: int = len(lines)) -> int:
        """Lines to re-indent when the entry of ``line`` at ``column`` moves to ``to``."""
        below = _below(lines, line, column)
        return 1 + sum(b.indent <= to for b in below if b.number < until)

    lookup = _Lookup(lines)
    run = 0
    for line in block:
        if line.number < m:
            continue
        if line.number > m and line.indent <= c and line.at(c) != kind:
            break
        if line.at(c) == kind:
            run += moved(line, c, a[0])
        elif line.number > m and not lookup.inside(line, c):
            break
    a_lines = [
        line
        for line in block
        if line.at(a[0]) == a[1] and not _held_at(lookup.parent(line, a[0]), c, kind, holder)
    ]
    if not a_lines:
        return None
    costs = {
        "here": run,
        "theirs": sum(moved(line, a[0], c) for line in a_lines),
    }
    opened = p if not deeper else a  # the entry of ``parent`` left of c
    neighbour = None
    if parent is not None and opened is not None and opened[1] == kind:
        # ``parent`` alone belongs at c: the lines before it are there, or it is the first
        # line below its own key.
        neighbour = next(
            (line for line in reversed(before[: before.index(parent)]) if line.indent <= c),
            None,
        )
        if neighbour is not None and (
            neighbour.at(c) == kind
            or neighbour.indent < opened[0]
            or (neighbour.entries[-1] == (opened[0], KEY) and not neighbour.value)
        ):
            costs["opener"] = moved(parent, opened[0], c, until=m)
    head = a_lines[0]
    if (
        not deeper
        and head.entries[-1] == a
        and head.key is not None
        and not head.value
        and len(a_lines) > 1
        and head is block[0 if holder is None or block[0] is not holder else 1]
    ):
        # The first key at a has no value and the rest follow it: it belongs at c, over them.
        costs["first"] = 1
    usual = 0  # the column the entries below ``holder`` usually start in
    if holder is not None:
        leave_out = {m, *(line.number for line in a_lines)}
        usual = q + 2 if holder.at(q) == ITEM else q + _indent_step(lines, leave_out)
    if kind == TEXT:
        # A line no deeper than the key of the block of text is out of the block.
        owner = lines[head.owner] if head.owner is not None else None
        if owner is not None and c <= owner.anchor:
            del costs["theirs"]
    if kind == KEY and any(line.at(c) == ITEM for line in block):
        usual = -1  # a key where the list's '-' are: it is out of step, not they
    order = ["here", "opener", "first", "theirs"]
    if c == usual != a[0]:
        order = ["theirs", "first", "here", "opener"]
    best = min((name for name in order if name in costs), key=lambda n: costs[n])
    if best == "here":
        other = next((line for line in reversed(a_lines) if line.number < m), a_lines[0])
        culprit, column, other_column = here, c, a[0]
    elif best in ("theirs", "first"):
        culprit, column, other, other_column = head, a[0], here, c
    else:
        assert parent is not None and neighbour is not None and opened is not None
        culprit, column = parent, opened[0]
        other, other_column = (neighbour, c) if neighbour.at(c) == kind else (here, c)
    return culprit.number, column, _step_message(lines, culprit, column, other, other_column)


def _opens(line: _Line, column: int) -> bool:
    """Whether the entry at ``column`` of ``line`` has its value on the lines below."""
    if line.at(column) == TEXT:
        return False
    if line.entries[-1][0] != column:
        return True  # a '-' with more on its line: the item goes on below
    return not line.value or line.opens_block_text


def _held_at(parent: _Line | None, c: int, kind: str, holder: _Line | None) -> bool:
    """Whether an entry whose line's ``parent`` holds it belongs to an entry of the kind at c."""
    if parent is None or parent is holder or parent.at(c) != kind:
        return False
    return _opens(parent, c)


def _below(lines: list[_Line | None], line: _Line, column: int) -> list[_Line]:
    """The lines that belong to the entry of ``line`` at ``column``: its block of text, the
    lines of its mapping or list, or the lines its text goes on over."""
    if line.at(column) == TEXT:
        return []
    found = []
    if line.entries[-1][0] == column and line.opens_block_text:
        # The lines of a block of text follow its key, blank lines among them.
        for number in range(line.number + 1, len(lines)):
            below = lines[number]
            if below is not None and below.owner != line.number:
                break
            if below is not None:
                found.append(below)
        return found
    for number in range(line.number + 1, len(lines)):
        below = lines[number]
        if below is None:
            continue
        if below.indent <= column or not (_opens(line, column) or below.entries[0][1] == TEXT):
            break
        found.append(below)
    return found


def _step_message(
    lines: list[_Line | None], culprit: _Line, column: int, other: _Line, other_column: int
) -> str:
    n = column - other_column
    by = f"{_spaces(abs(n))} {'more' if n > 0 else 'less'}"
    kind = culprit.at(column)
    on = f"on line {other.shown}"
    if kind == ITEM and other.at(other_column) == ITEM:
        return (
            f"this list item is indented {by} than the one {on}: "
            "the items of one list must start in the same column"
        )
    if kind == KEY and other.at(other_column) == KEY:
        mine = culprit.key if culprit.entries[-1][0] == column else _key_at(culprit, column)
        theirs = other.key if other.entries[-1][0] == other_column else _key_at(other, other_column)
        return (
            f"{_short(mine or '')!r} is indented {by} than {_short(theirs or '')!r} {on}: "
            "the keys of one mapping must start in the same column"
        )
    owner_number = culprit.owner if culprit.owner is not None else other.owner
    owner = lines[owner_number] if owner_number is not None else None
    if kind == TEXT and owner is not None and owner.key is not None:
        first = next(line for line in lines[owner.number + 1 :] if line is not None)
        if culprit is first:
            return (
                f"the first line of the text of {_short(owner.key)!r} is indented {by} than the "
                f"lines after it ({on}): a block of text takes its indentation from its "
                "first line; indent them alike"
            )
        return (
            f"this line of the text of {_short(owner.key)!r} is indented {by} than line "
            f"{other.shown}: every line of a block of text must be indented at least "
            "as far as its first line"
        )
    return f"this line is indented {by} than line {other.shown}, which it must line up with"


def _key_at(line: _Line, column: int) -> str:
    """The key written at ``column`` of ``line`` (after its '-', say)."""
    match = _KEY.match(line.text.rstrip()[column:])
    return match.group(1) if match else line.text.strip()


def _explain(error: yaml.MarkedYAMLError, text: str, offset: int = 0) -> _Found | None:
    """(line, column, message) of a YAML mistake in plain words, 0-based in ``text``; None
    when PyYAML's own words are all there is to say."""
    problem = error.problem or ""
    context = error.context or ""
    mark, start = error.problem_mark, error.context_mark
    if mark is None:
        return None
    lines = _read_lines(text, offset)
    if mark.line >= len(lines) or (start is not None and start.line >= len(lines)):
        return None  # PyYAML counts lines some other way: its own words, at its mark
    row = text.split("\n")[mark.line]
    if problem.startswith("found character '\\t'"):
        if not row[: mark.column].strip():
            message = "a tab in the indentation: YAML indents with spaces only; use spaces"
        else:
            message = "a tab before a value: YAML separates with spaces only; use a space"
        return mark.line, mark.column, message
    if problem.startswith("found character") and "cannot start any token" in problem:
        char = row[mark.column : mark.column + 1]
        return mark.line, mark.column, f"a value that starts with {char!r} must be in quotes"
    if "quoted scalar" in context and start is not None:
        if "escape" in problem:
            backslash = text.rfind("\\", start.index, mark.index + 1)
            column = mark.column - (mark.index - backslash) if backslash >= 0 else mark.column
            message = (
                "a backslash in a value in double quotes starts an escape such as \\n: write "
                "\\\\ for a backslash, or put the value in single quotes"
            )
            return mark.line, max(column, 0), message
        quote = text[start.index]
        message = (
            f"the quotation mark {quote} that opens this value is never closed: end the value "
            f"with a matching {quote}"
        )
        return start.line, start.column, message
    if "block scalar" in context and start is not None:
        return _block_indicator(lines, text, start)
    if ("alias" in context or "anchor" in context) and start is not None:
        return _alias(lines, text, start)
    if problem == "mapping values are not allowed here":
        return _text_read_as_key(lines, mark.line) or _colon(lines, row, mark.line, mark.column)
    if "simple key" in context and start is not None:
        return _text_read_as_key(lines, start.line) or _no_colon(lines, start.line)
    if problem.startswith(("expected <block end>", "expected '<document start>'")):
        found = _text_read_as_key(lines, mark.line)
        if found is not None:
            return found
        here = lines[mark.line]
        if here is not None and mark.column in [column for column, _ in here.entries]:
            return _out_of_step(lines, mark.line)
        found = _after_quote(text, mark, offset)
        if found is None and here is not None:
            found = _missing_colon(lines, here)
        return found
    return None


def _block_indicator(lines: list[_Line | None], text: str, start: Any) -> _Found | None:
    """A '|' or '>' that YAML takes for the start of a block of text, with more after it."""
    char = text[start.index]
    here = lines[start.line]
    above = [line for line in lines[: start.line] if line is not None]
    if here is not None and here.indent == start.column and len(above) >= 2:
        # A line of text that lost its indentation and ends with ':' reads as a key, and the
        # next line, a table row, as the start of its block of text.
        key, last = above[-1], above[-2]
        if key.key is not None and not key.value and last.entries[0][1] == TEXT:
            retold = list(lines)
            retold[key.number] = _Line(
                key.number, key.text, ((key.indent, TEXT),), offset=key.offset
            )
            found = _out_of_step(retold, key.number)
            if found is not None:
                return found
    message = (
        f"a value that starts with {char!r} must be in quotes: YAML reads {char!r} there as "
        "the start of a block of text on the lines below"
    )
    return start.line, start.column, message


def _alias(lines: list[_Line | None], text: str, start: Any) -> _Found | None:
    """A '*' or '&' that starts a value (Markdown's emphasis, say): YAML's alias or anchor."""
    here = lines[start.line]
    if here is not None and here.entries[0] == (start.column, TEXT):
        found = _out_of_step(lines, start.line)
        if found is not None:
            return found
    char = text[start.index]
    meaning = "a reference to an anchor" if char == "*" else "an anchor"
    message = f"a value that starts with {char!r} must be in quotes: YAML reads it as {meaning}"
    return start.line, start.column, message


def _text_read_as_key(lines: list[_Line | None], m: int) -> _Found | None:
    """A line of a block of text above line ``m`` that lost its indentation and has a ':' in
    it, so that YAML reads it as a key (a sentence for a key)."""
    for line in reversed(lines[:m]):
        if line is None or line.owner is not None:
            continue
        if line.opens_block_text or (line.key is not None and _WORD.fullmatch(line.key)):
            return None
        if line.key is None or len(line.entries) > 1 or " " not in line.key:
            continue
        above = _previous(lines, line.number)
        if above is None or above.owner is None:
            continue
        owner = lines[above.owner]
        assert owner is not None
        name = repr(_short(owner.key)) if owner.key is not None else "the '-'"
        message = (
            f"this line of the text of {name} is indented no further than {name} (line "
            f"{owner.shown}), so YAML reads it as a key, up to its ':'; indent it like "
            "the rest of the text"
        )
        return line.number, line.indent, message
    return None


def _colon(lines: list[_Line | None], row: str, line: int, column: int) -> _Found | None:
    """A ':' that YAML cannot take for a key's: in a value, or after a line indented too far."""
    here = lines[line]
    if here is None:
        return None
    start = here.entries[-1][0]
    if here.key is not None and here.entries[-1][1] == KEY and column > start + len(here.key):
        # "key: some: value": the second ': ' is in the value.
        if not _WORD.fullmatch(here.key):
            message = (
                "a colon and a space (': ') in a value, which YAML reads as another key: "
                "put the value in quotes"
            )
            return line, column, message
        value = _quote(here.value.split(" #")[0].strip())
        message = (
            f"the value of {_short(here.key)!r} has a colon and a space (': ') in it, which YAML "
            f"reads as another key: put the value in quotes, {_short(here.key)}: {_short(value)}"
        )
        return line, column, message
    # The line goes on a value that started above it: a key indented too far, a key above
    # it without its colon, or text.
    word = row[start:column].strip()
    before = [item for item in lines[:line] if item is not None]
    owner = next((item for item in reversed(before) if item.indent < here.indent), None)
    between = [item for item in before if owner is None or item.number > owner.number]
    if between and between[0].indent == here.indent:
        found = _missing_colon(lines, between[0], alone=True)
        if found is not None:
            return found
    if owner is not None and (between or not _WORD.fullmatch(word)):
        name = owner.key or "the value"
        message = (
            f"the text of {_short(name)!r} (from line {owner.shown}) goes on over several lines "
            "and has a colon and a space (': ') here, which YAML reads as a key: put the text "
            f"in quotes, or write it as a block of text ({name}: | and the text on the lines "
            "below)"
        )
        return line, column, message
    return _out_of_step(lines, line)


def _no_colon(lines: list[_Line | None], line: int) -> _Found | None:
    """A line YAML wanted to read as a key, but it has no ':' after its first words."""
    here = lines[line]
    if here is None:
        return None
    above = _previous(lines, line)
    if above is None or not above.opens_block_text:
        found = _missing_colon(lines, here)
        if found is not None:
            return found
    if here.entries[-1][1] == TEXT:
        found = _out_of_step(lines, line)
        if found is not None:
            return found
    found = _missing_colon(lines, here, alone=True)
    if found is not None:
        return found
    message = "this line is no 'key: value' and no list item ('- '): a key needs a ': ' after it"
    return line, here.entries[-1][0], message


def _missing_colon(lines: list[_Line | None], here: _Line, *, alone: bool = False) -> _Found | None:
    """``key value`` for ``key: value``, on a line that lines up with keys (or ``alone``)."""
    column, kind = here.entries[-1]
    word, _, rest = here.text.rstrip()[column:].partition(" ")
    if not (kind == TEXT or (kind == KEY and here.key and " " in here.key)):
        return None
    if not _WORD.fullmatch(word) or not rest.strip():
        return None
    around = [line for line in lines if line is not None]
    at = around.index(here)
    if 0 < at < len(around) - 1:
        above, below = around[at - 1], around[at + 1]
        if above.owner is not None and below.entries[0][1] == TEXT and below.indent > column:
            return None  # a line of a block of text, no further right than the block's key
    structure = [line for line in lines if line is not None and line.owner is None]
    at = structure.index(here)
    left = next((line for line in reversed(structure[:at]) if line.indent <= column), None)
    right = next((line for line in structure[at + 1 :] if line.indent <= column), None)
    if not alone and not any(line and line.at(column) == KEY for line in (left, right)):
        return None
    return (
        here.number,
        column,
        f"{_short(word)!r} needs a colon after it: write {_short(word)}: {_short(rest.strip())}",
    )


def _after_quote(text: str, mark: Any, offset: int) -> _Found | None:
    """Text after a quoted value: a quote left open above, or text after the closing one."""
    last = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= mark.index:
                break
            last = token
    except yaml.YAMLError:
        pass
    if not (isinstance(last, yaml.ScalarToken) and last.style in ('"', "'")):
        return None
    quote = last.style
    if last.start_mark.line < last.end_mark.line:
        closing = last.end_mark.line + 1 + offset
        message = (
            f"the quotation mark {quote} that opens this value is not closed on its line: YAML "
            f"reads on to the next {quote}, on line {closing}; end the value with a matching "
            f"{quote}"
        )
        return last.start_mark.line, last.start_mark.column, message
    inner = '\\"' if quote == '"' else "''"
    message = (
        f"text after the closing {quote} of a value in quotes: to put a {quote} inside the "
        f"value, write it {inner}, or quote the value with the other quotation mark"
    )
    return mark.line, mark.column, message


def _short(text: str, length: int = 200) -> str:
    """``text`` cut to about ``length`` characters for a message (a key or value may be a
    whole line of a megabyte)."""
    return text if len(text) <= length else text[: length - 3] + "..."


def _quote(value: str) -> str:
    """``value`` in quotes as YAML reads it back."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _yaml_problem(error: yaml.MarkedYAMLError, path: Path, line_offset: int, text: str) -> Problem:
    """PyYAML's error in plain words at the mistake (which may be above PyYAML's mark); else
    PyYAML's own words at its mark, or where an unfinished construct began."""
    explained = _explain(error, text, line_offset)
    if explained is not None:
        line, column, message = explained
        where = SourceLocation(path, line + 1 + line_offset, column + 1)
        return Problem(where, f"invalid YAML: {message}")
    problem = (error.problem or "invalid YAML").strip()
    mark, context = error.problem_mark, error.context_mark
    at_end = mark is not None and mark.index >= len(text.rstrip())
    if error.context and context is not None and (at_end or mark is None):
        where = _mark(path, context, line_offset)
        return Problem(where, f"invalid YAML: {problem} {error.context.strip()} that starts here")
    if mark is None:
        return Problem(SourceLocation(path, 1 + line_offset, 1), f"invalid YAML: {problem}")
    if error.context:
        problem = f"{problem} ({error.context.strip()})"
    return Problem(_mark(path, mark, line_offset), f"invalid YAML: {problem}")


class _TooDeep(Exception):
    """A value nested deeper than YAML_DEPTH allows, at its mark."""

    def __init__(self, mark: Any, depth: int) -> None:
        super().__init__(depth)
        self.mark = mark
        self.depth = depth


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a value nested too deep before recursing into it (its
    composer recurses once a level: thousands of levels end in RecursionError)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > YAML_DEPTH.value:
                raise _TooDeep(self.peek_event().start_mark, self._depth)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _line_of_byte(text: str, offset: int) -> int:
    """The 1-based line of ``text`` that holds its UTF-8 byte ``offset``."""
    return text.encode("utf-8", "surrogatepass")[:offset].count(b"\n") + 1


def check_size(text: str, path: Path, limit: Limit, *, line_offset: int = 0) -> None:
    """Refuse ``text`` longer than ``limit`` (in UTF-8 bytes), at the line that passes it."""
    if len(text) * 4 <= limit.value:
        return  # no UTF-8 encoding of it can be too long
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit.value:
        line = _line_of_byte(text, limit.value) + line_offset
        raise LoadError([limit.problem(SourceLocation(path, line, None), f"{size:,} bytes")])


#: Half of a UTF-16 pair: no character (a "\\ud83d" escape in double quotes makes one).
_SURROGATE = re.compile("[\ud800-\udfff]")
_HALF_PAIR = (
    "a \\uD800-\\uDFFF escape is half of a UTF-16 pair, no character: write the character "
    "itself, or \\U and eight digits for one past U+FFFF (\\U0001F600)"
)
#: Characters YAML takes for line breaks that editors, Markdown and messages do not.
_YAML_BREAKS = re.compile("[\x85\u2028\u2029]")
_BREAK_NAMES = {"\x85": "NEXT LINE", "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR"}


def _check_breaks(text: str, path: Path, line_offset: int) -> None:
    """Refuse the characters YAML reads as line breaks where nothing else sees one: the
    lines YAML counts would no longer be the file's."""
    match = _YAML_BREAKS.search(text)
    if match is None:
        return
    at = match.start()
    line = text.count("\n", 0, at) + 1 + line_offset
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    code = f"U+{ord(match.group()):04X}"
    message = (
        f"invalid YAML: an invisible {_BREAK_NAMES[match.group()]} character ({code}), which "
        f"YAML reads as a line break: remove it (or write \\u{code[2:]} in a value in double "
        "quotes)"
    )
    raise LoadError([Problem(SourceLocation(path, line, column), message)])


def _unreadable(error: yaml.reader.ReaderError, path: Path, line_offset: int, text: str) -> Problem:
    """A character YAML does not allow (a control character, say), where it is."""
    at = error.position if isinstance(error.position, int) else 0
    line = text.count("\n", 0, at) + 1 + line_offset
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    code = error.character if isinstance(error.character, int) else ord(text[at : at + 1] or " ")
    kind = "a control character" if code < 0x20 or 0x7F <= code < 0xA0 else "a character"
    message = f"invalid YAML: {kind} (U+{code:04X}) that YAML does not allow in its text: remove it"
    return Problem(SourceLocation(path, line, column), message)


def parse_yaml(text: str, path: Path, *, line_offset: int = 0) -> tuple[Any, SourceMap]:
    """Parse one YAML document safely into plain data (strings, lists, dicts) and its SourceMap."""
    sources = SourceMap(path)
    check_size(text, path, YAML_BYTES, line_offset=line_offset)
    _check_breaks(text, path, line_offset)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except _TooDeep as deep:
        where = _mark(path, deep.mark, line_offset)
        what = f"a value nested {deep.depth} levels deep"
        raise LoadError([YAML_DEPTH.problem(where, what)]) from None
    except yaml.MarkedYAMLError as error:
        raise LoadError([_yaml_problem(error, path, line_offset, text)]) from None
    except yaml.reader.ReaderError as error:
        raise LoadError([_unreadable(error, path, line_offset, text)]) from None
    except yaml.YAMLError as error:
        raise LoadError([Problem(SourceLocation(path), f"invalid YAML: {error}")]) from None
    if node is None:
        return {}, sources
    problems: list[Problem] = []
    budget = [MAX_NODES, YAML_EXPANDED.value]
    reading: set[int] = set()  # the collections being converted: an alias to one is a loop

    def spend(node: yaml.Node) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            where = _mark(path, node.start_mark, line_offset)
            what = f"more than {MAX_NODES:,} values, each alias counted where it is used"
            limit = dataclasses.replace(YAML_NODES, value=MAX_NODES)
            raise LoadError([limit.problem(where, what)])
        if isinstance(node, yaml.ScalarNode):
            budget[1] -= len(node.value)
            if budget[1] < 0:
                where = _mark(path, node.start_mark, line_offset)
                what = f"more than {YAML_EXPANDED.value:,} characters"
                raise LoadError([YAML_EXPANDED.problem(where, what)])

    def convert(node: yaml.Node, key_path: KeyPath) -> Any:
        spend(node)
        sources.values[key_path] = _mark(path, node.start_mark, line_offset)
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            # A block scalar's text starts on the line after its indicator.
            start = node.start_mark.line + 2 + line_offset
            sources.values[key_path] = SourceLocation(path, start, None)
        if node.tag not in SAFE_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            problems.append(
                Problem(
                    _mark(path, node.start_mark, line_offset),
                    f"YAML tag {clip(tag)} is not supported: content is plain text, lists and "
                    "mappings",
                )
            )
            return None
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:null":
                return None
            if _SURROGATE.search(node.value):
                problems.append(Problem(_mark(path, node.start_mark, line_offset), _HALF_PAIR))
                return None
            return node.value
        if id(node) in reading:
            where = _mark(path, node.start_mark, line_offset)
            raise LoadError(
                [
                    Problem(
                        where, "a value that holds an alias to itself (&name ... *name inside it)"
                    )
                ]
            )
        reading.add(id(node))
        try:
            return convert_collection(node, key_path)
        finally:
            reading.discard(id(node))

    def convert_collection(node: yaml.Node, key_path: KeyPath) -> Any:
        if isinstance(node, yaml.SequenceNode):
            return [convert(child, (*key_path, i)) for i, child in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_location = _mark(path, key_node.start_mark, line_offset)
            spend(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(key_location, "a key must be a plain word"))
                continue
            key = key_node.value
            if _SURROGATE.search(key):
                problems.append(Problem(key_location, _HALF_PAIR))
                continue
            if key in result:
                first = sources.keys[(*key_path, key)]
                problems.append(
                    Problem(
                        key_location,
                        f"duplicate key {clip(key)} (first given on line {first.line})",
                    )
                )
                continue
            sources.keys[(*key_path, key)] = key_location
            result[key] = convert(value_node, (*key_path, key))
        return result

    data = convert(node, ())
    if problems:
        raise LoadError(problems)
    return data, sources


def read_text(path: Path, limit: Limit = MARKDOWN_BYTES) -> str:
    """Read a UTF-8 content file (a byte-order mark is dropped) of at most ``limit`` bytes."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            message = "cannot read: not a file (a folder, a device or a pipe)"
            raise LoadError([Problem(SourceLocation(path), message)])
        with open(path, "rb") as stream:
            data = stream.read(limit.value + len(codecs.BOM_UTF8) + 1)
    except OSError as error:
        raise LoadError([Problem(SourceLocation(path), f"cannot read: {error.strerror}")]) from None
    data = data.removeprefix(codecs.BOM_UTF8)
    if len(data) > limit.value:
        line = data[: limit.value].count(b"\n") + 1
        size = max(info.st_size, len(data))
        raise LoadError(
            [limit.problem(SourceLocation(path, line, None), f"a file of {size:,} bytes")]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise LoadError([_not_utf8(path, data, error.start)]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as text mode reads it


def _not_utf8(path: Path, data: bytes, start: int) -> Problem:
    """Where a file stops being UTF-8 (line and column), and what it looks like instead."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Problem(
            SourceLocation(path, 1, 1), "the file is UTF-16, not UTF-8: save it as UTF-8"
        )
    before = data[:start].decode("utf-8")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    byte = data[start]
    if b"\0" in data:
        message = "the file is not text (it has NUL bytes): content files are UTF-8 text"
    else:
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            message = (
                f"the file is not UTF-8 (byte 0x{byte:02X} here is not UTF-8): save it as UTF-8"
            )
        else:
            char = bytes([byte]).decode("cp1252")
            message = (
                "the file is not UTF-8 (it looks like Windows-1252): save it as UTF-8 (the "
                f"first character that is not UTF-8 is {char!r}, byte 0x{byte:02X})"
            )
    return Problem(SourceLocation(path, line, column), message)


def read_yaml_file(path: Path) -> tuple[Any, SourceMap]:
    """Parse a YAML file whose top level must be a mapping."""
    data, sources = parse_yaml(read_text(path, YAML_BYTES), path)
    if not isinstance(data, dict):
        raise LoadError([Problem(sources.locate(()), "expected a mapping of keys to values")])
    return data, sources


def read_front_matter(path: Path) -> tuple[dict[str, Any], SourceMap, str, int]:
    """Split a Markdown file into its YAML front matter (data, sources), its body, and the
    line the body starts on."""
    text = read_text(path)
    # Lines as Markdown and messages count them: ended by "\n" only (not by a form feed or
    # U+2028, which str.splitlines would also take for line ends).
    lines = [line for line in re.split(r"(?<=\n)", text) if line]
    if not lines or lines[0].rstrip() != "---":
        raise LoadError(
            [
                Problem(
                    SourceLocation(path, 1, 1),
                    "expected YAML front matter: a first line '---', the fields, then '---'",
                )
            ]
        )
    closing = [i for i, line in enumerate(lines) if i and line.rstrip() in ("---", "...")]
    if not closing:
        raise LoadError(
            [Problem(SourceLocation(path, 1, 1), "front matter has no closing '---' line")]
        )
    end = closing[0]
    data, sources = parse_yaml("".join(lines[1:end]), path, line_offset=1)
    if not isinstance(data, dict):
        raise LoadError([Problem(SourceLocation(path, 2, 1), "front matter must be a mapping")])
    return data, sources, "".join(lines[end + 1 :]), end + 2
