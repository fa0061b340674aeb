"""``form8k import``: a Word document (a press release or another exhibit) as form8k Markdown.

The document is read with mammoth (``.docx`` to simple, semantic HTML: headings, paragraphs,
bold and italics, lists with their numbering, tables, footnotes), and that HTML is written as
form8k's Markdown dialect: footnotes as ``[^1]``, superscripts as ``^x^``, tables as
``table`` fences (spans and line breaks kept). A press release's front matter is found where
it is: the headline (the Title style, the first heading, or the first paragraph set in bold),
the sub-headlines under it, the release time above it ("For Immediate Release"), and the
dateline that opens the first paragraph ("SPRINGFIELD, Ill., March 1, 2024 /PRNewswire/ --"),
which leaves the paragraph. An end mark ("###") becomes ``end_mark``; an "About" section or a
safe-harbor section of the release's own turns the company's boilerplate off; a contacts
paragraph turns the company's contacts off.

What cannot be kept is reported, never dropped without a word: tracked changes that were not
accepted or rejected in Word (the text is imported as if they were accepted: insertions in,
deletions out; each is listed with its author), comments, images, text boxes (their text is
imported where they are anchored), page headers and footers, styles form8k does not know, and
formatting Markdown has no way to say (underlining, strikethrough, colour, highlighting, small
capitals). python-docx reads the document for that report.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from form8k.errors import UsageError

REPORT_SUFFIX = ".import-report.txt"

#: Word's styles that mammoth should turn into elements it does not know by default.
STYLE_MAP = """
p[style-name='Title'] => h1.title:fresh
p[style-name='Subtitle'] => p.subtitle:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
r[style-name='Strong'] => strong
r[style-name='Emphasis'] => em
"""

#: Paragraph styles whose meaning the import keeps (others are imported as plain paragraphs,
#: and named in the report).
KNOWN_STYLES = re.compile(
    r"(Normal|Title|Subtitle|Heading \d|List( Paragraph| Bullet( \d)?| Number( \d)?| Continue"
    r"( \d)?)?|Body Text( \d| Indent( \d)?| First Indent( \d)?)?|Quote|Intense Quote|No Spacing"
    r"|Plain Text|Caption|Table Paragraph|Normal \(Web\)|Footnote Text|Endnote Text)",
    re.I,
)

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\."
)
#: "SPRINGFIELD, Ill., March 1, 2024 /PRNewswire/ --", "NEW YORK (March 1, 2024) -",
#: "BALTIMORE, Md. -- March 1, 2024 --", "AUSTIN, Texas, June 13, 2022 (GLOBE NEWSWIRE) --".
DATELINE = re.compile(
    r"^\s*(?P<city>[A-Z][A-Z.'\u2019&\- ]*[A-Z.](?:,\s*[A-Z][A-Za-z.'\u2019\- ]{0,24}?)?)"
    r"\s*(?:,|\(|(?:--|[\u2013\u2014-])\s)?\s*"
    rf"(?P<date>(?:{MONTHS})\s+\d{{1,2}},\s+\d{{4}})?\)?"
    r"\s*(?:/(?P<wire>[^/\n]{2,40})/|\((?P<wire2>[A-Z][A-Za-z ]{2,40})\))?"
    r"\s*(?:--|[\u2013\u2014]|-)\s*"
)
RELEASE_TIME = re.compile(r"^\s*(for\s+(immediate\s+)?release\b.*|embargoed\b.*)$", re.I)
EXHIBIT_MARKER = re.compile(r"^\s*exhibit\s+\d+(\.\d+)?\s*$", re.I)
NEWS_LABEL = re.compile(r"^\s*(news|press)\s+release\s*$", re.I)
END_MARK = re.compile(r"^\s*(#\s*#\s*#|-\s*#+\s*-|-?\s*30\s*-?|\*\s*\*\s*\*)\s*$")
MORE_MARK = re.compile(r"^\s*-?\s*more\s*-?\s*$", re.I)
CONTACT = re.compile(r"^\s*((investor|media|press)\s+(relations\s+)?)?contacts?\s*:", re.I)
ABOUT = re.compile(r"^\s*about\s+\S", re.I)
SAFE_HARBOR = re.compile(r"forward[- ]looking\s+statements|safe\s+harbor", re.I)
#: Links EDGAR accepts in a filing (others are kept as text).
EDGAR_LINK = re.compile(r"^https?://www\.sec\.gov/Archives/", re.I)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


@dataclass
class Loss:
    """Something of the Word document that the Markdown does not keep as it was."""

    kind: str
    where: str
    detail: str


@dataclass
class Imported:
    """A Word document as form8k Markdown, and what it lost on the way."""

    markdown: str
    kind: str
    """"press-release" or "document" (an exhibit of ``kind: document``)."""
    front: dict[str, Any]
    found: list[str] = field(default_factory=list)
    """What was recognized where ("headline: paragraph 2")."""
    losses: list[Loss] = field(default_factory=list)

    @property
    def tracked_changes(self) -> list[Loss]:
        return [loss for loss in self.losses if loss.kind == "tracked change"]


# --- reading --------------------------------------------------------------------------------


def import_docx(source: Path | bytes, *, kind: str = "auto") -> Imported:
    """The Word document ``source`` (a path or its bytes) as Markdown with front matter.

    ``kind``: "press-release", "document" or "auto" (a press release when a dateline opens a
    paragraph near the top)."""
    import mammoth
    from lxml import html as lxml_html

    data = source if isinstance(source, bytes) else _read(source)
    name = "the document" if isinstance(source, bytes) else str(source)
    if not data.startswith(b"PK"):
        raise UsageError(f"{name}: not a Word document (.docx)")
    images: list[str] = []

    def image(picture: Any) -> dict[str, str]:
        images.append(picture.alt_text or "")
        return {"src": f"form8k-image:{len(images)}", "alt": picture.alt_text or ""}

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(image),
            ignore_empty_paragraphs=True,
        )
    except Exception as error:  # a damaged file: mammoth raises whatever its parser met
        raise UsageError(f"{name}: cannot be read as a Word document: {error}") from None
    losses = inspect_docx(data)
    losses += _messages(result.messages)
    root = lxml_html.fromstring(f"<div>{result.value}</div>")
    writer = _Markdown(losses)
    blocks, notes = writer.blocks(root)
    imported = _front_matter(blocks, kind, losses)
    body = "\n\n".join(
        "\n".join(line.rstrip() for line in block.markdown.splitlines()) for block in imported.body
    )
    if notes:
        body += "\n\n" + "\n".join(notes)
    front = yaml.safe_dump(
        imported.front, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    markdown = f"---\n{front}---\n{body.strip()}\n"
    return Imported(markdown, imported.kind, imported.front, imported.found, losses)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror or error}") from None


def _messages(messages: list[Any]) -> list[Loss]:
    found = []
    for message in messages:
        text = str(message.message)
        if "was referenced but not defined" in text or "Unrecognised run style" in text:
            continue  # Word's own comment styles, python-docx's templates: nothing lost
        match = re.match(r"Unrecognised paragraph style: (?P<name>.*?) \(Style ID", text)
        if match:
            name = match["name"]
            if KNOWN_STYLES.fullmatch(name):
                continue
            found.append(
                Loss("style", f"style {name!r}", "imported as ordinary paragraphs (no look)")
            )
            continue
        found.append(Loss("converter", "", text))
    return found


# --- the report of what cannot be kept ----------------------------------------------------------


def inspect_docx(data: bytes) -> list[Loss]:
    """What of the document Markdown cannot keep, where it is: read with python-docx."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    paragraphs = [p for p in body.iter(_w("p")) if not _in_textbox(p) and not _in_table(p)]
    number = {id(p): n for n, p in enumerate(paragraphs, start=1)}
    losses: list[Loss] = []
    losses += _tracked(body, number, "")
    for rel in document.part.rels.values():
        if rel.is_external or rel.reltype not in (RT.FOOTNOTES, RT.ENDNOTES):
            continue
        from lxml import etree

        notes = etree.fromstring(rel.target_part.blob)
        label = "footnotes" if rel.reltype == RT.FOOTNOTES else "endnotes"
        losses += _tracked(notes, {}, f"in the {label}")
    losses += _comments(document, body, number)
    losses += _drawings(body, number)
    losses += _text_boxes(body, number)
    losses += _headers(document)
    losses += _formatting(body, number)
    losses += _styles(document)
    return losses


