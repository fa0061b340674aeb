"""The project's settings file, ``form8k.yaml`` (optional): for now, the severity of each rule.

checks:
  late-filing: error          # error, warning or ignore
  exhibit-number: ignore
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field

from form8k.errors import Problem, Severity, did_you_mean
from form8k.load import LoadError, read_yaml_file, validate
from form8k.model import Schema
from form8k.project import CONFIG_FILE
from form8k.rules import RULES


class ConfigFile(Schema):
    """The settings a project may keep in form8k.yaml."""

    checks: dict[str, Literal["error", "warning", "ignore"]] = Field(default_factory=dict)
    """Severity of a rule by its id: "error", "warning", or "ignore" to turn it off."""


@dataclass(frozen=True)
class Config:
    """The project's settings, resolved."""

    severities: dict[str, Severity | None] = field(default_factory=dict)
    """A rule's severity where the project changed it; None means the rule is off."""


def load_config(root: Path) -> Config:
    """Read ``form8k.yaml`` at the project root, if there is one; raise LoadError if it is bad."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return Config()
    data, sources = read_yaml_file(path)
    config = validate(ConfigFile, data, sources)
    problems = []
    severities: dict[str, Severity | None] = {}
    for rule_id, severity in config.checks.items():
        rule = RULES.get(rule_id)
        location = sources.locate(("checks", rule_id), key=True)
        if rule is None:
            problems.append(
                Problem(location, f"unknown rule {rule_id!r}" + did_you_mean(rule_id, RULES))
            )
        elif not rule.configurable:
            problems.append(
                Problem(
                    location,
                    f"rule {rule_id!r} cannot be changed: without it the filing cannot be rendered",
                )
            )
        else:
            severities[rule_id] = None if severity == "ignore" else Severity(severity)
    if problems:
        raise LoadError(problems)
    return Config(severities)
