"""Checks of each registrant's cover-page identity and Section 12(b) table."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pycountry

from form8k.errors import did_you_mean
from form8k.model import FilingBundle, Registrant
from form8k.places import is_country, us_state_code, us_state_names
from form8k.rules import Finding
from form8k.rules.checks import at_registrant

#: The values ``form8k init`` and ``form8k new company`` write for the user to replace.
PLACEHOLDERS = {"cik": "0000000000", "irs_employer_id": "00-0000000", "file_number": "000-00000"}
EIN = re.compile(r"\d{2}-\d{7}")
FILE_NUMBER = re.compile(r"\d{1,3}-\d{3,6}")
ZIP = re.compile(r"\d{5}(-\d{4})?")
TELEPHONE = re.compile(
    r"(\+?1[ .-]?)?\(\d{3}\) ?\d{3}-\d{4}|(\+?1[ .-]?)?\d{3}[ .-]\d{3}[ .-]\d{4}"
    r"|\+\d{1,3}[ \d().-]{6,}"
)
#: dei:TradingSymbol is a normalized string of at most 25 characters (dei taxonomy,
#: tradingSymbolItemType); exchanges write symbols with spaces, dots, slashes and hyphens
#: ("JPM PR D", "JPM/32", "BRK.B", "IFF 26").
TRADING_SYMBOL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9./+=^-]| (?! ))*")
MAX_TRADING_SYMBOL = 25


def _jurisdiction(value: str) -> str:
    return re.sub(r"^(the )?(state|commonwealth) of ", "", value, flags=re.IGNORECASE)


def check_registrants(bundle: FilingBundle) -> Iterator[Finding]:
    for index, registrant in enumerate(bundle.registrants):
        yield from _check_registrant(bundle, index, registrant)
    ciks = [registrant.cik for registrant in bundle.registrants]
    for index, cik in enumerate(ciks):
        if cik in ciks[:index]:
            yield at_registrant(bundle, index, "co-registrant-cik", ("cik",), cik=cik)


def _check_registrant(
    bundle: FilingBundle, index: int, registrant: Registrant
) -> Iterator[Finding]:
    def at(rule: str, path: tuple[str | int, ...], **arguments: object) -> Finding:
        return at_registrant(bundle, index, rule, path, **arguments)

    for field, placeholder in PLACEHOLDERS.items():
        if getattr(registrant, field) == placeholder:
            yield at("placeholder-value", (field,), field=field, value=placeholder)
    if not EIN.fullmatch(registrant.irs_employer_id):
        yield at("ein-format", ("irs_employer_id",), value=registrant.irs_employer_id)
    if not FILE_NUMBER.fullmatch(registrant.file_number):
        yield at("file-number-format", ("file_number",), value=registrant.file_number)
    jurisdiction = _jurisdiction(registrant.jurisdiction_of_incorporation)
    if us_state_code(jurisdiction) is None and not is_country(jurisdiction):
        names = us_state_names() + [c.name for c in pycountry.countries]
        yield at(
            "incorporation",
            ("jurisdiction_of_incorporation",),
            value=registrant.jurisdiction_of_incorporation,
            suggestion=did_you_mean(jurisdiction, names),
        )
    if us_state_code(registrant.address.state) and not ZIP.fullmatch(registrant.address.zip):
        yield at("zip-format", ("address", "zip"), value=registrant.address.zip)
    if not TELEPHONE.fullmatch(registrant.telephone):
        yield at("telephone-format", ("telephone",), value=registrant.telephone)
    seen: dict[tuple[str, str], int] = {}
    for row, security in enumerate(registrant.section_12b_securities):
        where = ("section_12b_securities", row)
        symbol = security.trading_symbol
        if symbol == "":
            yield at(
                "section-12b-row",
                (*where, "trading_symbol"),
                row=row + 1,
                problem="'trading_symbol' is empty; leave it out for a class without one",
            )
        elif symbol is not None and (
            not TRADING_SYMBOL.fullmatch(symbol) or len(symbol) > MAX_TRADING_SYMBOL
        ):
            yield at(
                "section-12b-row",
                (*where, "trading_symbol"),
                row=row + 1,
                problem=f"trading symbol {symbol!r} should be letters and digits (with single "
                "spaces, '.', '/', '-' where the exchange writes them), at most 25 characters",
            )
        if not security.title:
            yield at("section-12b-row", (*where, "title"), row=row + 1, problem="'title' is empty")
        for exchange in security.listed_on:
            if not exchange:
                yield at(
                    "section-12b-row",
                    (*where, "exchange"),
                    row=row + 1,
                    problem="'exchange' is empty",
                )
                continue
            key = (" ".join(security.title.lower().split()), exchange.lower())
            if key in seen:
                yield at(
                    "section-12b-row",
                    where,
                    row=row + 1,
                    problem=f"{security.title!r} on {exchange} is already row {seen[key] + 1}",
                )
            seen.setdefault(key, row)
    if (
        registrant.elected_not_to_use_extended_transition_period
        and not registrant.emerging_growth_company
    ):
        yield at("transition-election", ("elected_not_to_use_extended_transition_period",))
