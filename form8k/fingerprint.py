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

import contextlib
import functools
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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
    "pikepdf",
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
    same, so a file saved during a long build is read again. With ``memo`` (the comparison of
    every filing with its stamp, at the start of a build), a file is looked at once: a save
    during that pass is as if made just after it, and shows in the next build.
    """

    root: Path
    memo: bool = False
    _entries: dict[Path, Entry] = field(default_factory=dict)

    def digest(self, path: Path) -> str:
        return self.entry(path)[1]

    def entry(self, path: Path, *, settle: bool = False) -> Entry:
        """The file's signature and digest now: its bytes, read between two equal signatures.

        With ``settle``, a file changed within the clock's grain is hashed again once the
        grain has passed (see ``CLOCK_GRAIN_NS``): a later save then always changes its
        signature, and ``Inputs.changed`` sees it.
        """
        if self.memo and path in self._entries:
            return self._entries[path]
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
                with path.open("rb") as stream:  # in chunks: a big graphic is never whole in memory
                    digest = hashlib.file_digest(stream, "sha256").hexdigest()
            except OSError:
                self._entries[path] = (None, MISSING)
                return self._entries[path]
            if signature(path) == before:
                self._entries[path] = (before, digest)
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


_CODE: dict[str, object] = {}


def code_digest() -> str:
    """One digest of form8k's own source: an edited checkout rebuilds what it changes. It is
    read again when a source file's signature changed since (a long-lived process, such as a
    test session or the preview, sees an edit of the checkout as a new process would)."""
    sources = []
    for directory, folders, files in os.walk(PACKAGE):
        folders[:] = [name for name in folders if name != "__pycache__"]
        sources += [os.path.join(directory, name) for name in files if name.endswith(".py")]
    signatures = [(path, signature(Path(path))) for path in sorted(sources)]
    if _CODE.get("signatures") == signatures:
        return str(_CODE["digest"])
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    _CODE.update(signatures=signatures, digest=digest.hexdigest())
    return digest.hexdigest()


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


_DIST_INFO = re.compile(r"(?P<name>[^-]+)-(?P<version>[^-]+?)\.(?:dist-info|egg-info)")


@functools.cache
def _library_versions() -> dict[str, str]:
    """The versions of RENDERING_LIBRARIES, read from the names of their ``.dist-info``
    folders on sys.path (one listing per folder; importlib.metadata for any not found so)."""
    wanted = {_normal(name): name for name in RENDERING_LIBRARIES}
    versions: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            match = _DIST_INFO.fullmatch(folder)
            if match is None:
                continue
            name = wanted.get(_normal(match["name"]))
            if name is not None and name not in versions:
                versions[name] = match["version"]
    for name in RENDERING_LIBRARIES:
        if name not in versions:
            from importlib import metadata

            try:
                versions[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                versions[name] = "absent"
    return {name: versions[name] for name in RENDERING_LIBRARIES}


class Listing:
    """The files of shared folders (company folders, content/, templates/), listed once: for
    the comparison of every filing with its stamp, where a hundred filings share them."""

    def __init__(self) -> None:
        self._folders: dict[Path, list[Path]] = {}
        self._trees: dict[Path, list[Path]] = {}
        self._shared: dict[Path, dict[str, Path]] = {}

    def files(self, directory: Path) -> list[Path]:
        """The files directly in ``directory`` (links to files included, as is_file() does)."""
        found = self._folders.get(directory)
        if found is None:
            found = self._folders[directory] = _files_in(directory)
        return found

    def shared(self, project: Project, hasher: Hasher, parent: Path) -> dict[str, Path]:
        """The inputs every filing in ``parent`` shares, by name: the files beside each
        company.yaml from ``parent`` up to content/, every template file, form8k.yaml."""
        found = self._shared.get(parent)
        if found is None:
            paths: list[Path] = []
            directory = parent
            while directory.is_relative_to(project.content):
                paths += self.files(directory)
                if directory == project.content:
                    break
                directory = directory.parent
            paths += template_inputs(project, self)
            paths += config_inputs(project)
            found = self._shared[parent] = {hasher.name(path): path for path in paths}
        return found

    def tree(self, directory: Path) -> list[Path]:
        """Every file at or below ``directory``, sorted."""
        found = self._trees.get(directory)
        if found is None:
            found = self._trees[directory] = sorted(p for p in directory.rglob("*") if p.is_file())
        return found


def _files_in(directory: Path) -> list[Path]:
    try:
        with os.scandir(directory) as entries:
            return [Path(entry.path) for entry in entries if entry.is_file()]
    except OSError:
        return []


def filing_inputs(project: Project, folder: Path, listing: Listing | None = None) -> list[Path]:
    """The files of a filing's own folder and those beside each company.yaml above it."""
    paths = [p for p in folder.rglob("*") if p.is_file()]
    directory = folder.parent
    while directory.is_relative_to(project.content):
        paths += listing.files(directory) if listing else _files_in(directory)
        if directory == project.content:
            break
        directory = directory.parent
    return paths


