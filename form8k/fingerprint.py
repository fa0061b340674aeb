"""What a filing's output was made from, so that a build can skip what has not changed.

A filing's fingerprint covers every file it may read: the files of its folder, the files beside
each company.yaml from its folder up to content/, any other project file its content named (a
logo elsewhere, say), every file under templates/ (templates, styles, print CSS, fonts), the
project's form8k.yaml, the tool's version and its own code, the versions of the libraries that
decide the bytes, and the build's options. The build stores it in
``output/.form8k-build/stamps/<filing>.json``, with the project that built it, the outputs'
names and digests and the problems the build reported, so a skipped filing still reports its
warnings and a hand-edited output is made again.

The digests a build records are those of the files *as the build read them*: each input is
hashed before it is read (``Inputs``), and its signature (inode, size, modification and change
times) is checked again once the filing is made. An input saved in between is recorded as
"changed during the build", which matches nothing, so the next build makes the filing again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
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

MISSING = "missing"
"""The digest of a file that is not there (or cannot be read)."""
CHANGED = "changed during the build"
"""The digest recorded for an input saved while the build read it: it matches no file, so the
next build makes the filing again."""

#: How far a file's change time may lag behind the clock: file systems stamp files with a
#: coarse clock (one kernel tick, up to 10 ms). A file changed less than this before it is
#: hashed is hashed again once the interval has passed, so that any later save shows in its
#: signature.
CLOCK_GRAIN_NS = 20_000_000

Signature = tuple[int, int, int, int]
"""(inode, size, modification time, change time) of a file: any save changes it."""
Entry = tuple[Signature | None, str]
"""A file's signature (None: missing) and the digest of its bytes under that signature."""


def signature(path: Path) -> Signature | None:
    """The file's signature, or None when it is not a readable file's."""
    try:
        stat = os.stat(path)
    except (OSError, ValueError):
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Hasher:
    """Hashes files once per build (templates and fonts are shared by every filing).

    A digest is kept with the file's signature and used again only while the signature is the
    same, so a file saved during a long build is read again.
    """

    root: Path
    _entries: dict[Path, Entry] = field(default_factory=dict)

    def digest(self, path: Path) -> str:
        return self.entry(path)[1]

    def entry(self, path: Path, *, settle: bool = False) -> Entry:
        """The file's signature and digest now: its bytes, read between two equal signatures.

        With ``settle``, a file changed within the clock's grain is hashed again once the
        grain has passed (see ``CLOCK_GRAIN_NS``): a later save then always changes its
        signature, and ``Inputs.changed`` sees it.
        """
        for _ in range(8):
            before = signature(path)
            if before is None:
                self._entries[path] = (None, MISSING)
                return self._entries[path]
            if settle:
                age = time.time_ns() - before[3]
                if 0 <= age < CLOCK_GRAIN_NS:
                    time.sleep((CLOCK_GRAIN_NS - age) / 1e9)
                    continue
            cached = self._entries.get(path)
            if cached is not None and cached[0] == before:
                return cached
            try:
                data = path.read_bytes()
            except OSError:
                self._entries[path] = (None, MISSING)
                return self._entries[path]
            if signature(path) == before:
                self._entries[path] = (before, digest_bytes(data))
                return self._entries[path]
        return (None, CHANGED)  # saved again and again while being read

    def files(self, paths: Iterable[Path]) -> dict[str, str]:
        """Digest by path relative to the project root."""
        return {self.name(path): self.digest(path) for path in sorted(set(paths))}

    def name(self, path: Path) -> str:
        """How the fingerprint names a file: relative to the project root when inside it."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


class Inputs:
    """The files one filing is made from, each hashed before the build reads it.

    ``take`` hashes files (and remembers their signatures) before they are read; ``changed``
    tells which of them were saved since; ``digests`` is what the stamp records.
    """

    def __init__(self, hasher: Hasher, taken: Mapping[Path, Entry] | None = None) -> None:
        self.hasher = hasher
        self.taken: dict[Path, Entry] = dict(taken or {})

    def take(self, paths: Iterable[Path]) -> bool:
        """Hash the files not taken yet; whether there was any."""
        new = sorted({path for path in paths if path not in self.taken})
        for path in new:
            self.taken[path] = self.hasher.entry(path, settle=True)
        return bool(new)

    def changed(self, also: Iterable[Path] = ()) -> list[Path]:
        """Inputs saved (or removed, or made) since they were taken; and any of ``also`` (files
        that may have been read) that was not taken at all."""
        moved = [path for path, (sig, _) in self.taken.items() if signature(path) != sig]
        moved += [path for path in also if path not in self.taken]
        return sorted(set(moved))

    def digests(self, also: Iterable[Path] = ()) -> dict[str, str]:
        """Every input's digest as taken, or CHANGED for one saved since (or never taken)."""
        also = list(also)
        changed = set(self.changed(also))
        names: dict[str, str] = {}
        for path in sorted({*self.taken, *also}):
            names[self.hasher.name(path)] = CHANGED if path in changed else self.taken[path][1]
        return names


