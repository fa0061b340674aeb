"""Checks of what is filed against Form 8-K: items, exhibits, amendment, dates and deadline,
signature."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from form8k.model import FilingBundle
from form8k.rules import Finding
from form8k.rules.calendar import add_business_days, business_days_between, closed_reason
from form8k.rules.checks import at_filing

#: Exhibit numbers Item 601's table marks for Form 8-K (../shared/reference/form-8k.md; verify).
FORM_8K_EXHIBITS = (1, 2, 3, 4, 5, 7, 8, 10, 14, 16, 17, 20, 23, 24, 95, 96, 99, 101, 104)
DEADLINE_BUSINESS_DAYS = 4
#: EDGAR gives a filing submitted after 5:30 p.m. Eastern the next business day's filing date
#: (Regulation S-T Rule 13(a)(4)), so the last moment of a deadline day is 5:30 p.m.
DEADLINE_TIME = "5:30 p.m. Eastern"


@dataclass(frozen=True)
class Deadline:
    """When a filing is due under General Instruction B.1."""

    due: dt.date | None
    """The last day (at 5:30 p.m. Eastern); None when no item reported has the 4-day rule."""
    items: tuple[str, ...]
    """The items that set it."""

    def describe(self, filing_date: dt.date) -> str:
        """E.g. "due 2025-11-12 5:30 p.m. Eastern (4 business days after 2025-11-06)"."""
        if self.due is None:
            return "no four-day deadline (no item reported has one)"
        if filing_date <= self.due:
            left = business_days_between(filing_date, self.due)
            margin = f"{left} business day{'s' * (left != 1)} to spare" if left else "the last day"
        else:
            late = business_days_between(self.due, filing_date)
            margin = f"{late} business day{'s' * (late != 1)} late"
        return f"due {self.due} {DEADLINE_TIME} ({margin})"


def deadline(bundle: FilingBundle) -> Deadline:
    """The filing's deadline: four business days after the date of report."""
    filing = bundle.filing
    items = tuple(item.number for item in filing.sorted_items if item.spec.four_day_deadline)
    if not items:
        return Deadline(None, ())
    return Deadline(add_business_days(filing.date_of_report, DEADLINE_BUSINESS_DAYS), items)


def check_items(bundle: FilingBundle) -> Iterator[Finding]:
    filing = bundle.filing
    seen: set[str] = set()
    for index, item in enumerate(filing.items):
        if item.number in seen:
            yield at_filing(
                bundle, "item-duplicate", ("items", index, "number"), number=item.number
            )
        seen.add(item.number)
        spec = item.spec
        if filing.filing_date < spec.since:
            yield at_filing(
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
        yield at_filing(bundle, "item-9.01-without-exhibits", ("items", index, "number"))


def check_exhibits(bundle: FilingBundle) -> Iterator[Finding]:
    filing = bundle.filing
    seen: set[str] = set()
    for index, exhibit in enumerate(filing.exhibits):
        where = ("exhibits", index, "number")
        if exhibit.number in seen:
            yield at_filing(bundle, "exhibit-duplicate", where, number=exhibit.number)
        seen.add(exhibit.number)
        major = exhibit.sort_key[0]
        if major not in FORM_8K_EXHIBITS:
            yield at_filing(
                bundle,
                "exhibit-number",
                where,
                number=exhibit.number,
                major=major,
                allowed=", ".join(map(str, FORM_8K_EXHIBITS)),
            )
        if exhibit.kind == "images":
            yield at_filing(
                bundle, "exhibit-images-only", ("exhibits", index, "pages"), number=exhibit.number
            )
        if exhibit.number == "104" and exhibit.has_document:
            yield at_filing(bundle, "exhibit-104-document", where)
    if filing.exhibits and "9.01" not in {item.number for item in filing.items}:
        yield at_filing(bundle, "exhibits-need-item-9.01", ("exhibits",))
    ninety_nine = sorted(
        (exhibit.sort_key[1], index, exhibit.number)
        for index, exhibit in enumerate(filing.exhibits)
        if exhibit.sort_key[0] == 99
    )
    for expected, (_, index, number) in enumerate(ninety_nine, start=1):
        if number != f"99.{expected}" and Counter(n for _, _, n in ninety_nine)[number] == 1:
            yield at_filing(
                bundle,
                "exhibit-99-sequence",
                ("exhibits", index, "number"),
                expected=f"99.{expected}",
                number=number,
            )
            break
    for path in bundle.unreferenced_documents:
        yield at_filing(bundle, "exhibit-unlisted", ("exhibits",), name=path.name)


def check_amendment(bundle: FilingBundle) -> Iterator[Finding]:
    filing = bundle.filing
    if filing.form_type == "8-K/A":
        if filing.amendment_number is None:
            yield at_filing(
                bundle,
                "amendment-number",
                ("form_type",),
                problem="an 8-K/A needs 'amendment_number' (1 for the first amendment)",
            )
        if not filing.explanatory_note:
            yield at_filing(
                bundle,
                "amendment-number",
                ("form_type",),
                problem="an 8-K/A needs an 'explanatory_note' stating the amendment's purpose",
            )
        return
    for key in ("amendment_number", "explanatory_note"):
        if getattr(filing, key):
            yield at_filing(
                bundle,
                "amendment-number",
                (key,),
                problem=f"'{key}' belongs to an amendment; set form_type: 8-K/A or remove it",
            )


def check_dates(bundle: FilingBundle) -> Iterator[Finding]:
    filing = bundle.filing
    if filing.date_of_report > filing.filing_date:
        yield at_filing(
            bundle,
            "date-order",
            ("date_of_report",),
            date_of_report=filing.date_of_report,
            filing_date=filing.filing_date,
        )
    closed = closed_reason(filing.filing_date)
    if closed is not None:
        yield at_filing(
            bundle,
            "filing-date-closed",
            ("filing_date",),
            filing_date=filing.filing_date,
            reason=closed,
            next_day=add_business_days(filing.filing_date, 1),
        )
    signed = filing.signature.date
    if signed is not None and signed < filing.date_of_report:
        yield at_filing(
            bundle,
            "signature-date",
            ("signature", "date"),
            date=signed,
            problem=f"before the date of report ({filing.date_of_report})",
        )
    elif signed is not None and signed > filing.filing_date:
        yield at_filing(
            bundle,
            "signature-date",
            ("signature", "date"),
            date=signed,
            problem=f"after the filing date ({filing.filing_date})",
        )
    due = deadline(bundle)
    if due.due is None or filing.date_of_report > filing.filing_date:
        return
    if filing.filing_date > due.due:
        late = business_days_between(due.due, filing.filing_date)
        yield at_filing(
            bundle,
            "late-filing",
            ("filing_date",),
            filing_date=filing.filing_date,
            late=late,
            plural="s" * (late != 1),
            items=", ".join(due.items),
            date_of_report=filing.date_of_report,
            due=due.due,
        )


def check_signature(bundle: FilingBundle) -> Iterator[Finding]:
    default = bundle.company.signatory
    for field in ("name", "title"):
        if getattr(bundle.filing.signature, field) is None and default is None:
            yield at_filing(bundle, "signatory-missing", ("signature",), field=field)
