"""Tables, target summary, JSON and the plot of a benchmark run."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

import numpy as np
import scipy
import sklearn

import skmultilabel

from .harness import fmt_ratio, fmt_time, median, ratio_median

REPO = Path(__file__).resolve().parents[1]


def _row(cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _header(cells) -> list[str]:
    return [_row(cells), "|" + "---|" * len(cells)]


def cell(result, name, method):
    status = result.status.get(name)
    if status is None:
        return "n/a"
    times = result.times[name].get(method)
    if times and len(times) == result.case.repeats:
        return fmt_time(median(times))
    if status != "ok":
        return status
    return result.timeouts.get(name, {}).get(method, "-")


def ratio_text(result, a, b, method):
    """Median ratio a/b, or a bound when b timed out."""
    if b not in result.times:
        return "n/a"
    value = ratio_median(result, a, b, method)
    if value is not None:
        return fmt_ratio(value)
    timeout = result.timeouts.get(b, {}).get(method, "")
    if timeout.startswith(">") and result.times[a].get(method):
        limit = float(timeout.split()[1])
        return f"< {median(result.times[a][method]) / limit:.2g}x"
    return "-"


def table_text(key, table, rows, skml_note) -> str:
    """The time table and the memory table of one family table."""
    names = list(table.columns) or list(
        dict.fromkeys(name for r in rows for name in r.times)
    )
    ratios = [(table.ours, ref) for ref in table.refs]
    out = [f"\n### {table.title} ({key}): median time per call\n"]
    if skml_note and "skml" in names:
        out.append(f"skml: {skml_note}\n")
    if table.note:
        out.append(table.note + "\n")
    header = ["case", "base", "n", "L", *table.extra, "method", *names]
    out += _header(header + [f"{a}/{b}" for a, b in ratios])
    for r in rows:
        fixed = [r.case.name, r.case.base_name, r.n_train, r.n_labels]
        fixed += [fn(r) for fn in table.extra.values()]
        for method in r.case.methods:
            line = fixed + [method] + [cell(r, name, method) for name in names]
            out.append(_row(line + [ratio_text(r, a, b, method) for a, b in ratios]))
    memory_rows = [r for r in rows if r.case.memory]
    if memory_rows:
        out.append(f"\n### {table.title} ({key}): peak traced memory (MiB)\n")
        out += _header(["case", "n_test", "method", *names])
        for r in memory_rows:
            for method in r.case.memory:
                values = [r.memory.get(name, {}).get(method) for name in names]
                shown = ["-" if v is None else f"{v:.1f}" for v in values]
                out.append(_row([r.case.name, r.n_test, method, *shown]))
    return "\n".join(out + [""])


def tables(families, results, skml_note) -> str:
    out = []
    for module in families.values():
        for key, table in module.TABLES.items():
            rows = [r for r in results if r.case.table == key]
            if rows:
                out.append(table_text(key, table, rows, skml_note))
    return "\n".join(out)


def _shown(check) -> tuple[str, str]:
    unit = check.floor.unit
    if unit == "MiB":
        return f"{check.value:+.1f} MiB", f"{check.limit:.1f} MiB"
    if unit == "%":
        return f"{check.value:.1%}", f"{check.limit:.0%}"
    return f"{check.value:.3f}x", f"{check.limit:g}x"


def targets(checks) -> tuple[str, list]:
    """Per target: cases passed and the worst case; then every check."""
    if not checks:
        return "No target applies to the cases run.", []
    lines = _header(["target", "cases passed", "worst case", "worst value", "limit"])
    summary = []
    for floor in dict.fromkeys(c.floor for c in checks):
        group = [c for c in checks if c.floor is floor]
        passed = sum(c.passed for c in group)
        pick = min if floor.higher_is_better else max
        worst = pick(group, key=lambda c: c.value)
        value, limit = _shown(worst)
        where = f"{worst.result.case.name} ({worst.method})"
        lines.append(_row([floor.title, f"{passed}/{len(group)}", where, value, limit]))
        summary.append({"target": floor.title, "passed": passed, "total": len(group)})
    detail = ["", "Every check (median; range over repeats for ratios):", ""]
    detail += _header(
        ["target", "case", "method", "value", "limit", "min..max", "pass"]
    )
    for c in checks:
        spread = c.floor.spread(c.result, c.method) if c.floor.spread else None
        spread = "-" if spread is None else f"{spread[0]:.2f}..{spread[1]:.2f}"
        value, limit = _shown(c)
        row = [c.floor.title, c.result.case.name, c.method, value, limit, spread]
        detail.append(_row(row + ["pass" if c.passed else "MISS"]))
    return "\n".join(lines + detail), summary


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import skmultilearn

        skml = getattr(skmultilearn, "__version__", "installed")
    except Exception:  # noqa: BLE001
        skml = "not installed"
    try:
        git = subprocess.run(
            ["git", "-C", str(REPO), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except Exception:  # noqa: BLE001
        git = "unknown"
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "sklearn": sklearn.__version__,
        "skmultilabel": skmultilabel.__version__,
        "git": git,
        "skmultilearn": skml,
        "loadavg_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def to_json(results) -> list[dict]:
    return [
        {
            "family": r.case.family,
            "table": r.case.table,
            "case": r.case.name,
            "base": r.case.base_name,
            "sweep": r.case.sweep,
            "n_train": r.n_train,
            "n_test": r.n_test,
            "n_labels": r.n_labels,
            "n_labelsets": r.n_labelsets,
            "repeats": r.case.repeats,
            "times": r.times,
            "memory_mib": r.memory,
            "status": r.status,
            "checks": r.checks,
            "seconds": r.seconds,
        }
        for r in results
    ]


MARKERS = "osD^v<>ph*"


def plot(families, results, path: Path):
    """Fit time against samples and labels, log-log, one line per contender
    of every table that has a sweep (solid: the first family, then dashed)."""
    if not any(r.case.sweep in ("samples", "labels") for r in results):
        return
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("[skip] plot: matplotlib is not installed")
        return
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    styles = dict(zip(families, ["-", "--", ":", "-."] * 4, strict=False))
    for ax, sweep, xlabel in (
        (axes[0], "samples", "training samples"),
        (axes[1], "labels", "labels"),
    ):
        for key in dict.fromkeys(r.case.table for r in results):
            rows = [r for r in results if r.case.table == key and r.case.sweep == sweep]
            if not rows:
                continue
            for i, name in enumerate(rows[0].times):
                points = [
                    (r.n_train if sweep == "samples" else r.n_labels, median(t))
                    for r in rows
                    if (t := r.times[name].get("fit")) and len(t) == r.case.repeats
                ]
                if points:
                    xs, ys = zip(*points, strict=True)
                    ax.plot(
                        xs,
                        ys,
                        styles[rows[0].case.family],
                        marker=MARKERS[i % len(MARKERS)],
                        ms=4,
                        label=f"{key}: {name}",
                    )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("fit time (s)")
        ax.grid(True, which="both", alpha=0.3)
        ax.set_title(f"fit time vs {xlabel}", fontsize=10)
        ax.legend(fontsize=7, ncol=2)
    names = {"-": "solid", "--": "dashed", ":": "dotted", "-.": "dash-dot"}
    sweeps = [r for r in results if r.case.sweep in ("samples", "labels")]
    used = dict.fromkeys(r.case.family for r in sweeps)
    fig.suptitle(
        "fit time, LogisticRegression base; "
        + ", ".join(f"{names[styles[f]]}: {families[f].TITLE}" for f in used),
        fontsize=10,
    )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    print(f"plot written to {path}")
