"""A compared document written as HTML that keeps its look, with the blackline's marks.

Each block is written again with its element and ``style`` (the filed HTML carries its whole
look in ``style`` attributes, so the blackline looks like the document): paragraphs, list
items in their lists, rows in their tables. Inserted words are ``<ins class="bl-ins">``,
deleted words ``<del class="bl-del">``, a moved block is set as moved where it is now
(``bl-moved``, with a note where it was), a changed table cell is shaded (``bl-cell``), and a
block holding a changed cover fact is marked and points at the fact in the summary. Every
changed block has a change bar and an anchor ``bl-<document>-<number>`` that the summary links
to. The look of the marks is ``templates/blackline.css``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from form8k.review.blocks import LINE_BREAK, Block, Node, Token
from form8k.review.diff import CellDiff, Entry, Op

#: What a block's status is called in the summary.
STATUS_WORDS = {
    "changed": "changed",
    "inserted": "inserted",
    "deleted": "deleted",
    "moved": "moved",
    "same": "formatting changed",
}


@dataclass
class Change:
    """One line of the summary: a numbered change, where it is and what it is."""

    number: int
    anchor: str
    where: str
    what: str
    excerpt: str


@dataclass
class Marks:
    """The cover facts to mark in a document: fact id -> the fact change's number, by side."""

    new: dict[str, int] = field(default_factory=dict)
    old: dict[str, int] = field(default_factory=dict)


def render_entries(
    entries: Sequence[Entry],
    *,
    prefix: str,
    marks: Marks,
    links: Mapping[str, str],
    image_url: Callable[[str, str], str],
) -> Markup:
    """The blackline of one document: its blocks as HTML.

    ``prefix`` starts every anchor; ``links`` maps the names of the filing's documents to the
    anchors where their blacklines start; ``image_url(side, name)`` is where an image of a
    version is found."""
    writer = _Writer(prefix, marks, links, image_url)
    return writer.write(entries)


def anchor(prefix: str, number: int) -> str:
    return f"{prefix}-{number}"


def changes(entries: Sequence[Entry], prefix: str) -> list[Change]:
    """The summary's lines for a document's changes, in order."""
    found = []
    position = {id(entry): index for index, entry in enumerate(entries)}
    for entry in entries:
        if not entry.number:
            continue
        block = entry.block
        if entry.status == "moved":
            assert entry.partner is not None and entry.partner.old is not None
            was = entry.partner.old.where
            up = position[id(entry.partner)] > position[id(entry)]
            what = f"moved {'up' if up else 'down'}"
            what += f" from {was}" if was and was != block.where else ""
            inner = _counted(entry)
            what += f"; {inner}" if inner else ""
        elif entry.status == "same":
            what = "formatting changed"
        else:
            what = STATUS_WORDS[entry.status]
            if entry.kind == "row":
                what = f"table row {what}"
            elif entry.kind in ("rule", "break"):
                what = {"rule": "rule", "break": "page break"}[entry.kind] + f" {what}"
            if entry.status == "changed":
                what += f": {_counted(entry)}"
                if entry.cells_changed:
                    cells = entry.cells_changed
                    what += f"; {cells} cell{'s' * (cells != 1)}"
            elif entry.status in ("inserted", "deleted") and block.word_count:
                words = block.word_count
                what += f" ({words} word{'s' * (words != 1)})"
        found.append(
            Change(entry.number, anchor(prefix, entry.number), block.where, what, _excerpt(block))
        )
    return found


def _counted(entry: Entry) -> str:
    inserted, deleted = entry.count("ins"), entry.count("del")
    parts = []
    if deleted:
        parts.append(f"{deleted} word{'s' * (deleted != 1)} deleted")
    if inserted:
        parts.append(f"{inserted} word{'s' * (inserted != 1)} inserted")
    return ", ".join(parts)


def _excerpt(block: Block, words: int = 12) -> str:
    text = " ".join(block.text.split())
    parts = text.split(" ")
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")


def _attributes(node: Node, links: Mapping[str, str], extra: Mapping[str, str] = {}) -> str:
    parts = []
    classes = extra.get("class")
    for name, value in node.attrs:
        if name == "href":
            target = links.get(value.split("#")[0])
            if target is None:
                continue  # a link out of the blackline, or to an id it does not keep
            value = f"#{target}"
        elif name == "src":
            continue
        parts.append(f' {name}="{escape(value)}"')
    for name, value in extra.items():
        if name != "class":
            parts.append(f' {name}="{escape(value)}"')
    if classes:
        parts.append(f' class="{escape(classes)}"')
    return "".join(parts)


def _block_part(path: tuple[Node, ...]) -> tuple[Node, ...]:
    last = max((k for k, node in enumerate(path) if node.block), default=-1)
    return path[: last + 1]


def _inline_part(path: tuple[Node, ...]) -> tuple[Node, ...]:
    return path[len(_block_part(path)) :]


