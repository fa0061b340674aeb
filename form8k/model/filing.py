"""What is filed: the form type and dates, the items, the exhibit list and the signature."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from form8k.errors import did_you_mean
from form8k.items import BY_NUMBER, ItemSpec
from form8k.model.base import Markdown, Schema

#: Release 33-10618: cover-page tagging began with large accelerated filers (fiscal periods
#: ending on or after June 15, 2019) and reached every operating company by June 15, 2021.
TAGGING_PHASE_IN = dt.date(2019, 6, 15)

EDGAR_ARCHIVES = "https://www.sec.gov/Archives/edgar/data/"


class CheckBoxes(Schema):
    """The four cover-page boxes: does this 8-K also satisfy these filing obligations?"""

    written_communications: bool = False
    """Written communications pursuant to Rule 425 under the Securities Act."""
    soliciting_material: bool = False
    """Soliciting material pursuant to Rule 14a-12 under the Exchange Act."""
    pre_commencement_tender_offer: bool = False
    """Pre-commencement communications pursuant to Rule 14d-2(b) under the Exchange Act."""
    pre_commencement_issuer_tender_offer: bool = False
    """Pre-commencement communications pursuant to Rule 13e-4(c) under the Exchange Act."""


class Item(Schema):
    """One Form 8-K item reported in the filing."""

    number: str
    """Item number as the form writes it, e.g. "8.01"."""
    title: str | None = None
    """The item's title as this filing prints it, when not the form's current wording
    (e.g. a 2005 filing's "Departure of Directors or Principal Officers; ...")."""
    body: Markdown = ""
    """The item's text."""

    @field_validator("number")
    @classmethod
    def _known_item(cls, value: str) -> str:
        if value not in BY_NUMBER:
            raise PydanticCustomError(
                "item-unknown",
                "unknown item '{value}': Form 8-K has items 1.01 to 9.01{hint}",
                {"value": value, "hint": did_you_mean(value, BY_NUMBER)},
            )
        return value

    @property
    def spec(self) -> ItemSpec:
        """The catalog entry: official title and rules."""
        return BY_NUMBER[self.number]

    @property
    def heading_title(self) -> str:
        """The title printed in the item's heading."""
        return self.title or self.spec.title


class Exhibit(Schema):
    """One exhibit listed in Item 9.01: a document of this filing, one filed before, or a row
    of the index only (Exhibit 101 or 104 in the filer's own words)."""

    number: str = Field(pattern=r"^\d{1,3}(\.\d{1,3})?$")
    """Exhibit number as Regulation S-K Item 601 writes it, e.g. "99.1"."""
    description: str
    """Description printed in the exhibit index."""
    source: str | None = None
    """Markdown file of this exhibit, relative to the filing folder."""
    kind: Literal["press-release", "document", "images"] = "press-release"
    """What ``source`` is: a press release, a plain document with a title (an agreement, a
    plan, a letter), or a document made only of page images (``pages``)."""
    pages: list[str] = []
    """For ``kind: images``: the page images (.jpg or .gif files of the filing folder), in
    order."""
    previously_filed: str | None = None
    """EDGAR address of an exhibit filed before (https://www.sec.gov/Archives/edgar/data/...)."""
    index_only: bool = False
    """A row of the exhibit index with no document of its own (e.g. Exhibit 104)."""
    status: Literal["filed", "furnished"] | None = None
    """Whether the exhibit is filed or furnished, for the index's marks (``style.exhibit_index.
    marks``)."""

    @model_validator(mode="after")
    def _one_source(self) -> Exhibit:
        given = [
            name
            for name, present in (
                ("source", self.source is not None or bool(self.pages)),
                ("previously_filed", self.previously_filed is not None),
                ("index_only", self.index_only),
            )
            if present
        ]
        if len(given) != 1:
            raise ValueError(
                "give one of 'source' (a file of this filing; 'pages' for page images), "
                "'previously_filed' or 'index_only: true'"
            )
        if self.kind == "images" and (self.source is not None or not self.pages):
            raise ValueError("an exhibit of kind 'images' lists its page images in 'pages'")
        if self.pages and self.kind != "images":
            raise ValueError("'pages' belongs to an exhibit of kind 'images'")
        if self.previously_filed is not None and not self.previously_filed.startswith(
            EDGAR_ARCHIVES
        ):
            raise ValueError(
                f"previously_filed must be an EDGAR address starting with {EDGAR_ARCHIVES}"
            )
        return self

    @property
    def has_document(self) -> bool:
        """Whether the exhibit is a document of this submission."""
        return self.source is not None or bool(self.pages)

    @property
    def sort_key(self) -> tuple[int, int]:
        """Numeric order: 10.1 < 99.1 < 99.2 < 99.10 < 104."""
        major, _, minor = self.number.partition(".")
        return int(major), int(minor or 0)


class SignatureInput(Schema):
    """The signature block; anything left out comes from the registrant's signatory."""

    name: str | None = None
    """Signatory's name, typed after "/s/"."""
    title: str | None = None
    """Signatory's title."""
    capacity: str | None = None
    """A line under the title, e.g. "(Principal Accounting Officer)"."""
    date: dt.date | None = None
    """Date signed; defaults to the filing date."""


class Filing(Schema):
    """One Form 8-K (or 8-K/A) submission."""

    form_type: Literal["8-K", "8-K/A"] = "8-K"
    """Form type: "8-K", or "8-K/A" for an amendment."""
    amendment_number: int | None = Field(default=None, ge=1)
    """Amendment No., for an 8-K/A."""
    explanatory_note: Markdown | None = None
    """The amendment's purpose, printed before the items of an 8-K/A."""
    date_of_report: dt.date
    """Date of report (date of earliest event reported)."""
    filing_date: dt.date
    """Date the filing is submitted to EDGAR."""
    check_boxes: CheckBoxes = CheckBoxes()
    """The four Rule 425 / 14a-12 / 14d-2(b) / 13e-4(c) boxes."""
    items: list[Item] = Field(min_length=1)
    """The items reported, in any order; they print in numeric order."""
    exhibits: list[Exhibit] = []
    """Exhibits listed in Item 9.01."""
    exhibit_index_notes: Markdown | None = None
    """Text printed under the exhibit index (e.g. what an asterisk means)."""
    signature: SignatureInput = SignatureInput()
    """Signature block of the (first) registrant."""
    co_registrants: list[str] | None = None
    """Keys of the company's co-registrants that join this filing (a combined filing); all of
    them when left out, none with ``[]``."""
    company: dict[str, object] = {}
    """Company fields that differ for this filing (e.g. a former name)."""
    style: dict[str, object] = {}
    """House-style settings that differ for this filing (see company.yaml's ``style``)."""
    inline_xbrl: bool | None = None
    """Tag the cover page in Inline XBRL; by default, when filed since the 2019 phase-in."""
    taxonomy_year: int | None = Field(default=None, ge=2019)
    """The dei/us-gaap taxonomy year, when not the newest that EDGAR accepts on the filing
    date."""

    @property
    def sorted_items(self) -> list[Item]:
        """Items in numeric order."""
        return sorted(self.items, key=lambda item: item.spec.sort_key)

    @property
    def sorted_exhibits(self) -> list[Exhibit]:
        """Exhibits in numeric order."""
        return sorted(self.exhibits, key=lambda exhibit: exhibit.sort_key)
