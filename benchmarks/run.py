"""Benchmarks of form8k build against the renderers themselves; prints a table of figures.

    .venv/bin/python benchmarks/run.py [--sizes 1,10,100] [--work DIR] [--no-chromium]

For each corpus size N (benchmarks/corpus.py: an 8-K with two items, a two-page press release
and an earnings release with three financial tables, per filing) it measures, whole process:
  - full build with one job (wall, peak memory) against the bare-renderer floor (floor.py: the
    same HTML rendered by WeasyPrint directly in one process) and against headless Chromium
    printing the same HTML (one `chromium --print-to-pdf` per document);
  - full build with two jobs (speed-up over one job, and identical bytes);
  - for the largest N: a no-op rebuild, and a rebuild after editing one filing.
Then it says which targets of the speed issue are met. Not a test: figures vary with the load of
the machine; run it on a quiet one.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from corpus import make_corpus

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PYTHON = sys.executable
CHROMIUM = os.environ.get("FORM8K_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-pdf-header-footer",
    "--no-first-run",
    "--disable-component-update",
]


def measure(command: list[str], *, cwd: Path | None = None) -> dict[str, float]:
    run = subprocess.run(
        [PYTHON, str(HERE / "measure.py"), *command],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
    )
    result = json.loads(run.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result['stderr']}")
    return result


def build(project: Path, out: Path, *args: str) -> dict[str, float]:
    return measure(
        [
            PYTHON,
            str(REPO / "build.py"),
            "--project",
            str(project),
            "build",
            "--out",
            str(out),
            *args,
        ]
    )


def chromium(files: list[Path], out: Path) -> float:
    """Wall time of printing each file with its own headless Chromium, one after another."""
    out.mkdir(parents=True, exist_ok=True)
    profile = out / "profile"
    start = time.perf_counter()
    for number, path in enumerate(files):
        subprocess.run(
            [
                CHROMIUM,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--print-to-pdf={out / f'{number}.pdf'}",
                path.as_uri(),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return time.perf_counter() - start


def same_tree(left: Path, right: Path) -> bool:
    names = sorted(p.relative_to(left) for p in left.rglob("*") if p.is_file())
    if names != sorted(p.relative_to(right) for p in right.rglob("*") if p.is_file()):
        return False
    return all(filecmp.cmp(left / n, right / n, shallow=False) for n in names)


def row(label: str, value: str, note: str = "") -> None:
    print(f"| {label} | {value} | {note} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--work", type=Path, default=Path("/tmp/form8k-benchmarks"))
    parser.add_argument("--no-chromium", action="store_true")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}"
    )
    print()
    print("| measure | figure | note |")
    print("|---|---|---|")
    targets: list[tuple[str, bool, str]] = []
    for size in sizes:
        work = args.work / str(size)
        project = make_corpus(size, work / "project")
        one, two = work / "out-1", work / "out-2"
        for folder in (one, two):
            shutil.rmtree(folder, ignore_errors=True)
        full = build(project, one, "--jobs", "1", "--force")
        html = sorted(one.rglob("*.htm"))
        floor = measure(
            [
                PYTHON,
                str(HERE / "floor.py"),
                str(project / "templates"),
                str(work / "floor"),
                *map(str, html),
            ]
        )
        ratio = full["wall"] / floor["wall"]
        row(
            f"N={size}: full build, 1 job",
            f"{full['wall']:.2f} s",
            f"peak {full['peak_mib']:.0f} MiB; {len(html)} HTML documents",
        )
        row(
            f"N={size}: bare WeasyPrint floor",
            f"{floor['wall']:.2f} s",
            f"peak {floor['peak_mib']:.0f} MiB; build / floor = {ratio:.2f}",
        )
        if not args.no_chromium and Path(CHROMIUM).exists():
            seconds = chromium(html, work / "chromium")
            row(
                f"N={size}: headless Chromium, --print-to-pdf",
                f"{seconds:.2f} s",
                f"build / Chromium = {full['wall'] / seconds:.2f}",
            )
        parallel = build(project, two, "--jobs", "2", "--force")
        speedup = full["wall"] / parallel["wall"]
        identical = same_tree(one, two)
        row(
            f"N={size}: full build, 2 jobs",
            f"{parallel['wall']:.2f} s",
            f"speed-up {speedup:.2f}x; outputs identical to 1 job: {identical}",
        )
        if size == max(sizes):
            targets += [
                (
                    f"full build of {size} with one job <= 1.15x the floor",
                    ratio <= 1.15,
                    f"{ratio:.2f}x",
                ),
                ("--jobs 2 >= 1.7x faster than --jobs 1", speedup >= 1.7, f"{speedup:.2f}x"),
                (
                    f"peak memory of a {size}-filing build < 400 MiB per worker",
                    full["peak_mib"] < 400,
                    f"{full['peak_mib']:.0f} MiB",
                ),
                ("outputs byte-identical whatever --jobs", identical, str(identical)),
            ]
            noop = build(project, one)
            row(f"N={size}: no-op rebuild", f"{noop['wall']:.2f} s", "nothing changed")
            release = project / "content" / "benchmark" / "filing-001" / "press-release.md"
            release.write_text(release.read_text() + "\nOne more sentence.\n")
            edit = build(project, one)
            row(
                f"N={size}: rebuild after editing one filing",
                f"{edit['wall']:.2f} s",
                "one filing rendered, the rest kept",
            )
            targets += [
                (f"no-op rebuild of {size} < 0.5 s", noop["wall"] < 0.5, f"{noop['wall']:.2f} s"),
                (
                    f"rebuild after editing one of {size} < 1.5 s",
                    edit["wall"] < 1.5,
                    f"{edit['wall']:.2f} s",
                ),
            ]
    print()
    print("| target | met | measured |")
    print("|---|---|---|")
    for name, met, figure in targets:
        print(f"| {name} | {'yes' if met else 'NO'} | {figure} |")


if __name__ == "__main__":
    main()
