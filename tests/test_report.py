"""check's reports: text for people, JSON and JUnit XML for CI systems."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from tests.conftest import FILING_YAML

LATE = FILING_YAML.replace("filing_date: 2024-03-04", "filing_date: 2024-03-20").replace(
    '"8.01"', '"5.02"'
)


def broken_project(make_project):
    root = make_project({"content/example/filing.yaml": LATE})
    (root / "content" / "bad").mkdir()
    (root / "content" / "bad" / "filing.yaml").write_text("form_type: 8-K\nitmes: []\n")
    return root


def test_json_report_lists_every_problem_with_its_location(make_project, run_cli) -> None:
    root = broken_project(make_project)
    code, out, _ = run_cli("--project", str(root), "check", "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert (report["errors"], report["warnings"], report["strict"]) == (3, 1, False)
    bad, example = report["filings"]
    assert bad["filing"] == "bad" and bad["ok"] is False and bad["form_type"] is None
    assert [p["message"] for p in bad["problems"]] == [
        "missing required key 'date_of_report'",
        "missing required key 'filing_date'",
        "unknown key 'itmes' (did you mean 'items'?)",
    ]
    assert example["ok"] is True
    assert example["items"] == ["5.02", "9.01"]
    (late,) = example["problems"]
    assert late == {
        "path": "content/example/filing.yaml",
        "line": 3,
        "column": 14,
        "severity": "warning",
        "rule": "late-filing",
        "source": "Form 8-K, General Instruction B.1",
        "message": late["message"],
    }
    assert late["message"].startswith("filed on 2024-03-20, 9 business days late")


def test_strict_json_report_fails_on_warnings(make_project, run_cli) -> None:
    root = make_project({"content/example/filing.yaml": LATE})
    code, out, _ = run_cli("--project", str(root), "check", "--strict", "--format", "json")
    assert code == 1
    assert json.loads(out)["filings"][0]["ok"] is False
    code, out, _ = run_cli("--project", str(root), "check", "--format", "json")
    assert code == 0


def test_junit_report_is_valid_xml_with_a_case_per_rule(make_project, run_cli) -> None:
    root = broken_project(make_project)
    code, out, _ = run_cli("--project", str(root), "check", "--format", "junit", "--strict")
    assert code == 1
    suites = ET.fromstring(out)
    assert suites.tag == "testsuites"
    assert suites.get("failures") == "2"
    bad, example = suites.findall("testsuite")
    assert bad.get("name") == "bad" and bad.get("failures") == "1"
    failure = bad.find("testcase[@name='input']/failure")
    assert failure is not None and failure.get("type") == "error"
    assert "content/bad/filing.yaml:2:1: error: unknown key 'itmes'" in (failure.text or "")
    late = example.find("testcase[@name='late-filing']/failure")
    assert late is not None and late.get("type") == "warning"
    assert int(example.get("tests")) == len(example.findall("testcase"))
    assert example.find("testcase[@name='item-duplicate']/failure") is None


def test_text_report_prints_problems_then_a_line_per_filing(make_project, run_cli) -> None:
    root = broken_project(make_project)
    code, out, _ = run_cli("--project", str(root), "check")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "content/bad/filing.yaml:1:1: error: missing required key 'date_of_report'"
    assert lines[-2] == "failed bad: 3 errors, 0 warnings"
    assert lines[-1] == (
        "ok     example: Form 8-K of 2024-03-01, Items 5.02, 9.01; Exhibits 99.1; filed "
        "2024-03-20, due 2024-03-07 5:30 p.m. Eastern (9 business days late); "
        "0 errors, 1 warning"
    )
