"""form8k.yaml: a project changes a rule's severity, or turns it off."""

from __future__ import annotations

from tests.conftest import FILING_YAML

GAP = FILING_YAML.replace('number: "99.1"', 'number: "99.2"')


def test_a_rule_can_be_made_an_error_or_ignored(make_project, run_cli) -> None:
    root = make_project({"content/example/filing.yaml": GAP})
    code, out, _ = run_cli("--project", str(root), "check")
    assert code == 0 and "warning: exhibit-99-sequence:" in out

    (root / "form8k.yaml").write_text("checks:\n  exhibit-99-sequence: error\n")
    code, out, _ = run_cli("--project", str(root), "check")
    assert code == 1 and "content/example/filing.yaml:9:13: error: exhibit-99-sequence:" in out

    (root / "form8k.yaml").write_text("checks:\n  exhibit-99-sequence: ignore\n")
    code, out, _ = run_cli("--project", str(root), "check", "--strict")
    assert code == 0 and "exhibit-99-sequence" not in out


def test_unknown_rule_or_severity_is_reported_with_location(make_project, run_cli) -> None:
    root = make_project()
    (root / "form8k.yaml").write_text("checks:\n  late-filings: error\n")
    code, _, err = run_cli("--project", str(root), "check")
    assert code == 2
    assert err.strip() == (
        "form8k.yaml:2:3: error: unknown rule 'late-filings' (did you mean 'late-filing'?)"
    )
    (root / "form8k.yaml").write_text("checks:\n  late-filing: fatal\n")
    code, _, err = run_cli("--project", str(root), "check")
    assert code == 2
    assert err.startswith("form8k.yaml:2:16: error: checks.late-filing: input should be ")


def test_rules_needed_to_render_cannot_be_turned_off(make_project, run_cli) -> None:
    root = make_project()
    (root / "form8k.yaml").write_text("checks:\n  item-unknown: ignore\n")
    code, _, err = run_cli("--project", str(root), "check")
    assert code == 2
    assert "form8k.yaml:2:3: error: rule 'item-unknown' cannot be changed" in err


def test_readme_rule_table_matches_the_rule_table() -> None:
    import re

    from form8k.rules import RULES
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| `([a-z0-9.-]+)` \| (error|warning)( \(fixed\))? \| [^|]+ \| (.+) \|$",
        readme,
        re.MULTILINE,
    )
    assert [(rule, severity, bool(fixed), source) for rule, severity, fixed, source in rows] == [
        (r.id, r.severity.value, not r.configurable, r.source) for r in RULES.values()
    ]


def test_sample_ci_workflow_checks_strictly_and_keeps_the_pdfs() -> None:
    import yaml

    from tests.conftest import REPO

    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "filings.yml").read_text())
    steps = workflow["jobs"]["filings"]["steps"]
    commands = " ".join(step.get("run", "") for step in steps)
    assert "check --strict" in commands and "build --strict" in commands
    assert any(step.get("with", {}).get("path") == "output/**/*.pdf" for step in steps)
