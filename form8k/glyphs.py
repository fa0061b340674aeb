"""Which characters the bundled fonts can draw, and where the ones they cannot were written.

The PDFs are printed with the fonts under ``templates/fonts/`` only (``form8k.pdf`` gives the
renderer no machine font at all). A character that none of them has prints as a box (the
"Form8k Last Resort" font's .notdef), and EDGAR's HTML shows it with whatever font the reader's
browser finds. ``check_glyphs`` finds such characters in a filing's rendered documents and
points at the content that wrote them, as ``glyph-missing`` findings.

The bundled fonts are the ``@font-face`` rules of ``print.css``; each font's character map is
read once (with fontTools) and kept while the file is unchanged.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html.entities import html5
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from form8k.errors import Severity, SourceLocation
from form8k.rules import Finding, Rule

if TYPE_CHECKING:
    from form8k.model import FilingBundle

RULE = "glyph-missing"
PRINT_CSS = "print.css"
LAST_RESORT_FAMILY = "Form8k Last Resort"
"""The family whose .notdef (a box) stands for characters no other bundled font has."""
NO_GLYPH_CLASS = "form8k-no-glyph"
"""Class of the spans ``form8k.pdf`` puts around such characters (``print.css`` styles it)."""

#: The rule-table entry (``form8k/rules/__init__.py``) for the findings of ``check_glyphs``.
GLYPH_MISSING = Rule(
    RULE,
    Severity.WARNING,
    "the PDFs' bundled fonts (templates/fonts/README.md); EDGAR's HTML is read with the "
    "reader's own fonts",
    "{character} has no glyph in the bundled fonts: the PDF shows a box; EDGAR's HTML shows "
    "whatever the reader's browser has",
)


@dataclass(frozen=True)
class BundledFont:
    """One ``@font-face`` of the print stylesheet: its family and its file."""

    family: str
    path: Path


_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}")
_FAMILY = re.compile(r"""font-family\s*:\s*(?:"([^"]*)"|'([^']*)'|([^;]+))""")
_SOURCE = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)""")


def bundled_fonts(templates: Path) -> list[BundledFont]:
    """The fonts ``print.css`` declares with ``@font-face``, in order (every ``url()`` source)."""
    css_path = templates / PRINT_CSS
    css = _COMMENT.sub("", css_path.read_text(encoding="utf-8"))
    fonts = []
    for rule in _FONT_FACE.finditer(css):
        family = _FAMILY.search(rule.group(1))
        if family is None:
            continue
        name = next(group for group in family.groups() if group is not None).strip()
        for source in _SOURCE.finditer(rule.group(1)):
            url = next(group for group in source.groups() if group is not None)
            fonts.append(BundledFont(name, (css_path.parent / url).resolve()))
    return fonts


@functools.lru_cache(maxsize=64)
def _cmap(path: Path, mtime_ns: int, size: int) -> frozenset[int]:
    """The code points a font file maps to a glyph (the stamp makes a changed file re-read)."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap() or ())


def font_coverage(path: Path) -> frozenset[int]:
    """The code points one font file has a glyph for."""
    stat = path.stat()
    return _cmap(path, stat.st_mtime_ns, stat.st_size)


def coverage(templates: Path) -> frozenset[int]:
    """The code points some bundled font (the last resort aside) has a glyph for."""
    fonts = []
    for font in bundled_fonts(templates):
        if font.family != LAST_RESORT_FAMILY and font.path.is_file():
            stat = font.path.stat()
            fonts.append((font.path, stat.st_mtime_ns, stat.st_size))
    return _union(tuple(fonts))


@functools.lru_cache(maxsize=16)
def _union(fonts: tuple[tuple[Path, int, int], ...]) -> frozenset[int]:
    """The code points of these font files together (by path and stamp: each filing asks)."""
    covered: frozenset[int] = frozenset()
    for path, mtime_ns, size in fonts:
        covered |= _cmap(path, mtime_ns, size)
    return covered


def needs_glyph(char: str) -> bool:
    """Whether a character is drawn at all: controls, format characters, spaces and variation
    selectors are not (Pango keeps the font at hand for them, HarfBuzz hides or widens them)."""
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zs", "Zl", "Zp"):
        return False
    code = ord(char)
    return not (0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF or 0x180B <= code <= 0x180F)


