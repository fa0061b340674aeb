"""Spreading a build over CI runners: which filings shard K of N builds, and joining the shards'
outputs into one output folder.

Every runner sees the same content and computes the same assignment: the filings, largest first
(by the bytes of their folder, the best cheap guess at what rendering them costs), each to the
shard with the least work so far (ties to the lowest shard; equal sizes by name). The union of
the shards is every filing, once; their outputs, merged, are the output of one build.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from form8k.errors import UsageError


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


def folder_size(folder: Path) -> int:
    """Bytes of every file of a filing folder (its own files, not the company's)."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


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


def merge(shards: Sequence[Path], out: Path, *, stamps: str) -> list[str]:
    """Join the output folders of the shards into ``out``: every filing's folder and its stamp.

    A filing built by two shards is an error (the shards were not of one build). Returns the
    filings merged.
    """
    seen: dict[str, Path] = {}
    for shard in shards:
        stamp_root = shard / stamps
        if not stamp_root.is_dir():
            raise UsageError(f"{shard}: no {stamps}/ here; is this the output of a form8k build?")
        for stamp in sorted(stamp_root.rglob("*.json")):
            key = stamp.relative_to(stamp_root).with_suffix("").as_posix()
            if key in seen:
                raise UsageError(
                    f"{key} is in two shards' outputs ({seen[key]} and {shard}): "
                    "merge the shards of one build"
                )
            seen[key] = shard
    for key, shard in sorted(seen.items()):
        target = out / key
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(shard / key, target)
        stamp = out / stamps / f"{key}.json"
        stamp.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shard / stamps / f"{key}.json", stamp)
    return sorted(seen)
