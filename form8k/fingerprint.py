"""What a filing's output was made from, so that a build can skip what has not changed.

A filing's fingerprint covers every file it may read: the files of its folder, the files beside
each company.yaml from its folder up to content/, any other project file its content named (a
logo elsewhere, say), every file under templates/ (templates, styles, print CSS, fonts), the
project's form8k.yaml, the tool's version and its own code, the versions of the libraries that
decide the bytes, and the build's options. The build stores it in
``output/.form8k-build/<filing>.json``, with the outputs' names and the problems the build
reported, so a skipped filing still reports its warnings.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from form8k import __version__
from form8k.errors import Problem, Severity, SourceLocation
from form8k.project import CONFIG_FILE, Project

#: Libraries whose version changes the bytes of the outputs.
RENDERING_LIBRARIES = (
    "weasyprint",
    "pydyf",
    "fonttools",
    "jinja2",
    "markdown-it-py",
    "mdit-py-plugins",
    "pypdf",
    "lxml",
    "pydantic",
    "pyyaml",
    "holidays",
    "pycountry",
)
PACKAGE = Path(__file__).resolve().parent


@dataclass
class Hasher:
    """Hashes files once per build (templates and fonts are shared by every filing)."""

    root: Path
    _digests: dict[Path, str] = field(default_factory=dict)

    def digest(self, path: Path) -> str:
        if path not in self._digests:
            try:
                self._digests[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                self._digests[path] = "missing"
        return self._digests[path]

    def files(self, paths: Iterable[Path]) -> dict[str, str]:
        """Digest by path relative to the project root."""
        result = {}
        for path in sorted(set(paths)):
            try:
                name = path.relative_to(self.root).as_posix()
            except ValueError:
                name = path.as_posix()
            result[name] = self.digest(path)
        return result


@functools.cache
def _code_digest() -> str:
    """One digest of form8k's own source: an edited checkout rebuilds what it changes."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.cache
def _library_versions() -> dict[str, str]:
    versions = {}
    for name in RENDERING_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def candidate_inputs(project: Project, folder: Path, extra: Iterable[Path] = ()) -> list[Path]:
    """Every file a filing may have been made from (see the module's docstring)."""
    paths = [p for p in folder.rglob("*") if p.is_file()]
    directory = folder.parent
    while directory.is_relative_to(project.content):
        paths += [p for p in directory.iterdir() if p.is_file()]
        if directory == project.content:
            break
        directory = directory.parent
    paths += [p for p in project.templates.rglob("*") if p.is_file()]
    config = project.root / CONFIG_FILE
    if config.is_file():
        paths.append(config)
    paths += [p for p in extra if p.is_file()]
    return paths


def fingerprint(
    project: Project,
    folder: Path,
    hasher: Hasher,
    *,
    options: Mapping[str, object],
    extra: Iterable[Path] = (),
) -> dict[str, object]:
    """The fingerprint of one filing: its inputs' digests, versions and options."""
    return {
        "form8k": __version__,
        "code": _code_digest(),
        "libraries": dict(_library_versions()),
        "options": dict(options),
        "inputs": hasher.files(candidate_inputs(project, folder, extra)),
    }


@dataclass(frozen=True)
class Stamp:
    """What the last build of a filing recorded: its fingerprint, outputs and problems."""

    fingerprint: dict[str, object]
    outputs: list[str]
    problems: list[dict[str, object]]

    def to_bytes(self) -> bytes:
        data = {"fingerprint": self.fingerprint, "outputs": self.outputs, "problems": self.problems}
        return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("ascii")

    @classmethod
    def read_file(cls, path: Path) -> Stamp | None:
        """The stamp at ``path``, or None if there is none or it cannot be read."""
        try:
            data = json.loads(path.read_text(encoding="ascii"))
            return cls(data["fingerprint"], data["outputs"], data["problems"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def extra_inputs(self, root: Path) -> list[Path]:
        """Inputs the last build recorded (including files outside the usual places)."""
        inputs = self.fingerprint.get("inputs", {})
        return [root / name for name in inputs] if isinstance(inputs, dict) else []

    def outputs_intact(self, folder: Path) -> bool:
        return all((folder / name).is_file() for name in self.outputs)

    def problem_objects(self, root: Path) -> list[Problem]:
        return [
            Problem(
                SourceLocation(root / str(p["path"]), _int(p.get("line")), _int(p.get("column"))),
                str(p["message"]),
                Severity(str(p["severity"])),
                str(p["rule"]) if p.get("rule") else None,
            )
            for p in self.problems
        ]


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def problem_records(problems: Iterable[Problem], root: Path) -> list[dict[str, object]]:
    """Problems as JSON-ready records with project-relative paths."""
    records: list[dict[str, object]] = []
    for problem in problems:
        location = problem.location
        try:
            path = location.path.relative_to(root).as_posix()
        except ValueError:
            path = location.path.as_posix()
        records.append(
            {
                "path": path,
                "line": location.line,
                "column": location.column,
                "message": problem.message,
                "severity": problem.severity.value,
                "rule": problem.rule,
            }
        )
    return records
