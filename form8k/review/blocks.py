"""A rendered document read back as blocks of word tokens, for comparing two versions of it.

A document (the filed HTML, plain or Inline XBRL) becomes a list of ``Block``: a paragraph (any
element holding text: ``p``, ``div``, a heading, a list item), a table row (its cells), a rule
(``hr``) or a page break. A paragraph's text, and each cell's, is a ``Unit``: word tokens, each
remembering the elements it sits in (so that a blackline can write it back with the same look)
and the Inline XBRL fact it is part of. The hidden ``ix:header`` is not read: the cover facts
are compared as facts (``form8k.review.compare``).

Nothing here depends on form8k's own templates: any EDGAR HTML is read the same way, so a change
of template shows in a comparison as a change of the words it prints.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml import html as lxml_html

#: Elements that start a block of their own when they are not inside a table cell or list item.
BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "div",
        "dl",
        "dt",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BOLD_TAGS = frozenset({"b", "strong"})
#: The attributes a blackline keeps of the elements it writes back (ids and titles go: two
#: versions of a document share them, and the print stylesheet's page rules key on them).
KEPT_ATTRIBUTES = ("style", "colspan", "rowspan", "href", "src", "alt", "width", "align", "valign")

#: A word (letters and digits, with the punctuation that joins them: "8,563", "U.S", "year-end",
#: "38%"), or one other character.
TOKEN = re.compile(r"\w(?:[\w'\u2019.,:/&@+\-]*\w)?%?|[^\w\s]")
IMAGE_PREFIX = "\x00img:"
LINE_BREAK = "\n"


@dataclass(frozen=True, eq=False)
class Node:
    """An element a token sits in: enough of it to write it again."""

    side: str
    """Which version it is of: "old" or "new"."""
    uid: int
    tag: str
    attrs: tuple[tuple[str, str], ...]
    block: bool
    """A block element (``div``, ``p``...) rather than an inline one (``b``, ``a``...)."""

    @property
    def key(self) -> tuple[str, int]:
        return (self.side, self.uid)

    def attr(self, name: str) -> str | None:
        return next((value for key, value in self.attrs if key == name), None)

    @property
    def style(self) -> str:
        return self.attr("style") or ""

    @property
    def looks(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """What the element looks like, whichever version it is of."""
        return (self.tag, self.attrs)


@dataclass
class Token:
    """A word, a punctuation mark, a line break or an image, and where it is."""

    text: str
    """The word as printed; ``"\\n"`` for a line break; ``IMAGE_PREFIX`` + digest for an image."""
    space: bool
    """Whether white space follows it."""
    path: tuple[Node, ...]
    """The elements it sits in, outermost first, inside its block (or cell)."""
    fact: str | None = None
    """The id of the Inline XBRL fact it is part of."""
    image: str | None = None
    """For an image, its file name."""
    element: Node | None = None
    """For an image, its ``img`` element."""

    @property
    def is_word(self) -> bool:
        return any(char.isalnum() for char in self.text) and not self.text.startswith(IMAGE_PREFIX)

    @property
    def bold(self) -> bool:
        return any(node.tag in BOLD_TAGS or _is_bold(node.style) for node in self.path)


@dataclass
class Unit:
    """The text of a paragraph or of a cell."""

    tokens: list[Token] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        return [token.text for token in self.tokens]

    @property
    def text(self) -> str:
        return "".join(
            ("[image]" if t.image else t.text) + (" " if t.space else "") for t in self.tokens
        ).strip()

    @property
    def facts(self) -> set[str]:
        return {token.fact for token in self.tokens if token.fact}

    @property
    def word_count(self) -> int:
        return sum(1 for token in self.tokens if token.is_word)

    @property
    def looks(self) -> tuple[object, ...]:
        """How the text is set (its elements' tags and styles), whatever the version."""
        return tuple(tuple(node.looks for node in token.path) for token in self.tokens)


@dataclass
class Cell:
    node: Node
    unit: Unit


@dataclass
class Block:
    """A paragraph, a table row, a rule or a page break."""

    kind: str
    """"text", "row", "rule" or "break"."""
    node: Node | None = None
    unit: Unit = field(default_factory=Unit)
    cells: list[Cell] = field(default_factory=list)
    group: Node | None = None
    """The table of a row, the list of a list item."""
    where: str = ""
    """The part of the document it is in ("Item 2.02", "Exhibit 99.1 > Outlook")."""
    heading: bool = False

    @property
    def key(self) -> str:
        """What must be the same for two blocks to be the same block of text."""
        if self.kind == "text":
            return "t:" + " ".join(self.unit.words)
        if self.kind == "row":
            return "r:" + " | ".join(" ".join(cell.unit.words) for cell in self.cells)
        return "\x00" + self.kind

    @property
    def units(self) -> list[Unit]:
        return [cell.unit for cell in self.cells] if self.kind == "row" else [self.unit]

    @property
    def tokens(self) -> list[Token]:
        return [token for unit in self.units for token in unit.tokens]

    @property
    def words(self) -> list[str]:
        return [token.text for token in self.tokens]

    @property
    def word_count(self) -> int:
        return sum(unit.word_count for unit in self.units)

    @property
    def facts(self) -> set[str]:
        return {fact for unit in self.units for fact in unit.facts}

    @property
    def text(self) -> str:
        return " | ".join(unit.text for unit in self.units)

    @property
    def looks(self) -> tuple[object, ...]:
        cells = tuple((cell.node.looks, cell.unit.looks) for cell in self.cells)
        node = self.node.looks if self.node is not None else None
        group = self.group.looks if self.group is not None else None
        return (node, group, self.unit.looks, cells)


@dataclass
class Document:
    """One rendered document as blocks."""

    name: str
    title: str
    blocks: list[Block]
    images: dict[str, bytes] = field(default_factory=dict)
    """The images it shows, by file name (those found beside it)."""


def read_document(
    name: str, content: bytes, *, side: str, images: Mapping[str, bytes] | None = None
) -> Document:
    """The blocks of the document ``content`` (HTML or XHTML), as version ``side``.

    ``images`` are the files beside it by name: an image is compared by its bytes when they
    are known, by its name otherwise."""
    root = _parse(content)
    reader = _Reader(side, images or {})
    title = root.find(".//title")
    if title is None:
        title = next((e for e in root.iter() if _name(e)[1] == "title"), None)
    body = next((e for e in root.iter() if _name(e)[1] == "body"), root)
    reader.container(body, ())
    text = " ".join((title.text or "").split()) if title is not None else name
    return Document(name, text, reader.blocks, reader.used_images)


def _parse(content: bytes) -> Any:
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        return etree.fromstring(content, parser)
    except etree.XMLSyntaxError:
        return lxml_html.document_fromstring(content)


def _name(element: Any) -> tuple[str, str]:
    """(kind, local name) of an element: kind "ix" for Inline XBRL, "html", or "other"."""
    tag = element.tag
    if not isinstance(tag, str):
        return ("", "")  # a comment or processing instruction
    if tag.startswith("{"):
        namespace, local = tag[1:].split("}", 1)
        kind = "ix" if "inlineXBRL" in namespace else "html" if "xhtml" in namespace else "other"
        return kind, local.lower()
    if ":" in tag:
        prefix, local = tag.split(":", 1)
        return ("ix" if prefix.lower() == "ix" else "other"), local.lower()
    return "html", tag.lower()


def _squeezed(style: str) -> str:
    return re.sub(r"\s+", "", style).lower()


def _hidden(element: Any) -> bool:
    return "display:none" in _squeezed(element.get("style") or "")


def _is_bold(style: str) -> bool:
    return bool(re.search(r"font-weight:(bold|[6-9]00)", _squeezed(style)))


def _page_break(element: Any, where: str) -> bool:
    return f"page-break-{where}:always" in _squeezed(element.get("style") or "")


def _content(element: Any) -> Iterator[Any]:
    """An element's text, children and their tails, in order."""
    if element.text:
        yield element.text
    for child in element:
        yield child
        if child.tail:
            yield child.tail


class _Reader:
    def __init__(self, side: str, images: Mapping[str, bytes]) -> None:
        self.side = side
        self.images = images
        self.used_images: dict[str, bytes] = {}
        self.blocks: list[Block] = []
        self.uid = 0
        self.headings: dict[tuple[str, ...], str] = {}

    def node(self, element: Any, tag: str, block: bool) -> Node:
        self.uid += 1
        attrs = tuple(
            (name, " ".join(str(element.get(name)).split()))
            for name in KEPT_ATTRIBUTES
            if element.get(name) is not None
        )
        return Node(self.side, self.uid, tag, attrs, block)

    # --- blocks -----------------------------------------------------------------------------

    def add(self, block: Block, titles: tuple[str, ...]) -> None:
        if block.kind == "text" and not block.unit.tokens:
            return
        if block.kind == "row" and not block.cells:
            return
        block.heading = block.kind == "text" and _heading(block)
        if block.heading:
            self.headings[titles] = block.unit.text
        block.where = _where(titles, self.headings.get(titles))
        self.blocks.append(block)

    def container(self, element: Any, titles: tuple[str, ...]) -> None:
        _, local = _name(element)
        title = element.get("title")
        if title and local not in ("html", "body"):
            titles = (*titles, " ".join(title.split()))
        if _page_break(element, "before"):
            self.add(Block("break"), titles)
        pending: list[Any] = []

        def flush() -> None:
            if pending:
                unit = self.unit(pending)
                self.add(Block("text", self.node(element, local, True), unit), titles)
                pending.clear()

        for item in _content(element):
            if isinstance(item, str):
                pending.append(item)
                continue
            child_kind, child = _name(item)
            if not child or _hidden(item) or (child_kind == "ix" and child == "header"):
                continue
            if child_kind == "html" and child in BLOCK_TAGS:
                flush()
                self.block(item, child, titles)
            else:
                pending.append(item)
        flush()
        if _page_break(element, "after"):
            self.add(Block("break"), titles)

    def block(self, element: Any, local: str, titles: tuple[str, ...]) -> None:
        if local == "table":
            self.table(element, titles)
        elif local in ("ul", "ol", "dl"):
            self.list(element, local, titles)
        elif local == "hr":
            if _page_break(element, "after") or _page_break(element, "before"):
                self.add(Block("break"), titles)
            else:
                self.add(Block("rule", self.node(element, "hr", True)), titles)
        else:
            self.container(element, titles)

    def table(self, element: Any, titles: tuple[str, ...]) -> None:
        if _page_break(element, "before"):
            self.add(Block("break"), titles)
        table = self.node(element, "table", True)
        for row in _rows(element):
            cells = []
            for cell in row:
                kind, local = _name(cell)
                if kind == "html" and local in ("td", "th") and not _hidden(cell):
                    cells.append(Cell(self.node(cell, local, True), self.unit(_content(cell))))
            self.add(Block("row", self.node(row, "tr", True), cells=cells, group=table), titles)
        if _page_break(element, "after"):
            self.add(Block("break"), titles)

    def list(self, element: Any, local: str, titles: tuple[str, ...]) -> None:
        group = self.node(element, local, True)
        for item in element:
            kind, tag = _name(item)
            if kind == "html" and tag in ("li", "dt", "dd") and not _hidden(item):
                unit = self.unit(_content(item))
                self.add(Block("text", self.node(item, tag, True), unit, group=group), titles)

    # --- text -------------------------------------------------------------------------------

    def unit(self, items: Any) -> Unit:
        unit = Unit()
        for item in items:
            if isinstance(item, str):
                self.text(unit, item, (), None)
            else:
                self.inline(unit, item, (), None)
        return unit

    def inline(self, unit: Unit, element: Any, path: tuple[Node, ...], fact: str | None) -> None:
        kind, local = _name(element)
        if not local or _hidden(element):
            return
        if kind == "ix":
            if local in ("header", "hidden", "references", "resources"):
                return
            if local in ("nonnumeric", "nonfraction"):
                fact = element.get("id") or fact
            inner = path
        elif kind == "other":
            return
        elif local == "br":
            unit.tokens.append(Token(LINE_BREAK, False, path, fact))
            return
        elif local == "img":
            self.image(unit, element, path, fact)
            return
        else:
            block = local in BLOCK_TAGS
            if block and unit.tokens:
                unit.tokens[-1].space = True  # a block inside a cell starts a new line
            inner = (*path, self.node(element, local, block))
        for item in _content(element):
            if isinstance(item, str):
                self.text(unit, item, inner, fact)
            else:
                self.inline(unit, item, inner, fact)
        if kind == "html" and local in BLOCK_TAGS and unit.tokens:
            unit.tokens[-1].space = True

    def image(self, unit: Unit, element: Any, path: tuple[Node, ...], fact: str | None) -> None:
        source = str(element.get("src") or "")
        data = self.images.get(source)
        if data is not None:
            self.used_images[source] = data
            identity = hashlib.sha256(data).hexdigest()[:16]
        else:
            identity = source
        node = self.node(element, "img", False)
        unit.tokens.append(Token(IMAGE_PREFIX + identity, True, path, fact, source, node))

    def text(self, unit: Unit, text: str, path: tuple[Node, ...], fact: str | None) -> None:
        if text[:1].isspace() and unit.tokens:
            unit.tokens[-1].space = True
        for match in TOKEN.finditer(text):
            space = match.end() < len(text) and text[match.end()].isspace()
            unit.tokens.append(Token(match.group(), space, path, fact))


def _rows(table: Any) -> Iterator[Any]:
    for child in table:
        kind, local = _name(child)
        if kind != "html" or _hidden(child):
            continue
        if local == "tr":
            yield child
        elif local in ("thead", "tbody", "tfoot"):
            yield from _rows(child)


def _heading(block: Block) -> bool:
    """A heading: an ``h1``-``h6``, or a short paragraph set in bold throughout."""
    node = block.node
    if node is not None and node.tag in HEADING_TAGS:
        return True
    words = [token for token in block.unit.tokens if token.is_word]
    if not words or len(words) > 20:
        return False
    bold_block = node is not None and _is_bold(node.style)
    return all(bold_block or token.bold for token in words)


def _where(titles: tuple[str, ...], heading: str | None) -> str:
    title = titles[-1] if titles else ""
    if heading:
        heading = " ".join(heading.split())
        heading = heading if len(heading) <= 70 else heading[:67].rstrip() + "..."
        if not title or heading.lower().startswith(title.lower()):
            return heading
        return f"{title} > {heading}"
    return title
