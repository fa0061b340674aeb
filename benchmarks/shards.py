"""How long 10,000 filings take over N CI runners: a simulation from measured per-filing costs.

    .venv/bin/python benchmarks/shards.py [--filings 10000] [--runners 1,8,32,256] [--quick]
        [--setup 90] [--jobs 2] [--bandwidth 50] [--per-artifact 1.0] [--speedup X] [--work DIR]

First it measures, on this machine, with corpora from corpus.py (the benchmark filing, its press
release short, standard or long): what one filing costs a build (the growth of a whole build's
wall time from 1 to K filings, one job), against its folder's bytes (a line through the three
sizes); what a build costs before its first filing; the speed-up of --jobs 2 over one job; what
one filing's output weighs; what `form8k merge` costs per filing. Then it draws 10,000 filings
(a fixed seed: most standard, some short, some long) and assigns them with the build's own
`form8k.shard.assign`, balanced by size, to N shards, and computes for each N:

    shard time  = runner set-up + build start + sum(cost of its filings) / speed-up
                  + upload of its output
    wall time   = slowest shard + merge job (set-up + download of every artifact + merge)

The runner set-up (checkout, scripts/setup.sh), the artifact bandwidth and the cost per artifact
are not measured here (they are GitHub's): they are the options above, printed with the result.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from corpus import make_corpus  # noqa: E402

from form8k.shard import assign, folder_size  # noqa: E402

PYTHON = sys.executable
#: Press release lengths of the three measured sizes (paragraphs; 14 is the standard corpus).
SIZES = {"short": 4, "standard": 14, "long": 42}
#: The simulated mix of filings: share of each size.
MIX = {"short": 0.3, "standard": 0.5, "long": 0.2}


def environment() -> dict[str, str]:
    """The benchmarks' environment: Python writes its bytecode cache, as an installed form8k
    has it (this workplace sets PYTHONDONTWRITEBYTECODE)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(command: list[str]) -> float:
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, env=environment())
    wall = time.perf_counter() - start
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stdout}\n{completed.stderr}")
    return wall


def build(project: Path, out: Path, *args: str) -> float:
    shutil.rmtree(out, ignore_errors=True)
    command = [PYTHON, str(REPO / "build.py"), "--project", str(project), "build"]
    return run([*command, "--out", str(out), *args])


def measure(work: Path, count: int, repeat: int) -> dict[str, object]:
    """Per-filing cost by size, build start, --jobs 2 speed-up, output bytes, merge cost."""
    costs: dict[str, float] = {}
    sizes: dict[str, int] = {}
    starts: list[float] = []
    for label, paragraphs in SIZES.items():
        one = make_corpus(1, work / f"{label}-1", paragraphs)
        many = make_corpus(count, work / f"{label}-{count}", paragraphs)
        walls_one, walls_many = [], []
        for _ in range(repeat):  # alternated: the machine's load falls on both alike
            walls_one.append(build(one, work / "out", "--jobs", "1"))
            walls_many.append(build(many, work / "out", "--jobs", "1"))
        w1, wk = statistics.median(walls_one), statistics.median(walls_many)
        costs[label] = (wk - w1) / (count - 1)
        starts.append(w1 - costs[label])
        sizes[label] = folder_size(many / "content" / "benchmark" / "filing-001")
        print(
            f"  {label:8} filing: {sizes[label]:6} bytes, {costs[label]:.3f} s a filing "
            f"(1 filing {w1:.2f} s, {count} filings {wk:.2f} s, medians of {repeat})",
            flush=True,
        )
    standard = work / f"standard-{count}"
    one_job = build(standard, work / "out-1", "--jobs", "1")
    two_jobs = build(standard, work / "out-2", "--jobs", "2")
    output = sum(p.stat().st_size for p in (work / "out-2").rglob("*") if p.is_file()) / count
    merges = {}
    for label, corpus in (("one", work / "standard-1"), ("many", standard)):
        shard_outputs = []
        for k in (1, 2):
            folder = work / f"shard-{k}"
            build(corpus, folder, "--jobs", "1", "--shard", f"{k}/2")
            shard_outputs.append(str(folder))
        merged = work / "merged"
        shutil.rmtree(merged, ignore_errors=True)
        merges[label] = run(
            [PYTHON, str(REPO / "build.py"), "merge", *shard_outputs, "--out", str(merged)]
        )
    return {
        "cost": costs,
        "bytes": sizes,
        "start": statistics.median(starts),
        "speedup": one_job / two_jobs,
        "output": output,
        "merge": max(merges["many"] - merges["one"], 0.0) / (count - 1),
        "merge_start": merges["one"],
    }


