"""The content model: company profile, filing, items, exhibits, press release. No I/O here."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from form8k.errors import SourceMap, did_you_mean
from form8k.items import BY_NUMBER, ItemSpec

#: Release 33-10618: cover-page tagging began with large accelerated filers (fiscal periods
#: ending on or after June 15, 2019) and reached every operating company by June 15, 2021.
TAGGING_PHASE_IN = dt.date(2019, 6, 15)

Markdown = Annotated[str, Field(description="Markdown text (CommonMark, tables; no raw HTML)")]


class Schema(BaseModel):
    """Base of every content model: unknown keys are errors, fields carry docstrings."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, str_strip_whitespace=True
    )


# --- company profile (content/company.yaml) -------------------------------------------------


class Address(Schema):
    """Address of principal executive offices."""

    street: list[str] = Field(min_length=1, max_length=3)
    """Street lines, e.g. ``["128 Sidney Street"]``."""
    city: str
    """City or town."""
    state: str
    """State or province, as printed (``MA`` or ``Massachusetts``)."""
    zip: str
    """Zip code, printed under the "(Zip Code)" caption."""

    @field_validator("street", mode="before")
    @classmethod
    def _one_line_is_a_list(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


class Security(Schema):
    """One class of securities registered under Section 12(b) of the Exchange Act."""

    title: str
    """Title of each class, e.g. "Common Stock, $0.01 par value"."""
    trading_symbol: str | None = None
    """Trading symbol, e.g. "IMGN"; none for a class that has none (shown as "N/A")."""
    exchange: str
    """Name of each exchange on which registered, e.g. "The Nasdaq Stock Market LLC"."""
    member: str | None = None
    """Inline XBRL member of the class on us-gaap:StatementClassOfStockAxis, when the
    automatic choice (us-gaap's member for common stock, warrants, units; else a new one
    named after the title) is not right: "us-gaap:PreferredStockMember" or "SeriesAMember"."""


class Contact(Schema):
    """A press-release contact (investors or media)."""

    audience: str
    """Who should call: "Investors" or "Media"."""
    name: str
    """Contact's name."""
    title: str | None = None
    """Contact's job title."""
    organization: str | None = None
    """Firm, when the contact is an outside agency."""
    phone: str | None = None
    """Telephone number with area code."""
    email: str | None = None
    """E-mail address, printed as text (EDGAR allows no mailto links)."""


class Signatory(Schema):
    """The officer who signs the report."""

    name: str
    """Full name, typed after "/s/" as the conformed signature."""
    title: str
    """Title, e.g. "Chief Financial Officer"."""


class Company(Schema):
    """The registrant's profile, shared by its filings; a filing may override any field."""

    name: str
    """Exact name of registrant as specified in its charter."""
    cik: str
    """EDGAR Central Index Key, written with or without leading zeros; kept as 10 digits."""
    jurisdiction_of_incorporation: str
    """State or other jurisdiction of incorporation, e.g. "Massachusetts"."""
    file_number: str
    """Commission File Number, e.g. "0-17999"."""
    irs_employer_id: str
    """IRS Employer Identification No., e.g. "04-2726691"."""
    address: Address
    """Address of principal executive offices."""
    telephone: str
    """Registrant's telephone number, including area code."""
    fax: str | None = None
    """Fax number for the press-release letterhead."""
    former_name_or_address: str | None = None
    """Former name or former address, if changed since last report (omitted when empty)."""
    section_12b_securities: list[Security] = []
    """Securities registered pursuant to Section 12(b) of the Act."""
    emerging_growth_company: bool = False
    """Whether the registrant is an emerging growth company (Rule 405 / Rule 12b-2)."""
    elected_not_to_use_extended_transition_period: bool = False
    """An emerging growth company's election not to use the extended transition period."""
    prefix: str
    """File-name prefix of the submission's documents (lower-case ticker or similar)."""
    website: str | None = None
    """The company's web address; names the namespace of its Inline XBRL extension schema
    (without it, ``http://{prefix}.com/{yyyymmdd}``)."""
    logo: str | None = None
    """Letterhead logo, a .jpg or .gif file relative to the YAML file that names it."""
    about: Markdown | None = None
    """The "About the company" paragraph appended to press releases."""
    forward_looking_statements: Markdown | None = None
    """The safe-harbor paragraph appended to press releases."""
    contacts: list[Contact] = []
    """Default press-release contacts."""
    signatory: Signatory | None = None
    """Default signatory of the report."""

    @field_validator("cik", mode="before")
    @classmethod
    def _pad_cik(cls, value: object) -> object:
        if isinstance(value, str) and re.fullmatch(r"\d{1,10}", value.strip()):
            return value.strip().zfill(10)
        if isinstance(value, str):
            raise PydanticCustomError(
                "cik-format", "CIK must be 1 to 10 digits, got '{value}'", {"value": value}
            )
        return value

    @field_validator("prefix")
    @classmethod
    def _check_prefix(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9]{1,20}", value):
            raise ValueError(
                f"prefix must be 1 to 20 lower-case letters or digits (EDGAR file names), "
                f"got {value!r}"
            )
        return value

    @property
    def about_heading(self) -> str:
        """Heading of the boilerplate paragraph."""
        return f"About {self.name}"


# --- filing (content/<filing>/filing.yaml) ---------------------------------------------------


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


EDGAR_ARCHIVES = "https://www.sec.gov/Archives/edgar/data/"


class Exhibit(Schema):
    """One exhibit listed in Item 9.01: a document of this filing or one filed before."""

    number: str = Field(pattern=r"^\d{1,3}(\.\d{1,3})?$")
    """Exhibit number as Regulation S-K Item 601 writes it, e.g. "99.1"."""
    description: str
    """Description printed in the exhibit index."""
    source: str | None = None
    """Markdown file of this exhibit, relative to the filing folder."""
    kind: Literal["press-release", "document"] = "press-release"
    """Template for ``source``: a press release, or a plain document with a title."""
    previously_filed: str | None = None
    """EDGAR address of an exhibit filed before (https://www.sec.gov/Archives/edgar/data/...)."""

    @model_validator(mode="after")
    def _one_source(self) -> Exhibit:
        if (self.source is None) == (self.previously_filed is None):
            raise ValueError("give either 'source' (a file of this filing) or 'previously_filed'")
        if self.previously_filed is not None and not self.previously_filed.startswith(
            EDGAR_ARCHIVES
        ):
            raise ValueError(
                f"previously_filed must be an EDGAR address starting with {EDGAR_ARCHIVES}"
            )
        return self

    @property
    def sort_key(self) -> tuple[int, int]:
        """Numeric order: 10.1 < 99.1 < 99.2 < 99.10 < 104."""
        major, _, minor = self.number.partition(".")
        return int(major), int(minor or 0)


class SignatureInput(Schema):
    """The signature block; anything left out comes from the company's signatory."""

    name: str | None = None
    """Signatory's name, typed after "/s/"."""
    title: str | None = None
    """Signatory's title."""
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
    signature: SignatureInput = SignatureInput()
    """Signature block."""
    company: dict[str, object] = {}
    """Company fields that differ for this filing (e.g. a former name)."""
    inline_xbrl: bool | None = None
    """Tag the cover page in Inline XBRL; by default, when filed since the 2019 phase-in."""
    taxonomy_year: int | None = Field(default=None, ge=2019)
    """The dei/us-gaap taxonomy year, when not the one for the filing date."""

    @property
    def sorted_items(self) -> list[Item]:
        """Items in numeric order."""
        return sorted(self.items, key=lambda item: item.spec.sort_key)

    @property
    def sorted_exhibits(self) -> list[Exhibit]:
        """Exhibits in numeric order."""
        return sorted(self.exhibits, key=lambda exhibit: exhibit.sort_key)


# --- exhibit documents (Markdown with YAML front matter) -------------------------------------


class Dateline(Schema):
    """The dateline that opens a press release's first paragraph."""

    city: str
    """City and state as printed, e.g. "CAMBRIDGE, MA"."""
    date: dt.date
    """Release date."""


class PressRelease(Schema):
    """Front matter of a press release furnished as an exhibit."""

    headline: str
    """Headline."""
    subheadline: str | None = None
    """Sub-headline printed under the headline."""
    dateline: Dateline
    """City and date that open the first paragraph."""
    release_time: str = "For Immediate Release"
    """Release instruction, e.g. "For Immediate Release"."""
    contacts: list[Contact] | None = None
    """Contacts; the company's when left out."""
    boilerplate: bool = True
    """Append the company's "About" and forward-looking-statements paragraphs."""


class ExhibitDocument(Schema):
    """Front matter of a plain exhibit document."""

    title: str
    """Title printed at the top of the exhibit."""


# --- a loaded filing, ready to check and render ----------------------------------------------


@dataclass(frozen=True)
class ExhibitSource:
    """An exhibit of this filing together with its parsed source file."""

    exhibit: Exhibit
    front_matter: PressRelease | ExhibitDocument
    body: str
    path: Path
    """The Markdown file it came from."""
    sources: SourceMap
    """Where each front-matter value was written."""
    body_line: int = 1
    """The line of the Markdown file the body starts on."""


@dataclass(frozen=True)
class Graphic:
    """An image that goes into the submission as a GRAPHIC document."""

    name: str
    """File name in the submission."""
    path: Path
    """Source file."""


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

    def exhibit_href(self, exhibit: Exhibit) -> str:
        """Where the exhibit index links: the document in this submission, or on EDGAR."""
        if exhibit.previously_filed is not None:
            return exhibit.previously_filed
        return self.exhibit_document(exhibit)
