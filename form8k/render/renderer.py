"""Model -> HTML strings: the Jinja environment and each document of a filing.

Nothing here writes files. Every document comes out as ASCII, with character references for
anything else (EDGAR's validator rejects raw non-ASCII characters).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from form8k.errors import Problem, SourceLocation
from form8k.markdown import MarkdownRenderer
from form8k.model import FilingBundle, PressRelease
from form8k.render.core import (
    RenderedDocument,
    RenderedFiling,
    RenderError,
    Wording,
    inherit_in_tables,
    long_date,
    to_ascii,
)
from form8k.render.exhibits import document_context, pages_context, release_context
from form8k.render.report import report_context
from form8k.render.text import MarkdownContext
from form8k.xbrl.dts import Dts, MissingLabel
from form8k.xbrl.sources import fact_locations
from form8k.xbrl.tagger import HEADER_MARKER, Tagger

STYLES_FILE = "styles.yaml"


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
        self._wording_cache: dict[str, Markup] = {}

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
        markdown = MarkdownContext(self.markdown, bundle, problems)
        tagger = Tagger(bundle, enabled=bundle.tagged)
        say = Wording(bundle.style, bundle.company_sources, self._inline, self._wording_cache)
        documents = [self._render_8k(bundle, markdown, tagger, say)]
        graphics = [bundle.logo] if bundle.logo else []
        for exhibit in bundle.filing.sorted_exhibits:
            source = bundle.exhibits.get(exhibit.number)
            if source is None:
                continue
            if source.pages:
                context = pages_context(bundle, source)
                template = "exhibit.htm.j2"
                graphics += [page for page in source.pages if page not in graphics]
            elif isinstance(source.front_matter, PressRelease):
                context = release_context(bundle, source, markdown)
                template = "press-release.htm.j2"
            else:
                context = document_context(bundle, source, markdown)
                template = "exhibit.htm.j2"
            html = self._template(template, context)
            documents.append(
                RenderedDocument(
                    bundle.exhibit_document(exhibit), f"EX-{exhibit.number}", context["meta"], html
                )
            )
        graphics += [g for g in markdown.graphics.values() if g not in graphics]
        taxonomy = {}
        if tagger.enabled:
            try:
                taxonomy = Dts(tagger).files()
            except MissingLabel as error:
                raise RenderError(
                    Problem(
                        SourceLocation(bundle.folder / "filing.yaml"),
                        f"no standard label for {error} in form8k's label table "
                        "(form8k/xbrl/labels.py); EDGAR requires one",
                    )
                ) from None
        locations = fact_locations(bundle, tagger) if tagger.enabled else {}
        return RenderedFiling(documents, graphics, problems, taxonomy, tagger.facts, locations)

    def _inline(self, text: str) -> Markup:
        html, _ = self.markdown.render(text, base=SourceLocation(Path("style")), inline=True)
        return html

    def _render_8k(
        self, bundle: FilingBundle, markdown: MarkdownContext, tagger: Tagger, say: Wording
    ) -> RenderedDocument:
        context = report_context(bundle, tagger, markdown, say)
        html = self._template("8-k.htm.j2", context)
        if tagger.enabled:
            html = html.replace(HEADER_MARKER, to_ascii(tagger.render_header()), 1)
        return RenderedDocument(
            bundle.primary_document,
            bundle.filing.form_type,
            context["meta"],
            html,
            inline_xbrl=tagger.enabled,
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
        return to_ascii(inherit_in_tables(html))


def _template_location(tb: TracebackType | None, fallback: Path) -> SourceLocation:
    """The innermost template frame of a Jinja error (Jinja rewrites its line numbers)."""
    found = SourceLocation(fallback)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = SourceLocation(Path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found
