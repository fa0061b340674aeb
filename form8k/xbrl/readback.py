"""Reads the cover-page facts back out of the written 8-K and compares them with the model.

Nothing here trusts the templates or the tagger's own record: the document is parsed as XML,
every ``ix:nonNumeric`` is read with the transformations applied, and the result is compared
with values computed from the content model alone.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from form8k.editions import cover_edition
from form8k.errors import SourceLocation
from form8k.model import Address, FilingBundle
from form8k.model.registrant import month_day
from form8k.places import exchange_code, us_state_code
from form8k.rules import Finding
from form8k.xbrl.members import (
    ADDRESS_AXIS,
    CLASS_AXIS,
    ENTITY_AXIS,
    EXCHANGE_AXIS,
    FORMER_ADDRESS,
    class_members,
    exchange_member,
    listing_counts,
    registrant_member,
)
from form8k.xbrl.tagger import split_telephone
from form8k.xbrl.taxonomy import CIK_SCHEME, NS

Dimensions = frozenset[tuple[str, str]]
"""A context's explicit members: (axis, member) qualified names."""

IX = f"{{{NS['ix']}}}"
XBRLI = f"{{{NS['xbrli']}}}"
XBRLDI = f"{{{NS['xbrldi']}}}"
BALLOT = {"\u2610": "false", "\u2612": "true", "\u2611": "true"}


@dataclass(frozen=True)
class ReadFact:
    """A fact as an XBRL processor reads it from the document."""

    concept: str
    context: str
    value: str | None
    """None when the transformation cannot read the displayed text."""
    line: int | None
    id: str | None


@dataclass(frozen=True)
class ReadContext:
    """A context as defined in ix:resources."""

    id: str
    identifier: str
    scheme: str
    start: str
    end: str
    dimensions: Dimensions
    line: int | None


def _months() -> dict[str, int]:
    return {dt.date(2000, month, 1).strftime("%B").lower(): month for month in range(1, 13)}


def transform(fmt: str | None, text: str) -> str | None:
    """Apply one of the transformations the cover page uses to the displayed text."""
    text = " ".join(text.split())
    if fmt is None:
        return text
    if fmt == "ixt-sec:boolballotbox":
        return BALLOT.get(text)
    if fmt == "ixt:fixed-true":
        return "true"
    if fmt == "ixt:fixed-false":
        return "false"
    if fmt == "ixt:date-monthname-day-year-en":
        try:
            month, day, year = text.replace(",", " ").split()
            return dt.date(int(year), _months()[month.lower()], int(day)).isoformat()
        except (ValueError, KeyError):
            return None
    if fmt == "ixt-sec:stateprovnameen":
        return us_state_code(text)
    if fmt == "ixt-sec:exchnameen":
        return exchange_code(text)
    return None


def read_document(content: bytes) -> tuple[list[ReadFact], list[ReadContext], list[str], str]:
    """Facts, contexts, every id, and the schemaRef of an Inline XBRL document."""
    root = etree.fromstring(content, etree.XMLParser(resolve_entities=False))
    facts = []
    for element in root.iter(f"{IX}nonNumeric"):
        text = "".join(element.itertext())
        facts.append(
            ReadFact(
                element.get("name", ""),
                element.get("contextRef", ""),
                transform(element.get("format"), text),
                element.sourceline,
                element.get("id"),
            )
        )
    contexts = []
    for element in root.iter(f"{XBRLI}context"):
        identifier = element.find(f"{XBRLI}entity/{XBRLI}identifier")
        dimensions = frozenset(
            (member.get("dimension", ""), (member.text or "").strip())
            for member in element.iter(f"{XBRLDI}explicitMember")
        )
        contexts.append(
            ReadContext(
                element.get("id", ""),
                (identifier.text or "").strip() if identifier is not None else "",
                identifier.get("scheme", "") if identifier is not None else "",
                element.findtext(f"{XBRLI}period/{XBRLI}startDate", "").strip(),
                element.findtext(f"{XBRLI}period/{XBRLI}endDate", "").strip(),
                dimensions,
                element.sourceline,
            )
        )
    ids = [value for value in root.xpath("//@id")]
    schema_ref = root.find(f".//{{{NS['link']}}}schemaRef")
    href = schema_ref.get(f"{{{NS['xlink']}}}href", "") if schema_ref is not None else ""
    return facts, contexts, [str(i) for i in ids], href


def declared_members(schema: bytes) -> set[str]:
    """Names of the elements an extension schema declares."""
    root = etree.fromstring(schema)
    return {element.get("name", "") for element in root.iter(f"{{{NS['xs']}}}element")}


def _where(dimensions: Dimensions) -> str:
    return "".join(f" [{member}]" for _, member in sorted(dimensions))


