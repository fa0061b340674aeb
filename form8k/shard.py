"""Spreading a build over CI runners: which filings shard K of N builds, and joining the shards'
outputs into one output folder.

Every runner sees the same content and computes the same assignment: the filings, largest first
(by the bytes of their folder, the best cheap guess at what rendering them costs), each to the
shard with the least work so far (ties to the lowest shard; equal sizes by name). The union of
the shards is every filing, once.

A shard's build (``build --shard K/N``) writes its filings and their stamps as any build does,
removes nothing, and records in ``.form8k-build/shard.json`` which shard it was, of which
project, and what became of each filing it was given (built, kept or failed). ``merge`` reads
those records and joins the shards' outputs into one folder: the same files, byte for byte, as
one build of the whole project on one machine, stamps included (a later build there keeps what
is unchanged).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from form8k.errors import OutputBusy, Problem, Severity, SourceLocation, UsageError
from form8k.fingerprint import Stamp, digest_bytes
from form8k.pipeline import (
    SHARD_RECORD,
    STAMPS,
    _busy_problem,
    _stamped,
    os_problem,
    remove_output,
    stamp_path,
)
from form8k.project import Project, check_out
from form8k.write import (
    OutputBusyError,
    holder_info,
    output_lock,
    remove_leftovers,
    write_file,
    write_filing,
)

#: Where a shard's build records itself, under its output folder.
RECORD = Path(".form8k-build") / "shard.json"
OUTCOMES = ("built", "kept", "failed")


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (1-based) of ``count``."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``"2/8"`` -> Shard(2, 8); a usage error for anything else."""
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
            raise UsageError(f"--shard {text!r}: write K/N with 1 <= K <= N, e.g. 2/8")
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def folder_size(folder: Path) -> int:
    """Bytes of every file of a filing folder (its own files, not the company's)."""
    total = 0
    for directory, _, files in os.walk(folder):
        for name in files:
            try:
                total += os.stat(os.path.join(directory, name)).st_size
            except OSError:
                continue
    return total


def assign(sizes: Sequence[tuple[str, int]], count: int) -> list[list[str]]:
    """The filings (name, size) of each of ``count`` shards, balanced by size."""
    shards: list[list[str]] = [[] for _ in range(count)]
    loads = [0] * count
    for name, size in sorted(sizes, key=lambda pair: (-pair[1], pair[0])):
        lightest = min(range(count), key=lambda index: (loads[index], index))
        shards[lightest].append(name)
        loads[lightest] += max(size, 1)
    return [sorted(names) for names in shards]


def select(folders: Sequence[Path], keys: Sequence[str], shard: Shard) -> list[Path]:
    """The filing folders shard ``shard`` builds, in their original order."""
    sizes = [(key, folder_size(folder)) for key, folder in zip(keys, folders, strict=True)]
    chosen = set(assign(sizes, shard.count)[shard.index - 1])
    return [folder for key, folder in zip(keys, folders, strict=True) if key in chosen]


# --- Merging the shards' outputs -------------------------------------------------------------


@dataclass(frozen=True)
class ShardOutput:
    """One shard's output folder, as its record describes it."""

    folder: Path
    shard: Shard
    project: str
    filings: dict[str, str]
    """What became of each filing given to the shard: built, kept or failed."""
    whole: bool
    """Whether the shard was of the whole project (no PATHS given to the build)."""

    @classmethod
    def read(cls, folder: Path) -> ShardOutput:
        path = folder / RECORD
        if not folder.is_dir():
            raise UsageError(f"{folder}: no such folder")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            shard = Shard.parse(str(data["shard"]))
            filings = data["filings"]
            assert isinstance(filings, dict)
            assert all(outcome in OUTCOMES for outcome in filings.values())
            output = cls(
                folder,
                shard,
                str(data["project"]),
                {str(key): str(outcome) for key, outcome in filings.items()},
                bool(data.get("whole", True)),
            )
        except FileNotFoundError:
            raise UsageError(
                f"{folder}: not the output of a shard's build (no {RECORD.as_posix()}): "
                "build each shard with `form8k build --shard K/N`"
            ) from None
        except (OSError, ValueError, KeyError, TypeError, AssertionError, UsageError):
            raise UsageError(f"{path}: not a shard's record form8k can read") from None
        unsafe = [key for key in output.filings if not _plain_key(key)]
        if unsafe:  # an artifact names where merge writes: never outside the output
            raise UsageError(
                f"{path}: {unsafe[0]!r} is not a filing folder's name (a relative path of "
                "plain names): this record was not written by a shard's build"
            )
        return output


