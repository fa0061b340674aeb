"""Which characters the bundled fonts can draw, and where the ones they cannot were written.

The PDFs are printed with the fonts under ``templates/fonts/`` only (``form8k.pdf`` gives the
renderer no machine font at all). A character that none of them has prints as a box (the
"Form8k Last Resort" font's .notdef), and EDGAR's HTML shows it with whatever font the reader's
browser finds. ``check_glyphs`` finds such characters in a filing's rendered documents and
points at the content that wrote them, as ``glyph-missing`` findings.

Which characters the bundled fonts have is ``form8k.fontcover``'s, which the print process uses
without loading the rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from html.entities import html5
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from form8k.errors import Severity, SourceLocation
from form8k.fontcover import (
    coverage,
    may_lack_glyphs,
    missing_characters,
)
from form8k.rules import Finding, Rule

if TYPE_CHECKING:
    from form8k.model import FilingBundle

RULE = "glyph-missing"

#: The rule-table entry (``form8k/rules/__init__.py``) for the findings of ``check_glyphs``.
GLYPH_MISSING = Rule(
    RULE,
    Severity.WARNING,
    "the PDFs' bundled fonts (templates/fonts/README.md); EDGAR's HTML is read with the "
    "reader's own fonts",
    "{character} has no glyph in the bundled fonts: the PDF shows a box; EDGAR's HTML shows "
    "whatever the reader's browser has",
)


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