def _in_textbox(element: Any) -> bool:
    return any(parent.tag == _w("txbxContent") for parent in element.iterancestors())


def _in_table(element: Any) -> bool:
    return any(parent.tag == _w("tbl") for parent in element.iterancestors())


def _text(element: Any) -> str:
    """The text of an element as it reads now (deleted text left out)."""
    parts = []
    for node in element.iter(_w("t"), _w("tab"), _w("br")):
        if any(parent.tag in (_w("del"), _w("moveFrom")) for parent in node.iterancestors()):
            continue
        parts.append(node.text or "" if node.tag == _w("t") else " ")
    return " ".join("".join(parts).split())


def _deleted_text(element: Any) -> str:
    return " ".join("".join(node.text or "" for node in element.iter(_w("delText"))).split())


def _where(element: Any, number: dict[int, int], prefix: str = "") -> str:
    paragraph = element if element.tag == _w("p") else next(element.iterancestors(_w("p")), None)
    if paragraph is None:
        return prefix or "the document"
    n = number.get(id(paragraph))
    words = _text(paragraph).split()
    opening = " ".join(words[:8]) + (" ..." if len(words) > 8 else "")
    place = f"paragraph {n}" if n else "a table cell" if _in_table(paragraph) else "a paragraph"
    place = f"{place} {prefix}".strip()
    return f'{place} ("{opening}")' if opening else place


