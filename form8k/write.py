"""The only code that touches output/: a filing's files appear all at once, or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_filing(target: Path, files: Mapping[str, bytes]) -> None:
    """Replace the folder ``target`` by one holding exactly ``files``.

    The files are written into a hidden sibling folder first, which is then renamed into place;
    a failure at any point leaves the previous ``target`` as it was and no partial file behind.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        for name in sorted(files):
            with open(staging / name, "wb") as stream:
                stream.write(files[name])
                stream.flush()
                os.fsync(stream.fileno())
        staging.chmod(0o755)
        if target.exists():
            # A fresh name each time: a leftover of a crashed build never blocks the next one.
            retired = Path(
                tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent)
            )
            os.replace(target, retired)
            try:
                os.replace(staging, target)
            except OSError:
                os.replace(retired, target)
                raise
            shutil.rmtree(retired)
        else:
            os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_file(path: Path, data: bytes) -> None:
    """Write one file whole: to a temporary file beside it, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
