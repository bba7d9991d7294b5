"""The markdown tables of docs/benchmarks.md, from the results file that benchmarks/run.py
appends to.

    python benchmarks/tables.py [RESULTS] [OUT] [--into docs/benchmarks.md]
    # defaults: build/bench/results.jsonl -> build/bench/tables.md; --into also replaces the
    # generated sections of the page with the fresh ones

Of each (benchmark, case, size, threads) the latest record counts. Each benchmark's tables sit
between a BEGIN and an END marker naming it; docs/benchmarks.md has the same markers, so a fresh
section replaces the old one whole. At the largest size run: the median and spread of the runs,
the ratio of its median to that of the case it is compared with (its record's "reference":
mentorcore's, or for a micro-benchmark its memory scan; where the record has
"reference_median_s", the reference timed between its runs in its process, that median), MB/s
(and per core), the peak resident memory of the case's process, and what was checked. Then a
scaling table, in which a case not run at a size says what it would have taken, extrapolated
linearly from the largest size it ran at. The memory section gives the cohort's bytes per
contact at each size.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from _suite import BENCHES, max_courses

Record = dict[str, Any]

TITLES = {
    "read_events": "Reading an event log",
    "cohort": "The cohort",
    "survival": "Survival estimators",
    "kpis": "The KPI suite",
    "synthetic": "Generating and writing event logs",
    "dask": "Dask",
    "micro": "C++ micro-benchmarks (Google Benchmark)",
    "memory": "Memory: bytes per contact and peak RSS",
}


def size_label(courses: int) -> str:
    for unit, name in ((1_000_000, "M"), (1_000, "k")):
        if courses >= unit and courses % unit == 0:
            return f"{courses // unit}{name}"
    return f"{courses:,}"


def latest(path: Path) -> list[Record]:
    """The latest record of each (bench, case, courses, threads), in first-seen order."""
    kept: dict[tuple[Any, ...], Record] = {}
    if path.exists():
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    record = json.loads(line)
                    key = (record["bench"], record["case"], record["courses"], record["threads"])
                    if key in kept and kept[key].get("run", "") > record.get("run", ""):
                        continue
                    kept[key] = record
    return list(kept.values())


def seconds(value: float) -> str:
    if value == 0:
        return "0"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 1:
        return f"{value:.2f}"
    if value >= 0.01:
        return f"{value:.3f}"
    # Below 10 ms three decimals of a second would leave one significant digit.
    return f"{value * 1e3:.2f} ms" if value >= 0.001 else f"{value * 1e6:.0f} µs"


def would_take(bench: str, case: str, courses: int, records: list[Record]) -> str:
    """What a case not run at `courses` would have taken, from its largest measured size."""
    limit = max_courses(bench, case)
    measured = [
        r for r in records if r["bench"] == bench and r["case"] == case and r["courses"] < courses
    ]
    why = " and too much memory" if limit and limit[1] == "memory" else ""
    if not measured:
        largest = f" (largest size {size_label(limit[0])})" if limit else ""
        return f"not run at {size_label(courses)}{largest}"
    top = max(measured, key=lambda r: r["courses"])
    minutes = top["median_s"] * courses / top["courses"] / 60
    return (
        f"not run at {size_label(courses)}: would take ~{minutes:.0f} min{why} "
        f"(measured at {size_label(top['courses'])})"
    )


def ratio(record: Record, by_case: dict[str, Record]) -> str:
    extra = record.get("extra", {})
    reference = by_case.get(extra.get("reference", ""))
    # The reference's median timed between this case's runs, in its process, when the benchmark
    # measured one (benchmarks/_timing.measure_beside): the ratio of the same seconds.
    beside = extra.get("reference_median_s")
    if beside:
        value = record["median_s"] / beside
    elif reference is None or reference is record or not reference["median_s"]:
        return ""
    else:
        value = record["median_s"] / reference["median_s"]
    return f"{value:.1f}x" if value >= 1 else f"{value:.2g}x"


def size_table(bench: str, courses: int, records: list[Record], every: list[Record]) -> list[str]:
    rows = [r for r in records if r["courses"] == courses]
    by_case = {r["case"]: r for r in rows}
    out = [
        f"**{size_label(courses)} courses** ({courses:,})",
        "",
        "| case | threads | median s | spread s | runs | ratio to reference | MB/s "
        "| MB/s per core | peak RSS MiB | checked, notes |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        rate = per_core = ""
        if r.get("input_bytes"):
            mbs = r["input_bytes"] / 1e6 / r["median_s"]
            rate, per_core = f"{mbs:,.0f}", f"{mbs / r['threads']:,.0f}"
        rss = f"{r['peak_rss_bytes'] / 2**20:,.0f}" if r.get("peak_rss_bytes") else ""
        # A note may be several, joined by "; " (records of 2026-11-30 can start with one).
        extra = r.get("extra", {})
        beside = ""
        if extra.get("reference_median_s"):
            beside = (
                f"ratio to the reference timed between its runs: "
                f"{seconds(extra['reference_median_s'])} ({extra.get('reference_runs', '?')} runs)"
            )
        parts = [extra.get("checked", ""), beside, *r.get("note", "").split("; ")]
        notes = "; ".join(x for x in parts if x)
        out.append(
            f"| {r['case']} | {r['threads']} | {seconds(r['median_s'])} | "
            f"{seconds(r['spread_s'])} | {len(r['times'])} | {ratio(r, by_case)} | {rate} | "
            f"{per_core} | {rss} | {notes} |"
        )
    cases = {r["case"] for r in rows}
    for case in dict.fromkeys(r["case"] for r in every if r["bench"] == bench):
        limit = max_courses(bench, case)
        if case not in cases and limit is not None and courses > limit[0]:
            out.append(f"| {case} | | | | | | | | | {would_take(bench, case, courses, every)} |")
    return [*out, ""]


def scaling_table(bench: str, records: list[Record], sizes: list[int]) -> list[str]:
    out = [
        "**Scaling** (median seconds)",
        "",
        "| case | threads | " + " | ".join(size_label(s) for s in sizes) + " |",
        "|---|---|" + "---|" * len(sizes),
    ]
    keys = dict.fromkeys((r["case"], r["threads"]) for r in records)
    for case, threads in keys:
        cells = []
        for courses in sizes:
            found = [
                r
                for r in records
                if r["case"] == case and r["threads"] == threads and r["courses"] == courses
            ]
            limit = max_courses(bench, case)
            if found:
                cells.append(seconds(found[0]["median_s"]))
            elif limit is not None and courses > limit[0]:
                cells.append(would_take(bench, case, courses, records))
            else:
                cells.append("")
        out.append(f"| {case} | {threads} | " + " | ".join(cells) + " |")
    return [*out, ""]


def memory_section(records: list[Record]) -> list[str]:
    loaded = sorted(
        (r for r in records if r["bench"] == "cohort" and r["case"] == "load_cohort"),
        key=lambda r: r["courses"],
    )
    reads = {
        (r["courses"], r["threads"]): r
        for r in records
        if r["bench"] == "read_events" and r["case"].startswith("mentorcore read_cohort")
    }
    out = [
        "| courses | contacts | cohort bytes | bytes per contact | peak RSS of read_cohort, "
        "1 thread / 2 threads (MiB) |",
        "|---|---|---|---|---|",
    ]
    for r in loaded:
        peaks = [reads.get((r["courses"], t)) for t in (1, 2)]
        peak = " / ".join(f"{p['peak_rss_bytes'] / 2**20:,.0f}" if p else "" for p in peaks)
        out.append(
            f"| {r['courses']:,} | {r['contacts']:,} | {r['extra']['memory_bytes']:,} | "
            f"{r['extra']['bytes_per_contact']:.1f} | {peak} |"
        )
    return [*out, ""]


def machine_line(records: list[Record]) -> str:
    if not records:
        return "No results yet."
    last = max(records, key=lambda r: r.get("run", ""))
    m = last.get("machine", {})
    runs = sorted({r.get("run", "")[:10] for r in records if r.get("run")})
    commits = ", ".join(sorted({r.get("machine", {}).get("commit", "?") for r in records}))
    return (
        f"Machine: {m.get('cpu', '?')}, {m.get('cores', '?')} cores, "
        f"{m.get('memory_bytes', 0) / 2**30:.0f} GiB; Linux {m.get('kernel', '?')}, Python "
        f"{m.get('python', '?')}, mentorcore {m.get('mentorcore', '?')} at {commits}"
        f", build {last.get('build', '?')}; runs of {', '.join(runs)}."
    )


def render(records: list[Record]) -> str:
    out = [
        "<!-- Written by benchmarks/tables.py. Paste each section between its BEGIN and END "
        "markers over the same section of docs/benchmarks.md. -->",
        "",
        "<!-- BEGIN GENERATED machine -->",
        machine_line(records),
        "<!-- END GENERATED machine -->",
        "",
    ]
    groups: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        groups[r["bench"]].append(r)
    for bench in [*BENCHES, *sorted(set(groups) - set(BENCHES))]:
        rows = groups.get(bench)
        if not rows:
            continue
        sizes = sorted({r["courses"] for r in rows})
        # No heading: the page's section has it (TITLES names the section in the plots).
        out += [f"<!-- BEGIN GENERATED {bench} -->", ""]
        # The details at the largest size only (the scaling table has the rest; every size's
        # details are in the results file): a page of four sizes would be too long to read.
        out += size_table(bench, sizes[-1], rows, rows)
        out += scaling_table(bench, rows, sizes)
        out += [f"<!-- END GENERATED {bench} -->", ""]
    if any(r["bench"] == "cohort" and r["case"] == "load_cohort" for r in records):
        out += ["<!-- BEGIN GENERATED memory -->", ""]
        out += memory_section(records)
        out += ["<!-- END GENERATED memory -->", ""]
    return "\n".join(out)


def write(results: Path, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(latest(results)), encoding="utf-8")


SECTION = re.compile(r"<!-- BEGIN GENERATED (\w+) -->\n.*?<!-- END GENERATED \1 -->", re.S)


def paste(tables: str, doc: Path) -> list[str]:
    """Replaces each generated section of `doc` by the same section of `tables`; returns the
    names of the sections replaced (a section missing from either is left alone)."""
    fresh = {m.group(1): m.group(0) for m in SECTION.finditer(tables)}
    replaced = []

    def replace(match: re.Match[str]) -> str:
        if match.group(1) not in fresh:
            return match.group(0)
        replaced.append(match.group(1))
        return fresh[match.group(1)]

    doc.write_text(SECTION.sub(replace, doc.read_text(encoding="utf-8")), encoding="utf-8")
    return replaced


def main() -> None:
    root = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", nargs="?", default=root / "build/bench/results.jsonl")
    parser.add_argument("out", nargs="?", default=root / "build/bench/tables.md")
    parser.add_argument("--into", metavar="DOC", help="also replace DOC's generated sections")
    args = parser.parse_args()
    write(Path(args.results), Path(args.out))
    print(args.out)
    if args.into:
        replaced = paste(Path(args.out).read_text(encoding="utf-8"), Path(args.into))
        print(f"{args.into}: replaced {', '.join(replaced) or 'nothing'}")


if __name__ == "__main__":
    main()