def _tracked(root: Any, number: dict[int, int], prefix: str) -> list[Loss]:
    found = []
    kinds = {
        _w("ins"): ("insertion", "kept"),
        _w("del"): ("deletion", "left out"),
        _w("moveTo"): ("move (new place)", "kept"),
        _w("moveFrom"): ("move (old place)", "left out"),
    }
    for element in root.iter(*kinds):
        if element.tag == _w("ins") and element.getparent().tag == _w("rPr"):
            continue  # a paragraph mark inserted: no text
        what, done = kinds[element.tag]
        text = (
            _deleted_text(element)
            if element.tag in (_w("del"), _w("moveFrom"))
            else (_text(element))
        )
        if not text:
            continue
        who = element.get(_w("author")) or "unknown author"
        when = (element.get(_w("date")) or "")[:10]
        detail = f'{what} by {who}{f" on {when}" if when else ""}: "{text}" ({done})'
        found.append(Loss("tracked change", _where(element, number, prefix), detail))
    changes = sum(1 for _ in root.iter(_w("rPrChange"), _w("pPrChange")))
    if changes:
        found.append(
            Loss(
                "tracked change",
                prefix or "the document",
                f"{changes} tracked formatting change{'s' * (changes != 1)}: imported as "
                "formatted now",
            )
        )
    return found


def _comments(document: Any, body: Any, number: dict[int, int]) -> list[Loss]:
    found = []
    anchors = {
        element.get(_w("id")): element
        for element in body.iter(_w("commentRangeStart"), _w("commentReference"))
    }
    try:
        comments = list(document.comments)
    except Exception:  # a document without a comments part, or an older python-docx
        comments = []
    for comment in comments:
        anchor = anchors.get(str(comment.comment_id))
        where = _where(anchor, number) if anchor is not None else "the document"
        author = comment.author or "unknown author"
        text = " ".join(comment.text.split())
        found.append(Loss("comment", where, f'by {author}: "{text}" (not imported)'))
    return found


def _drawings(body: Any, number: dict[int, int]) -> list[Loss]:
    found = []
    for drawing in body.iter(_w("drawing"), _w("pict")):
        if any(True for _ in drawing.iter(_w("txbxContent"))):
            continue  # a text box, reported as one
        if any(parent.tag == f"{{{MC}}}Fallback" for parent in drawing.iterancestors()):
            continue  # the same picture again, for older readers
        described = next(drawing.iter(f"{{{WP}}}docPr"), None)
        name = ""
        if described is not None:
            name = described.get("descr") or described.get("name") or ""
        detail = f"image{f' ({name})' if name else ''}: not imported (EDGAR takes only .jpg and "
        detail += ".gif graphics, listed as GRAPHIC documents: add it to the filing by hand)"
        found.append(Loss("image", _where(drawing, number), detail))
    return found


def _text_boxes(body: Any, number: dict[int, int]) -> list[Loss]:
    found = []
    for box in body.iter(_w("txbxContent")):
        if any(parent.tag == f"{{{MC}}}Choice" for parent in box.iterancestors()):
            continue  # the same box is in the fallback mammoth reads
        text = _text(box)
        shown = " ".join(text.split()[:10]) + (" ..." if len(text.split()) > 10 else "")
        found.append(
            Loss(
                "text box",
                _where(box.getparent(), number),
                f'"{shown}": its text is imported as paragraphs where the box is anchored '
                "(check its place)",
            )
        )
    return found


def _headers(document: Any) -> list[Loss]:
    found = []
    seen: set[str] = set()
    for section in document.sections:
        for label, part in (
            ("page header", section.header),
            ("page footer", section.footer),
            ("first-page header", section.first_page_header),
            ("first-page footer", section.first_page_footer),
        ):
            try:
                if part.is_linked_to_previous:
                    continue
                text = " ".join(" ".join(p.text for p in part.paragraphs).split())
            except Exception:  # a header part python-docx cannot read
                continue
            if text and text not in seen:
                seen.add(text)
                found.append(Loss("header/footer", label, f'"{text}": not imported'))
    return found


