"""EDGAR's document rules, checked on the HTML as written: parsed, never trusted.

Sources: EDGAR Filer Manual Vol. II ch. 5, and the SEC's validation code (Arelle's EFM checks
and the "Validate EFM non-XBRL HTM" plugin), summarised in ../shared/reference/edgar.md.
"""

from __future__ import annotations

import html.entities
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import lxml.etree
import lxml.html

from form8k.errors import SourceLocation
from form8k.load import GRAPHIC_SUFFIXES
from form8k.rules import Finding

#: Elements the plain-HTML check recognises (HTML 3.2 with some 4.0); ``a`` is allowed too.
PLAIN_ELEMENTS = frozenset(
    "a address b big blockquote body br caption center cite code dd dfn dir div dl dt em font "
    "h1 h2 h3 h4 h5 h6 head hr html i img kbd li menu meta ol p pre samp small strike strong "
    "sub sup table td th title tr tt u ul var".split()
)
#: Elements EDGAR blocks in Inline XBRL documents (EFM 5.02.05); XHTML's others are fine.
INLINE_BLOCKED = frozenset(
    "acronym area base bdo button cite col colgroup dd del embed fieldset form input ins label "
    "legend map noscript object option param q script select style textarea".split()
)
PLAIN_BLOCKED_ATTRIBUTES = frozenset({("meta", "http-equiv"), ("body", "background")})
INLINE_BLOCKED_ATTRIBUTES = frozenset(
    {("a", "name"), ("body", "link"), ("html", "lang"), ("link", "rel"), ("link", "rev")}
)
XML_BASE = "{http://www.w3.org/xml/1998/namespace}base"
ACTIVE_ELEMENTS = frozenset("script noscript object embed applet form frame frameset".split())
#: Named character references EDGAR accepts: XHTML 1.0's set (``&there4;`` is missing from the
#: validator's list, so it is left out here too).
ENTITIES = (frozenset(html.entities.name2codepoint) | {"apos"}) - {"there4"}
#: Printable ASCII but "^", and tab, LF, FF, CR: EFM table 5-1 as the SEC's validator has it.
DISALLOWED_CHARACTER = re.compile(r"[^\t\n\f\r -\]_-~]")
_NAMED_REFERENCE = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
EDGAR_LINK = re.compile(r"https?://www\.sec\.gov/(ix\?doc=/)?Archives/edgar/data/")
FILE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*\.(htm|txt|pdf|fil|jpg|gif|xsd|xml)")
#: Largest submission EDGAR takes (EDGAR Filer Manual; verify the current figure).
MAX_SUBMISSION_MB = 200


@dataclass(frozen=True)
class Document:
    """A document of the submission to check: its name, bytes, and whether it is Inline XBRL."""

    name: str
    content: bytes
    location: Path
    """Where the user finds it (the file in output/)."""
    inline_xbrl: bool = False


def _at(document: Document, line: int | None, column: int | None = None) -> SourceLocation:
    return SourceLocation(document.location, line, column)


def check_characters(document: Document) -> Iterator[Finding]:
    text = document.content.decode("latin-1")
    if document.content.startswith(b"\xef\xbb\xbf"):
        yield Finding(
            "html-characters",
            _at(document, 1, 1),
            {"problem": "a byte-order mark opens the document"},
        )
    if DISALLOWED_CHARACTER.search(text) is None and all(
        name in ENTITIES for name in set(_NAMED_REFERENCE.findall(text))
    ):
        return  # (the usual case: no line need be looked at)
    # Lines end at "\n" only: str.splitlines would also break at \x0b, \x1c and friends,
    # the very characters this check must catch.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        bad = DISALLOWED_CHARACTER.search(line)
        if bad is not None:
            character, column = bad.group(0), bad.start() + 1
            advice = (
                "remove it (a control character)"
                if ord(character) < 0x20 or 0x7F <= ord(character) < 0xA0
                else "write it as a numeric character reference such as &#8217;"
            )
            yield Finding(
                "html-characters",
                _at(document, number, column),
                {
                    "problem": f"character {character!r} (byte 0x{ord(character):02x}) is "
                    f"not in EDGAR's character table (printable ASCII but '^'); {advice}",
                },
            )
        for match in _NAMED_REFERENCE.finditer(line):
            if match.group(1) not in ENTITIES:
                yield Finding(
                    "html-characters",
                    _at(document, number, match.start() + 1),
                    {
                        "problem": f"&{match.group(1)}; is not a character reference EDGAR accepts",
                    },
                )


def _parse(document: Document) -> lxml.etree._Element | None:
    if document.inline_xbrl:
        return lxml.etree.fromstring(document.content, lxml.etree.XMLParser(resolve_entities=False))
    return lxml.html.fromstring(document.content)


