"""The only code that touches output/: a filing's files appear all at once, or not at all.

Every OS error names the path it concerns (``OSError.filename``), so that the build can report
it where it happened. Hidden temporary folders and files (``.<name>.XXXXXXXX.tmp`` and
``.old``) are made beside what they replace; those a killed build left are removed by the next
one (``remove_leftovers``), which alone writes into the output folder (``OutputLock``).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path

#: How much of a name the hidden temporary names made beside it keep: a name near the file
#: system's limit (255 bytes) must still leave room for the temporary's prefix and suffix.
NAME_KEPT = 64

#: A temporary file or folder of this module: ``.<name>.<8 random characters>.tmp`` (or
#: ``.old`` for a folder being replaced), ``<name>`` cut to NAME_KEPT characters (or whole, as
#: earlier versions named them).
LEFTOVER = re.compile(r"\.(?P<name>.*)\.[a-z0-9_]{8}\.(?:tmp|old)")


def _hidden(name: str) -> str:
    return f".{name[:NAME_KEPT]}."


def _located(error: OSError, path: Path) -> OSError:
    """The error, naming ``path`` if it names no file (a write to a full disk names none)."""
    if error.filename is None:
        error.filename = str(path)
    return error


def _write_bytes(path: Path, data: bytes) -> None:
    """Write a new file and force it to disk (the step a full disk fails)."""
    with open(path, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def write_filing(target: Path, files: Mapping[str, bytes]) -> None:
    """Replace the folder ``target`` by one holding exactly ``files``.

    The files are written into a hidden sibling folder first, which is then renamed into place;
    a failure at any point leaves the previous ``target`` as it was and no partial file behind.
    An OSError names the path it concerns.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _located(error, target.parent) from None
    try:
        staging = Path(
            tempfile.mkdtemp(prefix=_hidden(target.name), suffix=".tmp", dir=target.parent)
        )
    except OSError as error:
        error.filename = str(target)  # not the temporary name: the folder being written
        raise
    try:
        for name in sorted(files):
            try:
                _write_bytes(staging / name, files[name])
            except OSError as error:
                error.filename = str(target / name)
                raise
        staging.chmod(0o755)
        if target.exists():
            # A fresh name each time: a leftover of a crashed build never blocks the next one.
            try:
                retired = Path(
                    tempfile.mkdtemp(prefix=_hidden(target.name), suffix=".old", dir=target.parent)
                )
            except OSError as error:
                error.filename = str(target)
                raise
            try:
                os.replace(target, retired)
            except OSError as error:
                retired.rmdir()
                raise _located(error, target) from None
            try:
                os.replace(staging, target)
            except OSError as error:
                os.replace(retired, target)
                raise _located(error, target) from None
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, target)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise _located(error, target) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_file(path: Path, data: bytes) -> None:
    """Write one file whole: to a temporary file beside it, then renamed over it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(
            prefix=_hidden(path.name), suffix=".tmp", dir=path.parent
        )
    except OSError as error:
        raise _located(error, path) from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        error.filename = str(path)
        raise
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_leftovers(directory: Path, names: Collection[str] | None = None) -> list[Path]:
    """Remove the temporary folders and files a killed build left in ``directory``.

    Only those made beside one of ``names`` are removed (any of this module's, when ``names``
    is None: in a folder only the build writes, such as its stamps); the folders of ``names``
    themselves never are. Returns what it removed; what it cannot remove stays.
    """
    kept = None if names is None else {name[:NAME_KEPT] for name in names} | set(names)
    removed = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return []
    for entry in entries:
        match = LEFTOVER.fullmatch(entry.name)
        if match is None or (names is not None and entry.name in names):
            continue
        if kept is not None and match["name"] not in kept:
            continue
        path = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


class OutputBusyError(Exception):
    """Another build holds the output folder's lock; ``holder`` says which, as it wrote it."""

    def __init__(self, lock: Path, holder: dict[str, object]) -> None:
        super().__init__(f"{lock} is held")
        self.lock = lock
        self.holder = holder


#: Locks this process holds, by lock file: [descriptor, number of builds in this process].
_HELD: dict[Path, list[int]] = {}
_HELD_GUARD = threading.Lock()
#: Errors of a file system that cannot lock (then the build goes on without the lock).
_NO_LOCKING = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL}


@contextlib.contextmanager
def output_lock(
    lock: Path, holder: Mapping[str, object], first: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the lock file ``lock`` while a build writes into the folder it guards.

    Another process holding it raises OutputBusyError with what that build wrote into the file
    (``holder``: its process, project and command). Builds in one process (the preview's
    threads) share the lock; the first of them runs ``first`` (the leftovers' removal) before
    any other may start writing. The lock goes with the process, even a killed one.
    """
    try:
        import fcntl
    except ImportError:  # not on a POSIX system: no lock
        yield
        return
    with _HELD_GUARD:
        held = _HELD.get(lock)
        if held is not None:
            held[1] += 1
        else:
            try:
                lock.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                error.filename = str(_existing(lock.parent))  # the folder it could not write
                raise
            try:
                descriptor = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as error:
                raise _located(error, lock) from None
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                data = os.read(descriptor, 65536)
                os.close(descriptor)
                try:
                    other = json.loads(data)
                except ValueError:
                    other = {}
                raise OutputBusyError(lock, other if isinstance(other, dict) else {}) from None
            except OSError as error:
                if error.errno not in _NO_LOCKING:
                    os.close(descriptor)
                    raise _located(error, lock) from None
            try:
                os.ftruncate(descriptor, 0)
                os.write(descriptor, (json.dumps(dict(holder), sort_keys=True) + "\n").encode())
            except OSError:
                pass  # what the lock says of its holder is a courtesy
            held = _HELD[lock] = [descriptor, 1]
            try:
                if first is not None:
                    first()
            except BaseException:
                _release(lock)
                raise
    try:
        yield
    finally:
        with _HELD_GUARD:
            _release(lock)


def _existing(folder: Path) -> Path:
    """The nearest folder at or above ``folder`` that exists (where a mkdir fails)."""
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return folder


def _release(lock: Path) -> None:
    held = _HELD[lock]
    held[1] -= 1
    if held[1] == 0:
        del _HELD[lock]
        with contextlib.suppress(OSError):
            os.ftruncate(held[0], 0)  # an idle lock file is empty: two builds leave equal trees
        os.close(held[0])  # closing releases the lock


def holder_info(project: Path) -> dict[str, object]:
    """What a build writes into the lock it holds, for another build's message."""
    return {
        "pid": os.getpid(),
        "project": str(project),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv else "",
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