class _Writer:
    def __init__(
        self,
        prefix: str,
        marks: Marks,
        links: Mapping[str, str],
        image_url: Callable[[str, str], str],
    ) -> None:
        self.prefix = prefix
        self.marks = marks
        self.links = links
        self.image_url = image_url

    # --- blocks -----------------------------------------------------------------------------

    def write(self, entries: Sequence[Entry]) -> Markup:
        self.position = {id(entry): index for index, entry in enumerate(entries)}
        out: list[str] = []
        group: Node | None = None
        for index, entry in enumerate(entries):
            wanted = self._group(entry, group, entries[index + 1 :])
            if group is not None and (wanted is None or wanted.key != group.key):
                out.append(f"</{group.tag}>")
                group = None
            if wanted is not None and group is None:
                group = wanted
                out.append(f"<{group.tag}{_attributes(group, self.links)}>")
            out.append(self._entry(entry, group))
        if group is not None:
            out.append(f"</{group.tag}>")
        return Markup("\n".join(part for part in out if part))

    def _group(self, entry: Entry, current: Node | None, following: Sequence[Entry]) -> Node | None:
        """The table or list an entry is written in: its own, or for a block of the old
        version, the one of the new version it sits in."""
        if entry.status in ("deleted", "moved-away"):
            own = entry.old.group if entry.old is not None else None
            if own is None:
                return None
            if current is not None and current.tag == own.tag:
                return current
            for after in following:
                if after.new is not None:
                    theirs = after.new.group
                    if theirs is not None and theirs.tag == own.tag:
                        return theirs
                    break
            return own
        return entry.block.group

    def _entry(self, entry: Entry, group: Node | None) -> str:
        block = entry.block
        if entry.status == "moved-away":
            return self._stub(entry, group)
        if block.kind == "break":
            return '<div class="bl-page-break"></div>' if entry.new is not None else ""
        if block.kind == "rule":
            assert block.node is not None
            kind = {"inserted": " bl-rule-ins", "deleted": " bl-rule-del"}.get(entry.status, "")
            extra = {"class": f"bl-rule{kind}"}
            if entry.number:
                extra["id"] = anchor(self.prefix, entry.number)
            return f"<hr{_attributes(block.node, self.links, extra)} />"
        classes = self._classes(entry)
        extra = {"class": " ".join(classes)} if classes else {}
        if entry.number:
            extra["id"] = anchor(self.prefix, entry.number)
        facts = self._facts(block, entry)
        if facts:
            extra["class"] = " ".join([*classes, "bl-fact"])
        assert block.node is not None
        tag = block.node.tag
        if block.kind == "row":
            cells = []
            for position, cell in enumerate(entry.cells):
                label = self._label(entry) if position == 0 else ""
                cells.append(self._cell(entry, cell, label))
            body = "".join(cells)
        else:
            body = self._label(entry) + self._ops(entry.ops, entry) + self._fact_marks(entry.ops)
        return f"<{tag}{_attributes(block.node, self.links, extra)}>{body}</{tag}>"

    def _classes(self, entry: Entry) -> list[str]:
        if entry.status == "same":
            return ["bl-bar", "bl-restyled"] if entry.restyled else []
        return ["bl-bar", f"bl-{entry.status}"]

    def _label(self, entry: Entry) -> str:
        if entry.status != "moved" or entry.partner is None:
            return ""
        stub = entry.partner
        return (
            f'<span class="bl-label" id="{anchor(self.prefix, entry.number)}-to">'
            f"[Moved from {'below' if self._after(stub, entry) else 'above'}]</span> "
        )

    def _after(self, stub: Entry, entry: Entry) -> bool:
        return self.position.get(id(stub), 0) > self.position.get(id(entry), 0)

    def _stub(self, entry: Entry, group: Node | None) -> str:
        destination = entry.partner
        assert destination is not None
        target = anchor(self.prefix, destination.number)
        where = destination.new.where if destination.new is not None else ""
        note = (
            f'<a href="#{target}">[Moved to change {destination.number}'
            f"{escape(f', {where}') if where else ''}]</a>"
        )
        if group is not None and group.tag == "table":
            width = max(len(entry.old.cells), 1) if entry.old is not None else 1
            return f'<tr class="bl-moved-away"><td colspan="{width}">{note}</td></tr>'
        tag = "li" if group is not None and group.tag in ("ul", "ol") else "p"
        return f'<{tag} class="bl-moved-away">{note}</{tag}>'

    def _cell(self, entry: Entry, cell: CellDiff, label: str) -> str:
        classes = []
        if entry.status in ("changed", "moved") and cell.changed:
            classes.append("bl-cell")
        marks = self._fact_marks(cell.ops)
        if marks:
            classes.append("bl-fact")
        extra = {"class": " ".join(classes)} if classes else {}
        tag = cell.node.tag
        body = label + self._ops(cell.ops, entry) + marks
        return f"<{tag}{_attributes(cell.node, self.links, extra)}>{body}</{tag}>"

    # --- cover facts ------------------------------------------------------------------------

    def _facts(self, block: Block, entry: Entry) -> list[int]:
        numbers = set()
        for op in entry.all_ops:
            marks = self.marks.old if op.kind == "del" else self.marks.new
            if op.token.fact and op.token.fact in marks:
                numbers.add(marks[op.token.fact])
        return sorted(numbers)

    def _fact_marks(self, ops: Sequence[Op]) -> str:
        numbers = []
        for op in ops:
            marks = self.marks.old if op.kind == "del" else self.marks.new
            number = marks.get(op.token.fact or "")
            if number is not None and number not in numbers:
                numbers.append(number)
        return "".join(
            f' <a class="bl-fact-mark" href="#bl-fact-{number}">[cover fact {number} changed]</a>'
            for number in numbers
        )

    # --- words ------------------------------------------------------------------------------

    def _ops(self, ops: Sequence[Op], entry: Entry) -> str:
        """Tokens with their elements opened and closed around them, and the marks."""
        paths = _paths(ops)
        kept = "moved" if entry.status == "moved" else None
        out: list[str] = []
        stack: list[Node] = []
        previous: Token | None = None
        space = False
        k = 0
        while k < len(ops):
            kind, path = ops[k].kind, paths[k]
            end = k + 1
            while end < len(ops) and ops[end].kind == kind and _same_path(paths[end], path):
                end += 1
            common = 0
            while (
                common < len(stack) and common < len(path) and stack[common].key == path[common].key
            ):
                common += 1
            for node in reversed(stack[common:]):
                out.append(f"</{node.tag}>")
            del stack[common:]
            if space:  # the space after the last run, outside what it closed
                out.append(" ")
            for node in path[common:]:
                out.append(f"<{node.tag}{_attributes(node, self.links)}>")
                stack.append(node)
            run = ops[k:end]
            if previous is not None and not previous.space:
                switched = kind != "eq" and ops[k - 1].kind not in ("eq", kind)
                if _joins(previous, run[0].token, switched):
                    out.append(" ")
            text = "".join(
                self._token(op.token) + (" " if op.token.space and n < len(run) - 1 else "")
                for n, op in enumerate(run)
            )
            wrapper = {"ins": "ins", "del": "del"}.get(kind)
            if wrapper:
                out.append(f'<{wrapper} class="bl-{kind}">{text}</{wrapper}>')
            elif kept:
                out.append(f'<span class="bl-{kept}">{text}</span>')
            else:
                out.append(text)
            previous = run[-1].token
            space = previous.space and end < len(ops)
            k = end
        for node in reversed(stack):
            out.append(f"</{node.tag}>")
        return "".join(out)

    def _token(self, token: Token) -> str:
        if token.text == LINE_BREAK:
            return "<br />"
        if token.element is not None and token.image is not None:
            node = token.element
            attrs = _attributes(node, self.links)
            url = escape(self.image_url(node.side, token.image))
            return f'<img src="{url}"{attrs} />'
        return str(escape(token.text))