def expected_facts(bundle: FilingBundle) -> list[tuple[str, Dimensions, str]]:
    """(concept, dimensions, value) for every fact the cover page must carry, computed from
    the content model alone."""
    filing = bundle.filing
    edition = cover_edition(filing.filing_date)
    prefix = bundle.company.prefix
    style = bundle.style.cover
    none: Dimensions = frozenset()
    expected: list[tuple[str, Dimensions, str]] = [
        ("dei:DocumentType", none, filing.form_type),
        ("dei:AmendmentFlag", none, "true" if filing.form_type == "8-K/A" else "false"),
        ("dei:DocumentPeriodEndDate", none, filing.date_of_report.isoformat()),
    ]
    boxes = filing.check_boxes
    for concept, checked in (
        ("WrittenCommunications", boxes.written_communications),
        ("SolicitingMaterial", boxes.soliciting_material),
        ("PreCommencementTenderOffer", boxes.pre_commencement_tender_offer),
        ("PreCommencementIssuerTenderOffer", boxes.pre_commencement_issuer_tender_offer),
    ):
        expected.append((f"dei:{concept}", none, "true" if checked else "false"))
    if filing.form_type == "8-K/A" and filing.explanatory_note:
        expected.append(("dei:AmendmentDescription", none, "*"))
    registrants = bundle.registrants
    rows = (
        sum(len(s.listed_on) for r in registrants for s in r.section_12b_securities)
        if edition["section_12b_securities"]
        else 0
    )
    reports_503 = "5.03" in {item.number for item in filing.items}
    for index, registrant in enumerate(registrants):
        entity: Dimensions = none
        if index:
            entity = frozenset({(ENTITY_AXIS, registrant_member(registrant, prefix).qname)})

        def fact(concept: str, value: str, dims: Dimensions = entity) -> None:
            expected.append((concept, dims, value))

        shown = registrant.name.upper() if style.registrant_name == "upper" else registrant.name
        fact("dei:EntityRegistrantName", registrant.conformed_name or shown)
        fact("dei:EntityCentralIndexKey", registrant.cik)
        fact("dei:EntityFileNumber", registrant.file_number)
        fact("dei:EntityTaxIdentificationNumber", registrant.irs_employer_id)
        incorporation = us_state_code(registrant.jurisdiction_of_incorporation)
        if incorporation:
            fact("dei:EntityIncorporationStateCountryCode", incorporation)
        addresses: list[tuple[Address, Dimensions]] = [(registrant.address, entity)]
        if registrant.former_address is not None and index == 0:
            addresses.append(
                (registrant.former_address, entity | {(ADDRESS_AXIS, FORMER_ADDRESS.qname)})
            )
        for address, dims in addresses:
            for number, line in enumerate(address.street, start=1):
                fact(f"dei:EntityAddressAddressLine{number}", line, dims)
            fact("dei:EntityAddressCityOrTown", address.city, dims)
            fact("dei:EntityAddressPostalZipCode", address.zip, dims)
            state = us_state_code(address.state)
            if state:
                fact("dei:EntityAddressStateOrProvince", state, dims)
        area, local = split_telephone(registrant.telephone)
        if area:
            digits = area.startswith("(") and style.area_code == "digits"
            fact("dei:CityAreaCode", area.strip("()") if digits else area)
        fact("dei:LocalPhoneNumber", local)
        if edition["emerging_growth_company"]:
            egc = registrant.emerging_growth_company
            fact("dei:EntityEmergingGrowthCompany", "true" if egc else "false")
            if egc and index == 0:
                election = registrant.elected_not_to_use_extended_transition_period
                fact("dei:EntityExTransitionPeriod", "true" if election else "false")
        if reports_503 and registrant.fiscal_year_end:
            parsed = month_day(registrant.fiscal_year_end)
            if parsed:
                fact("dei:CurrentFiscalYearEndDate", f"--{parsed[0]:02d}-{parsed[1]:02d}")
        if not rows:
            continue
        members = class_members(registrant.section_12b_securities, prefix)
        listings = listing_counts(registrant.section_12b_securities)
        for security in registrant.section_12b_securities:
            for exchange in security.listed_on:
                dims = entity
                if rows > 1:
                    dims = dims | {(CLASS_AXIS, members[security.title].qname)}
                listing = exchange_member(exchange)
                if listings[security.title] > 1 and listing is not None:
                    dims = dims | {(EXCHANGE_AXIS, listing.qname)}
                fact("dei:Security12bTitle", security.title, dims)
                if security.trading_symbol:
                    fact("dei:TradingSymbol", security.trading_symbol, dims)
                else:
                    fact("dei:NoTradingSymbolFlag", "true", dims)
                fact("dei:SecurityExchangeName", exchange_code(exchange) or exchange, dims)
    return expected


