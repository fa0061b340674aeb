"""What rendering produces (documents, their metadata) and the rules every document follows:
EDGAR's characters, the form's date style, and house-style wording with placeholders."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from form8k.errors import Problem, SourceLocation, SourceMap
from form8k.model import Graphic, HouseStyle
from form8k.xbrl.tagger import Fact


class RenderError(Exception):
    """A template (or a house-style text) failed; carries the problem at its line."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True)
class DocumentMeta:
    """What a document is: its title, author and subject, for <title> and the PDF's metadata."""

    title: str
    author: str
    description: str
    keywords: tuple[str, ...]
    bookmark: str
    """Top-level PDF bookmark, e.g. "Form 8-K" or "Exhibit 99.1"."""


@dataclass(frozen=True)
class RenderedDocument:
    """One document of the submission, rendered."""

    name: str
    """File name in the submission, e.g. ``imgn-20050906.htm``."""
    edgar_type: str
    """EDGAR document type: ``8-K``, ``8-K/A``, ``EX-99.1``."""
    meta: DocumentMeta
    html: str
    """The document, ASCII only."""
    inline_xbrl: bool = False
    """Whether the document is Inline XBRL (XHTML with a tagged cover page)."""


@dataclass(frozen=True)
class RenderedFiling:
    """Every document of one filing, in submission order, and what rendering noticed."""

    documents: list[RenderedDocument]
    graphics: list[Graphic]
    """Images the documents show (logo, charts, page scans), each a GRAPHIC document."""
    problems: list[Problem]
    taxonomy: dict[str, bytes] = field(default_factory=dict)
    """The extension schema and linkbases of a tagged cover page, by file name."""
    facts: list[Fact] = field(default_factory=list)
    """The cover-page facts as tagged."""
    fact_locations: dict[str, SourceLocation] = field(default_factory=dict)
    """Where the content wrote each fact's value, by fact id."""


def long_date(value: dt.date) -> str:
    """``September 6, 2005``: the form's date style."""
    return f"{value:%B} {value.day}, {value.year}"


#: What a browser in quirks mode does not let a table inherit (the HTML standard's rendering
#: section, "quirks mode": font size, weight, style and variant, line height, white space and
#: text alignment reset to their initial values). EDGAR's documents carry no DOCTYPE, so they
#: open in quirks mode; every table inherits them explicitly and renders as in standards mode.
QUIRKS_TABLE = (
    "font-size:inherit;line-height:inherit;font-weight:inherit;font-style:inherit;"
    "font-variant:inherit;white-space:inherit;text-align:inherit;"
)


def inherit_in_tables(html: str) -> str:
    """Every ``<table style="...">`` told to inherit what quirks mode would reset."""
    return html.replace('<table style="', f'<table style="{QUIRKS_TABLE}')


def to_ascii(html: str) -> str:
    """Replace every character EDGAR does not take raw by a numeric character reference."""
    # "^" is ASCII, but EDGAR's character table (EFM 5.2.1, table 5-1) leaves it out.
    return html.encode("ascii", "xmlcharrefreplace").decode("ascii").replace("^", "&#94;")


PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


class Wording:
    """One filing's house-style texts as HTML: inline Markdown with ``{placeholders}`` filled.

    Templates call it with the text's place in the style, ``say("cover.date_of_report",
    date=...)``, so that an unknown placeholder is reported where the text was written.
    ``cache`` keeps each distinct text's HTML across filings.
    """

    def __init__(
        self,
        style: HouseStyle,
        sources: SourceMap,
        inline: Callable[[str], Markup],
        cache: dict[str, Markup],
    ) -> None:
        self.style = style
        self.sources = sources
        self._inline = inline
        self._cache = cache

    def text(self, key: str) -> Any:
        """The style's value at ``key`` ("cover.date_of_report")."""
        value: Any = self.style
        for part in key.split("."):
            value = value[part] if isinstance(value, dict) else getattr(value, part)
        return value

    def __call__(self, key: str, **values: object) -> Markup:
        return self.markup(self.text(key), key, **values)

    def markup(self, text: str | None, key: str, **values: object) -> Markup:
        """``text`` (written at style ``key``) as HTML with ``values`` filled in."""
        if not text:
            return Markup("")
        html = self._cache.get(text)
        if html is None:
            html = self._cache[text] = self._inline(text)

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in values:
                known = ", ".join("{" + key + "}" for key in values) or "none"
                where = self.sources.locate(("style", *key.split(".")))
                raise RenderError(
                    Problem(
                        where,
                        f"unknown placeholder {{{name}}} in style {key} (it takes {known})",
                    )
                )
            return str(escape(values[name]))

        return Markup(PLACEHOLDER.sub(fill, str(html)))
