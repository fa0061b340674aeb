"""Facts about the taxonomies an Inline XBRL cover page uses, as data with their sources.

Which dei and us-gaap release goes with which filing date, the cover-page concepts in display
order, the us-gaap members for common classes of securities, and the names the SEC's
transformations turn into exchange and state codes. A correction is a one-line change.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class EdgarRelease:
    """An EDGAR release: when it went live and which taxonomy years it accepts."""

    number: str
    live: dt.date
    """The day it went live (the taxonomies it lists are accepted from then on)."""
    dei: tuple[int, ...]
    """dei taxonomy years accepted."""
    us_gaap: tuple[int, ...]
    """us-gaap taxonomy years accepted."""
    source: str


_LIST = "the SEC's list edgartaxonomies-{} (EDGAR plugin for Arelle)"

#: Which dei and us-gaap years EDGAR accepts, release by release: the years are those of the
#: SEC's own per-release lists (named in ``source``); the dates are when each release went live,
#: "confirmed" from the SEC's notices as quoted in the plugin's change history, or "inferred"
#: from when the plugin switched to the release's list (verify those). Only releases that
#: changed the accepted years are listed. As a rule each March release adds the new year and
#: each June release retires the oldest; 26.2, which would have retired 2024 on 2026-06-15,
#: was cancelled. A new release is one more row.
EDGAR_RELEASES: tuple[EdgarRelease, ...] = (
    EdgarRelease(
        "19.2",
        dt.date(2019, 6, 10),
        (2018, 2019),
        (2018, 2019),
        _LIST.format("19-2") + "; date confirmed",
    ),
    EdgarRelease(
        "20.1",
        dt.date(2020, 3, 9),
        (2018, 2019),
        (2018, 2019, 2020),
        _LIST.format("20-1") + "; date inferred",
    ),
    EdgarRelease(
        "20.2",
        dt.date(2020, 6, 29),
        (2018, 2019, 2020),
        (2019, 2020),
        _LIST.format("20-2") + "; date inferred",
    ),
    EdgarRelease(
        "20.3",
        dt.date(2020, 9, 21),
        (2019, 2020),
        (2019, 2020),
        _LIST.format("20-3") + "; date inferred",
    ),
    EdgarRelease(
        "21.1",
        dt.date(2021, 3, 22),
        (2019, 2020, 2021),
        (2019, 2020, 2021),
        _LIST.format("21-1") + "; date inferred",
    ),
    EdgarRelease(
        "21.2",
        dt.date(2021, 6, 21),
        (2020, 2021),
        (2020, 2021),
        _LIST.format("21-2") + "; date inferred",
    ),
    EdgarRelease(
        "22.1",
        dt.date(2022, 3, 21),
        (2020, 2021, 2022),
        (2020, 2021, 2022),
        _LIST.format("22-1") + "; date confirmed",
    ),
    EdgarRelease(
        "22.2",
        dt.date(2022, 6, 20),
        (2021, 2022),
        (2021, 2022),
        _LIST.format("22-2") + "; date confirmed",
    ),
    EdgarRelease(
        "23.1",
        dt.date(2023, 3, 20),
        (2021, 2022, 2023),
        (2021, 2022, 2023),
        _LIST.format("23-1") + "; date inferred",
    ),
    EdgarRelease(
        "23.2",
        dt.date(2023, 6, 20),
        (2022, 2023),
        (2022, 2023),
        _LIST.format("23-2") + "; date inferred",
    ),
    EdgarRelease(
        "24.1",
        dt.date(2024, 3, 18),
        (2022, 2023, 2024),
        (2022, 2023, 2024),
        _LIST.format("24-1") + "; date inferred",
    ),
    EdgarRelease(
        "24.2",
        dt.date(2024, 6, 17),
        (2023, 2024),
        (2023, 2024),
        _LIST.format("24-2") + "; date inferred",
    ),
    EdgarRelease(
        "25.1",
        dt.date(2025, 3, 17),
        (2023, 2024, 2025),
        (2023, 2024, 2025),
        _LIST.format("25-1") + "; deployed 2025-03-14 (confirmed), live the next business day",
    ),
    EdgarRelease(
        "25.2",
        dt.date(2025, 6, 13),
        (2024, 2025),
        (2024, 2025),
        _LIST.format("25-2") + "; date confirmed",
    ),
    EdgarRelease(
        "26.1",
        dt.date(2026, 3, 16),
        (2024, 2025, 2026),
        (2024, 2025, 2026),
        _LIST.format("26-1") + " (a later plugin than the one in ../shared/efm); date confirmed",
    ),
)


def release_on(day: dt.date) -> EdgarRelease:
    """The EDGAR release in force on ``day`` (the first one for earlier days)."""
    current = EDGAR_RELEASES[0]
    for release in EDGAR_RELEASES:
        if release.live <= day:
            current = release
    return current


@dataclass(frozen=True)
class TaxonomyFile:
    """One year of a standard taxonomy: its namespace and the schema EDGAR lists for it."""

    namespace: str
    schema: str


def _dated(family: str, host: str, scheme: str, year: int) -> TaxonomyFile:
    """The 2019 and 2020 releases: ``.../dei/2019-01-31`` at ``.../dei-2019-01-31.xsd``."""
    ns_host = "fasb.org" if family == "us-gaap" else host
    folder = f"{scheme}://{host}/{family}/{year}/" + ("elts/" if family == "us-gaap" else "")
    return TaxonomyFile(
        f"http://{ns_host}/{family}/{year}-01-31", f"{folder}{family}-{year}-01-31.xsd"
    )


def _plain(family: str, host: str, year: int) -> TaxonomyFile:
    """From 2021 on (2022 for us-gaap's namespace): ``.../dei/2021`` at ``.../dei-2021.xsd``."""
    ns_host = "fasb.org" if family == "us-gaap" else host
    folder = f"https://{host}/{family}/{year}/" + ("elts/" if family == "us-gaap" else "")
    if family == "us-gaap" and year == 2021:  # FASB kept the month and day one year longer
        return TaxonomyFile(
            f"http://{ns_host}/{family}/2021-01-31", f"{folder}{family}-2021-01-31.xsd"
        )
    return TaxonomyFile(f"http://{ns_host}/{family}/{year}", f"{folder}{family}-{year}.xsd")


#: Namespaces and schema locations, exactly as EDGAR lists them (the plugin's
#: edgartaxonomies-all-years.xml): us-gaap 2019 and 2020 are served over http only.
TAXONOMY_FILES: dict[str, dict[int, TaxonomyFile]] = {
    "dei": {
        **{y: _dated("dei", "xbrl.sec.gov", "https", y) for y in (2019, 2020)},
        **{y: _plain("dei", "xbrl.sec.gov", y) for y in range(2021, 2027)},
    },
    "exch": {
        **{y: _dated("exch", "xbrl.sec.gov", "https", y) for y in (2019, 2020)},
        **{y: _plain("exch", "xbrl.sec.gov", y) for y in range(2021, 2027)},
    },
    "us-gaap": {
        **{y: _dated("us-gaap", "xbrl.fasb.org", "http", y) for y in (2019, 2020)},
        **{y: _plain("us-gaap", "xbrl.fasb.org", y) for y in range(2021, 2027)},
    },
}
TAXONOMY_YEARS = tuple(sorted(TAXONOMY_FILES["dei"]))


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
    """The dei, us-gaap and exch releases of one year."""

    year: int

    def file(self, family: str) -> TaxonomyFile:
        return TAXONOMY_FILES[family][self.year]

    @property
    def dei_namespace(self) -> str:
        return self.file("dei").namespace

    @property
    def dei_schema(self) -> str:
        return self.file("dei").schema

    @property
    def us_gaap_namespace(self) -> str:
        return self.file("us-gaap").namespace

    @property
    def us_gaap_schema(self) -> str:
        return self.file("us-gaap").schema

    @property
    def exch_namespace(self) -> str:
        return self.file("exch").namespace

    @property
    def exch_schema(self) -> str:
        return self.file("exch").schema


def taxonomies_for(filing_date: dt.date, year: int | None = None) -> Taxonomies:
    """The taxonomies a filing of ``filing_date`` uses: the newest year EDGAR accepts that
    day, unless ``year`` chooses another."""
    if year is not None:
        return Taxonomies(year)
    release = release_on(filing_date)
    # From 2021 on EDGAR takes only a dei and a us-gaap of the same year (the plugin's
    # taxonomy-compatibility.json), so the year must be accepted for both.
    accepted = set(release.dei) & set(release.us_gaap) & set(TAXONOMY_YEARS)
    return Taxonomies(max(accepted, default=TAXONOMY_YEARS[0]))


def accepted_years(filing_date: dt.date) -> tuple[int, ...]:
    """The taxonomy years EDGAR accepts for a cover page filed on ``filing_date``."""
    release = release_on(filing_date)
    return tuple(sorted(set(release.dei) & set(release.us_gaap) & set(TAXONOMY_YEARS)))


#: Cover-page concepts in the order the cover shows them; hidden ones last.
COVER_CONCEPTS = (
    "DocumentType",
    "AmendmentDescription",
    "DocumentPeriodEndDate",
    "EntityRegistrantName",
    "EntityInformationFormerLegalOrRegisteredName",
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
    "Security12gTitle",
    "CurrentFiscalYearEndDate",
    "EntityCentralIndexKey",
    "AmendmentFlag",
)

#: us-gaap members for the usual classes of securities; anything else (notes, units, rights,
#: depositary shares) gets an extension member. Units are left out on purpose: us-gaap's
#: CapitalUnitsMember belongs to the equity-components axis, not the class-of-stock axis.
US_GAAP_MEMBERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^class a (common|ordinary)", re.I), "CommonClassAMember"),
    (re.compile(r"^class b (common|ordinary)", re.I), "CommonClassBMember"),
    (re.compile(r"^class c (common|ordinary)", re.I), "CommonClassCMember"),
    (re.compile(r"^(common|ordinary) (stock|shares)\b(?! purchase)", re.I), "CommonStockMember"),
    (re.compile(r"^warrants?\b", re.I), "WarrantMember"),
)