def check_structure(document: Document) -> Iterator[Finding]:
    first_line = document.content.split(b"\n", 1)[0]
    if not document.inline_xbrl and b"<html" not in first_line.lower():
        yield Finding(
            "html-structure",
            _at(document, 1, 1),
            {
                "problem": "<html> must open the first line: EDGAR does not read the file as HTML "
                "otherwise",
            },
        )
    if document.inline_xbrl and document.content.lstrip().lower().startswith(b"<!doctype"):
        yield Finding(
            "html-structure",
            _at(document, 1, 1),
            {"problem": "an Inline XBRL document may not have a DOCTYPE"},
        )
    if len(re.findall(rb"<html[\s>]", document.content, re.IGNORECASE)) > 1:
        yield Finding(
            "html-structure", _at(document, 1, 1), {"problem": "more than one <html> element"}
        )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def check_elements(
    document: Document, tree: lxml.etree._Element, submission: Iterable[str]
) -> Iterator[Finding]:
    names = set(submission)
    kind = "Inline XBRL documents" if document.inline_xbrl else "plain HTML documents"
    xhtml = "{http://www.w3.org/1999/xhtml}"
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if document.inline_xbrl and not element.tag.startswith(xhtml):
            continue  # ix:, xbrli:, link: elements are the Inline XBRL schema's business
        tag = _local(element.tag)
        where = _at(document, element.sourceline)
        if tag in ACTIVE_ELEMENTS:
            yield Finding("html-active-content", where, {"what": f"<{tag}>"})
        elif (document.inline_xbrl and tag in INLINE_BLOCKED) or (
            not document.inline_xbrl and tag not in PLAIN_ELEMENTS
        ):
            yield Finding("html-element", where, {"element": tag, "kind": kind})
        if tag == "table" and any(
            _local(a.tag) == "table" for a in element.iterancestors() if isinstance(a.tag, str)
        ):
            yield Finding("html-nested-table", where, {})
        for attribute, value in element.attrib.items():
            name = _local(attribute)
            if name.startswith("on"):
                yield Finding("html-active-content", where, {"what": f"the {name} attribute"})
            elif _blocked_attribute(tag, attribute, document.inline_xbrl):
                yield Finding("html-attribute", where, {"element": tag, "attribute": attribute})
            if name in ("href", "src") and value.strip().lower().startswith("javascript:"):
                yield Finding("html-active-content", where, {"what": f"a javascript: {name}"})
        if tag == "a" and element.get("href") is not None:
            href = element.get("href", "")
            target = href.split("#", 1)[0]
            if not (
                href.startswith("#")
                or target in names
                or EDGAR_LINK.match(href)
                or href.lower().startswith("javascript:")
            ):
                yield Finding("html-link", where, {"href": href})
        if tag == "img":
            src = element.get("src", "")
            problem = _image_problem(src, names)
            if problem:
                yield Finding("html-image", where, {"src": src[:60], "problem": problem})


def _blocked_attribute(tag: str, attribute: str, inline: bool) -> bool:
    name = attribute.lower()
    if inline:
        return (tag, name) in INLINE_BLOCKED_ATTRIBUTES or name == XML_BASE
    return name.startswith("xmlns") or (tag, name) in PLAIN_BLOCKED_ATTRIBUTES


def _image_problem(src: str, names: set[str]) -> str | None:
    if src.lower().startswith("data:"):
        return "data: URIs are not accepted; attach the image as a .jpg or .gif file"
    if not src.lower().endswith(GRAPHIC_SUFFIXES):
        return "EDGAR accepts only .jpg and .gif images"
    if src not in names:
        return "not a file of this submission"
    return None


def check_file_name(document: Document) -> Iterator[Finding]:
    # The length is checked on the model (rules.form), at the prefix the user shortens.
    name = document.name
    location = _at(document, None)
    if not FILE_NAME.fullmatch(name):
        yield Finding(
            "file-name",
            location,
            {
                "name": name,
                "problem": "must be lower case, start with a letter or digit, hold only "
                "letters, digits, '.', '-' and '_', and end in .htm, .txt, .pdf, .fil, .jpg, "
                ".gif, .xsd or .xml",
            },
        )


def check_documents(
    documents: Sequence[Document], *, graphics: Iterable[str] = ()
) -> list[Finding]:
    """Every finding of EDGAR's document rules on the documents of one submission."""
    graphics = list(graphics)
    submission = [document.name for document in documents] + graphics
    findings: list[Finding] = []
    for document in documents:
        findings += check_file_name(document)
        findings += check_characters(document)
        findings += check_structure(document)
        try:
            tree = _parse(document)
        except (lxml.etree.XMLSyntaxError, lxml.etree.ParserError, ValueError) as error:
            findings.append(
                Finding(
                    "html-structure",
                    _at(document, getattr(error, "lineno", None)),
                    {"problem": f"does not parse: {error}"},
                )
            )
            continue
        if tree is not None:
            findings += check_elements(document, tree, submission)
    return findings


def check_submission_size(sizes: Iterable[int], location: SourceLocation) -> list[Finding]:
    """The submission-size rule on the sizes of all its files."""
    total = sum(sizes)
    if total > MAX_SUBMISSION_MB * 1024 * 1024:
        return [
            Finding(
                "submission-size",
                location,
                {"size": round(total / 1024 / 1024, 1), "limit": MAX_SUBMISSION_MB},
            )
        ]
    return []