@functools.cache
def code_digest() -> str:
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


def filing_inputs(project: Project, folder: Path) -> list[Path]:
    """The files of a filing's own folder and those beside each company.yaml above it."""
    paths = [p for p in folder.rglob("*") if p.is_file()]
    directory = folder.parent
    while directory.is_relative_to(project.content):
        paths += [p for p in directory.iterdir() if p.is_file()]
        if directory == project.content:
            break
        directory = directory.parent
    return paths


def template_inputs(project: Project) -> list[Path]:
    """Every file of the template folder (templates, styles, print CSS, fonts)."""
    return sorted(p for p in project.templates.rglob("*") if p.is_file())


def config_inputs(project: Project) -> list[Path]:
    """The project's form8k.yaml (when it has one)."""
    config = project.root / CONFIG_FILE
    return [config] if config.is_file() else []


def candidate_inputs(project: Project, folder: Path, extra: Iterable[Path] = ()) -> list[Path]:
    """Every file a filing may have been made from (see the module's docstring)."""
    paths = filing_inputs(project, folder)
    paths += template_inputs(project)
    paths += config_inputs(project)
    paths += [p for p in extra if p.is_file()]
    return paths


def fingerprint(
    project: Project,
    folder: Path,
    hasher: Hasher,
    *,
    options: Mapping[str, object],
    extra: Iterable[Path] = (),
    inputs: Inputs | None = None,
    code: str | None = None,
) -> dict[str, object]:
    """The fingerprint of one filing: its inputs' digests, versions and options.

    Without ``inputs``, the files as they are now (what a build compares with its stamp); with
    them, the files as the build read them (what it records), every file present now but not
    read before being counted as changed. ``code`` is the digest of form8k's code the build
    started with (a worker of a process whose checkout was edited since must not differ).
    """
    paths = candidate_inputs(project, folder, extra)
    digests = hasher.files(paths) if inputs is None else inputs.digests(paths)
    return {
        "form8k": __version__,
        "code": code or code_digest(),
        "libraries": dict(_library_versions()),
        "options": dict(options),
        "inputs": digests,
    }


@dataclass(frozen=True)
class Stamp:
    """What the last build of a filing recorded: its fingerprint, outputs and problems, the
    project that built it and the filing's name in it, and each output's digest."""

    fingerprint: dict[str, object]
    outputs: list[str]
    problems: list[dict[str, object]]
    project: str | None = None
    """The project folder that built it; None in a stamp of an earlier version of form8k."""
    key: str | None = None
    hashes: dict[str, str] = field(default_factory=dict)
    """Digest of each output file, by name."""

    def to_bytes(self) -> bytes:
        data = {
            "fingerprint": self.fingerprint,
            "outputs": self.outputs,
            "problems": self.problems,
            "project": self.project,
            "key": self.key,
            "hashes": self.hashes,
        }
        return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("ascii")

    @classmethod
    def read_file(cls, path: Path) -> Stamp | None:
        """The stamp at ``path``, or None if there is none or it cannot be read."""
        try:
            data = json.loads(path.read_text(encoding="ascii"))
            project, key, hashes = data.get("project"), data.get("key"), data.get("hashes", {})
            if not (
                isinstance(data["fingerprint"], dict)
                and isinstance(data["outputs"], list)
                and isinstance(data["problems"], list)
                and isinstance(project, str | None)
                and isinstance(key, str | None)
                and isinstance(hashes, dict)
            ):
                return None
            return cls(data["fingerprint"], data["outputs"], data["problems"], project, key, hashes)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def extra_inputs(self, root: Path) -> list[Path]:
        """Inputs the last build recorded (including files outside the usual places)."""
        inputs = self.fingerprint.get("inputs", {})
        return [root / name for name in inputs] if isinstance(inputs, dict) else []

    def outputs_intact(self, folder: Path) -> bool:
        """Whether the filing's output folder holds exactly the files this build wrote, each
        with the bytes it wrote (a hand-edited, added or removed file: no)."""
        if not self.outputs or set(self.hashes) != set(self.outputs):
            return False  # a stamp of an earlier version: no digests to compare
        try:
            present = {entry.name for entry in os.scandir(folder) if not entry.is_dir()}
        except OSError:
            return False
        if present != set(self.outputs):
            return False
        for name, expected in self.hashes.items():
            try:
                if digest_bytes((folder / name).read_bytes()) != expected:
                    return False
            except OSError:
                return False
        return True

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