def template_inputs(project: Project, listing: Listing | None = None) -> list[Path]:
    """Every file of the template folder (templates, styles, print CSS, fonts)."""
    templates = project.templates
    if listing is not None:
        return list(listing.tree(templates))
    return sorted(p for p in templates.rglob("*") if p.is_file())


def config_inputs(project: Project) -> list[Path]:
    """The project's form8k.yaml (when it has one)."""
    config = project.root / CONFIG_FILE
    return [config] if config.is_file() else []


def candidate_inputs(
    project: Project, folder: Path, extra: Iterable[Path] = (), listing: Listing | None = None
) -> list[Path]:
    """Every file a filing may have been made from (see the module's docstring)."""
    paths = filing_inputs(project, folder, listing)
    paths += template_inputs(project, listing)
    paths += config_inputs(project)
    known = set(paths)
    paths += [p for p in extra if p not in known and p.is_file()]
    return paths


def is_print_input(name: str, templates: str) -> bool:
    """Whether the input named ``name`` (as a fingerprint names it) may change the PDF of a
    document whose HTML is the same: a file of the template folder (named ``templates``)
    other than a Jinja template (print.css, its fonts; a template's effect is all in the
    HTML)."""
    return name.startswith(templates + "/") and not name.endswith(".j2")


def fingerprint(
    project: Project,
    folder: Path,
    hasher: Hasher,
    *,
    options: Mapping[str, object],
    extra: Iterable[Path] = (),
    inputs: Inputs | None = None,
    code: str | None = None,
    listing: Listing | None = None,
) -> dict[str, object]:
    """The fingerprint of one filing: its inputs' digests, versions and options.

    Without ``inputs``, the files as they are now (what a build compares with its stamp); with
    them, the files as the build read them (what it records), every file present now but not
    read before being counted as changed. ``code`` is the digest of form8k's code the build
    started with (a worker of a process whose checkout was edited since must not differ).
    """
    paths = candidate_inputs(project, folder, extra, listing)
    digests = hasher.files(paths) if inputs is None else inputs.digests(paths)
    return {
        "form8k": __version__,
        "code": code or code_digest(),
        "libraries": dict(_library_versions()),
        "options": dict(options),
        "inputs": digests,
    }


