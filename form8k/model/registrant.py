"""Who files: the registrant's cover-page identity, its Section 12(b) classes, its signatory,
and the company profile (a registrant plus its house style, letterhead and co-registrants)."""

from __future__ import annotations

import re

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from form8k.model.base import Markdown, Schema
from form8k.model.style import HouseStyle

_MONTHS = (
    "january february march april may june july august september october november december"
).split()


def month_day(text: str) -> tuple[int, int] | None:
    """``December 31``, ``Dec 31``, ``12-31``, ``--12-31`` or ``12/31`` -> (12, 31)."""
    text = " ".join(text.strip().lower().replace(",", " ").split())
    match = re.fullmatch(r"(?:--)?(\d{1,2})[-/](\d{1,2})", text)
    if match:
        month, day = int(match.group(1)), int(match.group(2))
    else:
        match = re.fullmatch(r"([a-z]+)\.? (\d{1,2})", text)
        if match is None:
            return None
        names = [m for m in _MONTHS if m.startswith(match.group(1)) and len(match.group(1)) >= 3]
        if len(names) != 1:
            return None
        month, day = _MONTHS.index(names[0]) + 1, int(match.group(2))
    days = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    if not 1 <= month <= 12 or not 1 <= day <= days[month - 1]:
        return None
    return month, day


class Address(Schema):
    """Address of principal executive offices."""

    street: list[str] = Field(min_length=1, max_length=3)
    """Street lines, e.g. ``["128 Sidney Street"]``; a P.O. box is a line of its own."""
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
    """Trading symbol as the exchange writes it ("IMGN", "JPM PR D", "JPM/32"); leave it out
    for a class that has none (the cover shows "N/A", tagged as dei:NoTradingSymbolFlag)."""
    exchange: str | None = None
    """Name of the exchange on which the class is registered, e.g. "The Nasdaq Stock Market
    LLC"."""
    exchanges: list[str] | None = Field(default=None, min_length=1)
    """Several exchanges, for a class listed on more than one: a row of the table each."""
    member: str | None = None
    """Inline XBRL member of the class on us-gaap:StatementClassOfStockAxis, when the
    automatic choice (us-gaap's member for common stock, warrants, units; else a new one
    named after the title) is not right: "us-gaap:PreferredStockMember" or "SeriesAMember"."""

    @model_validator(mode="after")
    def _one_exchange_field(self) -> Security:
        if (self.exchange is None) == (self.exchanges is None):
            raise PydanticCustomError(
                "security-exchange",
                "give 'exchange' (one exchange) or 'exchanges' (a list), not both or neither",
            )
        return self

    @property
    def listed_on(self) -> tuple[str, ...]:
        """The exchanges the class is registered on, in the order written."""
        if self.exchanges is not None:
            return tuple(self.exchanges)
        return (self.exchange or "",)


class Signatory(Schema):
    """The officer who signs the report."""

    name: str
    """Full name, typed after "/s/" as the conformed signature."""
    title: str
    """Title, e.g. "Chief Financial Officer"."""
    capacity: str | None = None
    """A line under the title, e.g. "(Principal Accounting Officer)"."""