#: Run formatting Markdown cannot say: element -> what it is called.
FORMATTING = {
    "u": "underlining",
    "strike": "strikethrough",
    "dstrike": "double strikethrough",
    "highlight": "highlighting",
    "color": "font colour",
    "smallCaps": "small capitals",
    "caps": "all capitals (the text is imported as typed, not in capitals)",
    "shd": "shading",
}


def _formatting(body: Any, number: dict[int, int]) -> list[Loss]:
    counts: dict[str, list[Any]] = {}
    for properties in body.iter(_w("rPr")):
        if properties.getparent().tag != _w("r"):
            continue
        run = properties.getparent()
        if not _text(run):
            continue
        for name, label in FORMATTING.items():
            element = properties.find(_w(name))
            if element is None:
                continue
            value = element.get(_w("val"))
            if value in ("none", "false", "0", "auto") or (name == "color" and value == "000000"):
                continue
            counts.setdefault(label, []).append(run)
    found = []
    for label, runs in counts.items():
        first = runs[0]
        detail = f'{label} on {len(runs)} run{"s" * (len(runs) != 1)} (first: "{_text(first)}")'
        found.append(Loss("formatting", _where(first, number), detail + ": not kept"))
    breaks = sum(1 for b in body.iter(_w("br")) if b.get(_w("type")) == "page")
    if breaks:
        found.append(
            Loss(
                "formatting",
                "the document",
                f"{breaks} page break{'s' * (breaks != 1)}: not kept (the PDF makes its own "
                "pages; ```table page-break starts a table on a new page)",
            )
        )
    return found


def _styles(document: Any) -> list[Loss]:
    used: dict[str, int] = {}
    for paragraph in document.paragraphs:
        try:
            name = paragraph.style.name if paragraph.style is not None else "Normal"
        except (KeyError, AttributeError):
            continue
        if name and not KNOWN_STYLES.fullmatch(name):
            used[name] = used.get(name, 0) + 1
    return [
        Loss(
            "style",
            f"style {name!r}",
            f"{count} paragraph{'s' * (count != 1)}: imported as ordinary paragraphs",
        )
        for name, count in used.items()
    ]


# --- HTML to Markdown -------------------------------------------------------------------------


@dataclass
class _Block:
    kind: str
    """"heading", "title", "subtitle", "p", "list", "table", "quote", "rule"."""
    markdown: str
    text: str
    element: Any = None
    level: int = 0
    bold: bool = False
    italic: bool = False


