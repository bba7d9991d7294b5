"""The benchmark suite's driver: what `tools/dev bench [--size N] [--only NAME]` runs.

    python benchmarks/run.py [--size N] [--only NAME] [--build-dir DIR] [--smoke]

For each size (1,000, 10,000, 100,000 and 1,000,000 courses, or only N) it makes sure the cached
inputs exist (benchmarks/_data.py), then runs every case of every benchmark (or of NAME only) in
a process of its own, so that each case's peak memory is its own:

    read_events cohort survival kpis synthetic dask    benchmarks/bench_<name>.py --case ...
    micro                                               <build>/benchmarks/mentorcore_micro

Each case's records (benchmarks/_timing.Result) are appended to build/bench/results.jsonl with
the run's date, the machine and the build; then benchmarks/tables.py writes the markdown tables
(build/bench/tables.md) and benchmarks/plots.py the scaling plots (docs/benchmarks/*.png).

A case that would not finish the largest size within 10 minutes (or would need more memory than
the machine has) has a largest size below (MAX_COURSES); above it, it is not run, and the
tables say what it would take, extrapolated from the largest size it ran at.

--smoke (tools/dev test): one run per case, the micro-benchmarks for 0.01 s each, results,
tables and plots under build/bench/smoke/ so that they never mix with real figures. No figure is
checked against anything: the smoke run only proves that every case still runs and still agrees.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _data
import plots
import tables
from _suite import BENCHES, RUNS, max_courses

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = Path(__file__).resolve().parent


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = ""
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = 0
    with open("/proc/meminfo", encoding="ascii") as info:
        for line in info:
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    import mentorcore

    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_bytes": memory,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "mentorcore": mentorcore.__version__,
        "commit": commit,
    }


class Driver:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.out = ROOT / "build" / "bench" / ("smoke" if args.smoke else "")
        self.out.mkdir(parents=True, exist_ok=True)
        self.results = self.out / "results.jsonl"
        self.run_id = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.stamp = {
            "run": self.run_id,
            "build": Path(args.build_dir).name,
            "smoke": args.smoke,
            "machine": machine(),
        }
        self.failed: list[str] = []

    def runs(self, courses: int) -> int:
        return 1 if self.args.smoke else RUNS.get(courses, 3)

    def append(self, records: list[dict[str, Any]]) -> None:
        with open(self.results, "a", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps({**record, **self.stamp}, sort_keys=True) + "\n")

    def cases(self, bench: str) -> list[str]:
        listed = subprocess.run(
            [sys.executable, str(BENCHMARKS / f"bench_{bench}.py"), "--list-cases"],
            capture_output=True,
            text=True,
        )
        if listed.returncode != 0:
            raise RuntimeError(f"bench_{bench}.py --list-cases failed:\n{listed.stderr}")
        return [line for line in listed.stdout.splitlines() if line.strip()]

    def skip(self, bench: str, case: str, courses: int, limit: tuple[int, str]) -> None:
        print(f"-- {bench}: {case}: not run at {courses:,} (largest size {limit[0]:,}: {limit[1]})")

    def run_python(self, bench: str, courses: int) -> None:
        try:
            cases = self.cases(bench)
        except RuntimeError as error:
            # A script with the common options but no --list-cases still runs, all its cases in
            # one process (their peak RSS is then that process's).
            print(f"{error}\n-- {bench}: running every case in one process", file=sys.stderr)
            self.run_cases(bench, courses, None)
            return
        to_run = []
        for case in cases:
            limit = max_courses(bench, case)
            if limit is not None and courses > limit[0]:
                self.skip(bench, case, courses, limit)
            else:
                to_run.append(case)
        if self.args.smoke and to_run == cases:
            # A smoke run spares the start-up of a process per case: one process runs them all.
            self.run_cases(bench, courses, None)
        else:
            for case in to_run:
                self.run_cases(bench, courses, case)

    def run_cases(self, bench: str, courses: int, case: str | None) -> None:
        """Runs `case` (or every case) of `bench` in a process of its own."""
        what = case or "every case"
        print(f"\n== {bench}: {what} ({courses:,} courses)", flush=True)
        with tempfile.TemporaryDirectory() as scratch:
            records = Path(scratch) / "records.jsonl"
            command = [
                sys.executable,
                str(BENCHMARKS / f"bench_{bench}.py"),
                "--courses",
                str(courses),
                "--runs",
                str(self.runs(courses)),
                "--json",
                str(records),
                *(["--case", case] if case else []),
            ]
            started = time.perf_counter()
            status = subprocess.run(command).returncode
            if status != 0:
                self.failed.append(f"{bench}: {what} at {courses:,} (exit status {status})")
                return
            if records.exists():
                lines = records.read_text(encoding="utf-8").splitlines()
                self.append([json.loads(line) for line in lines])
            print(f"   ({time.perf_counter() - started:.1f} s with the checks)")

    def run_micro(self, courses: int) -> None:
        limit = max_courses("micro", "*")
        if limit is not None and courses > limit[0]:
            self.skip("micro", "*", courses, limit)
            return
        executable = Path(self.args.build_dir) / "benchmarks" / "mentorcore_micro"
        if not executable.exists():
            self.failed.append(f"micro: {executable} was not built (libbenchmark-dev missing?)")
            return
        print(f"\n== micro ({courses:,} courses: the log's text and courses)", flush=True)
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch) / "micro.json"
            command = [
                str(executable),
                "--log",
                str(_data.event_log(courses)),
                "--subjects",
                "1000000",
                f"--benchmark_out={out}",
                "--benchmark_out_format=json",
                f"--benchmark_repetitions={self.runs(courses)}",
            ]
            if self.args.smoke:
                command.append("--benchmark_min_time=0.01")
            process = subprocess.Popen(command)
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            if process.returncode != 0:
                self.failed.append(f"micro at {courses:,} (exit status {process.returncode})")
                return
            report = json.loads(out.read_text(encoding="utf-8"))
        self.append(micro_records(report, courses, usage.ru_maxrss * 1024))

    def run(self) -> int:
        sizes = [self.args.size] if self.args.size else list(_data.SIZES)
        benches = [self.args.only] if self.args.only else list(BENCHES)
        for courses in sizes:
            started = time.perf_counter()
            log = _data.event_log(courses)
            _data.cohort_file(courses)
            print(
                f"\n==> {courses:,} courses: {log} ({log.stat().st_size / 1e6:,.0f} MB; "
                f"ready in {time.perf_counter() - started:.1f} s)",
                flush=True,
            )
            for bench in benches:
                if bench == "micro":
                    self.run_micro(courses)
                else:
                    self.run_python(bench, courses)
        tables_path = self.out / "tables.md"
        tables.write(self.results, tables_path)
        plot_dir = self.out if self.args.smoke else ROOT / "docs" / "benchmarks"
        written = plots.write(self.results, plot_dir)
        print(f"\nresults: {self.results}\ntables: {tables_path}")
        for path in written:
            print(f"plot: {path}")
        if self.failed:
            print("\nFAILED:\n  " + "\n  ".join(self.failed), file=sys.stderr)
            return 1
        return 0


def micro_records(report: dict[str, Any], courses: int, peak_rss: int) -> list[dict[str, Any]]:
    """Google Benchmark's JSON as result records: one per benchmark, its repetitions as runs."""
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    by_name: dict[str, list[dict[str, Any]]] = {}
    for entry in report["benchmarks"]:
        if entry.get("run_type", "iteration") == "iteration":
            # "micro_x/real_time": the function's name is the case.
            by_name.setdefault(entry["run_name"].split("/")[0], []).append(entry)
    records = []
    for name, entries in by_name.items():
        times = [e["real_time"] * scale[e["time_unit"]] for e in entries]
        ordered = sorted(times)
        middle = len(ordered) // 2
        median = (
            ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
        )
        # A loop's scan is micro_<loop>_scan; the parse alone beside reading (_parse) is set
        # against the same scan.
        loop = name.removesuffix("_scan").removesuffix("_parse")
        counters = {
            key: value
            for key, value in entries[0].items()
            if key in ("courses", "contacts", "subjects", "bytes_per_contact")
        }
        records.append(
            {
                "bench": "micro",
                "case": name,
                "courses": courses,
                "threads": 1,
                "times": times,
                "best_s": min(times),
                "median_s": median,
                "spread_s": max(times) - min(times),
                "contacts": None,
                "input_bytes": round(entries[0]["bytes_per_second"] * times[0])
                if "bytes_per_second" in entries[0]
                else None,
                "peak_rss_bytes": peak_rss,
                "note": "peak RSS of the whole micro-benchmark process",
                "extra": {
                    "reference": f"{loop}_scan",
                    "bytes_per_second": [e.get("bytes_per_second") for e in entries],
                    "iterations": [e["iterations"] for e in entries],
                    "counters": counters,
                    "context": {k: report["context"].get(k) for k in ("num_cpus", "mhz_per_cpu")},
                },
            }
        )
    return records


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, help="run at this many courses only")
    parser.add_argument("--only", choices=BENCHES, help="run this benchmark only")
    parser.add_argument(
        "--build-dir",
        default=str(ROOT / "build" / "release"),
        help="the CMake build tree with benchmarks/mentorcore_micro (default build/release)",
    )
    parser.add_argument("--smoke", action="store_true", help="one quick run of each case")
    args = parser.parse_args()
    if args.size is not None and args.size < 1:
        parser.error("--size must be at least 1")
    sys.exit(Driver(args).run())


if __name__ == "__main__":
    main()
