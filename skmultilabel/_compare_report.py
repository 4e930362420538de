"""The report of ``skmultilabel compare`` as a table or as a picture.

Both read only the report dict of :func:`skmultilabel._compare.compare`, and
lay out whatever columns (methods) and summary rows it holds.
"""

from __future__ import annotations

import re

import numpy as np

SCORES = {
    "hamming_loss": "Hamming loss (lower is better)",
    "subset_accuracy": "subset accuracy",
    "f1_micro": "F1 micro",
    "f1_macro": "F1 macro",
    "f1_samples": "F1 samples",
}

#: Summary rows shown in the "label sets" section; every other summary row
#: of a model is shown in the "cost" section.
LABELSET_ROWS = ("label sets it can predict", "test rows it cannot get exactly right")


#: At most this many labels get an "F1 per label" row (the most frequent).
MAX_LABEL_ROWS = 10


def _shown_labels(report: dict) -> list[str]:
    """The labels of the per-label rows and panel: all of them, or the
    :data:`MAX_LABEL_ROWS` held by most rows, in the data's label order."""
    counts = report["data"].get("rows_with_label", {})
    names = list(counts)
    if len(names) <= MAX_LABEL_ROWS:
        return names
    frequent = set(sorted(names, key=lambda n: -_mean(counts[n]))[:MAX_LABEL_ROWS])
    return [name for name in names if name in frequent]


def _per_label_title(report: dict) -> str:
    n_labels = len(report["data"].get("rows_with_label", {}))
    if n_labels <= MAX_LABEL_ROWS:
        return "per-label F1"
    return f"per-label F1, the {MAX_LABEL_ROWS} most frequent of {n_labels}"


def _value(value, fmt: str = "{:.4f}") -> str:
    """A figure, or ``mean ± std`` of a figure that varies between folds."""
    if isinstance(value, dict):
        return f"{fmt.format(value['mean'])} ± {fmt.format(value['std'])}"
    return fmt.format(value)


def _mean(value) -> float:
    return value["mean"] if isinstance(value, dict) else value


def _big(n: int) -> str:
    return str(n) if n < 10**9 else f"{float(n):.3g}" if n < 2**1000 else "> 1e300"


def _count(n, total) -> str:
    if isinstance(n, dict) or isinstance(total, dict):
        return f"{_value(n, '{:.1f}')} of {_value(total, '{:.1f}')}"
    return f"{n} of {total} ({n / total:.1%})" if total else "0"


def _summary_rows(methods: dict, test_rows) -> dict[str, dict[str, str]]:
    """Row title -> {method key: cell}, in the order first given."""
    rows: dict[str, dict[str, str]] = {}
    for key, method in methods.items():
        for title, cell in method["summary"].items():
            rows.setdefault(title, {})[key] = str(cell)
        if "test_rows_out_of_reach" in method:
            rows.setdefault(LABELSET_ROWS[1], {})[key] = _count(
                method["test_rows_out_of_reach"], test_rows
            )
    return rows