class _Markdown:
    """mammoth's HTML as form8k Markdown."""

    def __init__(self, losses: list[Loss]) -> None:
        self.losses = losses
        self.notes: dict[str, str] = {}
        """mammoth's note id -> the note's Markdown label number."""

    def blocks(self, root: Any) -> tuple[list[_Block], list[str]]:
        blocks: list[_Block] = []
        notes: list[str] = []
        for element in root:
            tag = element.tag
            if tag == "ol" and _is_notes(element):
                notes += self.footnotes(element)
                continue
            block = self.block(element)
            if block is not None:
                blocks.append(block)
        return blocks, notes

    def block(self, element: Any) -> _Block | None:
        tag = element.tag
        text = " ".join(element.text_content().split())
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            level = int(tag[1])
            inline = self.inline(element)
            if "title" in (element.get("class") or ""):
                return _Block("title", inline, text, element, level)
            return _Block("heading", f"{'#' * level} {inline}", text, element, level)
        if tag == "p":
            inline = self.inline(element)
            if not inline.strip():
                return None
            kind = "subtitle" if "subtitle" in (element.get("class") or "") else "p"
            bold, italic = _emphasis(element)
            return _Block(kind, _escape_start(inline), text, element, bold=bold, italic=italic)
        if tag in ("ul", "ol"):
            return _Block("list", "\n".join(self.items(element, 0)), text, element)
        if tag == "table":
            return _Block("table", self.table(element), text, element)
        if tag == "blockquote":
            inner = [self.block(child) for child in element]
            lines = "\n>\n".join(
                "\n".join(f"> {line}" for line in b.markdown.splitlines()) for b in inner if b
            )
            return _Block("quote", lines, text, element) if lines else None
        if tag == "hr":
            return _Block("rule", "---", "", element)
        inline = self.inline(element)
        return _Block("p", _escape_start(inline), text, element) if inline.strip() else None

    # lists, tables, notes ------------------------------------------------------------------

    def items(self, element: Any, depth: int) -> list[str]:
        lines = []
        ordered = element.tag == "ol"
        for number, item in enumerate((c for c in element if c.tag == "li"), start=1):
            marker = f"{number}." if ordered else "-"
            indent = "   " * depth if ordered else "  " * depth
            nested = [child for child in item if child.tag in ("ul", "ol")]
            for child in nested:
                item.remove(child)
            text = " ".join(
                self.inline(child) if child.tag == "p" else "" for child in item if child.tag == "p"
            )
            if not text:
                text = self.inline(item)
            lines.append(f"{indent}{marker} {text.strip()}")
            for child in nested:
                lines += self.items(child, depth + 1)
        return lines

    def table(self, element: Any) -> str:
        rows = [row for row in element.iter("tr")]
        grid: list[list[tuple[str, int]]] = []
        header_rows = 0
        for row in rows:
            cells = []
            for cell in row:
                if cell.tag not in ("td", "th"):
                    continue
                paragraphs = [c for c in cell if c.tag == "p"]
                if paragraphs:
                    text = " \\ ".join(self.inline(p, cell=True) for p in paragraphs)
                else:
                    text = self.inline(cell, cell=True)
                span = int(cell.get("colspan") or 1)
                cells.append((text.strip(), max(span, 1)))
            grid.append(cells)
            if (
                all(c.tag == "th" for c in row if c.tag in ("td", "th"))
                and header_rows == len(grid) - 1
            ):
                header_rows += 1
        width = max((sum(span for _, span in cells) for cells in grid), default=1)
        if header_rows == 0 and len(grid) > 1 and _looks_like_header(grid):
            header_rows = 1
        align = []
        for column in range(width):
            values = [_cell_at(cells, column) for cells in grid[header_rows:]]
            numeric = [v for v in values if v]
            right = numeric and sum(1 for v in numeric if _numeric(v)) * 2 > len(numeric)
            align.append("--:" if right else ":--")
        lines = ["```table"]
        for index, cells in enumerate(grid):
            if index == header_rows:
                lines.append("|" + "|".join(align) + "|")
            lines.append(_row(cells, width))
        if header_rows == len(grid):
            lines.append("|" + "|".join(align) + "|")
        lines.append("```")
        return "\n".join(lines)

    def footnotes(self, element: Any) -> list[str]:
        lines = []
        for item in element:
            if item.tag != "li":
                continue
            label = self.notes.get(item.get("id") or "")
            if label is None:
                continue
            for anchor in item.iter("a"):
                if (anchor.get("href") or "").startswith(("#footnote-ref", "#endnote-ref")):
                    anchor.drop_tree()
            text = " ".join(self.inline(p) for p in item if p.tag == "p") or self.inline(item)
            lines.append(f"[^{label}]: {text.strip()}")
        return lines

    # inline ----------------------------------------------------------------------------------

    def inline(self, element: Any, *, cell: bool = False) -> str:
        parts: list[str] = [_escape(element.text or "", cell)]
        for child in element:
            parts.append(self.span(child, cell))
            parts.append(_escape(child.tail or "", cell))
        return re.sub(r"[ \t]+", " ", "".join(parts))

    def span(self, element: Any, cell: bool) -> str:
        tag = element.tag
        if tag == "br":
            return " \\ " if cell else "\\\n"
        if tag == "img":
            return ""  # reported from the document itself
        if tag == "a":
            href = element.get("href") or ""
            if href.startswith(("#footnote-", "#endnote-")) and not href.startswith(
                ("#footnote-ref", "#endnote-ref")
            ):
                label = self.notes.setdefault(href[1:], str(len(self.notes) + 1))
                return f"[^{label}]"
            text = self.inline(element, cell=cell)
            if href.startswith("#") or not href:
                return text
            if EDGAR_LINK.match(href):
                return f"[{text}]({href})"
            self.losses.append(
                Loss(
                    "hyperlink",
                    f'"{element.text_content().strip()}"',
                    f"link to {href}: kept as text (EDGAR accepts links only to its own archives)",
                )
            )
            return text
        if tag == "sup":
            anchors = list(element.iter("a"))
            note = anchors[0] if len(anchors) == 1 else None
            if note is not None and (note.get("href") or "").startswith(
                ("#footnote-", "#endnote-")
            ):
                return self.span(note, cell)
            return _wrap(self.inline(element, cell=cell), "^", tight=True)
        if tag == "sub":
            return _wrap(self.inline(element, cell=cell), "~", tight=True)
        if tag in ("strong", "b"):
            return _wrap(self.inline(element, cell=cell), "**")
        if tag in ("em", "i"):
            return _wrap(self.inline(element, cell=cell), "*")
        if tag in ("s", "del", "strike"):
            return self.inline(element, cell=cell)  # reported as formatting
        return self.inline(element, cell=cell)


def _is_notes(element: Any) -> bool:
    items = [child for child in element if child.tag == "li"]
    return bool(items) and all(
        (item.get("id") or "").startswith(("footnote-", "endnote-")) for item in items
    )


