"""Which characters the bundled fonts can draw: the fonts of ``print.css``, their character maps,
and the characters of a text or document that none of them has.

The bundled fonts are the ``@font-face`` rules of ``print.css``; each font's character map is
read once (with fontTools) and kept while the file is unchanged. This module loads nothing of
the rest of form8k: the print process (``form8k.pdf``) uses it to find what to mark, and
``form8k.glyphs`` to report it.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

PRINT_CSS = "print.css"
LAST_RESORT_FAMILY = "Form8k Last Resort"
"""The family whose .notdef (a box) stands for characters no other bundled font has."""
NO_GLYPH_CLASS = "form8k-no-glyph"
"""Class of the spans ``form8k.pdf`` puts around such characters (``print.css`` styles it)."""


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
    """The fonts ``print.css`` declares with ``@font-face``, in order (every ``url()`` source);
    the stylesheet is read again only when it has changed (each filing asks)."""
    css_path = templates / PRINT_CSS
    stat = css_path.stat()
    return list(_declared_fonts(css_path, stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=16)
def _declared_fonts(css_path: Path, mtime_ns: int, size: int) -> tuple[BundledFont, ...]:
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
    return tuple(fonts)


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