def format_report(report: dict) -> str:
    """The comparison as one plain-text table, with two header lines.

    One column per method of the report; the rows are the scores, the cost
    (fit and predict time, then each model's summary rows), the label-set
    figures of the data (then the summary rows of :data:`LABELSET_ROWS`) and
    the test F1 of each label by its name (the :data:`MAX_LABEL_ROWS` most
    frequent when there are more).

    Parameters
    ----------
    report : dict
        From :func:`~skmultilabel._compare.compare`.

    Returns
    -------
    text : str
        Lines ending in a newline.

    Examples
    --------
    >>> from skmultilabel._compare import compare, format_report, load_dataset
    >>> text = format_report(compare(load_dataset(), "nb"))
    >>> print(text.splitlines()[4])
    scores on the 202 test rows
    """
    data, methods = report["data"], report["methods"]
    keys = list(methods)
    n_test = data["test_rows"]
    summary = _summary_rows(methods, n_test)

    def per_method(title, cell):
        return (title, *(cell(methods[key]) for key in keys))

    def summary_row(title):
        return (f"  {title}", *(summary[title].get(key, "-") for key in keys))

    scores_title = (
        f"scores on the {n_test} test rows"
        if report.get("cv") is None
        else f"scores on the test rows, mean ± std over {report['cv']} folds"
    )
    rows: list[tuple[str, ...]] = [(scores_title,)]
    rows += [
        per_method(f"  {title}", lambda m, k=k: _value(m[k]))
        for k, title in SCORES.items()
    ]
    if report.get("tuned_thresholds"):
        rows.append((f"scores with tuned thresholds ({report['tuned_thresholds']})",))
        rows += [
            per_method(
                f"  {title}",
                lambda m, k=k: _value(m["tuned"][k]) if m.get("tuned") else "-",
            )
            for k, title in SCORES.items()
        ]
    rows += [
        ("cost",),
        per_method("  fit time (s)", lambda m: _value(m["fit_seconds"], "{:.3f}")),
        per_method(
            "  predict time (s)", lambda m: _value(m["predict_seconds"], "{:.3f}")
        ),
        *(
            [
                per_method(
                    "  fit time with tuning (s)",
                    lambda m: (
                        _value(m["tuned"]["fit_seconds"], "{:.3f}")
                        if m.get("tuned")
                        else "-"
                    ),
                )
            ]
            if report.get("tuned_thresholds")
            else []
        ),
        *(summary_row(t) for t in summary if t not in LABELSET_ROWS),
        ("label sets",),
        ("  labels", f"{data['labels']}"),
        ("  2**labels", _big(data["label_space"])),
        (
            "  distinct label sets in train",
            _value(data["label_sets_train"], "{:.1f}" if report.get("cv") else "{}"),
        ),
        (
            "  train rows per label set (mean)",
            _value(data["train_rows_per_label_set"], "{:.1f}"),
        ),
        (
            "  label sets seen once in train",
            _value(
                data["label_sets_seen_once"], "{:.1f}" if report.get("cv") else "{}"
            ),
        ),
        (
            "  test rows whose label set is not in train",
            _count(data["test_rows_unseen_label_set"], n_test),
        ),
        *(summary_row(t) for t in LABELSET_ROWS if t in summary),
    ]
    shown = _shown_labels(report)
    if shown and all("f1_per_label" in methods[key] for key in keys):
        rows.append((_per_label_title(report),))
        rows += [
            per_method(f"  {name}", lambda m, n=name: _value(m["f1_per_label"][n]))
            for name in shown
        ]
    headers = ("", *(methods[key]["title"] for key in keys))
    width0 = max(len(row[0]) for row in rows if len(row) > 1) + 2
    # Each column as wide as its own widest cell (a data figure spans all).
    widths = [
        max(len(row[i]) for row in [headers, *rows] if len(row) == len(headers)) + 2
        for i in range(1, len(headers))
    ]
    min_count = ""
    if report.get("min_count_methods"):
        names = ", ".join(report["min_count_methods"])
        min_count = f", {names} min_count={report['min_count']}"
    rows_text = (
        f"{data['train_rows']} train / {n_test} test rows"
        if report.get("cv") is None
        else f"{_value(data['train_rows'], '{:.1f}')} train / "
        f"{_value(n_test, '{:.1f}')} test rows per fold"
    )
    lines = [
        f"{data['name']}: {rows_text} ({data['split']}), {data['features']} "
        f"{'sparse ' if data['sparse_features'] else ''}features, "
        f"{data['labels']} labels"
        + (f" ({data['label_source']})" if data.get("label_source") else ""),
        f"base estimator: {report['estimator']['name']} = "
        f"{report['estimator']['description']}, random_state="
        f"{report['random_state']}{min_count}",
        "",
        headers[0].ljust(width0)
        + "".join(h.rjust(w) for h, w in zip(headers[1:], widths, strict=True)),
    ]
    for row in rows:
        if len(row) == 1:  # a section title
            lines.append(row[0])
        elif len(row) == 2 and len(keys) > 1:  # a figure of the data
            lines.append(row[0].ljust(width0) + row[1].center(sum(widths)))
        else:
            lines.append(
                row[0].ljust(width0)
                + "".join(c.rjust(w) for c, w in zip(row[1:], widths, strict=True))
            )
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _leading_number(text) -> float:
    match = re.match(r"\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?)", str(text))
    return float(match.group(1)) if match else np.nan


