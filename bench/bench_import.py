"""What loading the plugin costs a pytest run that never uses it (issue target: <= 15 ms).

    python bench/bench_import.py [runs]

Median over fresh interpreters of `python -X importtime -c "import pytest; import
pytest_cloudcheck.plugin"`: the cumulative microseconds of `pytest_cloudcheck.plugin`, after pytest
itself is loaded. Run by hand, not in CI (timings on a shared machine are noisy).
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys


def plugin_import_us() -> int:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import pytest; import pytest_cloudcheck.plugin"],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in result.stderr.splitlines() if line.rstrip().endswith("| pytest_cloudcheck.plugin"))
    match = re.match(r"import time:\s+\d+\s+\|\s+(\d+)", line)
    assert match, line
    return int(match.group(1))


def main(runs: int = 5) -> None:
    samples = sorted(plugin_import_us() for _ in range(runs))
    median_ms = statistics.median(samples) / 1000
    print(
        f"import pytest_cloudcheck.plugin: median {median_ms:.1f} ms over {runs} fresh processes "
        f"(min {samples[0] / 1000:.1f}, max {samples[-1] / 1000:.1f}); target <= 15 ms"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
