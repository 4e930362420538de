"""Benchmark families: one module per estimator family, found automatically.

A family module in this folder defines

- ``NAME``: the value of ``--family`` (e.g. ``"br"``), and ``ORDER`` (runs
  and tables sort by it) and ``TITLE`` (one line for ``--help``);
- ``TABLES``: ``{table key: harness.Table}``, how each of its tables is shown
  (contender columns in order, the ``ours/ref`` ratio columns, extra columns);
- ``FLOORS``: a list of ``harness.Floor`` (target ratios and bounds checked
  on every result of a table; pass/MISS is reported, never fails a run);
- ``cases(opts) -> list[harness.Case]``: the grid, quick or full
  (``opts.quick``), each case naming its table, its data (see
  ``benchmarks/data.py``) and its contenders (``Contender(name, make)``:
  ``make()`` returns a fresh model with ``fit``/``predict``/``predict_proba``).

Adding RAkEL, classifier chains or thresholds is adding such a module; the
harness, the report and the command line need no edit. See
``benchmarks/README.md``.
"""

from __future__ import annotations

import importlib
import pkgutil

REQUIRED = ("NAME", "TITLE", "TABLES", "FLOORS", "cases")


def discover() -> dict:
    """``{NAME: module}`` of every family module here, in ``ORDER``."""
    modules = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        missing = [attr for attr in REQUIRED if not hasattr(module, attr)]
        if missing:
            raise TypeError(f"benchmark family {info.name} lacks {', '.join(missing)}")
        modules.append(module)
    modules.sort(key=lambda m: (getattr(m, "ORDER", 50), m.NAME))
    return {m.NAME: m for m in modules}