def _same_path(a: tuple[Node, ...], b: tuple[Node, ...]) -> bool:
    return len(a) == len(b) and all(x.key == y.key for x, y in zip(a, b, strict=True))


def _joins(previous: Token, token: Token, switched: bool) -> bool:
    """Whether two tokens written side by side need a space between them: two words would
    run together, or a deletion and its replacement would (both words, or one of them)."""
    if switched:
        return previous.is_word or token.is_word
    return previous.text[-1:].isalnum() and token.text[:1].isalnum()


def _paths(ops: Sequence[Op]) -> list[tuple[Node, ...]]:
    """Each token's elements; a deleted token goes into the new version's block where it was
    (keeping its own bold, italics...), so that it is written beside the words around it."""
    paths: list[tuple[Node, ...]] = []
    for k, op in enumerate(ops):
        path = op.token.path
        if op.kind == "del":
            contexts = _contexts(ops, k)
            looks = [node.looks for node in _inline_part(path)]
            same = next((c for c in contexts if [n.looks for n in _inline_part(c)] == looks), None)
            if same is not None:  # set as the words around it are: in the same elements
                path = same
            elif contexts:
                path = _block_part(contexts[0]) + _inline_part(path)
        paths.append(path)
    return paths


def _contexts(ops: Sequence[Op], k: int) -> list[tuple[Node, ...]]:
    """The paths of the nearest tokens of the new version before and after token ``k``."""
    found = []
    for step in (-1, 1):
        n = k + step
        while 0 <= n < len(ops):
            if ops[n].kind != "del":
                found.append(ops[n].token.path)
                break
            n += step
    return found
