"""Problems with a location, and the error that carries them to the command line."""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    """How bad a problem is: errors stop a filing from building; warnings are counted."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class SourceLocation:
    """Where a value came from: a file and, when known, a 1-based line and column."""

    path: Path
    line: int | None = None
    column: int | None = None

    def display(self, root: Path | None = None) -> str:
        """Return ``path:line:column`` with the path relative to ``root`` when inside it."""
        path = self.path
        if root is not None:
            with contextlib.suppress(ValueError):
                path = path.relative_to(root)
        text = path.as_posix()
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


KeyPath = tuple[str | int, ...]
"""Keys and list indexes leading to a value in a YAML document."""


@dataclass
class SourceMap:
    """Where each value of a loaded YAML tree was written, by key path."""

    file: Path
    values: dict[KeyPath, SourceLocation] = field(default_factory=dict)
    keys: dict[KeyPath, SourceLocation] = field(default_factory=dict)

    def locate(self, path: KeyPath, *, key: bool = False) -> SourceLocation:
        """Location of the value (or its key) at ``path``, else of the nearest enclosing value."""
        if key and path in self.keys:
            return self.keys[path]
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), SourceLocation(self.file, 1, 1))

    def graft(self, other: SourceMap, prefix: KeyPath, at: KeyPath = ()) -> None:
        """Take ``other``'s locations under ``prefix``, re-rooted at ``at``."""
        n = len(prefix)
        for table, theirs in ((self.values, other.values), (self.keys, other.keys)):
            for path, location in theirs.items():
                if path[:n] == prefix and path != prefix:
                    table[at + path[n:]] = location


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input or the output, where it is, and how bad it is."""

    location: SourceLocation
    message: str
    severity: Severity = Severity.ERROR
    rule: str | None = None

    def display(self, root: Path | None = None) -> str:
        """Format the problem as ``path:line:column: severity: [rule: ]message``."""
        rule = f"{self.rule}: " if self.rule else ""
        return f"{self.location.display(root)}: {self.severity.value}: {rule}{self.message}"


class Form8kError(Exception):
    """An error the command line reports as messages, with an exit code; never a traceback."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            self.problems: list[Problem] = []
            super().__init__(problems)
        else:
            self.problems = list(problems)
            super().__init__("; ".join(p.message for p in self.problems))


class UsageError(Form8kError):
    """The command was called wrongly (bad path, bad option)."""

    exit_code = 2


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return `` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""


class OutputBusy(Form8kError):
    """Another build is writing into the same output folder (its lock names it)."""

    exit_code = 1
