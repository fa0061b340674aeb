"""What a build reports: a result per filing and the report of the whole run. Light to import."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from form8k.errors import Problem, Severity

if TYPE_CHECKING:
    from form8k.model import FilingBundle


@dataclass
class FilingResult:
    """What became of one filing."""

    key: str
    bundle: FilingBundle | None = None
    """The loaded filing, when it was loaded (not when it was skipped)."""
    written: list[str] = field(default_factory=list)
    """Files of the filing's output folder; empty when it failed."""
    problems: list[Problem] = field(default_factory=list)
    skipped: bool = False
    """Nothing changed since the last build: its outputs were kept as they are."""
    inputs: list[Path] = field(default_factory=list)
    """Files the content named beyond the usual places (for the fingerprint)."""
    changed: list[Path] = field(default_factory=list)
    """Inputs saved while the filing was being made: its output may be of the earlier text, and
    the next build makes it again (a preview rebuilds at once)."""
    internal: str | None = None
    """The traceback of an internal error (a bug) that stopped this filing, if one did."""
    printed: list[str] = field(default_factory=list)
    """The documents whose PDF this build laid out (the others' PDFs were the last build's,
    their HTML being the same)."""
    documents: dict[str, dict[str, object]] = field(default_factory=dict)
    """What each PDF was printed from, by PDF file name (for the stamp)."""

    @property
    def ok(self) -> bool:
        return bool(self.written)


@dataclass
class BuildReport:
    """Every filing's result, in order."""

    results: list[FilingResult]
    out: Path
    removed: list[str] = field(default_factory=list)
    """Filings whose content is gone, whose outputs this build removed."""
    notices: list[Problem] = field(default_factory=list)
    """Problems of the run rather than of one filing (a linked folder left out, an output that
    could not be removed)."""

    @property
    def problems(self) -> list[Problem]:
        """Every problem of the run, each once: a company.yaml problem that its filings share
        is shown and counted once (each filing still fails)."""
        every = [
            *self.notices,
            *(problem for result in self.results for problem in result.problems),
        ]
        return list(dict.fromkeys(every))

    def count(self, severity: Severity) -> int:
        return sum(1 for problem in self.problems if problem.severity is severity)

    @property
    def failed(self) -> int:
        return sum(1 for result in self.results if not result.ok)

    @property
    def skipped(self) -> int:
        return sum(1 for result in self.results if result.skipped)

    @property
    def internal(self) -> bool:
        """Whether an internal error (a bug) stopped some filing."""
        return any(result.internal is not None for result in self.results)