class Registrant(Schema):
    """One registrant as the cover page identifies it."""

    name: str
    """Exact name of registrant as specified in its charter, as the cover prints it."""
    conformed_name: str | None = None
    """EDGAR's conformed name, when it differs from the printed name (e.g. "NVIDIA CORP"
    for "NVIDIA CORPORATION"): the Inline XBRL fact carries it, tagged in place where the
    printed name begins with it, else kept hidden behind the printed name."""
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
    former_address: Address | None = None
    """A former address of principal executive offices that the cover prints under the
    current one (tagged on dei:EntityAddressesAddressTypeAxis as dei:FormerAddressMember)."""
    former_name_or_address: str | None = None
    """Former name or former address, if changed since last report ("Not Applicable", "N/A",
    or the former name); left out, the line is not printed; ``""`` prints the caption under
    an empty line."""
    section_12b_securities: list[Security] = []
    """Securities registered pursuant to Section 12(b) of the Act."""
    section_12b_note: Markdown | None = None
    """A note printed under the Section 12(b) table."""
    section_12g: str | None = None
    """Securities registered pursuant to Section 12(g) of the Act, e.g. "None"; the line is
    printed only when this is given."""
    emerging_growth_company: bool = False
    """Whether the registrant is an emerging growth company (Rule 405 / Rule 12b-2)."""
    elected_not_to_use_extended_transition_period: bool = False
    """An emerging growth company's election not to use the extended transition period."""
    fiscal_year_end: str | None = None
    """The last day of the fiscal year, as month and day ("December 31", "12-31"); the cover
    page tags it (dei:CurrentFiscalYearEndDate) when the filing reports Item 5.03."""
    signatory: Signatory | None = None
    """Default signatory of the report for this registrant."""

    @field_validator("fiscal_year_end")
    @classmethod
    def _month_day(cls, value: str | None) -> str | None:
        if value is not None and month_day(value) is None:
            raise PydanticCustomError(
                "fiscal-year-end",
                "fiscal_year_end must be a month and a day, like 'December 31' or '12-31'; "
                "got '{value}'",
                {"value": value},
            )
        return value

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

    @property
    def edgar_name(self) -> str:
        """The name EDGAR knows the registrant by (the value of dei:EntityRegistrantName)."""
        return self.conformed_name or self.name


class CoRegistrant(Registrant):
    """Another registrant of a combined filing (a subsidiary filing with its parent)."""

    key: str = Field(pattern=r"^[a-z][a-z0-9-]{0,30}$")
    """Short name that filing.yaml's ``co_registrants`` uses, e.g. "comed"."""
    member: str | None = None
    """Inline XBRL member on dei:LegalEntityAxis; by default one named after the registrant."""


class Contact(Schema):
    """A press-release contact (investors or media)."""

    audience: str | None = None
    """Who should call: "Investors" or "Media" (printed in bold above the name)."""
    name: str
    """Contact's name."""
    title: str | None = None
    """Contact's job title."""
    organization: str | None = None
    """Firm or department, e.g. an outside agency or "Investor Relations"."""
    phone: str | None = None
    """Telephone number with area code."""
    email: str | None = None
    """E-mail address, printed as text (EDGAR allows no mailto links)."""


class Company(Registrant):
    """The registrant's profile, shared by its filings; a filing may override any field."""

    prefix: str
    """File-name prefix of the submission's documents (lower-case ticker or similar)."""
    website: str | None = None
    """The company's web address; names the namespace of its Inline XBRL extension schema
    (always written with ``http://``, as EDGAR requires; without it, ``http://{prefix}.com``)."""
    logo: str | None = None
    """Letterhead logo, a .jpg or .gif file relative to the YAML file that names it."""
    fax: str | None = None
    """Fax number for the press-release letterhead."""
    about: Markdown | None = None
    """The "About the company" paragraph appended to press releases."""
    forward_looking_statements: Markdown | None = None
    """The safe-harbor paragraph appended to press releases."""
    legal_notice: Markdown | None = None
    """The legal notice printed after a press release's end mark (trademarks, copyright)."""
    contacts: list[Contact] = []
    """Default press-release contacts."""
    co_registrants: list[CoRegistrant] = []
    """The other registrants of combined filings (e.g. a parent's utility subsidiaries); a
    filing names those that join it in ``co_registrants``."""
    style: HouseStyle = HouseStyle()
    """The house style: wording and layout where real filings differ (cover captions,
    signature block, exhibit index, press releases)."""

    @field_validator("prefix")
    @classmethod
    def _check_prefix(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9]{1,20}", value):
            raise ValueError(
                f"prefix must be 1 to 20 lower-case letters or digits (EDGAR file names), "
                f"got {value!r}"
            )
        return value

    @model_validator(mode="after")
    def _distinct_co_registrants(self) -> Company:
        keys = [co.key for co in self.co_registrants]
        for key in keys:
            if keys.count(key) > 1:
                raise ValueError(f"co-registrant key {key!r} is used twice")
        return self

    @property
    def about_heading(self) -> str:
        """Heading of the boilerplate paragraph."""
        return self.style.release.about_heading.format(company=self.name)
