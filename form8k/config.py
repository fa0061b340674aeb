"""The project's settings file, ``form8k.yaml`` (optional): the severity of each rule, and
where the SEC's EDGAR plugin is for ``check --edgar``.

checks:
  late-filing: error          # error, warning or ignore
  exhibit-number: ignore
edgar_plugin: ../EDGAR        # a checkout of github.com/Arelle/EDGAR
edgar_cache: taxonomies/      # optional: standard taxonomies for working offline
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
    edgar_plugin: str | None = None
    """A checkout of github.com/Arelle/EDGAR (the SEC's EDGAR plugin for Arelle), relative
    to the project, for ``check --edgar``."""
    edgar_cache: str | None = None
    """A folder of standard taxonomies in Arelle's web-cache layout, relative to the project,
    for ``check --edgar`` without the internet."""


@dataclass(frozen=True)
class Config:
    """The project's settings, resolved."""

    severities: dict[str, Severity | None] = field(default_factory=dict)
    """A rule's severity where the project changed it; None means the rule is off."""
    edgar_plugin: Path | None = None
    """The EDGAR plugin form8k.yaml names, resolved."""
    edgar_cache: Path | None = None
    """The taxonomy cache form8k.yaml names, resolved."""


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
    return Config(
        severities,
        edgar_plugin=root / config.edgar_plugin if config.edgar_plugin else None,
        edgar_cache=root / config.edgar_cache if config.edgar_cache else None,
    )