def _emphasis(element: Any) -> tuple[bool, bool]:
    """Whether all of a paragraph's text is bold, italic."""
    text = "".join(element.text_content().split())
    if not text:
        return False, False
    bold = "".join("".join(e.text_content().split()) for e in element.iter("strong", "b"))
    italic = "".join("".join(e.text_content().split()) for e in element.iter("em", "i"))
    return len(bold) >= len(text), len(italic) >= len(text)


def _wrap(text: str, mark: str, *, tight: bool = False) -> str:
    """``text`` between ``mark``s, its outer spaces outside them."""
    stripped = text.strip()
    if not stripped:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    if tight:
        stripped = stripped.replace(" ", "\\ ")
    return f"{lead}{mark}{stripped}{mark}{trail}"


_SPECIAL = re.compile(r"([\\`*_\[\]^~])")


def _escape(text: str, cell: bool = False) -> str:
    text = _SPECIAL.sub(r"\\\1", text.replace("\u00a0", " ").replace("\t", " "))
    if cell:
        text = text.replace("|", "\\|")
    return text.replace("\n", " ")


def _escape_start(text: str) -> str:
    """A paragraph that would start a Markdown construct ("# ", "- ", "1. ", "> ") does not."""
    stripped = text.lstrip()
    if re.match(r"(#{1,6}\s|[-+]\s|\d+[.)]\s|>|={3,}|-{3,})", stripped):
        match = re.match(r"\d+", stripped)
        if match:
            return stripped[: match.end()] + "\\" + stripped[match.end() :]
        return "\\" + stripped
    return stripped


def _cell_at(cells: list[tuple[str, int]], column: int) -> str:
    position = 0
    for text, span in cells:
        if position == column:
            return text if span == 1 else ""
        position += span
        if position > column:
            return ""
    return ""


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[\s$€£(\-\u2013\u2014]*[\d.,]+[)%\s]*|[\u2013\u2014-]+", text))


def _looks_like_header(grid: list[list[tuple[str, int]]]) -> bool:
    """A first row with an empty first cell over columns that all have a heading."""
    first = grid[0]
    if len(first) < 2 or first[0][0]:
        return False
    return all(text for text, _ in first[1:])


def _row(cells: list[tuple[str, int]], width: int) -> str:
    parts = []
    used = 0
    for text, span in cells:
        parts.append(f" {text} " if text else " ")
        parts += [""] * (span - 1)
        used += span
    parts += [" "] * (width - used)
    # An empty first cell must not read as a span ("||"): it has its space.
    return "|" + "|".join(parts) + "|"


# --- front matter -----------------------------------------------------------------------------


@dataclass
class _Front:
    kind: str
    front: dict[str, Any]
    body: list[_Block]
    found: list[str]


