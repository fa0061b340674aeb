"""Run one command and print its wall time and peak memory as JSON: python measure.py CMD...

Peak memory is the largest resident set of the command or any of its children (getrusage), the
figure that matters per worker process.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main() -> None:
    start = time.perf_counter()
    completed = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "wall": wall,
                "peak_mib": peak_kib / 1024,
                "code": completed.returncode,
                "stderr": completed.stderr.decode(errors="replace")[-2000:],
            }
        )
    )


if __name__ == "__main__":
    main()
