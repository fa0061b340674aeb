"""Model -> HTML strings: the Jinja environment, the templates' context, EDGAR's character rules.

Nothing here writes files. Every document comes out as ASCII, with character references for
anything else (EDGAR's validator rejects raw non-ASCII characters).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from form8k.editions import cover_edition
from form8k.errors import Problem, SourceLocation
from form8k.items import ItemSpec
from form8k.load import GRAPHIC_SUFFIXES, image_matches_suffix
from form8k.markdown import MarkdownRenderer
from form8k.model import (
    EDGAR_ARCHIVES,
    ExhibitDocument,
    ExhibitSource,
    FilingBundle,
    Graphic,
    PressRelease,
)
from form8k.xbrl.dts import Dts
from form8k.xbrl.tagger import HEADER_MARKER, Fact, Tagger

STYLES_FILE = "styles.yaml"
EDGAR_VIEWER = "https://www.sec.gov/ix?doc=/Archives/edgar/data/"


class RenderError(Exception):
    """A template failed; carries the problem at the template's line."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True)
class ItemView:
    """An item as the 8-K template shows it."""

    spec: ItemSpec
    anchor: str
    """The id of the item's block, e.g. ``item-8-01``."""
    body: Markup


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
    """Images the documents show (logo, charts), each a GRAPHIC document of the submission."""
    problems: list[Problem]
    taxonomy: dict[str, bytes] = field(default_factory=dict)
    """The extension schema and linkbases of a tagged cover page, by file name."""
    facts: list[Fact] = field(default_factory=list)
    """The cover-page facts as tagged."""


def long_date(value: dt.date) -> str:
    """``September 6, 2005``: the form's date style."""
    return f"{value:%B} {value.day}, {value.year}"


def to_ascii(html: str) -> str:
    """Replace every character EDGAR does not take raw by a numeric character reference."""
    # "^" is ASCII, but EDGAR's character table (EFM 5.2.1, table 5-1) leaves it out.
    return html.encode("ascii", "xmlcharrefreplace").decode("ascii").replace("^", "&#94;")


