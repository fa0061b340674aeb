"""form8k as a company installs it: a wheel in a fresh virtual environment, then `form8k init`,
`form8k new filing` and `form8k build` in an empty folder, with no checkout of form8k around."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def _run(*command: str | Path, cwd: Path) -> str:
    done = subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_an_installed_wheel_makes_and_builds_a_filings_repository(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, REPO, cwd=tmp_path)
    (wheel,) = wheels.glob("form8k-*.whl")
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    _run(
        venv / "bin" / "python",
        "-m",
        "pip",
        "install",
        "-q",
        "--constraint",
        REPO / "constraints.txt",
        wheel,
        cwd=tmp_path,
    )
    form8k = venv / "bin" / "form8k"
    work = tmp_path / "filings"
    work.mkdir()
    _run(form8k, "init", cwd=work)
    _run(form8k, "new", "filing", "--items", "2.02,9.01", "--date", "2026-11-25", cwd=work)
    out = _run(form8k, "build", cwd=work)
    assert "1 built, 0 failed; 0 errors, 3 warnings" in out  # the three placeholders
    folder = work / "output" / "example" / "2026-11-25-item-2-02"
    for name in ("example-20261125.htm", "example-20261125.pdf", "example-ex99-1.pdf"):
        assert (folder / name).is_file(), name
    # the installed package carries its own templates and fonts: nothing came from this checkout
    installed = _run(
        venv / "bin" / "python", "-c", "import form8k; print(form8k.__file__)", cwd=tmp_path
    )
    assert str(venv) in installed and str(REPO) not in installed