@dataclass
class MergeReport:
    """What ``merge`` did: the filings it joined (by shard), those whose shard failed them
    (their earlier output in the folder, if any, is kept), those it removed."""

    merged: list[tuple[str, Shard]] = field(default_factory=list)
    failed: list[tuple[str, Shard]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_shards(folders: Sequence[Path]) -> list[ShardOutput]:
    """Every shard's record, checked to be the N shards of one build, each once."""
    if not folders:
        raise UsageError("name the shards' output folders to merge")
    shards = [ShardOutput.read(folder) for folder in folders]
    counts = {output.shard.count for output in shards}
    if len(counts) > 1:
        listed = ", ".join(f"{o.folder} ({o.shard})" for o in shards)
        raise UsageError(f"the shards are of builds split differently: {listed}")
    (count,) = counts
    seen: dict[int, ShardOutput] = {}
    for output in shards:
        if output.shard.index in seen:
            raise UsageError(
                f"shard {output.shard} is given twice ({seen[output.shard.index].folder} and "
                f"{output.folder})"
            )
        seen[output.shard.index] = output
    missing = [str(index) for index in range(1, count + 1) if index not in seen]
    if missing:
        raise UsageError(
            f"shard{'s' * (len(missing) > 1)} {', '.join(missing)} of {count} "
            f"{'are' if len(missing) > 1 else 'is'} missing: merge the outputs of all {count}"
        )
    projects = {output.project for output in shards}
    if len(projects) > 1:
        raise UsageError(
            "the shards were built from different project folders "
            f"({', '.join(sorted(projects))}): build every shard from the same path, as CI "
            "runners of one workflow do"
        )
    owner: dict[str, ShardOutput] = {}
    for output in sorted(shards, key=lambda o: o.shard.index):
        for key in output.filings:
            if key in owner:
                raise UsageError(
                    f"{key} is in shards {owner[key].shard} and {output.shard}: the shards "
                    "are not of one build (was the content different?)"
                )
            owner[key] = output
    return sorted(shards, key=lambda o: o.shard.index)


def _plain_key(key: str) -> bool:
    """Whether ``key`` is a filing's key as a build writes it: a relative path of plain names
    (no empty, ``.``, ``..`` or hidden part, no backslash or NUL)."""
    if not key or "\\" in key or "\0" in key or key.startswith("/"):
        return False
    return all(part and not part.startswith(".") for part in key.split("/"))


def _plain_name(name: str) -> bool:
    """Whether ``name`` is an output file's name as a build writes it: one plain name."""
    return _plain_key(name) and "/" not in name


def _read_inside(path: Path, folder: Path) -> bytes:
    """The bytes of the regular file ``path``, which must be inside ``folder`` once links are
    followed (an artifact's link may not bring in a file from elsewhere)."""
    resolved = path.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        raise OSError(errno.EXDEV, "links outside the shard's output folder", str(path))
    with open(resolved, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return stream.read()


def merge(
    folders: Sequence[Path],
    out: Path,
    *,
    progress: Callable[[str, Shard], None] | None = None,
    protect: Sequence[Project] = (),
) -> MergeReport:
    """Join the output folders of the N shards of one build into ``out``.

    Every filing a shard built or kept is copied from it (its files checked against the digests
    its stamp recorded), whole or not at all, with its stamp; a filing its shard failed keeps
    whatever ``out`` held for it, as a build would. When the shards were of the whole project,
    the outputs in ``out`` of this project's filings that no shard was given (their content is
    gone) are removed, as a build would. A new ``out`` appears at once, complete, or not at all;
    into an existing one each filing is replaced whole. ``out`` is locked as a build locks it.
    """
    shards = read_shards(folders)
    out = out.resolve()
    built_from = Path(shards[0].project)
    projects = [*protect, *([Project(built_from)] if (built_from / "content").is_dir() else [])]
    for project in projects:  # never into a project's content/ or templates/, as a build
        check_out(project, out)
    for output in shards:
        if output.folder.resolve() == out:
            raise UsageError(f"{out}: merge into another folder than the shards' own")
    report = MergeReport()
    if out.exists():
        _merge_into(shards, out, out, report, progress)
        return report
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name[:64]}.", suffix=".tmp", dir=out.parent))
    except OSError as error:
        raise OutputBusy([os_problem(error, out, "write the output folder")]) from None
    try:
        staging.chmod(0o755)
        _merge_into(shards, staging, out, report, progress)
        if any(problem.severity is Severity.ERROR for problem in report.problems):
            shutil.rmtree(staging, ignore_errors=True)  # nothing half-merged is left
            return report
        try:
            os.replace(staging, out)
        except OSError as error:  # made meanwhile (by another merge?)
            shutil.rmtree(staging, ignore_errors=True)
            raise OutputBusy([os_problem(error, out, "make the merged output folder")]) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report


@contextlib.contextmanager
def _locked(folder: Path, shown: Path, project: str, keys: set[str]) -> Iterator[None]:
    """Hold ``folder``'s lock as a build does; the first holder removes what killed builds
    (and merges) left beside the filings' outputs and stamps."""

    def leftovers() -> None:
        beside: dict[Path, set[str]] = {}
        for key in keys | set(_stamped(folder)):
            beside.setdefault((folder / key).parent, set()).add((folder / key).name)
        for parent, names in beside.items():
            remove_leftovers(parent, names)
        stamps = folder / STAMPS / "stamps"
        if stamps.is_dir():
            for directory, _, _ in os.walk(stamps):
                remove_leftovers(Path(directory))

    lock = output_lock(folder / STAMPS / "lock", holder_info(Path(project)), first=leftovers)
    try:
        lock.__enter__()
    except OutputBusyError as busy:
        raise OutputBusy([_busy_problem(shown, busy.holder)]) from None
    except OSError as error:
        raise OutputBusy([os_problem(error, shown, "write into the output folder")]) from None
    try:
        yield
    finally:
        lock.__exit__(None, None, None)


def _merge_into(
    shards: Sequence[ShardOutput],
    folder: Path,
    shown: Path,
    report: MergeReport,
    progress: Callable[[str, Shard], None] | None,
) -> None:
    """Merge into ``folder`` (``shown`` in messages: the folder being made)."""
    project = shards[0].project
    keys = {key for output in shards for key in output.filings}
    with _locked(folder, shown, project, keys):
        for output in shards:
            for key, outcome in sorted(output.filings.items()):
                if outcome == "failed":
                    report.failed.append((key, output.shard))
                    continue
                problem = _merge_filing(output, key, folder, shown, project)
                if problem is not None:
                    report.problems.append(problem)
                    continue
                report.merged.append((key, output.shard))
                if progress:
                    progress(key, output.shard)
        if all(output.whole for output in shards):
            report.removed = _remove_gone(folder, keys, project, report.problems)
        with contextlib.suppress(OSError):  # a shard's record: never part of a merged output
            (folder / STAMPS / SHARD_RECORD).unlink()


def _merge_filing(
    output: ShardOutput, key: str, folder: Path, shown: Path, project: str
) -> Problem | None:
    """Copy one filing's output and stamp from a shard; a problem if it cannot be."""
    source = stamp_path(output.folder, key)
    try:
        raw = _read_inside(source, output.folder)
    except OSError:
        return Problem(
            SourceLocation(source),
            f"shard {output.shard} built {key}, but its stamp is not in its output: keep the "
            "whole output folder as the artifact, hidden files included",
        )
    stamp = Stamp.read_file(source)
    if stamp is None or stamp.key not in (None, key) or stamp.project != project:
        return Problem(SourceLocation(source), f"not the stamp of {key} in this build")
    existing = Stamp.read_file(stamp_path(folder, key))
    if (
        existing is not None
        and existing.project not in (None, project)
        and (Path(str(existing.project)) / "content").is_dir()
    ):
        return Problem(
            SourceLocation(shown / key),
            f"holds the output of another project ({existing.project}), left as it is: merge "
            "into another folder (--out)",
        )
    for name in stamp.outputs:
        if not _plain_name(name):
            return Problem(SourceLocation(source), f"names {name!r}, not an output file's name")
    files: dict[str, bytes] = {}
    for name in stamp.outputs:
        path = output.folder / key / name
        try:
            data = _read_inside(path, output.folder)
        except OSError as error:
            return os_problem(error, path, f"read shard {output.shard}'s output")
        if digest_bytes(data) != stamp.hashes.get(name):
            return Problem(
                SourceLocation(path),
                f"is not the file shard {output.shard}'s build wrote (its digest is not the "
                "one its stamp recorded): was the artifact changed or cut short?",
            )
        files[name] = data
    try:
        write_filing(folder / key, files)
    except OSError as error:
        return os_problem(
            error, shown / key, "write the merged filing (its previous output is kept)"
        )
    try:
        write_file(stamp_path(folder, key), raw)
    except OSError as error:
        return os_problem(error, stamp_path(shown, key), "record the merged filing")
    return None


def _remove_gone(folder: Path, keys: set[str], project: str, problems: list[Problem]) -> list[str]:
    """Remove the outputs (and stamps) of this project's filings that no shard was given."""
    removed = []
    for key, path in _stamped(folder).items():
        if key in keys or key.split("/")[0] == STAMPS:
            continue
        stamp = Stamp.read_file(path)
        if stamp is None or stamp.project != project:
            continue
        if remove_output(folder, key, path, problems):
            removed.append(key)
    return sorted(removed)