def check_cover_facts(
    bundle: FilingBundle, document: bytes, schema: bytes | None, location: Path
) -> list[Finding]:
    """Every disagreement between the written cover page and the content model."""
    facts, contexts, ids, href = read_document(document)
    findings: list[Finding] = []

    def at(line: int | None) -> SourceLocation:
        return SourceLocation(location, line)

    schema_name = f"{bundle.document_stem}.xsd"
    if href != schema_name:
        findings.append(
            Finding("xbrl-schema-ref", at(None), {"href": href, "expected": schema_name})
        )
    for value, count in Counter(ids).items():
        if count > 1:
            findings.append(Finding("xbrl-id-duplicate", at(None), {"id": value, "count": count}))
    by_id = {context.id: context for context in contexts}
    used = {fact.context for fact in facts}
    day = bundle.filing.date_of_report.isoformat()
    cik = bundle.company.cik
    declared = declared_members(schema) if schema is not None else set()
    prefix = bundle.company.prefix
    for context in contexts:
        if context.id not in used:
            findings.append(Finding("xbrl-context-unused", at(context.line), {"id": context.id}))
        if (context.scheme, context.identifier, context.start, context.end) != (
            CIK_SCHEME,
            cik,
            day,
            day,
        ):
            findings.append(
                Finding(
                    "xbrl-context-mismatch",
                    at(context.line),
                    {
                        "id": context.id,
                        "found": f"{context.identifier} from {context.start} to {context.end}",
                        "expected": f"CIK {cik}, {day} to {day}",
                    },
                )
            )
        for _, member in sorted(context.dimensions):
            if member.startswith(f"{prefix}:") and member.split(":", 1)[1] not in declared:
                findings.append(
                    Finding(
                        "xbrl-member-undeclared",
                        at(context.line),
                        {"member": member, "schema": schema_name},
                    )
                )
    read: dict[tuple[str, Dimensions], list[ReadFact]] = {}
    for fact in facts:
        defined = by_id.get(fact.context)
        if defined is None:
            findings.append(
                Finding(
                    "xbrl-context-undefined",
                    at(fact.line),
                    {"concept": fact.concept, "id": fact.context},
                )
            )
            continue
        read.setdefault((fact.concept, defined.dimensions), []).append(fact)
    for concept, dimensions, value in expected_facts(bundle):
        found = read.pop((concept, dimensions), [])
        where = concept + _where(dimensions)
        if not found:
            findings.append(Finding("xbrl-fact-missing", at(None), {"concept": where}))
            continue
        for fact in found:
            if value != "*" and fact.value != value:
                findings.append(
                    Finding(
                        "xbrl-fact-mismatch",
                        at(fact.line),
                        {"concept": where, "found": fact.value, "expected": value},
                    )
                )
    for (concept, dimensions), extra in sorted(read.items(), key=lambda pair: pair[0][0]):
        for fact in extra:
            findings.append(
                Finding(
                    "xbrl-fact-unexpected", at(fact.line), {"concept": concept + _where(dimensions)}
                )
            )
    return findings


def check_header(header: bytes, document: bytes, location: Path, *, tagged: bool) -> list[Finding]:
    """The submission header (the manifest EDGAR's header is made from) against the 8-K as
    written: the same form type, period of report, registrants' CIKs and items."""
    import json

    import lxml.html

    data = json.loads(header)
    findings: list[Finding] = []

    def differ(field: str, said: object, where: str, found: object) -> None:
        findings.append(
            Finding(
                "xbrl-header-mismatch",
                SourceLocation(location),
                {"field": field, "header": said, "where": where, "document": found},
            )
        )

    if tagged:
        facts, _, _, _ = read_document(document)
        values: dict[str, list[str]] = {}
        for fact in facts:
            values.setdefault(fact.concept, []).append(fact.value or "")
        if values.get("dei:DocumentType") != [data["form_type"]]:
            differ("form type", data["form_type"], "tags", values.get("dei:DocumentType"))
        if values.get("dei:DocumentPeriodEndDate") != [data["date_of_report"]]:
            differ(
                "period", data["date_of_report"], "tags", values.get("dei:DocumentPeriodEndDate")
            )
        ciks = sorted([data["cik"], *(co["cik"] for co in data.get("co_registrants", []))])
        if sorted(values.get("dei:EntityCentralIndexKey", [])) != ciks:
            differ("CIKs", ciks, "tags", sorted(values.get("dei:EntityCentralIndexKey", [])))
        root = etree.fromstring(document, etree.XMLParser(resolve_entities=False))
        ids = [str(i) for i in root.xpath("//@id")]
    else:
        ids = [str(i) for i in lxml.html.document_fromstring(document).xpath("//@id")]
    items = [i.removeprefix("item-").replace("-", ".") for i in ids if i.startswith("item-")]
    if items != data["items"]:
        differ("items", data["items"], "reports", items)
    return findings