def _figure(report: dict):
    """The comparison drawn on a matplotlib Figure (Agg canvas)."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError(
            "Plotting needs matplotlib: pip install skmultilabel[plot]"
        ) from exc
    data, methods = report["data"], report["methods"]
    names = [m["title"] for m in methods.values()]
    figure = Figure(figsize=(16, 4.2), layout="constrained")
    FigureCanvasAgg(figure)
    scores_ax, time_ax, sets_ax, labels_ax = figure.subplots(
        1, 4, gridspec_kw={"width_ratios": [2.2, 1, 1.3, 1.8]}
    )
    n = len(names)
    step = 0.8 / n

    def bars(ax, labels, values_by_method, fmt):
        x = np.arange(len(labels))
        for k, (name, values) in enumerate(zip(names, values_by_method, strict=True)):
            drawn = ax.bar(
                x + (k - (n - 1) / 2) * step, values, step, label=name, color=f"C{k}"
            )
            # Side by side, more than three values overlap unless upright.
            ax.bar_label(
                drawn, fmt=fmt, fontsize=7, padding=1, rotation=90 if n > 3 else 0
            )
        ax.set_xticks(x, labels, fontsize=8)
        ax.margins(y=0.15)  # room above the tallest bar for its value
        ax.spines[["top", "right"]].set_visible(False)

    score_labels = [
        "Hamming loss\n(lower better)",
        "subset\naccuracy",
        "F1 micro",
        "F1 macro",
        "F1 samples",
    ]
    bars(
        scores_ax,
        score_labels,
        [[_mean(m[key]) for key in SCORES] for m in methods.values()],
        "%.3f",
    )
    scores_ax.set_ylim(0, 1.05)
    scores_ax.set_title(
        "test scores" + (f", mean of {report['cv']} folds" if report.get("cv") else ""),
        fontsize=10,
    )
    scores_ax.legend(fontsize=8, loc="upper left", frameon=False)

    bars(
        time_ax,
        ["fit", "predict"],
        [
            [_mean(m["fit_seconds"]), _mean(m["predict_seconds"])]
            for m in methods.values()
        ],
        "%.3f",
    )
    time_ax.set_ylabel("seconds", fontsize=8)
    time_ax.set_title("time", fontsize=10)

    # 2**labels overflows a float axis for a few hundred labels: cap the bar.
    summary = _summary_rows(methods, data["test_rows"])
    sets = [
        [
            min(_leading_number(summary.get(row, {}).get(key)), 1e12)
            for row in LABELSET_ROWS
        ]
        for key in methods
    ]
    bars(
        sets_ax,
        ["label sets it\ncan predict", "test rows it\ncannot get right"],
        sets,
        "%d",
    )
    sets_ax.set_yscale("symlog")
    sets_ax.set_ylim(0, 3 * max(1.0, np.nanmax(sets) if np.isfinite(sets).any() else 1))
    sets_ax.set_title(
        f"{data['labels']} labels, {_value(data['label_sets_train'], '{:.0f}')} "
        "label sets in train",
        fontsize=10,
    )
    _per_label_panel(labels_ax, report, names)
    figure.suptitle(
        f"{data['name']}: {', '.join(names)}, base estimator "
        f"{report['estimator']['name']}",
        fontsize=11,
    )
    return figure


def _per_label_panel(ax, report: dict, names: list[str]) -> None:
    """Horizontal bars: each shown label's test F1, one bar per method."""
    methods = list(report["methods"].values())
    shown = [
        label
        for label in _shown_labels(report)
        if all(label in m.get("f1_per_label", {}) for m in methods)
    ]
    y = np.arange(len(shown))
    step = 0.8 / len(methods)
    for k, (name, method) in enumerate(zip(names, methods, strict=True)):
        ax.barh(
            y + (k - (len(methods) - 1) / 2) * step,
            [_mean(method["f1_per_label"][label]) for label in shown],
            step,
            label=name,
            color=f"C{k}",
        )
    ax.set_yticks(y, shown, fontsize=7)
    ax.invert_yaxis()  # the data's label order, top to bottom
    ax.set_xlim(0, 1)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(_per_label_title(report).replace(", the", ":"), fontsize=10)


def plot_report(report: dict, path) -> None:
    """Draw the comparison into an image file (PNG, SVG, PDF...).

    Four panels, one bar per method in each: the test scores, the fit and
    predict times, the label-set figures, and the test F1 of each label by
    its name (the most frequent ones when there are many). Uses matplotlib's Agg canvas,
    so no display is needed and the global pyplot state is left alone.

    Parameters
    ----------
    report : dict
        From :func:`~skmultilabel._compare.compare`.

    path : str or path-like
        The image file; its suffix chooses the format.

    Examples
    --------
    >>> import os, tempfile
    >>> from skmultilabel._compare import compare, load_dataset, plot_report
    >>> report = compare(load_dataset(), "nb")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     plot_report(report, os.path.join(folder, "compare.png"))
    ...     os.listdir(folder)
    ['compare.png']
    """
    _figure(report).savefig(path, dpi=110)
