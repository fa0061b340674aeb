"""Names the cover page prints and the codes EDGAR reads from them: U.S. states and the
national securities exchanges. Data with sources; no I/O, no other form8k module."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pycountry


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
    return _us_states().get(" ".join(name.split()).lower())


def us_state_names() -> list[str]:
    """The names of the U.S. states, D.C. and territories."""
    return [s.name for s in pycountry.subdivisions.get(country_code="US") or []]


def is_country(value: str) -> bool:
    """Whether ``value`` names a country (ISO 3166)."""
    try:
        pycountry.countries.lookup(value)
    except LookupError:
        return False
    return True


@dataclass(frozen=True)
class Exchange:
    """A national securities exchange as the cover page names it and EDGAR codes it."""

    code: str
    """dei's exchange code (dei:SecurityExchangeName), e.g. ``NYSE``."""
    name: str
    """The exchange's name, e.g. "New York Stock Exchange"."""
    pattern: str
    """The names the SEC's ``ixt-sec:exchnameen`` transformation reads as this exchange
    (a regular expression, case as the transformation has it)."""
    mic: str
    """ISO 10383 market identifier: the exchange's member on dei:EntityListingsExchangeAxis
    (``exch:XNYS``) in the SEC's exch taxonomy."""


def _w(word: str) -> str:
    """A word whose first letter may be either case, as the SEC's patterns write "[Ee]xchange"."""
    return f"[{word[0].upper()}{word[0].lower()}]{re.escape(word[1:])}"


