"""The English standard labels of the standard concepts a cover page uses, as data.

EFM 6.10.01 requires a standard label (role ``http://www.xbrl.org/2003/role/label``) in the
submission's DTS for every concept used; the dei, us-gaap and exch schemas carry none (their
labels live in label linkbases a filing does not load), so the filing's own label linkbase
repeats them, as every EDGAR-accepted cover page does.

Sources: the official label linkbases (the SEC's ``dei-YYYY_lab.xml``, FASB's us-gaap labels)
could not be read here; the labels are those that filing tools which copy the standard labels
word for word (Workiva for dei 2021, 2022 and 2025; Broadridge for dei and us-gaap 2024) write
in EDGAR-accepted filings, e.g. International Flavors & Fragrances' ``iff-20250501_lab.xml``.
They agree across those years. Labels no such filing showed (the amendment description, the
12(g) title, the fiscal year end, the former name, the exchange axis and its domain, the class
A/B/C, preferred and debt members, the exchange members) follow the taxonomies' naming pattern
and are not confirmed; EFM 6.10.1 asks only that a standard label exist. A label that a dei
release words differently is listed in ``BY_YEAR``.
"""

from __future__ import annotations

LABELS: dict[str, str] = {
    # --- dei: the cover page's structure --------------------------------------------------
    "dei:CoverAbstract": "Cover [Abstract]",
    "dei:EntitiesTable": "Entities [Table]",
    "dei:EntityInformationLineItems": "Entity Information [Line Items]",
    "dei:LegalEntityAxis": "Legal Entity [Axis]",
    "dei:EntityDomain": "Entity [Domain]",
    "dei:EntityListingsExchangeAxis": "Entity Listings, Exchange [Axis]",
    "dei:ExchangeDomain": "Exchange [Domain]",
    "dei:EntityAddressesAddressTypeAxis": "Entity Addresses, Address Type [Axis]",
    "dei:AddressTypeDomain": "Address Type [Domain]",
    "dei:FormerAddressMember": "Former Address [Member]",
    # --- dei: facts -----------------------------------------------------------------------
    "dei:DocumentType": "Document Type",
    "dei:AmendmentFlag": "Amendment Flag",
    "dei:AmendmentDescription": "Amendment Description",
    "dei:DocumentPeriodEndDate": "Document Period End Date",
    "dei:EntityRegistrantName": "Entity Registrant Name",
    "dei:EntityInformationFormerLegalOrRegisteredName": (
        "Entity Information, Former Legal or Registered Name"
    ),
    "dei:EntityCentralIndexKey": "Entity Central Index Key",
    "dei:EntityIncorporationStateCountryCode": "Entity Incorporation, State or Country Code",
    "dei:EntityFileNumber": "Entity File Number",
    "dei:EntityTaxIdentificationNumber": "Entity Tax Identification Number",
    "dei:EntityAddressAddressLine1": "Entity Address, Address Line One",
    "dei:EntityAddressAddressLine2": "Entity Address, Address Line Two",
    "dei:EntityAddressAddressLine3": "Entity Address, Address Line Three",
    "dei:EntityAddressCityOrTown": "Entity Address, City or Town",
    "dei:EntityAddressStateOrProvince": "Entity Address, State or Province",
    "dei:EntityAddressPostalZipCode": "Entity Address, Postal Zip Code",
    "dei:CityAreaCode": "City Area Code",
    "dei:LocalPhoneNumber": "Local Phone Number",
    "dei:WrittenCommunications": "Written Communications",
    "dei:SolicitingMaterial": "Soliciting Material",
    "dei:PreCommencementTenderOffer": "Pre-commencement Tender Offer",
    "dei:PreCommencementIssuerTenderOffer": "Pre-commencement Issuer Tender Offer",
    "dei:Security12bTitle": "Title of 12(b) Security",
    "dei:Security12gTitle": "Title of 12(g) Security",
    "dei:TradingSymbol": "Trading Symbol",
    "dei:NoTradingSymbolFlag": "No Trading Symbol Flag",
    "dei:SecurityExchangeName": "Security Exchange Name",
    "dei:EntityEmergingGrowthCompany": "Entity Emerging Growth Company",
    "dei:EntityExTransitionPeriod": "Entity Ex Transition Period",
    "dei:CurrentFiscalYearEndDate": "Current Fiscal Year End Date",
    # --- us-gaap: the class-of-stock axis and its usual members ---------------------------
    "us-gaap:StatementClassOfStockAxis": "Class of Stock [Axis]",
    "us-gaap:ClassOfStockDomain": "Class of Stock [Domain]",
    "us-gaap:CommonStockMember": "Common Stock [Member]",
    "us-gaap:CommonClassAMember": "Common Class A [Member]",
    "us-gaap:CommonClassBMember": "Common Class B [Member]",
    "us-gaap:CommonClassCMember": "Common Class C [Member]",
    "us-gaap:PreferredStockMember": "Preferred Stock [Member]",
    "us-gaap:SeriesAPreferredStockMember": "Series A Preferred Stock [Member]",
    "us-gaap:SeriesBPreferredStockMember": "Series B Preferred Stock [Member]",
    "us-gaap:SeriesCPreferredStockMember": "Series C Preferred Stock [Member]",
    "us-gaap:SeriesDPreferredStockMember": "Series D Preferred Stock [Member]",
    "us-gaap:SeriesEPreferredStockMember": "Series E Preferred Stock [Member]",
    "us-gaap:WarrantMember": "Warrant [Member]",
    "us-gaap:CapitalUnitsMember": "Capital Units [Member]",
    "us-gaap:SeniorNotesMember": "Senior Notes [Member]",
    "us-gaap:ConvertibleDebtMember": "Convertible Debt [Member]",
    "us-gaap:SubordinatedDebtMember": "Subordinated Debt [Member]",
    "us-gaap:MediumTermNotesMember": "Medium-term Notes [Member]",
    "us-gaap:DeferrableNotesMember": "Deferrable Notes [Member]",
    # --- exch: the exchanges, as members of dei:EntityListingsExchangeAxis -----------------
    "exch:XBOX": "BOX Exchange LLC [Member]",
    "exch:BATY": "Cboe BYX Exchange, Inc. [Member]",
    "exch:BATS": "Cboe BZX Exchange, Inc. [Member]",
    "exch:C2OX": "Cboe C2 Exchange, Inc. [Member]",
    "exch:EDGA": "Cboe EDGA Exchange, Inc. [Member]",
    "exch:EDGX": "Cboe EDGX Exchange, Inc. [Member]",
    "exch:XCBO": "Cboe Exchange, Inc. [Member]",
    "exch:XCHI": "NYSE Chicago, Inc. [Member]",
    "exch:IEXG": "Investors Exchange LLC [Member]",
    "exch:XMIO": "Miami International Securities Exchange, LLC [Member]",
    "exch:MPRL": "MIAX PEARL, LLC [Member]",
    "exch:XBOS": "Nasdaq BX, Inc. [Member]",
    "exch:GMNI": "Nasdaq GEMX, LLC [Member]",
    "exch:XISX": "Nasdaq ISE, LLC [Member]",
    "exch:MCRY": "Nasdaq MRX, LLC [Member]",
    "exch:XPHL": "Nasdaq PHLX LLC [Member]",
    "exch:XNYS": "New York Stock Exchange, Inc. [Member]",
    "exch:XASE": "NYSE American LLC [Member]",
    "exch:ARCX": "NYSE Arca, Inc. [Member]",
    "exch:XCIS": "NYSE National, Inc. [Member]",
    "exch:XNAS": "Nasdaq Stock Market LLC [Member]",
}

#: Labels a dei release words differently from ``LABELS``, by (year, concept).
BY_YEAR: dict[tuple[int, str], str] = {}


def standard_label(concept: str, year: int) -> str | None:
    """The standard label of ``concept`` (``prefix:Name``) in the taxonomies of ``year``."""
    return BY_YEAR.get((year, concept), LABELS.get(concept))
