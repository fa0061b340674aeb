"""A loaded filing, ready to check and render: the validated model with its source files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from form8k.errors import SourceMap
from form8k.model.documents import ExhibitDocument, PressRelease
from form8k.model.filing import TAGGING_PHASE_IN, Exhibit, Filing
from form8k.model.registrant import Company, CoRegistrant, Registrant
from form8k.model.style import HouseStyle


@dataclass(frozen=True)
class MarkdownSource:
    """A Markdown text of the filing folder: the file, its text and where the text starts."""

    path: Path
    body: str
    body_line: int = 1


@dataclass(frozen=True)
class Graphic:
    """An image that goes into the submission as a GRAPHIC document."""

    name: str
    """File name in the submission."""
    path: Path
    """Source file."""


@dataclass(frozen=True)
class ExhibitSource:
    """An exhibit of this filing together with its parsed source file."""

    exhibit: Exhibit
    front_matter: PressRelease | ExhibitDocument | None
    """None for an exhibit made of page images."""
    body: str
    path: Path
    """The Markdown file it came from (the filing folder for page images)."""
    sources: SourceMap
    """Where each front-matter value was written."""
    body_line: int = 1
    """The line of the Markdown file the body starts on."""
    schedules: tuple[MarkdownSource, ...] = ()
    """A press release's schedules, each from its own Markdown file."""
    pages: tuple[Graphic, ...] = ()
    """The page images of an exhibit of kind ``images``."""


@dataclass(frozen=True)
class FilingBundle:
    """Everything one filing is made of, validated: the unit the pipeline checks and renders."""

    key: str
    """The filing folder relative to content/, e.g. "immunogen/2005-09-07-hun901"."""
    folder: Path
    company: Company
    filing: Filing
    filing_sources: SourceMap
    """Where each value of filing.yaml was written."""
    company_sources: SourceMap
    """Where each company value was written (company.yaml, or the filing's overrides)."""
    exhibits: dict[str, ExhibitSource] = field(default_factory=dict)
    """Exhibits with a source file, by exhibit number."""
    logo: Graphic | None = None
    unreferenced_documents: tuple[Path, ...] = ()
    """Markdown files in the filing folder that no exhibit names as its source."""

    @property
    def style(self) -> HouseStyle:
        """The house style in force for this filing (the company's, with the filing's changes)."""
        return self.company.style

    @property
    def co_registrants(self) -> list[CoRegistrant]:
        """The co-registrants that join this filing, in the profile's order."""
        chosen = self.filing.co_registrants
        return [co for co in self.company.co_registrants if chosen is None or co.key in chosen]

    @property
    def registrants(self) -> list[Registrant]:
        """Every registrant of the filing, the company first."""
        return [self.company, *self.co_registrants]

    def registrant_sources(self, index: int) -> tuple[SourceMap, tuple[str | int, ...]]:
        """Where the ``index``-th registrant's values were written: (source map, key prefix)."""
        if index == 0:
            return self.company_sources, ()
        co = self.co_registrants[index - 1]
        return self.company_sources, ("co_registrants", self.company.co_registrants.index(co))

    @property
    def document_stem(self) -> str:
        """``{prefix}-{yyyymmdd}``: the primary document's name without extension."""
        return f"{self.company.prefix}-{self.filing.date_of_report:%Y%m%d}"

    @property
    def primary_document(self) -> str:
        """File name of the 8-K itself."""
        return f"{self.document_stem}.htm"

    def exhibit_document(self, exhibit: Exhibit) -> str:
        """File name of an exhibit of this submission, e.g. ``imgn-ex99-1.htm``."""
        return f"{self.company.prefix}-ex{exhibit.number.replace('.', '-')}.htm"

    @property
    def tagged(self) -> bool:
        """Whether the cover page is tagged in Inline XBRL."""
        if self.filing.inline_xbrl is not None:
            return self.filing.inline_xbrl
        return self.filing.filing_date >= TAGGING_PHASE_IN

    @property
    def extra_document_names(self) -> list[str]:
        """The extension schema and linkbases of a tagged cover page."""
        if not self.tagged:
            return []
        stem = self.document_stem
        return [f"{stem}.xsd", f"{stem}_lab.xml", f"{stem}_pre.xml", f"{stem}_def.xml"]

    def exhibit_href(self, exhibit: Exhibit) -> str | None:
        """Where the exhibit index links: the document in this submission, or on EDGAR."""
        if exhibit.previously_filed is not None:
            return exhibit.previously_filed
        if exhibit.has_document:
            return self.exhibit_document(exhibit)
        return None
