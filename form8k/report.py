"""A check's results as text, JSON or JUnit XML: what a person or a CI system reads."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from form8k.errors import Problem, Severity
from form8k.pipeline import BuildReport, FilingResult
from form8k.rules import RULES

FORMATS = ("text", "json", "junit")


def summary_line(result: FilingResult) -> str:
    """One line per filing: what it is and how it fared."""
    errors = sum(p.severity is Severity.ERROR for p in result.problems)
    warnings = sum(p.severity is Severity.WARNING for p in result.problems)
    status = "ok    " if not errors else "failed"
    bundle = result.bundle
    what = ""
    if bundle is not None:
        items = ", ".join(item.number for item in bundle.filing.sorted_items)
        exhibits = ", ".join(e.number for e in bundle.filing.sorted_exhibits) or "none"
        from form8k.rules.filing import deadline

        due = deadline(bundle).describe(bundle.filing.filing_date)
        what = (
            f" Form {bundle.filing.form_type} of {bundle.filing.date_of_report}, "
            f"Items {items}; Exhibits {exhibits}; filed {bundle.filing.filing_date}, {due};"
        )
    return (
        f"{status} {result.key}:{what} {errors} error{'s' * (errors != 1)}, "
        f"{warnings} warning{'s' * (warnings != 1)}"
    )


def distinct_problems(report: BuildReport) -> list[Problem]:
    """Every problem of the run once, in order: a problem of a file that several filings share
    (their company.yaml) is reported with each of them, but it is one problem."""
    return list(dict.fromkeys(report.problems))


def _problem_record(problem: Problem, root: Path) -> dict[str, object]:
    location = problem.location
    try:
        path = location.path.relative_to(root).as_posix()
    except ValueError:
        path = location.path.as_posix()
    rule = RULES.get(problem.rule or "")
    return {
        "path": path,
        "line": location.line,
        "column": location.column,
        "severity": problem.severity.value,
        "rule": problem.rule,
        "source": rule.source if rule else None,
        "message": problem.message,
    }


def to_json(report: BuildReport, root: Path, *, strict: bool) -> str:
    """The whole report as one JSON document."""
    filings = []
    for result in report.results:
        bundle = result.bundle
        filings.append(
            {
                "filing": result.key,
                "form_type": bundle.filing.form_type if bundle else None,
                "date_of_report": bundle.filing.date_of_report.isoformat() if bundle else None,
                "filing_date": bundle.filing.filing_date.isoformat() if bundle else None,
                "due": _due(result),
                "items": [i.number for i in bundle.filing.sorted_items] if bundle else [],
                "ok": _passed(result, strict=strict),
                "problems": [_problem_record(p, root) for p in result.problems],
            }
        )
    shown = distinct_problems(report)
    document = {
        "strict": strict,
        "errors": sum(p.severity is Severity.ERROR for p in shown),
        "warnings": sum(p.severity is Severity.WARNING for p in shown),
        "filings": filings,
    }
    return json.dumps(document, indent=2) + "\n"


def to_junit(report: BuildReport, root: Path, *, strict: bool) -> str:
    """JUnit XML: a test suite per filing, a test case per rule; a broken rule is a failure."""
    suites = ET.Element("testsuites", name="form8k check")
    total_failures = 0
    for result in report.results:
        by_rule: dict[str, list[Problem]] = {}
        for problem in result.problems:
            by_rule.setdefault(problem.rule or "input", []).append(problem)
        rule_ids = ["input", *RULES]
        suite = ET.SubElement(suites, "testsuite", name=result.key, tests=str(len(rule_ids)))
        failures = 0
        for rule_id in rule_ids:
            case = ET.SubElement(suite, "testcase", classname=result.key, name=rule_id)
            problems = by_rule.get(rule_id, [])
            failing = [p for p in problems if p.severity is Severity.ERROR or strict]
            if failing:
                failures += 1
                failure = ET.SubElement(
                    case,
                    "failure",
                    type=failing[0].severity.value,
                    message=failing[0].display(root),
                )
                failure.text = "\n".join(p.display(root) for p in failing)
            elif problems:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(p.display(root) for p in problems)
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        total_failures += failures
    suites.set("failures", str(total_failures))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def _due(result: FilingResult) -> str | None:
    """The filing's deadline (4 business days, by 5:30 p.m. Eastern), if an item sets one."""
    from form8k.rules.filing import deadline

    if result.bundle is None:
        return None
    due = deadline(result.bundle).due
    return due.isoformat() if due else None


def _passed(result: FilingResult, *, strict: bool) -> bool:
    fatal = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return result.bundle is not None and not any(p.severity in fatal for p in result.problems)
