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
from form8k.model import FilingBundle
from form8k.rules import Finding
from form8k.rules.form import us_state_code
from form8k.xbrl.tagger import member_for, split_telephone
from form8k.xbrl.taxonomy import CIK_SCHEME, NS, exchange_code

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
    member: str | None
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
        member = element.find(f".//{XBRLDI}explicitMember")
        contexts.append(
            ReadContext(
                element.get("id", ""),
                (identifier.text or "").strip() if identifier is not None else "",
                identifier.get("scheme", "") if identifier is not None else "",
                element.findtext(f"{XBRLI}period/{XBRLI}startDate", "").strip(),
                element.findtext(f"{XBRLI}period/{XBRLI}endDate", "").strip(),
                (member.text or "").strip() if member is not None else None,
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


def expected_facts(bundle: FilingBundle) -> list[tuple[str, str | None, str]]:
    """(concept, class member or None, value) for every fact the cover page must carry."""
    filing, company = bundle.filing, bundle.company
    address = company.address
    expected: list[tuple[str, str | None, str]] = [
        ("dei:DocumentType", None, filing.form_type),
        ("dei:AmendmentFlag", None, "true" if filing.form_type == "8-K/A" else "false"),
        ("dei:DocumentPeriodEndDate", None, filing.date_of_report.isoformat()),
        ("dei:EntityRegistrantName", None, company.name),
        ("dei:EntityCentralIndexKey", None, company.cik),
        ("dei:EntityFileNumber", None, company.file_number),
        ("dei:EntityTaxIdentificationNumber", None, company.irs_employer_id),
        ("dei:EntityAddressCityOrTown", None, address.city),
        ("dei:EntityAddressPostalZipCode", None, address.zip),
    ]
    incorporation = us_state_code(company.jurisdiction_of_incorporation)
    if incorporation:
        expected.append(("dei:EntityIncorporationStateCountryCode", None, incorporation))
    state = us_state_code(address.state)
    if state:
        expected.append(("dei:EntityAddressStateOrProvince", None, state))
    for number, line in enumerate(address.street, start=1):
        expected.append((f"dei:EntityAddressAddressLine{number}", None, line))
    area, local = split_telephone(company.telephone)
    if area:
        expected.append(("dei:CityAreaCode", None, area))
    expected.append(("dei:LocalPhoneNumber", None, local))
    edition = cover_edition(filing.filing_date)
    boxes = filing.check_boxes
    flags = [
        ("WrittenCommunications", boxes.written_communications),
        ("SolicitingMaterial", boxes.soliciting_material),
        ("PreCommencementTenderOffer", boxes.pre_commencement_tender_offer),
        ("PreCommencementIssuerTenderOffer", boxes.pre_commencement_issuer_tender_offer),
    ]
    if edition["emerging_growth_company"]:
        flags.append(("EntityEmergingGrowthCompany", company.emerging_growth_company))
    for concept, checked in flags:
        expected.append((f"dei:{concept}", None, "true" if checked else "false"))
    if edition["emerging_growth_company"] and company.emerging_growth_company:
        election = company.elected_not_to_use_extended_transition_period
        expected.append(("dei:EntityExTransitionPeriod", None, "true" if election else "false"))
    if filing.form_type == "8-K/A" and filing.explanatory_note:
        expected.append(("dei:AmendmentDescription", None, "*"))
    several = len(company.section_12b_securities) > 1
    securities = company.section_12b_securities if edition["section_12b_securities"] else []
    for security in securities:
        member = member_for(security, company.prefix).qname if several else None
        expected.append(("dei:Security12bTitle", member, security.title))
        if security.trading_symbol:
            expected.append(("dei:TradingSymbol", member, security.trading_symbol))
        else:
            expected.append(("dei:NoTradingSymbolFlag", member, "true"))
        code = exchange_code(security.exchange) or security.exchange
        expected.append(("dei:SecurityExchangeName", member, code))
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
    for context in contexts:
        if context.id not in used:
            findings.append(Finding("xbrl-context-unused", at(context.line), {"id": context.id}))
        if (context.scheme, context.identifier) != (CIK_SCHEME, bundle.company.cik) or (
            context.start,
            context.end,
        ) != (day, day):
            findings.append(
                Finding(
                    "xbrl-context-mismatch",
                    at(context.line),
                    {
                        "id": context.id,
                        "found": f"{context.identifier} from {context.start} to {context.end}",
                        "expected": f"CIK {bundle.company.cik}, {day} to {day}",
                    },
                )
            )
        if context.member and context.member.startswith(f"{bundle.company.prefix}:"):
            name = context.member.split(":", 1)[1]
            if schema is None or name not in declared_members(schema):
                findings.append(
                    Finding(
                        "xbrl-member-undeclared",
                        at(context.line),
                        {"member": context.member, "schema": schema_name},
                    )
                )
    read: dict[tuple[str, str | None], list[ReadFact]] = {}
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
        read.setdefault((fact.concept, defined.member), []).append(fact)
    for concept, member, value in expected_facts(bundle):
        found = read.pop((concept, member), [])
        where = concept + (f" [{member}]" if member else "")
        if not found:
            findings.append(Finding("xbrl-fact-missing", at(None), {"concept": where}))
            continue
        for fact in found:
            if value != "*" and fact.value != value:
                findings.append(
                    Finding(
                        "xbrl-fact-mismatch",
                        at(fact.line),
                        {
                            "concept": where,
                            "found": fact.value,
                            "expected": value,
                        },
                    )
                )
    for (concept, member), extra in sorted(read.items(), key=lambda pair: pair[0][0]):
        for fact in extra:
            where = concept + (f" [{member}]" if member else "")
            findings.append(Finding("xbrl-fact-unexpected", at(fact.line), {"concept": where}))
    return findings