def _front_matter(blocks: list[_Block], kind: str, losses: list[Loss]) -> _Front:
    found: list[str] = []
    front: dict[str, Any] = {}
    blocks = list(blocks)
    # What closes the release: an end mark, "-more-" lines.
    end_mark = None
    for block in list(blocks):
        if block.kind == "p" and MORE_MARK.match(block.text):
            blocks.remove(block)
            found.append(
                f'"{block.text}" (a page-continuation line): left out, the PDF prints its own'
            )
        elif block.kind == "p" and END_MARK.match(block.text) and end_mark is None:
            end_mark = block.text.strip()
            blocks.remove(block)
    top = 0
    leading: list[_Block] = []
    release_time = None
    while top < len(blocks) and top < 8:
        block = blocks[top]
        if block.kind == "p" and RELEASE_TIME.match(block.text) and len(block.text) < 80:
            release_time = block.text.strip()
        elif block.kind == "p" and EXHIBIT_MARKER.match(block.text):
            found.append(f'"{block.text}": left out (the exhibit number prints from filing.yaml)')
        elif block.kind == "p" and NEWS_LABEL.match(block.text):
            found.append(f'"{block.text}": left out')
        else:
            break
        top += 1
    headline_at = _headline(blocks, top)
    dateline_at, dateline = None, None
    if headline_at is not None:
        leading = blocks[top:headline_at]
        for offset in range(headline_at + 1, min(headline_at + 6, len(blocks))):
            block = blocks[offset]
            if block.kind != "p":
                continue
            match = DATELINE.match(block.element.text_content())
            if match and (match["date"] or match["wire"] or match["wire2"] or _caps(match)):
                dateline_at, dateline = offset, match
                break
            if not (block.bold or block.italic or block.kind == "subtitle"):
                break
    release = kind == "press-release" or (kind == "auto" and dateline is not None)
    if not release:
        return _document(blocks, end_mark, found)
    if headline_at is None:
        raise UsageError(
            "no headline found: a press release's headline is its first heading or "
            "its first paragraph set in bold (or import it with --kind document)"
        )
    headline = blocks[headline_at]
    front["headline"] = _plain(headline.text)
    how = {"title": "Title style", "heading": "heading"}.get(headline.kind, "bold paragraph")
    found.append(f"headline: paragraph {headline_at + 1} ({how})")
    stop = dateline_at if dateline_at is not None else headline_at + 1
    subheadlines = [
        _plain(b.text)
        for b in blocks[headline_at + 1 : stop]
        if b.kind in ("subtitle", "heading", "p") and len(b.text.split()) <= 60
    ]
    if len(subheadlines) == 1:
        front["subheadline"] = subheadlines[0]
    elif subheadlines:
        front["subheadlines"] = subheadlines
    if subheadlines:
        found.append(
            f"sub-headline{'s' * (len(subheadlines) != 1)}: paragraph"
            f"{'s' * (len(subheadlines) != 1)} {headline_at + 2}"
            + (f"-{stop}" if len(subheadlines) > 1 else "")
        )
    body = blocks[stop:]
    if dateline is not None and dateline_at is not None:
        front["dateline"] = _dateline(dateline)
        first = blocks[dateline_at]
        _drop_prefix(first, dateline.end())
        found.append(f'dateline: paragraph {dateline_at + 1} ("{dateline.group().strip()}")')
        body = blocks[dateline_at:]
        if not first.markdown.strip():
            body = body[1:]
    else:
        found.append("no dateline found: add one to the front matter (a press release needs it)")
        body = blocks[headline_at + 1 :]
    if release_time is not None:
        front["release_time"] = release_time
        found.append(f'release time: "{release_time}"')
    for block in leading:
        losses.append(
            Loss(
                "text",
                "above the headline",
                f'"{block.text}": not imported (letterhead or '
                "contacts above the headline are the house style's; see front matter)",
            )
        )
    if any(
        b.kind in ("heading", "p") and ABOUT.match(b.text) and len(b.text.split()) <= 12
        for b in body
    ) or any(
        b.kind in ("heading", "p") and SAFE_HARBOR.search(b.text) and len(b.text.split()) <= 12
        for b in body
    ):
        front["boilerplate"] = False
        found.append(
            "the release has its own About or forward-looking statements section: "
            "boilerplate: false (the company's are not added)"
        )
    else:
        found.append(
            "no About or forward-looking statements section of its own: the company's are "
            "added (boilerplate: true by default)"
        )
    if any(b.kind == "p" and CONTACT.match(b.text) for b in body):
        front["contacts"] = []
        found.append(
            "the release names its own contacts: contacts: [] (the company's are not printed too)"
        )
    if end_mark is not None:
        front["end_mark"] = end_mark
        found.append(f'end mark: "{end_mark}"')
    return _Front("press-release", front, body, found)


def _document(blocks: list[_Block], end_mark: str | None, found: list[str]) -> _Front:
    front: dict[str, Any] = {}
    body = list(blocks)
    if body and body[0].kind in ("title", "heading") and body[0].level <= 2:
        front["title"] = _plain(body[0].text)
        found.append("title: paragraph 1")
        body = body[1:]
    if end_mark is not None:
        body.append(_Block("p", _escape_start(_escape(end_mark)), end_mark))
    return _Front("document", front, body, found)


def _headline(blocks: list[_Block], start: int) -> int | None:
    """Where the headline is: the Title style, else the first heading, else the first
    paragraph set in bold (among the first few)."""
    window = range(start, min(start + 8, len(blocks)))
    for kinds in (("title",), ("heading",)):
        for index in window:
            if blocks[index].kind in kinds:
                return index
    for index in window:
        block = blocks[index]
        if block.kind == "p" and block.bold and len(block.text.split()) <= 40:
            return index
    if blocks and start < len(blocks) and blocks[start].kind == "p":
        return start if len(blocks[start].text.split()) <= 40 else None
    return None


def _caps(match: re.Match[str]) -> bool:
    city = match["city"].split(",")[0]
    return sum(1 for c in city if c.isalpha()) >= 3 and city.upper() == city


def _dateline(match: re.Match[str]) -> dict[str, Any]:
    city = " ".join(match["city"].strip().rstrip(",").split())
    dateline: dict[str, Any] = {"city": city}
    if match["date"]:
        parsed = _date(match["date"])
        if parsed is not None:
            dateline["date"] = parsed
    wire = match["wire"] or match["wire2"]
    if wire:
        dateline["wire"] = wire.strip()
    return dateline


