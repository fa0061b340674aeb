"""Facts about the taxonomies an Inline XBRL cover page uses, as data with their sources.

Which dei and us-gaap release goes with which filing date, the cover-page concepts in display
order, the us-gaap members for common classes of securities, and the names the SEC's
transformations turn into exchange and state codes. A correction is a one-line change.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

#: EDGAR Release 25.4 accepts the dei 2024 and 2025 taxonomies (../shared/reference/edgar.md);
#: each year's release is taken from the first of its year (verify against EDGAR's release
#: notes, which name the day a taxonomy is accepted and the day the previous one is retired).
#: A filing can choose another year with ``taxonomy_year``.
TAXONOMY_YEARS: tuple[tuple[dt.date, int], ...] = (
    (dt.date(2019, 1, 1), 2019),
    (dt.date(2020, 1, 1), 2020),
    (dt.date(2021, 1, 1), 2021),
    (dt.date(2022, 1, 1), 2022),
    (dt.date(2023, 1, 1), 2023),
    (dt.date(2024, 1, 1), 2024),
    (dt.date(2025, 1, 1), 2025),
)


#: Inline XBRL namespaces and the transformation registries EDGAR accepts.
NS = {
    "xhtml": "http://www.w3.org/1999/xhtml",
    "ix": "http://www.xbrl.org/2013/inlineXBRL",
    "ixt": "http://www.xbrl.org/inlineXBRL/transformation/2020-02-12",
    "ixt-sec": "http://www.sec.gov/inlineXBRL/transformation/2015-08-31",
    "xbrli": "http://www.xbrl.org/2003/instance",
    "xbrldi": "http://xbrl.org/2006/xbrldi",
    "xbrldt": "http://xbrl.org/2005/xbrldt",
    "link": "http://www.xbrl.org/2003/linkbase",
    "xlink": "http://www.w3.org/1999/xlink",
    "xs": "http://www.w3.org/2001/XMLSchema",
    "dtr-types": "http://www.xbrl.org/dtr/type/2022-03-31",
}
DTR_TYPES_SCHEMA = "https://www.xbrl.org/dtr/type/2022-03-31/types.xsd"
CIK_SCHEME = "http://www.sec.gov/CIK"


@dataclass(frozen=True)
class Taxonomies:
    """The dei and us-gaap releases of one year: namespaces and schema locations."""

    year: int

    @property
    def dei_namespace(self) -> str:
        return f"http://xbrl.sec.gov/dei/{self.year}"

    @property
    def dei_schema(self) -> str:
        return f"https://xbrl.sec.gov/dei/{self.year}/dei-{self.year}.xsd"

    @property
    def us_gaap_namespace(self) -> str:
        # FASB dropped the month and day from the namespace with the 2022 release.
        if self.year <= 2021:
            return f"http://fasb.org/us-gaap/{self.year}-01-31"
        return f"http://fasb.org/us-gaap/{self.year}"

    @property
    def us_gaap_schema(self) -> str:
        if self.year <= 2021:
            return f"https://xbrl.fasb.org/us-gaap/{self.year}/elts/us-gaap-{self.year}-01-31.xsd"
        return f"https://xbrl.fasb.org/us-gaap/{self.year}/elts/us-gaap-{self.year}.xsd"


def taxonomies_for(filing_date: dt.date, year: int | None = None) -> Taxonomies:
    """The taxonomies a filing of ``filing_date`` uses (``year`` overrides the table)."""
    if year is not None:
        return Taxonomies(year)
    chosen = TAXONOMY_YEARS[0][1]
    for since, release in TAXONOMY_YEARS:
        if filing_date >= since:
            chosen = release
    return Taxonomies(chosen)


#: Cover-page concepts in the order the cover shows them; hidden ones last.
COVER_CONCEPTS = (
    "DocumentType",
    "AmendmentDescription",
    "DocumentPeriodEndDate",
    "EntityRegistrantName",
    "EntityIncorporationStateCountryCode",
    "EntityFileNumber",
    "EntityTaxIdentificationNumber",
    "EntityAddressAddressLine1",
    "EntityAddressAddressLine2",
    "EntityAddressAddressLine3",
    "EntityAddressCityOrTown",
    "EntityAddressStateOrProvince",
    "EntityAddressPostalZipCode",
    "CityAreaCode",
    "LocalPhoneNumber",
    "WrittenCommunications",
    "SolicitingMaterial",
    "PreCommencementTenderOffer",
    "PreCommencementIssuerTenderOffer",
    "Security12bTitle",
    "TradingSymbol",
    "NoTradingSymbolFlag",
    "SecurityExchangeName",
    "EntityEmergingGrowthCompany",
    "EntityExTransitionPeriod",
    "EntityCentralIndexKey",
    "AmendmentFlag",
)

#: us-gaap members for the usual classes of securities; anything else gets an extension member.
US_GAAP_MEMBERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^class a (common|ordinary)", re.I), "CommonClassAMember"),
    (re.compile(r"^class b (common|ordinary)", re.I), "CommonClassBMember"),
    (re.compile(r"^class c (common|ordinary)", re.I), "CommonClassCMember"),
    (re.compile(r"^(common|ordinary) (stock|shares)", re.I), "CommonStockMember"),
    (re.compile(r"^warrants?\b", re.I), "WarrantMember"),
    (re.compile(r"^units?\b", re.I), "CapitalUnitsMember"),
)

#: Exchange names that the SEC's ``ixt-sec:exchnameen`` transformation reads, by dei code
#: (SEC Inline XBRL transformation registry 2015-08-31 and the dei exchange codes; verify).
EXCHANGE_NAMES: tuple[tuple[str, str], ...] = (
    ("The Nasdaq Stock Market LLC", "NASDAQ"),
    ("The Nasdaq Stock Market", "NASDAQ"),
    ("Nasdaq Stock Market LLC", "NASDAQ"),
    ("Nasdaq Global Select Market", "NASDAQ"),
    ("The Nasdaq Global Select Market", "NASDAQ"),
    ("Nasdaq Global Market", "NASDAQ"),
    ("The Nasdaq Global Market", "NASDAQ"),
    ("Nasdaq Capital Market", "NASDAQ"),
    ("The Nasdaq Capital Market", "NASDAQ"),
    ("New York Stock Exchange", "NYSE"),
    ("The New York Stock Exchange", "NYSE"),
    ("New York Stock Exchange LLC", "NYSE"),
    ("NYSE American LLC", "NYSEAMER"),
    ("NYSE American", "NYSEAMER"),
    ("NYSE Arca, Inc.", "NYSEArca"),
    ("NYSE Arca", "NYSEArca"),
    ("Cboe BZX Exchange, Inc.", "CboeBZX"),
    ("Cboe BZX Exchange", "CboeBZX"),
    ("Investors Exchange LLC", "IEX"),
)
EXCHANGE_CODES: dict[str, str] = {name.lower(): code for name, code in EXCHANGE_NAMES}


def exchange_code(name: str) -> str | None:
    """The dei exchange code the transformation gives for a displayed exchange name."""
    return EXCHANGE_CODES.get(" ".join(name.lower().split()))
