"""Where in the content each cover-page fact came from: the line a user edits when EDGAR's
validation (or our read-back) finds something wrong with a fact."""

from __future__ import annotations

from form8k.errors import KeyPath, SourceLocation
from form8k.model import FilingBundle
from form8k.xbrl.members import ADDRESS_AXIS
from form8k.xbrl.tagger import Tagger

#: A filing-level fact's key in filing.yaml.
FILING_KEYS: dict[str, KeyPath] = {
    "dei:DocumentType": ("form_type",),
    "dei:AmendmentFlag": ("form_type",),
    "dei:AmendmentDescription": ("explanatory_note",),
    "dei:DocumentPeriodEndDate": ("date_of_report",),
    "dei:WrittenCommunications": ("check_boxes", "written_communications"),
    "dei:SolicitingMaterial": ("check_boxes", "soliciting_material"),
    "dei:PreCommencementTenderOffer": ("check_boxes", "pre_commencement_tender_offer"),
    "dei:PreCommencementIssuerTenderOffer": (
        "check_boxes",
        "pre_commencement_issuer_tender_offer",
    ),
}
#: A registrant's fact's key in its profile ("address" becomes "former_address" for a former
#: address's facts).
REGISTRANT_KEYS: dict[str, KeyPath] = {
    "dei:EntityRegistrantName": ("name",),
    "dei:EntityCentralIndexKey": ("cik",),
    "dei:EntityFileNumber": ("file_number",),
    "dei:EntityTaxIdentificationNumber": ("irs_employer_id",),
    "dei:EntityIncorporationStateCountryCode": ("jurisdiction_of_incorporation",),
    "dei:EntityAddressAddressLine1": ("address", "street", 0),
    "dei:EntityAddressAddressLine2": ("address", "street", 1),
    "dei:EntityAddressAddressLine3": ("address", "street", 2),
    "dei:EntityAddressCityOrTown": ("address", "city"),
    "dei:EntityAddressStateOrProvince": ("address", "state"),
    "dei:EntityAddressPostalZipCode": ("address", "zip"),
    "dei:CityAreaCode": ("telephone",),
    "dei:LocalPhoneNumber": ("telephone",),
    "dei:EntityEmergingGrowthCompany": ("emerging_growth_company",),
    "dei:EntityExTransitionPeriod": ("elected_not_to_use_extended_transition_period",),
    "dei:CurrentFiscalYearEndDate": ("fiscal_year_end",),
}
#: A Section 12(b) row's fact's key in its security.
ROW_KEYS: dict[str, str] = {
    "dei:Security12bTitle": "title",
    "dei:TradingSymbol": "trading_symbol",
    "dei:NoTradingSymbolFlag": "title",
    "dei:SecurityExchangeName": "exchange",
}


def fact_locations(bundle: FilingBundle, tagger: Tagger) -> dict[str, SourceLocation]:
    """Each tagged fact's id -> where the content wrote its value."""
    locations: dict[str, SourceLocation] = {}
    registrant_of = {context: index for index, context in enumerate(tagger.registrant_contexts)}
    for fact in tagger.facts:
        if fact.concept in ROW_KEYS:
            row = next((r for r in tagger.rows if r.context == fact.context), None)
            if row is not None:
                sources, prefix = bundle.registrant_sources(row.registrant)
                key = ROW_KEYS[fact.concept]
                if key == "exchange" and row.security.exchanges is not None:
                    position = row.security.exchanges.index(row.exchange)
                    path: KeyPath = ("exchanges", position)
                else:
                    path = (key,)
                locations[fact.id] = sources.locate(
                    (*prefix, "section_12b_securities", row.index, *path)
                )
                continue
        if fact.concept in FILING_KEYS:
            locations[fact.id] = bundle.filing_sources.locate(FILING_KEYS[fact.concept])
            continue
        context = tagger.contexts.get(fact.context)
        if fact.concept not in REGISTRANT_KEYS or context is None:
            continue
        key_path = REGISTRANT_KEYS[fact.concept]
        former = any(axis == ADDRESS_AXIS for axis, _ in context.dimensions)
        if former:
            base = tagger.contexts[fact.context]
            base_dimensions = tuple(d for d in base.dimensions if d[0] != ADDRESS_AXIS)
            index = next(
                (
                    i
                    for i, c in enumerate(tagger.registrant_contexts)
                    if tagger.contexts[c].dimensions == base_dimensions
                ),
                0,
            )
            key_path = ("former_address", *key_path[1:])
        else:
            index = registrant_of.get(fact.context, 0)
        sources, prefix = bundle.registrant_sources(index)
        locations[fact.id] = sources.locate((*prefix, *key_path))
    return locations
