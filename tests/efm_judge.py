"""The SEC's EFM validation as the judge of a written submission: ``../shared/efm/validate``
(Arelle with the SEC's EDGAR plugin and an offline taxonomy cache), run as a user would run it
(a test helper, not a test)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

VALIDATE = REPO.parent / "shared" / "efm" / "validate"


def judge(folder: Path) -> tuple[int, str]:
    """The judge's verdict on a submission folder: (exit status, its report). Exit 0: no error
    but those it tags "known offline-only" (taxonomy files its offline cache lacks)."""
    env = {**os.environ, "EFM_PYTHON": sys.executable}
    done = subprocess.run(
        ["bash", str(VALIDATE), str(folder)], capture_output=True, text=True, env=env, timeout=600
    )
    return done.returncode, done.stdout + done.stderr


def summary(report: str) -> str:
    """The judge's last line: ``efm: N errors, M warnings (K known offline-only)``."""
    lines = [line for line in report.splitlines() if line.startswith("efm:")]
    return lines[-1] if lines else report[-500:]