def missing_characters(text: str, covered: frozenset[int]) -> list[str]:
    """The characters of ``text`` that need a glyph none of ``covered`` has, each once, in order."""
    seen: dict[str, None] = {}
    for char in text:
        if ord(char) > 0x7E and ord(char) not in covered and char not in seen and needs_glyph(char):
            seen[char] = None
    return list(seen)


def covered_text(text: str, covered: frozenset[int]) -> list[tuple[str, bool]]:
    """``text`` cut into runs: ``(run, True)`` where it can be drawn, ``(run, False)`` where not.

    A run that cannot be drawn keeps the characters that need no glyph (a variation selector, a
    zero-width joiner) that follow it, so that a character and its selector stay together.
    """
    runs: list[tuple[str, bool]] = []
    start, drawable = 0, True
    for index, char in enumerate(text):
        code = ord(char)
        if code <= 0x7E:
            here = True
        elif not needs_glyph(char):
            here = drawable
        else:
            here = code in covered
        if here != drawable and index > start:
            runs.append((text[start:index], drawable))
            start = index
        drawable = here
    if start < len(text):
        runs.append((text[start:], drawable))
    return runs


class _PrintedText(HTMLParser):
    """Collects the text of a document that is printed: no head, script, style or attribute."""

    _SKIP = frozenset({"head", "title", "script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":  # whatever the head left open
            self._skipping.clear()
        elif tag in self._SKIP:
            self._skipping.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._skipping:
            del self._skipping[self._skipping.index(tag) :]

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def document_text(document_html: str) -> str:
    """The text an HTML document shows (character references decoded)."""
    parser = _PrintedText()
    parser.feed(document_html)
    parser.close()
    return "".join(parser.parts)


def missing_in_documents(documents: Iterable[str], templates: Path) -> list[str]:
    """The characters of rendered HTML documents no bundled font can draw, each once."""
    covered = coverage(templates)
    found: dict[str, None] = {}
    for document in documents:
        if may_lack_glyphs(document, covered):
            found.update(dict.fromkeys(missing_characters(document_text(document), covered)))
    return list(found)


def may_lack_glyphs(document: str, covered: frozenset[int]) -> bool:
    """Whether an HTML document holds a character none of ``covered`` has, anywhere in it.

    Every character the document holds, its references decoded, attributes and head included:
    when none of them is missing, its printed text lacks none either, and the document need not
    be parsed (the usual case, at a tenth of the cost). An ASCII document (as EDGAR wants them)
    holds others only through its character references.
    """
    if document.isascii():
        held = "".join(html.unescape(ref) for ref in set(_ANY_REFERENCE.findall(document)))
    else:
        held = "".join(set(html.unescape(document)))
    return bool(missing_characters(held, covered))


#: A character reference as html.unescape reads one (";" optional, named ones by prefix).
_ANY_REFERENCE = re.compile(r"&(?:#[xX]?[0-9a-fA-F]*;?|[A-Za-z][A-Za-z0-9]*;?)")
_REFERENCE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));")
_YAML_ESCAPE = re.compile(r"\\(?:U([0-9a-fA-F]{8})|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2}))")
_YAML_SUFFIXES = frozenset({".yaml", ".yml"})


def _reference(match: re.Match[str]) -> str | None:
    decimal, hexadecimal, name = match.groups()
    try:
        if decimal is not None:
            return chr(int(decimal))
        if hexadecimal is not None:
            return chr(int(hexadecimal, 16))
    except (ValueError, OverflowError):
        return None
    return html5.get(f"{name};")


def _yaml_escape(match: re.Match[str]) -> str | None:
    digits = next(group for group in match.groups() if group is not None)
    try:
        return chr(int(digits, 16))
    except ValueError:
        return None