def cost_line(measured: dict[str, object]) -> tuple[float, float]:
    """Seconds a filing = a + b * bytes, fitted through the measured sizes (least squares)."""
    costs, sizes = measured["cost"], measured["bytes"]
    assert isinstance(costs, dict) and isinstance(sizes, dict)
    xs = [float(sizes[label]) for label in SIZES]
    ys = [float(costs[label]) for label in SIZES]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )
    return mean_y - slope * mean_x, slope


def simulate(measured: dict[str, object], args: argparse.Namespace) -> None:
    intercept, slope = cost_line(measured)
    sizes = measured["bytes"]
    assert isinstance(sizes, dict)
    rng = random.Random(15)
    labels = rng.choices(list(MIX), weights=list(MIX.values()), k=args.filings)
    # each filing's size: its kind's, give or take 10%
    filings = [
        (f"f{n:05}", int(sizes[label] * rng.uniform(0.9, 1.1))) for n, label in enumerate(labels)
    ]
    cost = {name: intercept + slope * size for name, size in filings}
    assert isinstance(measured, dict)
    start = float(measured["start"])  # type: ignore[arg-type]
    speedup = float(measured["speedup"])  # type: ignore[arg-type]
    output = float(measured["output"])  # type: ignore[arg-type]
    merge = float(measured["merge"])  # type: ignore[arg-type]
    merge_start = float(measured.get("merge_start", 0.5))  # type: ignore[arg-type]
    bandwidth = args.bandwidth * 1e6
    print()
    print(
        f"{args.filings} filings ({', '.join(f'{int(100 * s)}% {k}' for k, s in MIX.items())}), "
        f"a filing = {intercept:.3f} s + {slope * 1000:.4f} s per KB of its folder; "
        f"{args.jobs} jobs a runner (speed-up {speedup:.2f}x measured with 2); "
        f"runner set-up {args.setup:.0f} s, artifacts at {args.bandwidth:.0f} MB/s and "
        f"{args.per_artifact:.1f} s each (assumed)"
    )
    print()
    print("| runners | slowest shard | fastest shard | merge job | wall time | speed-up |")
    print("|---|---|---|---|---|---|")
    first = None
    for count in args.runners:
        shards = assign(filings, count)
        times = []
        for names in shards:
            work = sum(cost[name] for name in names) / speedup
            upload = args.per_artifact + len(names) * output / bandwidth
            times.append(args.setup + start + work + upload)
        download = count * args.per_artifact + args.filings * output / bandwidth
        merge_job = args.setup + download + merge_start + args.filings * merge
        if count == 1:
            merge_job = 0.0  # one runner: its output is the output
        wall = max(times) + merge_job
        first = first or wall
        print(
            f"| {count} | {_clock(max(times))} | {_clock(min(times))} | {_clock(merge_job)} | "
            f"{_clock(wall)} | {first / wall:.1f}x |"
        )


def _clock(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{rest:02}" if hours else f"{minutes}:{rest:02}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filings", type=int, default=10_000)
    parser.add_argument(
        "--runners", type=lambda text: [int(n) for n in text.split(",")], default=[1, 8, 32, 256]
    )
    parser.add_argument("--setup", type=float, default=90.0, help="runner set-up, seconds")
    parser.add_argument("--jobs", type=int, default=2, help="cores (jobs) a runner")
    parser.add_argument("--bandwidth", type=float, default=50.0, help="artifacts, MB/s")
    parser.add_argument("--per-artifact", type=float, default=1.0, help="seconds an artifact")
    parser.add_argument("--count", type=int, default=10, help="filings of a measured corpus")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="--count 4 --repeat 1")
    parser.add_argument("--measured", type=Path, help="reuse measurements saved in this file")
    parser.add_argument(
        "--speedup",
        type=float,
        help="the --jobs 2 speed-up to use instead of the one measured here on a few filings "
        "(e.g. run.py's, measured on 100)",
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/form8k-shards"))
    args = parser.parse_args()
    if args.quick:
        args.count, args.repeat = 4, 1
    if args.measured and args.measured.is_file():
        measured = json.loads(args.measured.read_text())
    else:
        print("measuring per-filing costs (benchmarks/corpus.py corpora, whole processes):")
        measured = measure(args.work, args.count, args.repeat)
        if args.measured:
            args.measured.write_text(json.dumps(measured, indent=1))
    print(
        f"  build start {measured['start']:.2f} s; --jobs 2 speed-up {measured['speedup']:.2f}x; "
        f"output {measured['output'] / 1e3:.0f} KB a filing; merge {measured['merge'] * 1e3:.1f} "
        "ms a filing"
    )
    if args.speedup is not None:
        print(f"  --jobs 2 speed-up taken as {args.speedup:.2f}x (given), not measured here")
        measured["speedup"] = args.speedup
    if args.jobs != 2:
        measured["speedup"] = float(measured["speedup"]) * args.jobs / 2  # scaled, not measured
    simulate(measured, args)


if __name__ == "__main__":
    main()
