"""Checks of the content model against Form 8-K: items, exhibits, dates, registrant, release."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterator

import pycountry

from form8k.errors import did_you_mean
from form8k.model import FilingBundle, PressRelease
from form8k.rules import Finding
from form8k.rules.calendar import add_business_days, business_days_between

#: Exhibit numbers Item 601's table marks for Form 8-K (../shared/reference/form-8k.md; verify).
FORM_8K_EXHIBITS = (1, 2, 3, 4, 5, 7, 8, 10, 14, 16, 17, 20, 23, 24, 95, 96, 99, 101, 104)
DEADLINE_BUSINESS_DAYS = 4
MAX_FILE_NAME = 32  # EDGAR Filer Manual Vol. II 5.1.1
EIN = re.compile(r"\d{2}-\d{7}")
FILE_NUMBER = re.compile(r"\d{1,3}-\d{3,6}")
ZIP = re.compile(r"\d{5}(-\d{4})?")
TELEPHONE = re.compile(
    r"(\+?1[ .-]?)?\(\d{3}\) ?\d{3}-\d{4}|(\+?1[ .-]?)?\d{3}[ .-]\d{3}[ .-]\d{4}"
    r"|\+\d{1,3}[ \d().-]{6,}"
)
TRADING_SYMBOL = re.compile(r"[A-Z0-9][A-Z0-9.\-]{0,9}")
FURNISHED = re.compile(r"shall\s+not\s+be\s+deemed\s+\W*filed", re.IGNORECASE)
FORWARD_LOOKING = re.compile(
    r"\b(expects?|expected|anticipates?|anticipated|intends?|plans? to|estimates?|outlook|"
    r"guidance|forecasts?|forward-looking|believes?)\b",
    re.IGNORECASE,
)
SAFE_HARBOR = re.compile(
    r"forward-looking statements|Private Securities Litigation Reform Act", re.IGNORECASE
)

Check = Callable[[FilingBundle], Iterator[Finding]]


def _filing(
    bundle: FilingBundle, rule: str, path: tuple[str | int, ...], **arguments: object
) -> Finding:
    return Finding(rule, bundle.filing_sources.locate(path), arguments)


def _company(
    bundle: FilingBundle, rule: str, path: tuple[str | int, ...], **arguments: object
) -> Finding:
    return Finding(rule, bundle.company_sources.locate(path), arguments)


def check_items(bundle: FilingBundle) -> Iterator[Finding]:
    filing = bundle.filing
    seen: set[str] = set()
    for index, item in enumerate(filing.items):
        if item.number in seen:
            yield _filing(bundle, "item-duplicate", ("items", index, "number"), number=item.number)
        seen.add(item.number)
        spec = item.spec
        if filing.filing_date < spec.since:
            yield _filing(
                bundle,
                "item-not-in-force",
                ("items", index, "number"),
                number=item.number,
                title=spec.title,
                since=spec.since,
                since_source=spec.since_source,
                filing_date=filing.filing_date,
            )
    if "9.01" in seen and not filing.exhibits:
        index = [item.number for item in filing.items].index("9.01")
        yield _filing(bundle, "item-9.01-without-exhibits", ("items", index, "number"))


def check_exhibits(bundle: FilingBundle) -> Iterator[Finding]:
    filing = bundle.filing
    seen: set[str] = set()
    for index, exhibit in enumerate(filing.exhibits):
        where = ("exhibits", index, "number")
        if exhibit.number in seen:
            yield _filing(bundle, "exhibit-duplicate", where, number=exhibit.number)
        seen.add(exhibit.number)
        major = exhibit.sort_key[0]
        if major not in FORM_8K_EXHIBITS:
            yield _filing(
                bundle,
                "exhibit-number",
                where,
                number=exhibit.number,
                major=major,
                allowed=", ".join(map(str, FORM_8K_EXHIBITS)),
            )
    if filing.exhibits and "9.01" not in {item.number for item in filing.items}:
        yield _filing(bundle, "exhibits-need-item-9.01", ("exhibits",))
    ninety_nine = sorted(
        (exhibit.sort_key[1], index, exhibit.number)
        for index, exhibit in enumerate(filing.exhibits)
        if exhibit.sort_key[0] == 99
    )
    for expected, (_, index, number) in enumerate(ninety_nine, start=1):
        if number != f"99.{expected}" and Counter(n for _, _, n in ninety_nine)[number] == 1:
            yield _filing(
                bundle,
                "exhibit-99-sequence",
                ("exhibits", index, "number"),
                expected=f"99.{expected}",
                number=number,
            )
            break
    for path in bundle.unreferenced_documents:
        yield _filing(bundle, "exhibit-unlisted", ("exhibits",), name=path.name)


def check_amendment(bundle: FilingBundle) -> Iterator[Finding]:
    filing = bundle.filing
    if filing.form_type == "8-K/A":
        if filing.amendment_number is None:
            yield _filing(
                bundle,
                "amendment-number",
                ("form_type",),
                problem="an 8-K/A needs 'amendment_number' (1 for the first amendment)",
            )
        if not filing.explanatory_note:
            yield _filing(
                bundle,
                "amendment-number",
                ("form_type",),
                problem="an 8-K/A needs an 'explanatory_note' stating the amendment's purpose",
            )
        return
    for key in ("amendment_number", "explanatory_note"):
        if getattr(filing, key):
            yield _filing(
                bundle,
                "amendment-number",
                (key,),
                problem=f"'{key}' belongs to an amendment; set form_type: 8-K/A or remove it",
            )


def check_dates(bundle: FilingBundle) -> Iterator[Finding]:
    filing = bundle.filing
    if filing.date_of_report > filing.filing_date:
        yield _filing(
            bundle,
            "date-order",
            ("date_of_report",),
            date_of_report=filing.date_of_report,
            filing_date=filing.filing_date,
        )
    signed = filing.signature.date
    if signed is not None and signed < filing.date_of_report:
        yield _filing(
            bundle,
            "signature-date",
            ("signature", "date"),
            date=signed,
            problem=f"before the date of report ({filing.date_of_report})",
        )
    elif signed is not None and signed > filing.filing_date:
        yield _filing(
            bundle,
            "signature-date",
            ("signature", "date"),
            date=signed,
            problem=f"after the filing date ({filing.filing_date})",
        )
    due_items = [item.number for item in filing.sorted_items if item.spec.four_day_deadline]
    if not due_items or filing.date_of_report > filing.filing_date:
        return
    due = add_business_days(filing.date_of_report, DEADLINE_BUSINESS_DAYS)
    if filing.filing_date > due:
        late = business_days_between(due, filing.filing_date)
        yield _filing(
            bundle,
            "late-filing",
            ("filing_date",),
            filing_date=filing.filing_date,
            late=late,
            plural="s" * (late != 1),
            items=", ".join(due_items),
            date_of_report=filing.date_of_report,
            due=due,
        )


def check_furnished(bundle: FilingBundle) -> Iterator[Finding]:
    for index, item in enumerate(bundle.filing.items):
        if item.spec.furnished and not FURNISHED.search(item.body):
            yield _filing(
                bundle, "furnished-statement", ("items", index, "body"), number=item.number
            )


@functools.cache
def _us_states() -> dict[str, str]:
    """U.S. states, D.C. and territories: lower-case name or code -> two-letter code."""
    states = {}
    for subdivision in pycountry.subdivisions.get(country_code="US") or []:
        code = subdivision.code.split("-")[1]
        states[subdivision.name.lower()] = code
        states[code.lower()] = code
    return states


def us_state_code(name: str) -> str | None:
    """``Delaware`` or ``DE`` -> ``DE``; None for anything that is not a U.S. state."""
    return _us_states().get(name.strip().lower())


def _is_country(value: str) -> bool:
    try:
        pycountry.countries.lookup(value)
    except LookupError:
        return False
    return True


def check_registrant(bundle: FilingBundle) -> Iterator[Finding]:
    company = bundle.company
    if not EIN.fullmatch(company.irs_employer_id):
        yield _company(bundle, "ein-format", ("irs_employer_id",), value=company.irs_employer_id)
    if not FILE_NUMBER.fullmatch(company.file_number):
        yield _company(bundle, "file-number-format", ("file_number",), value=company.file_number)
    states = _us_states()
    jurisdiction = re.sub(
        r"^(the )?(state|commonwealth) of ",
        "",
        company.jurisdiction_of_incorporation,
        flags=re.IGNORECASE,
    )
    if jurisdiction.lower() not in states and not _is_country(jurisdiction):
        subdivisions = pycountry.subdivisions.get(country_code="US") or []
        names = [s.name for s in subdivisions] + [c.name for c in pycountry.countries]
        yield _company(
            bundle,
            "incorporation",
            ("jurisdiction_of_incorporation",),
            value=company.jurisdiction_of_incorporation,
            suggestion=did_you_mean(jurisdiction, names),
        )
    if company.address.state.lower() in states and not ZIP.fullmatch(company.address.zip):
        yield _company(bundle, "zip-format", ("address", "zip"), value=company.address.zip)
    if not TELEPHONE.fullmatch(company.telephone):
        yield _company(bundle, "telephone-format", ("telephone",), value=company.telephone)
    seen: set[tuple[str | None, str]] = set()
    for index, security in enumerate(company.section_12b_securities):
        where = ("section_12b_securities", index)
        if security.trading_symbol == "":
            yield _company(
                bundle,
                "section-12b-row",
                (*where, "trading_symbol"),
                row=index + 1,
                problem="'trading_symbol' is empty; leave it out for a class without one",
            )
        for field in ("title", "exchange"):
            if not getattr(security, field):
                yield _company(
                    bundle,
                    "section-12b-row",
                    (*where, field),
                    row=index + 1,
                    problem=f"'{field}' is empty",
                )
        if security.trading_symbol and not TRADING_SYMBOL.fullmatch(security.trading_symbol):
            yield _company(
                bundle,
                "section-12b-row",
                (*where, "trading_symbol"),
                row=index + 1,
                problem=f"trading symbol {security.trading_symbol!r} should be upper-case "
                "letters and digits",
            )
        key = (security.trading_symbol, security.exchange)
        if key in seen:
            yield _company(
                bundle,
                "section-12b-row",
                where,
                row=index + 1,
                problem=f"{key[0]} on {key[1]} is listed twice",
            )
        seen.add(key)
    if (
        company.elected_not_to_use_extended_transition_period
        and not company.emerging_growth_company
    ):
        yield _company(
            bundle, "transition-election", ("elected_not_to_use_extended_transition_period",)
        )


def check_press_releases(bundle: FilingBundle) -> Iterator[Finding]:
    filing, company = bundle.filing, bundle.company
    for source in bundle.exhibits.values():
        release = source.front_matter
        if not isinstance(release, PressRelease):
            continue
        for path, value in (
            (("headline",), release.headline),
            (("dateline", "city"), release.dateline.city),
        ):
            if not value:
                yield Finding("release-fields", source.sources.locate(path), {"field": path[0]})
        if release.dateline.date > filing.filing_date:
            yield Finding(
                "release-date",
                source.sources.locate(("dateline", "date")),
                {"date": release.dateline.date, "filing_date": filing.filing_date},
            )
        words = sorted({m.group(0).lower() for m in FORWARD_LOOKING.finditer(source.body)})
        has_safe_harbor = SAFE_HARBOR.search(source.body) or (
            release.boilerplate and company.forward_looking_statements
        )
        if words and not has_safe_harbor:
            yield Finding(
                "safe-harbor-missing",
                source.sources.locate(("headline",)),
                {"words": ", ".join(repr(w) for w in words[:3])},
            )


def check_document_names(bundle: FilingBundle) -> Iterator[Finding]:
    names = [bundle.primary_document, *bundle.extra_document_names]
    names += [bundle.exhibit_document(e) for e in bundle.filing.exhibits if e.source is not None]
    if bundle.logo is not None:
        names.append(bundle.logo.name)
    too_long = [name for name in names if len(name) > MAX_FILE_NAME]
    if too_long:  # one prefix makes them all: report the first
        name = too_long[0]
        yield _company(bundle, "file-name-length", ("prefix",), name=name, length=len(name))


def check_tagging(bundle: FilingBundle) -> Iterator[Finding]:
    from form8k.model import TAGGING_PHASE_IN
    from form8k.xbrl.taxonomy import EXCHANGE_NAMES, exchange_code

    filing, company = bundle.filing, bundle.company
    if not bundle.tagged:
        if filing.filing_date >= TAGGING_PHASE_IN:
            yield _filing(bundle, "xbrl-tagging-missing", ("inline_xbrl",))
        return
    if us_state_code(company.jurisdiction_of_incorporation) is None:
        yield _company(
            bundle,
            "xbrl-incorporation-untagged",
            ("jurisdiction_of_incorporation",),
            value=company.jurisdiction_of_incorporation,
        )
    names = [name for name, _ in EXCHANGE_NAMES]
    securities = company.section_12b_securities
    if len(securities) > 1:
        from form8k.xbrl.tagger import member_for

        first_row: dict[str, int] = {}
        for index, security in enumerate(securities):
            member = member_for(security, company.prefix).qname
            if member in first_row:
                yield _company(
                    bundle,
                    "xbrl-class-on-two-exchanges",
                    ("section_12b_securities", index),
                    first=first_row[member] + 1,
                    second=index + 1,
                    member=member,
                )
            first_row.setdefault(member, index)
    for index, security in enumerate(company.section_12b_securities):
        if exchange_code(security.exchange) is None:
            yield _company(
                bundle,
                "xbrl-exchange-unknown",
                ("section_12b_securities", index, "exchange"),
                value=security.exchange,
                suggestion=did_you_mean(security.exchange, names),
                known="The Nasdaq Stock Market LLC; New York Stock Exchange; NYSE American LLC; "
                "NYSE Arca, Inc.; Cboe BZX Exchange, Inc.",
            )


def check_signature(bundle: FilingBundle) -> Iterator[Finding]:
    default = bundle.company.signatory
    for field in ("name", "title"):
        if getattr(bundle.filing.signature, field) is None and default is None:
            yield _filing(bundle, "signatory-missing", ("signature",), field=field)


CHECKS: tuple[Check, ...] = (
    check_items,
    check_exhibits,
    check_amendment,
    check_dates,
    check_furnished,
    check_registrant,
    check_press_releases,
    check_signature,
    check_document_names,
    check_tagging,
)


def check_model(bundle: FilingBundle) -> list[Finding]:
    """Every finding of the model checks, in check order."""
    return [finding for check in CHECKS for finding in check(bundle)]