def unchanged(
    project: Project,
    folder: Path,
    stamp: Stamp,
    hasher: Hasher,
    *,
    options: Mapping[str, object],
    code: str,
    listing: Listing,
) -> bool:
    """Whether the filing's fingerprint now is the one ``stamp`` recorded: ``fingerprint(...)
    == stamp.fingerprint``, found by name, stopping at the first difference (the comparison
    of a build with nothing to do)."""
    made = stamp.fingerprint
    if (
        made.get("form8k") != __version__
        or made.get("code") != code
        or made.get("libraries") != _library_versions()
        or made.get("options") != dict(options)
    ):
        return False
    recorded = made.get("inputs")
    if not isinstance(recorded, dict):
        return False
    current = dict(listing.shared(project, hasher, folder.parent))
    current.update((hasher.name(p), p) for p in folder.rglob("*") if p.is_file())
    for name in recorded:  # any other file the content named (a logo elsewhere)
        if name not in current:
            path = Path(name) if name.startswith("/") else project.root / name
            if path.is_file():
                current[name] = path
    if current.keys() != recorded.keys():
        return False
    return all(hasher.digest(path) == recorded[name] for name, path in current.items())


#: A stamp whose modification time carries this check (in its last six digits, of its inode,
#: size and the rest of the time) was touched by ``Stamp.outputs_intact`` just after it read
#: every output file and found it as recorded: an output whose change time is older than the
#: stamp's by more than the clock's grain is as it was then, and is not read again.
_VOUCH_DIGITS = 1_000_000


