"""Speed and memory benchmarks of skmultilabel against the alternatives.

Run from the repository root: ``python -m benchmarks [--quick] [--family br]``
(or ``python benchmarks/run.py``, the same). Layout: ``harness.py`` (timing,
memory, floors), ``data.py`` (synthetic grids, the real sets through
``skmultilabel.datasets``), ``families/`` (one module per estimator family),
``report.py`` (tables, JSON, plot), ``cli.py``. See ``benchmarks/README.md``.
"""