def _W(word: str) -> str:
    """A word whose every letter may be either case, as in "[Nn][Yy][Ss][Ee]"."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else re.escape(c) for c in word)


def _words(*parts: str) -> str:
    return r"\s+".join(parts)


_THE = rf"({_w('the')}\s+)?"
_LLC = rf"(,?\s+{_W('llc')})?"
_INC = rf"(,?\s+{_w('inc')}[.]?)?"

#: Source: the SEC's Inline XBRL transformation ``ixt-sec:exchnameen`` (transformation registry
#: 2015-08-31, as the SEC's EDGAR plugin for Arelle implements it, release 25.4) for the names
#: it reads (and the case it allows) and the codes it gives; the dei taxonomy's
#: ``edgarExchangeCodeItemType`` for the codes; the SEC's exch taxonomy (2019-2025) for the
#: MIC members. One row per exchange; a correction is one line.
EXCHANGES: tuple[Exchange, ...] = (
    Exchange("BOX", "BOX Exchange LLC", _THE + _words(_W("box"), _w("exchange")) + _LLC, "XBOX"),
    Exchange(
        "CboeBYX",
        "Cboe BYX Exchange, Inc.",
        _THE + _words(_w("cboe"), _W("byx"), _w("exchange")) + _INC,
        "BATY",
    ),
    Exchange(
        "CboeBZX",
        "Cboe BZX Exchange, Inc.",
        _THE + _words(_w("cboe"), _W("bzx"), _w("exchange")) + _INC,
        "BATS",
    ),
    Exchange(
        "C2",
        "Cboe C2 Exchange, Inc.",
        _THE + _words(_w("cboe"), "[Cc]2", _w("exchange")) + _INC,
        "C2OX",
    ),
    Exchange(
        "CboeEDGA",
        "Cboe EDGA Exchange, Inc.",
        _THE + _words(_w("cboe"), _W("edga"), _w("exchange")) + _INC,
        "EDGA",
    ),
    Exchange(
        "CboeEDGX",
        "Cboe EDGX Exchange, Inc.",
        _THE + _words(_w("cboe"), _W("edgx"), _w("exchange")) + _INC,
        "EDGX",
    ),
    Exchange(
        "CBOE", "Cboe Exchange, Inc.", _THE + _words(_w("cboe"), _w("exchange")) + _INC, "XCBO"
    ),
    Exchange(
        "CHX",
        "Chicago Stock Exchange, Inc.",
        _THE + _words(_w("chicago"), _w("stock"), _w("exchange")) + _INC,
        "XCHI",
    ),
    Exchange(
        "IEX",
        "Investors Exchange LLC",
        _THE + _words(_w("investors"), _w("exchange")) + _LLC,
        "IEXG",
    ),
    Exchange(
        "MIAX",
        "Miami International Securities Exchange, LLC",
        _THE + _words(_w("miami"), _w("international"), _w("securities"), _w("exchange")) + _LLC,
        "XMIO",
    ),
    Exchange("PEARL", "MIAX PEARL, LLC", _THE + _words("[Mm]IAX", "[Pp]EARL") + _LLC, "MPRL"),
    Exchange("BX", "Nasdaq BX, Inc.", _THE + _words(_W("nasdaq"), _W("bx")) + _INC, "XBOS"),
    Exchange("GEMX", "Nasdaq GEMX, LLC", _THE + _words(_W("nasdaq"), _W("gemx")) + _LLC, "GMNI"),
    Exchange("ISE", "Nasdaq ISE, LLC", _THE + _words(_W("nasdaq"), _W("ise")) + _LLC, "XISX"),
    Exchange("MRX", "Nasdaq MRX, LLC", _THE + _words(_W("nasdaq"), _W("mrx")) + _LLC, "MCRY"),
    Exchange("Phlx", "Nasdaq PHLX LLC", _words(_W("nasdaq"), _W("phlx")) + _LLC, "XPHL"),
    Exchange(
        "NYSE",
        "New York Stock Exchange",
        f"{_THE}{_W('nyse')}|{_THE}{_words(_w('new'), _w('york'), _w('stock'), _w('exchange'))}"
        + _LLC,
        "XNYS",
    ),
    Exchange(
        "NYSEAMER", "NYSE American LLC", _THE + _words(_W("nyse"), _w("american")) + _LLC, "XASE"
    ),
    Exchange("NYSEArca", "NYSE Arca, Inc.", _THE + _words(_W("nyse"), _w("arca")) + _INC, "ARCX"),
    Exchange(
        "NYSENAT", "NYSE National, Inc.", _THE + _words(_W("nyse"), _w("national")) + _INC, "XCIS"
    ),
    Exchange(
        "NASDAQ",
        "The Nasdaq Stock Market LLC",
        _THE
        + _W("nasdaq")
        + rf"(\s+({_w('stock')}|{_w('global')}(\s+{_w('select')})?)\s+{_w('market')}{_LLC})?",
        "XNAS",
    ),
)

_MATCHERS = tuple(
    (re.compile(rf"^[ \t\n\r]*({exchange.pattern})[ \t\n\r]*$"), exchange) for exchange in EXCHANGES
)


def exchange_span(name: str) -> tuple[int, int, Exchange] | None:
    """Where in ``name`` the SEC's transformation reads an exchange: the whole name, else the
    longest run of whole words it reads (``Nasdaq`` in "The Nasdaq Stock Market (LLC)"), as
    (start, end, exchange); None when no part of the name reads as one."""
    for pattern, exchange in _MATCHERS:
        if pattern.match(name):
            return 0, len(name), exchange
    words = list(re.finditer(r"\S+", name))
    best: tuple[int, int, Exchange] | None = None
    for i in range(len(words)):
        for j in range(len(words), i, -1):
            start, end = words[i].start(), words[j - 1].end()
            if best is not None and end - start <= best[1] - best[0]:
                break
            text = name[start:end].rstrip(",.;:()").lstrip("(")
            for pattern, exchange in _MATCHERS:
                if pattern.match(text):
                    offset = name.index(text, start)
                    best = (offset, offset + len(text), exchange)
                    break
    return best


def exchange_for(name: str) -> Exchange | None:
    """The exchange the SEC's transformation reads in ``name`` (or in part of it)."""
    span = exchange_span(name)
    return span[2] if span else None


def exchange_code(name: str) -> str | None:
    """The dei exchange code the transformation gives for a displayed exchange name."""
    exchange = exchange_for(name)
    return exchange.code if exchange else None