def _vouch(inode: int, size: int, millis: int) -> int:
    digest = hashlib.blake2b(f"{inode}:{size}:{millis}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % _VOUCH_DIGITS


def _vouches(stat: os.stat_result) -> bool:
    """Whether a stamp's times are those ``outputs_intact`` gave it (not a copy, not touched
    since: its change time within the clock's grain of the modification time set)."""
    mtime = stat.st_mtime_ns
    if mtime % _VOUCH_DIGITS != _vouch(stat.st_ino, stat.st_size, mtime // _VOUCH_DIGITS):
        return False
    return -CLOCK_GRAIN_NS <= stat.st_ctime_ns - mtime <= CLOCK_GRAIN_NS


@dataclass(frozen=True)
class Stamp:
    """What the last build of a filing recorded: its fingerprint, outputs and problems, the
    project that built it and the filing's name in it, each output's digest, and what each
    document's PDF was printed from (``documents``)."""

    fingerprint: dict[str, object]
    outputs: list[str]
    problems: list[dict[str, object]]
    project: str | None = None
    """The project folder that built it; None in a stamp of an earlier version of form8k."""
    key: str | None = None
    hashes: dict[str, str] = field(default_factory=dict)
    """Digest of each output file, by name."""
    documents: dict[str, dict[str, object]] = field(default_factory=dict)
    """By PDF file name: the digest of what that PDF was printed from (its HTML, metadata and
    graphics; ``basis``), where its links to the other documents are (``jumps``) and what the
    renderer warned of (``warnings``). A build whose document has the same basis, with the same
    print stylesheet, fonts, code and libraries, takes the PDF from the output folder."""

    def to_bytes(self) -> bytes:
        data = {
            "fingerprint": self.fingerprint,
            "outputs": self.outputs,
            "problems": self.problems,
            "project": self.project,
            "key": self.key,
            "hashes": self.hashes,
            "documents": self.documents,
        }
        return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("ascii")

    @classmethod
    def read_file(cls, path: Path) -> Stamp | None:
        """The stamp at ``path``, or None if there is none or it cannot be read."""
        try:
            with open(path, "rb") as stream:
                data = json.loads(stream.read())
            project, key, hashes = data.get("project"), data.get("key"), data.get("hashes", {})
            documents = data.get("documents", {})
            if not (
                isinstance(data["fingerprint"], dict)
                and isinstance(data["outputs"], list)
                and isinstance(data["problems"], list)
                and isinstance(project, str | None)
                and isinstance(key, str | None)
                and isinstance(hashes, dict)
                and isinstance(documents, dict)
            ):
                return None
            return cls(
                data["fingerprint"],
                data["outputs"],
                data["problems"],
                project,
                key,
                hashes,
                documents,
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def extra_inputs(self, root: Path) -> list[Path]:
        """Inputs the last build recorded (including files outside the usual places)."""
        inputs = self.fingerprint.get("inputs", {})
        return [root / name for name in inputs] if isinstance(inputs, dict) else []

    def outputs_intact(self, folder: Path, stamp_file: Path | None = None) -> bool:
        """Whether the filing's output folder holds exactly the files this build wrote, each
        with the bytes it wrote (a hand-edited, added or removed file: no).

        With ``stamp_file`` (where this stamp is; the caller holds the output folder's lock),
        the files are not read when the stamp vouches for them: after reading every one and
        finding it as recorded, their change times all older than two clock grains, this
        touches the stamp (its change time is then later than theirs, and its modification
        time carries a check) and looks again at each file's signature (a save in the
        meantime undoes the touch). A file saved later has a change time no older than the
        stamp's; a copied or touched stamp no longer carries its check."""
        if not self.outputs or set(self.hashes) != set(self.outputs):
            return False  # a stamp of an earlier version: no digests to compare
        try:
            present = {entry.name for entry in os.scandir(folder) if not entry.is_dir()}
        except OSError:
            return False
        if present != set(self.outputs):
            return False
        paths = {name: folder / name for name in self.outputs}
        stamped = _stat(stamp_file) if stamp_file is not None else None
        if stamped is not None and _vouches(stamped):
            limit = stamped.st_ctime_ns - CLOCK_GRAIN_NS
            signatures = [signature(path) for path in paths.values()]
            if all(sig is not None and sig[3] < limit for sig in signatures):
                return True
        before = {name: signature(path) for name, path in paths.items()}
        start = time.time_ns()
        for name, expected in self.hashes.items():
            try:
                if digest_bytes(paths[name].read_bytes()) != expected:
                    return False
            except OSError:
                return False
        if stamp_file is not None and stamped is not None:
            self._vouch(stamp_file, stamped, paths, before, start)
        return True

    def vouch(self, folder: Path, stamp_file: Path) -> None:
        """Have the stamp vouch for the filing's outputs (see ``outputs_intact``) when they
        are as recorded and were written long enough ago; else leave it as it is. (A build
        does this at its end, so that the next one need not read what it wrote.)"""
        paths = {name: folder / name for name in self.outputs}
        before = {name: signature(path) for name, path in paths.items()}
        settled = time.time_ns() - 2 * CLOCK_GRAIN_NS
        stamped = _stat(stamp_file)
        if stamped is None or not all(s is not None and s[3] < settled for s in before.values()):
            return
        self.outputs_intact(folder, stamp_file)

    def _vouch(
        self,
        stamp_file: Path,
        stamped: os.stat_result,
        paths: dict[str, Path],
        before: dict[str, Signature | None],
        start: int,
    ) -> None:
        """Touch the stamp so that it vouches for ``paths``, read as recorded from ``start``
        on with the signatures ``before``; not if they changed too lately, or meanwhile."""
        settled = start - 2 * CLOCK_GRAIN_NS
        if not all(sig is not None and sig[3] < settled for sig in before.values()):
            return  # written too lately to vouch for yet
        millis = time.time_ns() // _VOUCH_DIGITS
        mark = millis * _VOUCH_DIGITS + _vouch(stamped.st_ino, stamped.st_size, millis)
        try:
            os.utime(stamp_file, ns=(mark, mark))
        except OSError:
            return
        if {name: signature(path) for name, path in paths.items()} != before:
            with contextlib.suppress(OSError):  # saved meanwhile: the stamp vouches no more
                os.utime(stamp_file, ns=(mark + 1, mark + 1))

    def output_bytes(self, folder: Path, name: str) -> bytes | None:
        """The bytes of the output file ``name`` in ``folder`` when they are the ones this
        build wrote (their digest is the recorded one), else None."""
        expected = self.hashes.get(name)
        if expected is None:
            return None
        try:
            data = (folder / name).read_bytes()
        except OSError:
            return None
        return data if digest_bytes(data) == expected else None

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


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


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