def _date(text: str) -> dt.date | None:
    text = " ".join(text.replace(",", " ").split())
    month, day, year = text.split()
    month = month.rstrip(".")
    for pattern in ("%B", "%b"):
        try:
            number = dt.datetime.strptime(month[:3] if pattern == "%b" else month, pattern).month
            return dt.date(int(year), number, int(day))
        except ValueError:
            continue
    return None


def _plain(text: str) -> str:
    return " ".join(text.split())


def _drop_prefix(block: _Block, length: int) -> None:
    """Take the first ``length`` characters of the paragraph's text off its element (whatever
    elements they are in), and write its Markdown again."""
    element = block.element
    remaining = length
    for node, attribute in _text_slots(element):
        if remaining <= 0:
            break
        value = getattr(node, attribute) or ""
        setattr(node, attribute, value[remaining:])
        remaining -= min(remaining, len(value))
    for node, attribute in _text_slots(element):  # the text now starts at its first letter
        value = getattr(node, attribute) or ""
        setattr(node, attribute, value.lstrip())
        if value.strip():
            break
    writer = _Markdown([])
    block.markdown = _escape_start(writer.inline(element))
    block.text = " ".join(element.text_content().split())


def _text_slots(element: Any) -> Iterator[tuple[Any, str]]:
    """Every text of an element in reading order, as (node, "text" or "tail")."""
    yield element, "text"
    for child in element:
        yield from _text_slots(child)
        yield child, "tail"


# --- writing ----------------------------------------------------------------------------------


def markdown_name(source: Path) -> str:
    """``Acme Q4 Release FINAL.docx`` -> ``acme-q4-release-final.md``."""
    stem = re.sub(r"[^a-z0-9]+", "-", source.stem.lower()).strip("-") or "imported"
    return f"{stem}.md"


def report_text(imported: Imported, source: Path, target: Path) -> str:
    """The import's report: what was found where, and what could not be kept."""
    lines = [f"Imported {source.name} as {target.name} ({imported.kind})", ""]
    if imported.found:
        lines.append("Found:")
        lines += [f"  - {item}" for item in imported.found]
        lines.append("")
    if not imported.losses:
        lines.append("Nothing was lost: every paragraph, list, table and footnote is kept.")
        return "\n".join(lines) + "\n"
    lines.append("Could not be kept as it was (check each in the Markdown):")
    order = [
        "tracked change",
        "comment",
        "image",
        "text box",
        "header/footer",
        "text",
        "hyperlink",
        "style",
        "formatting",
        "converter",
    ]
    for kind in order + sorted({loss.kind for loss in imported.losses} - set(order)):
        group = [loss for loss in imported.losses if loss.kind == kind]
        if not group:
            continue
        title = {
            "tracked change": "Tracked changes not accepted or rejected in Word (imported as "
            "if accepted: insertions kept, deletions left out)",
            "comment": "Comments (not imported)",
            "image": "Images",
            "text box": "Text boxes",
            "header/footer": "Page headers and footers",
            "text": "Text above the headline",
            "hyperlink": "Links",
            "style": "Styles form8k does not know",
            "formatting": "Formatting Markdown cannot keep",
            "converter": "Messages of the converter (mammoth)",
        }.get(kind, kind)
        lines.append(f"  {title}: {len(group)}")
        for loss in group:
            where = f"{loss.where}: " if loss.where else ""
            lines.append(f"    - {where}{loss.detail}")
    return "\n".join(lines) + "\n"


def write_import(
    source: Path, out: Path | None = None, *, kind: str = "auto", force: bool = False
) -> tuple[Path, Path, Imported, str]:
    """Import ``source`` into ``out`` (default: beside it, its name in lower case with
    hyphens, ``.md``) and write the report beside it. Nothing is overwritten without
    ``force``. Returns the Markdown's path, the report's, the import and the report."""
    if not source.is_file():
        raise UsageError(f"{source}: no such file")
    if source.suffix.lower() != ".docx":
        raise UsageError(f"{source}: not a .docx file (save it from Word as .docx first)")
    target = out if out is not None else source.with_name(markdown_name(source))
    if target.is_dir():
        target = target / markdown_name(source)
    if target.suffix.lower() != ".md":
        raise UsageError(f"{target}: the Markdown file's name must end in .md")
    report_path = target.with_name(target.stem + REPORT_SUFFIX)
    for path in (target, report_path):
        if path.exists() and not force:
            raise UsageError(f"{path}: already exists; form8k never overwrites (--force to)")
    imported = import_docx(source, kind=kind)
    report = report_text(imported, source, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(imported.markdown, encoding="utf-8")
    report_path.write_text(report, encoding="utf-8")
    return target, report_path, imported, report