def locate_characters(
    paths: Iterable[Path], chars: Iterable[str]
) -> list[tuple[Path, int, int, str]]:
    """Every place ``chars`` are written in ``paths``: ``(path, line, column, char)``, 1-based.

    A character counts where it is written as itself, as an HTML character reference
    (``&#x1F600;``, ``&#128512;``, ``&hearts;``) and, in YAML, as an escape (``"\\U0001F600"``);
    the column is that of its first character. Columns count characters (code points).
    Results come in the order of ``paths``, then by line and column; a path is read once.
    """
    wanted = frozenset(chars)
    found: list[tuple[Path, int, int, str]] = []
    if not wanted:
        return found
    done: set[Path] = set()
    for path in paths:
        if path in done or not path.is_file():
            continue
        done.add(path)
        text = path.read_text(encoding="utf-8", errors="replace")
        patterns: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str | None]]] = [
            (_REFERENCE, _reference)
        ]
        if path.suffix.lower() in _YAML_SUFFIXES:
            patterns.append((_YAML_ESCAPE, _yaml_escape))
        for number, line in enumerate(text.split("\n"), start=1):
            hits = [(column, char) for column, char in enumerate(line, start=1) if char in wanted]
            if "&" in line or "\\" in line:
                for pattern, decode in patterns:
                    for match in pattern.finditer(line):
                        char = decode(match)
                        if char is not None and char in wanted:
                            hits.append((match.start() + 1, char))
            found += [(path, number, column, char) for column, char in sorted(hits)]
    return found


def describe(char: str) -> str:
    """``U+1F600 (GRINNING FACE)``: a character as the warning names it."""
    name = unicodedata.name(char, "")
    if not name:
        category = unicodedata.category(char)
        name = {"Co": "private use", "Cn": "unassigned"}.get(category, f"category {category}")
    return f"U+{ord(char):04X} ({name})"


def filing_sources(bundle: FilingBundle) -> list[Path]:
    """The content files a filing's text was written in: its YAML and Markdown files."""
    paths: dict[Path, None] = {bundle.filing_sources.file: None, bundle.company_sources.file: None}
    maps = [bundle.filing_sources, bundle.company_sources]
    for source in bundle.exhibits.values():
        if source.path.is_file():
            paths[source.path] = None
        paths.update(dict.fromkeys(schedule.path for schedule in source.schedules))
        maps.append(source.sources)
    for source_map in maps:
        for table in (source_map.values, source_map.keys):
            paths.update(dict.fromkeys(location.path for location in table.values()))
    return [path for path in paths if path.is_file()]


def template_sources(templates: Path) -> list[Path]:
    """The project's template files, where a character no content file writes may come from."""
    return sorted(
        path for path in templates.rglob("*") if path.suffix in (".j2", ".yaml") and path.is_file()
    )


def check_glyphs(
    documents: Iterable[str],
    templates: Path,
    sources: Sequence[Path],
    fallback: SourceLocation,
    *,
    then: Sequence[Path] = (),
) -> list[Finding]:
    """A ``glyph-missing`` finding for each place a character no bundled font has is written.

    ``documents`` are the rendered HTML documents (what is printed), ``sources`` the files their
    content came from (``filing_sources``), ``then`` files searched for the characters no source
    writes (the project's templates), ``fallback`` where to report a character none of them
    writes (the filing's ``filing.yaml``). One finding per character and source line, at its
    first column.
    """
    missing = missing_in_documents(documents, templates)
    findings: list[Finding] = []
    seen: set[tuple[Path, int, str]] = set()
    for paths in (sources, then):
        unlocated = [char for char in missing if char not in {c for _, _, c in seen}]
        for path, line, column, char in locate_characters(paths, unlocated):
            if (path, line, char) not in seen:
                seen.add((path, line, char))
                location = SourceLocation(path, line, column)
                findings.append(Finding(RULE, location, {"character": describe(char)}))
    located = {char for _, _, char in seen}
    findings += [
        Finding(RULE, fallback, {"character": describe(char)})
        for char in missing
        if char not in located
    ]
    return findings


def check_filing_glyphs(
    bundle: FilingBundle, documents: Iterable[str], templates: Path
) -> list[Finding]:
    """``check_glyphs`` for a loaded filing: where its content files write each character (else
    the project's templates, else the filing's ``filing.yaml``).

    Call it with the rendered documents' HTML, e.g. ``[d.html for d in rendered.documents]``.
    """
    fallback = SourceLocation(bundle.filing_sources.file)
    return check_glyphs(
        documents, templates, filing_sources(bundle), fallback, then=template_sources(templates)
    )
