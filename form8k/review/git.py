"""What ``compare`` and the draft mark ask git: a revision's commit, a project as it was at a
commit, the version of a working tree. Read-only: ``git rev-parse``, ``log``, ``status`` and
``archive``, never a command that writes into the repository."""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from form8k.errors import UsageError

#: How long one git command may take (an archive of a large repository included).
TIMEOUT = 300


@dataclass(frozen=True)
class Commit:
    sha: str
    short: str
    date: str
    """The commit's date, YYYY-MM-DD."""
    subject: str


def _git(folder: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    if shutil.which("git") is None:
        raise UsageError("git is not installed: comparing revisions needs it")
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except OSError as error:
        raise UsageError(f"git could not be run: {error}") from None
    if check and result.returncode != 0:
        message = result.stderr.strip().splitlines()
        raise UsageError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return result


def toplevel(folder: Path) -> Path | None:
    """The root of the git work tree ``folder`` is in, or None outside one."""
    if shutil.which("git") is None or not folder.is_dir():
        return None
    result = _git(folder, "rev-parse", "--show-toplevel", check=False)
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def commit(folder: Path, revision: str) -> Commit | None:
    """The commit a revision ("HEAD~1", "v1.2", a hash) names in ``folder``'s repository."""
    if toplevel(folder) is None or revision.startswith("-"):
        return None
    result = _git(folder, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", check=False)
    if result.returncode != 0:
        return None
    sha = result.stdout.strip()
    shown = _git(folder, "log", "-1", "--format=%h%x00%cs%x00%s", sha).stdout.strip()
    short, date, subject = [*shown.split("\x00"), "", ""][:3]
    return Commit(sha, short, date, subject)


def version(folder: Path) -> tuple[str, bool] | None:
    """(the short hash of HEAD, whether the files under ``folder`` differ from it), or None
    when ``folder`` is not in a git repository (or its repository has no commit yet)."""
    if toplevel(folder) is None:
        return None
    head = _git(folder, "rev-parse", "--short=12", "HEAD", check=False)
    if head.returncode != 0:
        return None
    status = _git(folder, "status", "--porcelain", "--untracked-files=normal", "--", ".")
    return head.stdout.strip(), bool(status.stdout.strip())


def export(folder: Path, sha: str, destination: Path) -> Path:
    """Write the project folder ``folder`` as it was at commit ``sha`` into ``destination``;
    return where the project is in it (``folder``'s place in its repository)."""
    top = toplevel(folder)
    if top is None:
        raise UsageError(f"{folder}: not in a git repository")
    prefix = _git(folder, "rev-parse", "--show-prefix").stdout.strip().rstrip("/")
    command = ["git", "-C", str(top), "archive", "--format=tar", sha]
    if prefix:
        command += ["--", prefix]
    destination.mkdir(parents=True, exist_ok=True)
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        try:
            with tarfile.open(fileobj=process.stdout, mode="r|") as archive:
                archive.extractall(destination, filter="data")
        except tarfile.TarError as error:
            process.kill()
            raise UsageError(f"git archive {sha[:12]}: {error}") from None
        errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode != 0:
        lines = errors.strip().splitlines()
        raise UsageError(f"git archive {sha[:12]}: {lines[-1] if lines else 'failed'}")
    return destination / prefix if prefix else destination
