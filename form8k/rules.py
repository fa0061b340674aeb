"""Model -> problems: the rules a filing must meet before it is rendered. Never raises.

Each rule is one row of ``RULES`` (id, severity, source, message) so that correcting a rule is a
one-line change; the check functions below yield ``(rule id, key path, message arguments)``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from form8k.errors import KeyPath, Problem, Severity
from form8k.model import FilingBundle

MAX_FILE_NAME = 32


@dataclass(frozen=True)
class Rule:
    """One rule: what it is called, how bad breaking it is, where it comes from, what it says."""

    id: str
    severity: Severity
    source: str
    message: str
    """A format string filled from the check's arguments."""


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "item-duplicate",
            Severity.ERROR,
            "Form 8-K, General Instruction B.3",
            "Item {number} is reported twice; report each item once",
        ),
        Rule(
            "exhibit-duplicate",
            Severity.ERROR,
            "Regulation S-K Item 601(a)(2)",
            "Exhibit {number} is listed twice",
        ),
        Rule(
            "exhibits-need-item-9.01",
            Severity.ERROR,
            "Form 8-K, Item 9.01(d)",
            'the filing has exhibits but no Item 9.01 to list them; add an item with number "9.01"',
        ),
        Rule(
            "amendment-number",
            Severity.ERROR,
            "Form 8-K cover page; Exchange Act Rule 12b-15",
            "{problem}",
        ),
        Rule(
            "signatory-missing",
            Severity.ERROR,
            "Form 8-K, Signatures; Regulation S-T Rule 302",
            "no signatory: give signature.{field} here or signatory.{field} in company.yaml",
        ),
        Rule(
            "file-name-length",
            Severity.ERROR,
            "EDGAR Filer Manual Vol. II 5.1.1",
            "document name {name!r} has {length} characters; EDGAR allows at most 32 "
            "(shorten 'prefix' in company.yaml)",
        ),
    )
}

Finding = tuple[str, KeyPath, dict[str, object]]


def _items(bundle: FilingBundle) -> Iterator[Finding]:
    counts = Counter(item.number for item in bundle.filing.items)
    seen: set[str] = set()
    for index, item in enumerate(bundle.filing.items):
        if counts[item.number] > 1 and item.number in seen:
            yield "item-duplicate", ("items", index, "number"), {"number": item.number}
        seen.add(item.number)


def _exhibits(bundle: FilingBundle) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, exhibit in enumerate(bundle.filing.exhibits):
        if exhibit.number in seen:
            yield "exhibit-duplicate", ("exhibits", index, "number"), {"number": exhibit.number}
        seen.add(exhibit.number)
    if bundle.filing.exhibits and "9.01" not in {item.number for item in bundle.filing.items}:
        yield "exhibits-need-item-9.01", ("exhibits",), {}


def _amendment(bundle: FilingBundle) -> Iterator[Finding]:
    filing = bundle.filing
    if filing.form_type == "8-K/A":
        if filing.amendment_number is None:
            yield (
                "amendment-number",
                ("form_type",),
                {"problem": "an 8-K/A needs 'amendment_number' (1 for the first amendment)"},
            )
        if not filing.explanatory_note:
            yield (
                "amendment-number",
                ("form_type",),
                {"problem": "an 8-K/A needs an 'explanatory_note' stating the amendment's purpose"},
            )
    else:
        for key in ("amendment_number", "explanatory_note"):
            if getattr(filing, key):
                yield (
                    "amendment-number",
                    (key,),
                    {
                        "problem": f"'{key}' belongs to an amendment; "
                        "set form_type: 8-K/A or remove it"
                    },
                )


def _signature(bundle: FilingBundle) -> Iterator[Finding]:
    default = bundle.company.signatory
    for field in ("name", "title"):
        if getattr(bundle.filing.signature, field) is None and default is None:
            yield "signatory-missing", ("signature",), {"field": field}


def _file_names(bundle: FilingBundle) -> Iterator[Finding]:
    names: list[tuple[str, KeyPath]] = [(bundle.primary_document, ("date_of_report",))]
    names += [
        (bundle.exhibit_document(exhibit), ("exhibits", index, "number"))
        for index, exhibit in enumerate(bundle.filing.exhibits)
        if exhibit.source is not None
    ]
    for name, path in names:
        if len(name) > MAX_FILE_NAME:
            yield "file-name-length", path, {"name": name, "length": len(name)}


CHECKS: tuple[Callable[[FilingBundle], Iterator[Finding]], ...] = (
    _items,
    _exhibits,
    _amendment,
    _signature,
    _file_names,
)


def check_filing(bundle: FilingBundle) -> list[Problem]:
    """Every problem the rules find in ``bundle``, located in the YAML that caused it."""
    problems = []
    for check in CHECKS:
        for rule_id, path, arguments in check(bundle):
            rule = RULES[rule_id]
            problems.append(
                Problem(
                    bundle.filing_sources.locate(path),
                    rule.message.format(**arguments),
                    rule.severity,
                    rule.id,
                )
            )
    return problems
