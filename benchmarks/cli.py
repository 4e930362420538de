"""Command line of the benchmarks: ``python -m benchmarks [--quick] ...``.

Runs every family (or one, ``--family br``), prints the tables and the
target summary, and writes ``results-<mode>.md``, ``results-<mode>.json``
and the scaling plot to ``benchmarks/results/`` (not tracked). Only
``--update-docs`` writes the tracked ``docs/_static/benchmarks/scaling.png``.
Exits 1 when a contender of skmultilabel or scikit-learn (or a floor) raises
or when an output check fails; timings never fail a run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from . import harness, report, skml
from .families import discover

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "benchmarks" / "results"
DOCS_PLOT = REPO / "docs" / "_static" / "benchmarks" / "scaling.png"


def parse(argv, families):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Speed and memory of skmultilabel against the alternatives.",
    )
    parser.add_argument("--quick", action="store_true", help="small grid for CI")
    parser.add_argument(
        "--family",
        type=str.lower,
        choices=list(families),
        action="append",
        help="run only this family (repeatable): "
        + "; ".join(f"{name}: {m.TITLE}" for name, m in families.items()),
    )
    parser.add_argument(
        "--repeats",
        type=int,
        help="timed repeats per case (default 2 quick, 5 full; 3 for large cases)",
    )
    parser.add_argument("--only", help="run only cases whose name contains this text")
    parser.add_argument(
        "--datasets",
        help="folder of the real *.npz sets (default $SKMULTILABEL_DATASETS, "
        "else ../shared/datasets beside the repository; absent sets are skipped)",
    )
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="results folder")
    parser.add_argument(
        "--update-docs",
        action="store_true",
        help=f"write the plot to {DOCS_PLOT.relative_to(REPO)} (tracked)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        help="cap in seconds on each scikit-multilearn call (default 2 quick, 10 full)",
    )
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=1,
        help="threads of BLAS/OpenMP pools during every case (threadpoolctl); "
        "0 leaves them as they are (default 1)",
    )
    parser.add_argument(
        "--no-skmultilearn",
        dest="skmultilearn",
        action="store_false",
        help="leave scikit-multilearn out",
    )
    opts = parser.parse_args(argv)
    quick = opts.quick
    opts.timeout = opts.timeout or (2.0 if quick else 10.0)
    opts.min_call = 0.01 if quick else 0.1
    opts.reps = opts.repeats or (2 if quick else 5)
    opts.big_reps = opts.repeats or (2 if quick else 3)
    opts.samples = [500, 2000] if quick else [1000, 3000, 10000, 30000, 100000]
    opts.labels = [5, 20] if quick else [5, 20, 100, 300, 1000]
    return opts


def run(cases, opts) -> list:
    results, dead = [], {}
    start = time.perf_counter()
    for case in cases:
        result = harness.run_case(case, case.data(), opts, dead)
        results.append(result)
        shown = {
            name: harness.fmt_time(harness.median(t["fit"]))
            if t.get("fit")
            else result.status[name]
            for name, t in result.times.items()
        }
        print(
            f"[{time.perf_counter() - start:6.1f}s] {case.table} {case.name} "
            f"({result.seconds:.1f}s) fit: {shown}",
            flush=True,
        )
        for name, status in result.status.items():
            if status != "ok":
                print(f"    {name}: {status}")
    return results


def main(argv=None) -> int:
    families = discover()
    opts = parse(argv, families)
    mode = "quick" if opts.quick else "full"
    chosen = {k: m for k, m in families.items() if not opts.family or k in opts.family}
    info = report.machine()
    print(
        f"skmultilabel benchmarks ({mode}): "
        + ", ".join(f"{k}={v}" for k, v in info.items())
    )
    _, skml_note = skml.classes() if opts.skmultilearn else (None, "left out")
    if skml_note:
        print(f"scikit-multilearn: {skml_note}")

    cases = [case for module in chosen.values() for case in module.cases(opts)]
    if opts.only:
        cases = [c for c in cases if opts.only in c.name]
    start = time.perf_counter()
    results = run(cases, opts)
    errors = [error for r in results for error in r.errors]
    floors = [floor for module in chosen.values() for floor in module.FLOORS]
    target_text, summary = report.targets(harness.evaluate_floors(floors, results))
    text = "\n".join(
        [
            f"# Benchmark results ({mode})",
            "",
            "Machine: " + ", ".join(f"{k}={v}" for k, v in info.items()),
            "",
            f"Total run time: {time.perf_counter() - start:.0f} s",
            "",
            "## Targets",
            "",
            target_text,
            "",
            "## Tables",
            report.tables(chosen, results, skml_note),
        ]
    )
    print(text)
    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"results-{mode}.md").write_text(text + "\n")
    payload = {"machine": info, "targets": summary, "results": report.to_json(results)}
    (out / f"results-{mode}.json").write_text(
        json.dumps(payload, indent=1, default=str)
    )
    plot = DOCS_PLOT if opts.update_docs else out / f"scaling-{mode}.png"
    report.plot(chosen, results, plot)
    if errors:
        print(f"\n{len(errors)} error(s):", file=sys.stderr)
        for error in errors:
            print(error, file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - start
    print(f"\nbenchmarks ({mode}) finished without errors in {elapsed:.0f} s")
    return 0
