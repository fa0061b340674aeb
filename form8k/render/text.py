"""One filing's Markdown: rendered with the filing's link and image policies, its problems
collected, the images it shows gathered as GRAPHIC documents of the submission."""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup

from form8k.errors import Problem, Severity, SourceLocation
from form8k.load import GRAPHIC_SUFFIXES, image_matches_suffix
from form8k.load.limits import RENDERED_BYTES, RENDERED_ELEMENTS, html_elements
from form8k.markdown import MarkdownRenderer
from form8k.model import EDGAR_ARCHIVES, FilingBundle, Graphic

EDGAR_VIEWER = "https://www.sec.gov/ix?doc=/Archives/edgar/data/"


class MarkdownContext:
    """Renders one filing's Markdown with that filing's link and image policies."""

    def __init__(self, renderer: MarkdownRenderer, bundle: FilingBundle, problems: list[Problem]):
        self.renderer = renderer
        self.bundle = bundle
        self.problems = problems
        self.graphics: dict[Path, Graphic] = {}
        self.rendered = 0
        """Bytes of HTML the filing's Markdown has rendered to so far."""
        self.elements = 0
        """HTML elements the filing's Markdown has rendered to so far."""
        self.stopped = False
        """Whether a text went past a limit: nothing more is rendered."""
        self.documents = {bundle.primary_document} | {
            bundle.exhibit_document(exhibit)
            for exhibit in bundle.filing.exhibits
            if exhibit.has_document
        }

    def __call__(
        self,
        text: str,
        base: SourceLocation,
        *,
        lead: str | None = None,
        inline: bool = False,
    ) -> Markup:
        """``text`` as HTML; once a text has gone past a limit, or the filing's Markdown has
        rendered to more than RENDERED_BYTES or RENDERED_ELEMENTS (an error, at the text that
        went past it), nothing more is rendered."""
        if self.stopped:
            return Markup("")
        html, problems = self.renderer.render(
            text, base=base, links=self.link, images=self.image, lead=lead, inline=inline
        )
        self.problems.extend(problems)
        # Markdown's only errors are its limits: the filing fails, and nothing more of it is
        # worth the time to render.
        self.stopped = any(problem.severity is Severity.ERROR for problem in problems)
        self.rendered += len(html)
        self.elements += html_elements(html)
        what = "with this text, the filing's Markdown renders to"
        if self.rendered > RENDERED_BYTES.value:
            what += f" {self.rendered:,} bytes of HTML"
            self.problems.append(RENDERED_BYTES.problem(base, what))
            self.stopped = True
        elif self.elements > RENDERED_ELEMENTS.value:
            what += f" {self.elements:,} HTML elements"
            self.problems.append(RENDERED_ELEMENTS.problem(base, what))
            self.stopped = True
        return html

    def link(self, href: str) -> str | None:
        """Links EDGAR accepts: this submission's documents (and places in them) and EDGAR's
        own archives."""
        document = href.split("#", 1)[0]
        if (document in self.documents or href.startswith("#")) or href.startswith(
            (EDGAR_ARCHIVES, EDGAR_VIEWER)
        ):
            return href
        return None

    def image(self, src: str) -> str | None:
        """A .jpg or .gif file of the filing folder, renamed for the submission."""
        folder = self.bundle.folder
        try:
            path = (folder / src).resolve()
            if (
                "://" in src
                or not path.is_relative_to(folder.resolve())
                or path.suffix.lower() not in GRAPHIC_SUFFIXES
                or not path.is_file()
                or not image_matches_suffix(path)
            ):
                return None
        except (OSError, ValueError):
            return None  # a name the system cannot take (too long, a NUL in it): no image
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