class Renderer:
    """Renders filings with one template folder; build once, reuse for every filing."""

    def __init__(self, templates: Path) -> None:
        self.templates = templates
        styles_path = templates / STYLES_FILE
        try:
            styles = yaml.safe_load(styles_path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise RenderError(
                Problem(SourceLocation(styles_path), f"cannot read the style table: {error}")
            ) from None
        if not isinstance(styles, dict):
            raise RenderError(
                Problem(
                    SourceLocation(styles_path, 1, 1),
                    "the style table must be a mapping of names to CSS declarations",
                )
            )
        self.css = styles
        self.markdown = MarkdownRenderer(styles.get("markdown", {}))
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["long_date"] = long_date

    def compile_all(self) -> None:
        """Compile every template now; a syntax error is reported once, at its line."""
        for name in self.env.list_templates(extensions=["j2"]):
            try:
                self.env.get_template(name)
            except jinja2.TemplateSyntaxError as error:
                path = Path(error.filename) if error.filename else self.templates / name
                raise RenderError(
                    Problem(SourceLocation(path, error.lineno), f"template error: {error.message}")
                ) from None

    # --- the documents ----------------------------------------------------------------------

    def render_filing(self, bundle: FilingBundle) -> RenderedFiling:
        """Render the 8-K and each exhibit document of ``bundle``."""
        problems: list[Problem] = []
        markdown = _MarkdownContext(self.markdown, bundle, problems)
        tagger = Tagger(bundle, enabled=bundle.tagged)
        documents = [self._render_8k(bundle, markdown, tagger)]
        for exhibit in bundle.filing.sorted_exhibits:
            source = bundle.exhibits.get(exhibit.number)
            if source is not None:
                documents.append(self._render_exhibit(bundle, source, markdown))
        graphics = [bundle.logo] if bundle.logo else []
        graphics += [g for g in markdown.graphics.values() if g not in graphics]
        taxonomy = Dts(tagger).files() if tagger.enabled else {}
        return RenderedFiling(documents, graphics, problems, taxonomy, tagger.facts)

    def _render_8k(
        self, bundle: FilingBundle, markdown: _MarkdownContext, tagger: Tagger
    ) -> RenderedDocument:
        filing, company = bundle.filing, bundle.company
        items = [
            ItemView(
                spec=item.spec,
                anchor="item-" + item.number.replace(".", "-"),
                body=markdown(item.body, bundle.filing_sources.locate(("items", index, "body"))),
            )
            for index, item in sorted(
                enumerate(filing.items), key=lambda pair: pair[1].spec.sort_key
            )
        ]
        signature = {
            "name": filing.signature.name or (company.signatory and company.signatory.name),
            "title": filing.signature.title or (company.signatory and company.signatory.title),
            "date": filing.signature.date or filing.filing_date,
        }
        item_list = "; ".join(f"Item {i.spec.number} {i.spec.title}" for i in items)
        meta = DocumentMeta(
            title=f"{company.name} - Form {filing.form_type} - {long_date(filing.date_of_report)}",
            author=company.name,
            description=f"Current report on Form {filing.form_type}: {item_list}",
            keywords=(
                f"Form {filing.form_type}",
                *(f"Item {i.spec.number}" for i in items),
            ),
            bookmark=f"Form {filing.form_type}",
        )
        context = {
            "meta": meta,
            "company": company,
            "filing": filing,
            "edition": cover_edition(filing.filing_date),
            "items": items,
            "explanatory_note": markdown(
                filing.explanatory_note, bundle.filing_sources.locate(("explanatory_note",))
            )
            if filing.explanatory_note
            else None,
            "exhibits": [
                {
                    "number": exhibit.number,
                    "description": exhibit.description,
                    "href": bundle.exhibit_href(exhibit),
                }
                for exhibit in filing.sorted_exhibits
            ],
            "signature": signature,
            "ix": tagger,
        }
        html = self._template("8-k.htm.j2", context)
        if tagger.enabled:
            html = html.replace(HEADER_MARKER, to_ascii(tagger.render_header()), 1)
        return RenderedDocument(
            bundle.primary_document, filing.form_type, meta, html, inline_xbrl=tagger.enabled
        )

    def _render_exhibit(
        self, bundle: FilingBundle, source: ExhibitSource, markdown: _MarkdownContext
    ) -> RenderedDocument:
        company, exhibit = bundle.company, source.exhibit
        body_start = SourceLocation(source.path, source.body_line)
        bookmark = f"Exhibit {exhibit.number}"
        front = source.front_matter
        heading = front.headline if isinstance(front, PressRelease) else front.title
        meta = DocumentMeta(
            title=f"{bookmark} - {heading}",
            author=company.name,
            description=exhibit.description,
            keywords=(bookmark, f"Form {bundle.filing.form_type}"),
            bookmark=bookmark,
        )
        if isinstance(front, PressRelease):
            lead = f"{front.dateline.city}, {long_date(front.dateline.date)} \u2013 "
            context = {
                "meta": meta,
                "company": company,
                "exhibit": exhibit,
                "release": front,
                "logo": bundle.logo.name if bundle.logo else None,
                "contacts": front.contacts if front.contacts is not None else company.contacts,
                "body": markdown(source.body, body_start, lead=lead),
                "about": markdown(company.about, bundle.company_sources.locate(("about",)))
                if front.boilerplate and company.about
                else None,
                "forward_looking": markdown(
                    company.forward_looking_statements,
                    bundle.company_sources.locate(("forward_looking_statements",)),
                )
                if front.boilerplate and company.forward_looking_statements
                else None,
            }
            html = self._template("press-release.htm.j2", context)
        else:
            assert isinstance(front, ExhibitDocument)
            context = {
                "meta": meta,
                "company": company,
                "exhibit": exhibit,
                "document": front,
                "body": markdown(source.body, body_start),
            }
            html = self._template("exhibit.htm.j2", context)
        return RenderedDocument(
            bundle.exhibit_document(exhibit), f"EX-{exhibit.number}", meta, html
        )

    def _template(self, name: str, context: Mapping[str, Any]) -> str:
        try:
            template = self.env.get_template(name)
            html = template.render(css=self.css, **context)
        except jinja2.TemplateSyntaxError as error:
            path = Path(error.filename) if error.filename else self.templates / name
            raise RenderError(
                Problem(SourceLocation(path, error.lineno), f"template error: {error.message}")
            ) from None
        except jinja2.TemplateError as error:
            raise RenderError(
                Problem(
                    _template_location(error.__traceback__, self.templates / name),
                    f"template error: {error}",
                )
            ) from None
        return to_ascii(html)


class _MarkdownContext:
    """Renders one filing's Markdown with that filing's link and image policies."""

    def __init__(self, renderer: MarkdownRenderer, bundle: FilingBundle, problems: list[Problem]):
        self.renderer = renderer
        self.bundle = bundle
        self.problems = problems
        self.graphics: dict[Path, Graphic] = {}
        self.documents = {bundle.primary_document} | {
            bundle.exhibit_document(exhibit)
            for exhibit in bundle.filing.exhibits
            if exhibit.source is not None
        }

    def __call__(self, text: str, base: SourceLocation, *, lead: str | None = None) -> Markup:
        html, problems = self.renderer.render(
            text, base=base, links=self.link, images=self.image, lead=lead
        )
        self.problems.extend(problems)
        return html

    def link(self, href: str) -> str | None:
        """Links EDGAR accepts: this submission's documents and EDGAR's own archives."""
        if href in self.documents or href.startswith((EDGAR_ARCHIVES, EDGAR_VIEWER)):
            return href
        return None

    def image(self, src: str) -> str | None:
        """A .jpg or .gif file of the filing folder, renamed for the submission."""
        folder = self.bundle.folder
        path = (folder / src).resolve()
        if (
            "://" in src
            or not path.is_relative_to(folder.resolve())
            or path.suffix.lower() not in GRAPHIC_SUFFIXES
            or not path.is_file()
            or not image_matches_suffix(path)
        ):
            return None
        if path not in self.graphics:
            stem = re.sub(r"[^a-z0-9]+", "", path.stem.lower())[:16] or "image"
            taken = {g.name for g in self.graphics.values()}
            if self.bundle.logo is not None:
                taken.add(self.bundle.logo.name)
            name, number = f"{self.bundle.company.prefix}-{stem}{path.suffix.lower()}", 1
            while name in taken:  # two images whose names shorten alike stay two files
                number += 1
                name = f"{self.bundle.company.prefix}-{stem}{number}{path.suffix.lower()}"
            self.graphics[path] = Graphic(name, path)
        return self.graphics[path].name


def _template_location(tb: TracebackType | None, fallback: Path) -> SourceLocation:
    """The innermost template frame of a Jinja error (Jinja rewrites its line numbers)."""
    found = SourceLocation(fallback)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = SourceLocation(Path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found
