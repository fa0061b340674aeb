"""Checks of what the Inline XBRL cover page needs from the content: names the SEC's
transformations can read, a taxonomy year EDGAR accepts, facts an item calls for, and
document names EDGAR takes."""

from __future__ import annotations

from collections.abc import Iterator

from form8k.errors import did_you_mean
from form8k.model import TAGGING_PHASE_IN, FilingBundle
from form8k.places import EXCHANGES, exchange_span, us_state_code
from form8k.rules import Finding
from form8k.rules.checks import at_company, at_filing, at_registrant
from form8k.xbrl.taxonomy import TAXONOMY_YEARS, accepted_years, release_on

MAX_FILE_NAME = 32  # EDGAR Filer Manual Vol. II 5.1.1


def check_document_names(bundle: FilingBundle) -> Iterator[Finding]:
    names = [bundle.primary_document, *bundle.extra_document_names]
    names += [bundle.exhibit_document(e) for e in bundle.filing.exhibits if e.has_document]
    if bundle.logo is not None:
        names.append(bundle.logo.name)
    names += [page.name for source in bundle.exhibits.values() for page in source.pages]
    too_long = [name for name in names if len(name) > MAX_FILE_NAME]
    if too_long:  # one prefix makes them all: report the first
        name = too_long[0]
        yield at_company(bundle, "file-name-length", ("prefix",), name=name, length=len(name))


def check_tagging(bundle: FilingBundle) -> Iterator[Finding]:
    filing = bundle.filing
    if not bundle.tagged:
        if filing.filing_date >= TAGGING_PHASE_IN:
            yield at_filing(bundle, "xbrl-tagging-missing", ("inline_xbrl",))
        return
    year = filing.taxonomy_year
    if year is not None and (
        year not in TAXONOMY_YEARS or year not in accepted_years(filing.filing_date)
    ):
        accepted = ", ".join(map(str, accepted_years(filing.filing_date))) or "none"
        yield at_filing(
            bundle,
            "xbrl-taxonomy-year",
            ("taxonomy_year",),
            year=year,
            filing_date=filing.filing_date,
            release=release_on(filing.filing_date).number,
            accepted=accepted,
        )
    numbers = {item.number for item in filing.items}
    for index, registrant in enumerate(bundle.registrants):
        if us_state_code(registrant.jurisdiction_of_incorporation) is None:
            yield at_registrant(
                bundle,
                index,
                "xbrl-incorporation-untagged",
                ("jurisdiction_of_incorporation",),
                value=registrant.jurisdiction_of_incorporation,
            )
        if "5.03" in numbers and registrant.fiscal_year_end is None:
            yield at_registrant(bundle, index, "xbrl-fiscal-year-end", ())
        for row, security in enumerate(registrant.section_12b_securities):
            for exchange in security.listed_on:
                if exchange and exchange_span(exchange) is None:
                    field = "exchange" if security.exchange is not None else "exchanges"
                    yield at_registrant(
                        bundle,
                        index,
                        "xbrl-exchange-unknown",
                        ("section_12b_securities", row, field),
                        value=exchange,
                        suggestion=did_you_mean(exchange, [e.name for e in EXCHANGES]),
                        known="; ".join(e.name for e in EXCHANGES),
                    )
