"""The scaling plots of docs/benchmarks.md, from the results file that benchmarks/run.py appends
to (matplotlib, Agg: no display needed).

    python benchmarks/plots.py [RESULTS] [DIR]    # build/bench/results.jsonl -> docs/benchmarks/

  scaling.png           median time against courses, log-log, one panel per benchmark and one
                        line per case (the latest record of each, as in the tables)
  bytes_per_contact.png the cohort's bytes per contact, and the peak RSS of read_cohort per
                        contact, against courses
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from _suite import BENCHES
from tables import TITLES, Record, latest


def scaling(records: list[Record], path: Path) -> bool:
    benches = [b for b in BENCHES if any(r["bench"] == b for r in records)]
    if not benches:
        return False
    columns = 2
    rows = math.ceil(len(benches) / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(13, 4.2 * rows), squeeze=False)
    for ax, bench in zip(axes.flat, benches, strict=False):
        lines: dict[tuple[str, int], list[Record]] = {}
        for r in records:
            if r["bench"] == bench:
                lines.setdefault((r["case"], r["threads"]), []).append(r)
        for (case, threads), points in lines.items():
            points.sort(key=lambda r: r["courses"])
            label = (
                case if bench in ("survival", "micro") or threads == 1 else f"{case} ({threads})"
            )
            ax.plot(
                [r["courses"] for r in points],
                [r["median_s"] for r in points],
                marker="o",
                label=label,
            )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(TITLES.get(bench, bench))
        ax.set_xlabel("courses" if bench != "survival" else "subjects")
        ax.set_ylabel("median seconds")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=6.5, loc="upper left")
    for ax in list(axes.flat)[len(benches) :]:
        ax.set_visible(False)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True


def bytes_per_contact(records: list[Record], path: Path) -> bool:
    loaded = sorted(
        (r for r in records if r["bench"] == "cohort" and r["case"] == "load_cohort"),
        key=lambda r: r["courses"],
    )
    if not loaded:
        return False
    contacts = {r["courses"]: r["contacts"] for r in loaded}
    figure, ax = plt.subplots(figsize=(7, 4.2))
    ax.plot(
        [r["courses"] for r in loaded],
        [r["extra"]["bytes_per_contact"] for r in loaded],
        marker="o",
        label="cohort in memory",
    )
    for threads in (1, 2):
        peaks = sorted(
            (
                r
                for r in records
                if r["bench"] == "read_events"
                and r["case"].startswith("mentorcore read_cohort")
                and r["threads"] == threads
                and r["courses"] in contacts
                and r.get("peak_rss_bytes")
            ),
            key=lambda r: r["courses"],
        )
        if peaks:
            ax.plot(
                [r["courses"] for r in peaks],
                [r["peak_rss_bytes"] / contacts[r["courses"]] for r in peaks],
                marker="s",
                label=f"peak RSS of read_cohort, {threads} thread{'s' if threads > 1 else ''}",
            )
    ax.axhline(32, color="grey", linestyle="--", linewidth=1, label="target: 32")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("courses")
    ax.set_ylabel("bytes per contact")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True


def write(results: Path, directory: Path) -> list[Path]:
    """Writes the plots that the results allow; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    records = latest(results)
    written = []
    for name, plot in (("scaling.png", scaling), ("bytes_per_contact.png", bytes_per_contact)):
        if plot(records, directory / name):
            written.append(directory / name)
    return written


def main() -> None:
    root = Path(__file__).resolve().parents[1]
    results = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "build/bench/results.jsonl"
    directory = Path(sys.argv[2]) if len(sys.argv) > 2 else root / "docs/benchmarks"
    for path in write(results, directory):
        print(path)


if __name__ == "__main__":
    main()
