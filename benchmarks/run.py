"""Benchmarks of form8k build against the renderers themselves; prints figures and the targets.

    .venv/bin/python benchmarks/run.py [--filings 100] [--repeat 3] [--work DIR] [--no-chromium]

On a corpus of N filings (benchmarks/corpus.py: an 8-K with two items, a two-page press release
and an earnings release with three financial tables, per filing; seven pages, three HTML
documents), every figure a whole process, measured R times with the runs compared alternated
(build, peer, build, peer...) so that the load of a shared machine falls on both alike, and
the medians reported:
  - full build with one job against the bare-WeasyPrint floor (floor.py: the same HTML files
    rendered by WeasyPrint in one process, with the same print stylesheet and fonts), and
    against that floor given the stack room the build runs in (floor.py --with-room; see
    form8k/stack.py), which leaves only what form8k's own work adds;
  - full build with two jobs against Chromium through Playwright with two pages (chromium.py:
    one browser, the same HTML files, the same print stylesheet and fonts), and identical
    outputs with one or two jobs;
  - a no-op rebuild (the first after a build, and the next ones);
  - a rebuild after editing one press release, against WeasyPrint alone printing that one
    document (its new HTML) from a fresh process (floor.py with one file).
Then it says which targets of issue 15 are met. Not a test: figures vary with the machine's load.

Processes run with Python's bytecode cache written (this workplace sets PYTHONDONTWRITEBYTECODE;
an installed form8k has its bytecode compiled) and after one warm-up build (form8k keeps its
templates' compiled code in the user's cache folder between runs, as every run after a user's
first has it).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from corpus import make_corpus

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PYTHON = sys.executable


def environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(command: list[str]) -> dict[str, float]:
    """Wall time and peak memory of one whole process (measure.py)."""
    run = subprocess.run(
        [PYTHON, str(HERE / "measure.py"), *command],
        capture_output=True,
        text=True,
        check=True,
        env=environment(),
    )
    result = json.loads(run.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result['stderr']}")
    return result  # type: ignore[no-any-return]


def build(project: Path, out: Path, *args: str) -> dict[str, float]:
    command = [PYTHON, str(REPO / "build.py"), "--project", str(project), "build"]
    return measure([*command, "--out", str(out), *args])


def floor(project: Path, out: Path, files: list[Path], *, room: bool = False) -> dict[str, float]:
    shutil.rmtree(out, ignore_errors=True)
    options = ["--with-room"] if room else []
    return measure(
        [
            PYTHON,
            str(HERE / "floor.py"),
            *options,
            str(project / "templates"),
            str(out),
            *map(str, files),
        ]
    )


def chromium(project: Path, out: Path, files: list[Path], pages: int) -> tuple[float, float]:
    """Whole process and printing alone (seconds) of Chromium through Playwright."""
    shutil.rmtree(out, ignore_errors=True)
    report = out.parent / "chromium-report.json"
    result = measure(
        [
            PYTHON,
            str(HERE / "chromium.py"),
            "--pages",
            str(pages),
            "--report",
            str(report),
            str(project / "templates"),
            str(out),
            *map(str, files),
        ]
    )
    return result["wall"], json.loads(report.read_text())["print"]


def same_tree(left: Path, right: Path) -> bool:
    names = sorted(p.relative_to(left) for p in left.rglob("*") if p.is_file())
    if names != sorted(p.relative_to(right) for p in right.rglob("*") if p.is_file()):
        return False
    return all(filecmp.cmp(left / n, right / n, shallow=False) for n in names)


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float]) -> str:
    return f"{min(values):.2f} to {max(values):.2f}" if len(values) > 1 else f"{values[0]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filings", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/form8k-benchmarks"))
    parser.add_argument("--no-chromium", action="store_true")
    args = parser.parse_args()
    n, repeat, work = args.filings, args.repeat, args.work
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}; {n} filings, medians of {repeat} "
        "alternated runs"
    )
    project = make_corpus(n, work / "project")
    one, two = work / "out-1", work / "out-2"
    build(project, work / "warm-up", "--jobs", "2")  # caches warm; the HTML files to print
    html = sorted((work / "warm-up").rglob("*.htm"))
    rows: list[tuple[str, str, str]] = []
    targets: list[tuple[str, bool, str]] = []

    # 1. One job against the floor, and against the floor run in a roomy stack as the build is.
    builds, floors, roomy, peaks = [], [], [], []
    for _ in range(repeat):
        result = build(project, one, "--jobs", "1", "--force")
        builds.append(result["wall"])
        peaks.append(result["peak_mib"])
        floors.append(floor(project, work / "floor", html)["wall"])
        roomy.append(floor(project, work / "floor", html, room=True)["wall"])
    ratios = [b / f for b, f in zip(builds, floors, strict=True)]
    own = [b / f for b, f in zip(builds, roomy, strict=True)]
    rows += [
        (
            "full build, 1 job",
            f"{median(builds):.2f} s",
            f"{spread(builds)}; peak {max(peaks):.0f} MiB",
        ),
        (
            "bare WeasyPrint floor",
            f"{median(floors):.2f} s",
            f"{spread(floors)}; {len(html)} HTML documents",
        ),
        ("build / floor", f"{median(ratios):.3f}", f"pairs {spread(ratios)}"),
        (
            "floor with the build's stack room (floor.py --with-room)",
            f"{median(roomy):.2f} s",
            f"{spread(roomy)}; the floor's own cost of CPython's stack chunks left out",
        ),
        ("build / floor with room", f"{median(own):.3f}", f"pairs {spread(own)}"),
    ]
    targets += [
        (
            f"full build of {n} with one job <= 1.10x the floor",
            median(ratios) <= 1.10,
            f"{median(ratios):.3f}x",
        ),
        (
            "... and <= 1.10x the floor given the same stack room (form8k's own work)",
            median(own) <= 1.10,
            f"{median(own):.3f}x",
        ),
    ]

    # 2. Two jobs against Chromium with two pages.
    parallel, browsers, printing = [], [], []
    for _ in range(repeat):
        parallel.append(build(project, two, "--jobs", "2", "--force")["wall"])
        if not args.no_chromium:
            whole, alone = chromium(project, work / "chromium", html, 2)
            browsers.append(whole)
            printing.append(alone)
    identical = same_tree(one, two)
    rows.append(
        (
            "full build, 2 jobs",
            f"{median(parallel):.2f} s",
            f"{spread(parallel)}; speed-up over 1 job {median(builds) / median(parallel):.2f}x; "
            f"outputs identical to 1 job (stamps included): {identical}",
        )
    )
    targets.append(("outputs byte-identical whatever --jobs", identical, str(identical)))
    if browsers:
        pairs = [p / b for p, b in zip(parallel, browsers, strict=True)]
        rows += [
            (
                "Chromium (Playwright), 1 browser, 2 pages",
                f"{median(browsers):.2f} s",
                f"{spread(browsers)}; printing alone {median(printing):.2f} s",
            ),
            (
                "build (2 jobs) / Chromium (2 pages)",
                f"{median(pairs):.3f}",
                f"pairs {spread(pairs)}",
            ),
        ]
        targets.append(
            (
                "full build with two jobs <= 0.9x Chromium with two pages",
                median(pairs) <= 0.9,
                f"{median(pairs):.3f}x",
            )
        )

    # 3. No-op rebuilds (the build above has had its stamps vouch for what it wrote).
    noops = [build(project, two)["wall"] for _ in range(repeat + 2)]
    rows.append(
        (
            "no-op rebuild",
            f"{median(noops[1:]):.3f} s",
            f"first after the build {noops[0]:.3f} s; then {spread(noops[1:])}",
        )
    )
    targets.append(
        (f"no-op rebuild of {n} < 0.15 s", median(noops[1:]) < 0.15, f"{median(noops[1:]):.3f} s")
    )

    # 4. An edit of one press release, against WeasyPrint printing that one document.
    release = project / "content" / "benchmark" / "filing-001" / "press-release.md"
    document = two / "benchmark" / "filing-001" / "bnch-ex99-1.htm"
    edits, alone = [], []
    for number in range(repeat + 2):
        release.write_text(release.read_text() + f"\nOne more sentence, number {number}.\n")
        edits.append(build(project, two)["wall"])
        alone.append(floor(project, work / "floor-1", [document])["wall"])
    edits, alone = edits[1:], alone[1:]  # the first pair warms the edited filing's caches
    ratios = [e / a for e, a in zip(edits, alone, strict=True)]
    rows += [
        (
            "rebuild after editing one press release",
            f"{median(edits):.3f} s",
            f"{spread(edits)}; EX-99.1 printed, 2 PDFs kept, {n - 1} filings kept",
        ),
        ("WeasyPrint alone, that document, fresh process", f"{median(alone):.3f} s", spread(alone)),
        ("edit rebuild / WeasyPrint alone", f"{median(ratios):.3f}", f"pairs {spread(ratios)}"),
    ]
    targets += [
        (
            f"rebuild after editing one press release of {n} < 0.9 s",
            median(edits) < 0.9,
            f"{median(edits):.3f} s",
        ),
        (
            "... and <= 1.3x WeasyPrint alone on that document",
            median(ratios) <= 1.3,
            f"{median(ratios):.3f}x",
        ),
    ]

    print()
    print("| measure | figure | note |")
    print("|---|---|---|")
    for label, value, note in rows:
        print(f"| {label} | {value} | {note} |")
    print()
    print("| target | met | measured |")
    print("|---|---|---|")
    for name, met, figure in targets:
        print(f"| {name} | {'yes' if met else 'NO'} | {figure} |")


if __name__ == "__main__":
    main()
