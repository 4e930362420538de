"""Timing, memory and floors: the part of the benchmarks no family repeats.

A :class:`Case` is one data set and a list of :class:`Contender` objects.
:func:`run_case` times every contender on it (medians of repeats; in every
repeat each method's calls are cut in slices, the contenders' slices
alternating in a new random order), measures peak memory in a
separate untimed pass (:mod:`tracemalloc`), and returns a :class:`Result`.
A :class:`Floor` is a target ratio (or bound) that a family declares; it is
evaluated on every result of its table by :func:`evaluate_floors`. Timings
never fail a run; a contender of ours (or of scikit-learn) that raises does.
"""

from __future__ import annotations

import gc
import math
import signal
import statistics
import time
import traceback
import tracemalloc
import warnings
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

import numpy as np

METHODS = ("fit", "predict", "predict_proba")
MIB = 2.0**20


@dataclass
class Contender:
    """One column of a table: ``make()`` returns a fresh, unfitted model."""

    name: str
    make: Callable[[], object]
    third_party: bool = False  # a failure is "not runnable", not an error
    timeout: float | None = None


@dataclass
class Case:
    """One row group of a table: data, contenders and what to measure.

    ``contenders(data)`` builds the contenders once the data exist (some need
    the label-set codes). ``table`` names the table the case belongs to; the
    family module describes each table (columns, ratios, floors).
    """

    family: str
    table: str
    name: str
    data: Callable[[], object]
    contenders: Callable[[object], list[Contender]]
    base_name: str
    repeats: int
    sweep: str | None = None  # "samples", "labels", "labelsets" or None
    warmup: bool = True  # an untimed first pass (cheap cases only)
    methods: tuple = METHODS  # timed; "fit" always runs
    memory: tuple = ("predict", "predict_proba")
    blas_threads: int | None = None
    setup: Callable[[list[Contender]], None] | None = None
    verify: Callable[[Case, Result, dict, object], None] | None = None


@dataclass
class Result:
    case: Case
    n_train: int = 0
    n_test: int = 0
    n_labels: int = 0
    n_labelsets: int = 0
    times: dict = field(default_factory=dict)  # contender -> method -> [s]
    memory: dict = field(default_factory=dict)  # contender -> method -> MiB
    status: dict = field(default_factory=dict)  # contender -> "ok" or reason
    timeouts: dict = field(default_factory=dict)  # contender -> method -> text
    checks: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    seconds: float = 0.0


class CallTimeout(Exception):
    pass


@contextmanager
def time_limit(seconds):
    """Raise CallTimeout after ``seconds`` (Python-level code only)."""
    if not seconds or not hasattr(signal, "setitimer"):
        yield
        return

    def handler(signum, frame):
        raise CallTimeout()

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def call(model, method, data, train):
    """``model.fit(X, Y)`` or ``model.<method>(X_test)``."""
    if method == "fit":
        return model.fit(data.X, data.Y)
    return getattr(model, method)(data.X if train else data.X_test)


def _seconds(model, method, data, number, timeout):
    """Seconds taken by ``number`` calls of ``model.method``."""
    with time_limit(timeout):
        start = time.perf_counter()
        for _ in range(number):
            call(model, method, data, train=False)
        return time.perf_counter() - start


# A timing's calls are cut into this many slices, alternated between the
# contenders (see _Runner.one_pass).
SLICES = 5


def _slices(number: int, n_slices: int) -> list:
    """``number`` calls in at most ``n_slices`` slices of (nearly) equal size."""
    n_slices = max(1, min(number, n_slices))
    return [number // n_slices + (i < number % n_slices) for i in range(n_slices)]


def peak_mib(function, timeout=None) -> float:
    """Peak of traced memory allocated while ``function`` runs, in MiB.

    The peak minus what was traced when the call began: the call's own
    temporaries and its output. Allocations made by compiled libraries
    outside Python's allocators (BLAS, liblinear work space) are not seen.
    """
    gc.collect()
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        with time_limit(timeout):
            function()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return (peak - start) / MIB


def memory_methods(cheap):
    """fit memory needs one more fit: measured on cheap cases only."""
    return METHODS if cheap else ("predict", "predict_proba")


def reason(exc) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:120] if text else ''}"


def _fail(result, contender, what, exc, detail):
    """Record a contender that raised: an error unless it is third-party."""
    if not contender.third_party:
        result.errors.append(
            f"{result.case.name} / {contender.name} / {what}: {detail}"
        )
    return "not runnable: " + reason(exc)


class _Runner:
    """The passes of one case; ``dead`` carries time-outs across a sweep."""

    def __init__(self, case, contenders, opts, dead, data):
        self.case, self.contenders, self.opts, self.dead = case, contenders, opts, dead
        self.data = data
        self.methods = ("fit",) + tuple(m for m in case.methods if m != "fit")
        self.result = Result(
            case,
            n_train=data.Y.shape[0],
            n_test=data.X_test.shape[0],
            n_labels=data.Y.shape[1],
            n_labelsets=int(np.unique(data.Y, axis=0).shape[0]),
        )
        for c in contenders:
            self.result.times[c.name] = {m: [] for m in case.methods}
            self.result.memory[c.name] = {}
            self.result.status[c.name] = "ok"
        self.number = {c.name: dict.fromkeys(self.methods, 1) for c in contenders}
        self.models = {}
        # A new random order of the contenders in every pass. (A rotation
        # keeps the same neighbours: whoever follows scikit-multilearn, which
        # leaves much freed memory behind, would always pay for it.)
        self.rng = np.random.default_rng(0)

    def _skips(self, c):
        skip = self.result.timeouts.setdefault(c.name, {})
        for method in self.methods:
            key = (self.case.family, self.case.sweep, c.name, method)
            if key in self.dead and method not in skip:
                skip[method] = self.dead[key]
        return skip

    def _timed_out(self, c, method, skip):
        skip[method] = f"> {c.timeout:g} s"
        if self.case.sweep:
            for m in self.methods[self.methods.index(method) :]:
                key = (self.case.family, self.case.sweep, c.name, m)
                self.dead[key] = "skipped (timed out on a smaller case)"

    def one_pass(self, record):
        """Every contender's calls of each method, in a new random order.

        A method's calls are timed in up to ``SLICES`` slices per contender,
        the contenders' slices alternating (A B C A B C ...): on a machine
        whose speed drifts within a second, each contender then sees the
        same machine, and a ratio of two of them keeps what they differ by.
        """
        result = self.result
        order = [self.contenders[i] for i in self.rng.permutation(len(self.contenders))]
        live = {}
        for c in order:
            skip = self._skips(c)
            if result.status[c.name] == "ok" and "fit" not in skip:
                live[c.name] = (c, c.make(), skip)
        for method in self.methods:
            running = []
            for c, model, skip in live.values():
                if method in skip:
                    continue
                if not hasattr(model, method):
                    skip[method] = "n/a"
                    continue
                running.append((c, model, skip))
            seconds = self._interleaved(running, method, live)
            for name, value in seconds.items():
                if record and method in self.case.methods:
                    result.times[name][method].append(value)
                elif not record:
                    result.times[name].setdefault(f"warmup_{method}", value)
        self.models.update({name: model for name, (_, model, _) in live.items()})

    def _interleaved(self, running, method, live) -> dict:
        """Seconds per call of ``method`` for each contender in ``running``,
        their slices of calls alternating; a contender that fails or times
        out leaves ``live`` (a failure also ends it for this case)."""
        result = self.result
        slices = {
            c.name: _slices(self.number[c.name][method], SLICES) for c, _, _ in running
        }
        elapsed = dict.fromkeys(slices, 0.0)
        gc.collect()
        for k in range(max((len(v) for v in slices.values()), default=0)):
            for c, model, skip in list(running):
                if k >= len(slices[c.name]):
                    continue
                try:
                    elapsed[c.name] += _seconds(
                        model, method, self.data, slices[c.name][k], c.timeout
                    )
                except CallTimeout:
                    self._timed_out(c, method, skip)
                    running.remove((c, model, skip))
                    del elapsed[c.name]
                    if method == "fit":
                        del live[c.name]
                except Exception as exc:  # noqa: BLE001
                    detail = traceback.format_exc()
                    result.status[c.name] = _fail(result, c, method, exc, detail)
                    running.remove((c, model, skip))
                    del elapsed[c.name], live[c.name]
        return {name: t / self.number[name][method] for name, t in elapsed.items()}

    def calibrate(self):
        """A call faster than ``min_call`` is repeated so that each timing
        is long enough to measure; the time per call is reported."""
        for name, t in self.result.times.items():
            for method in self.methods:
                first = t.pop(f"warmup_{method}", None)
                if first is not None:
                    self.number[name][method] = max(
                        1, math.ceil(self.opts.min_call / max(first, 1e-6))
                    )

    def memory_pass(self):
        result, data = self.result, self.data
        for c in self.contenders:
            if result.status[c.name] != "ok" or c.name not in self.models:
                continue
            for method in self.case.memory:
                if method in result.timeouts.get(c.name, {}):
                    continue
                model = c.make() if method == "fit" else self.models[c.name]
                if not hasattr(model, method):
                    continue
                try:
                    result.memory[c.name][method] = peak_mib(
                        lambda m=method, model=model: call(model, m, data, False),
                        c.timeout,
                    )
                except Exception as exc:  # noqa: BLE001
                    result.memory[c.name][method] = None
                    _fail(result, c, f"memory of {method}", exc, reason(exc))


def run_case(case: Case, data, opts, dead: dict) -> Result:
    """Time and measure every contender of ``case`` on ``data``."""
    started = time.perf_counter()
    contenders = case.contenders(data)
    runner = _Runner(case, contenders, opts, dead, data)
    # BLAS and OpenMP pools are limited (1 thread by default): OpenBLAS
    # threads spin-wait, and on a shared, oversubscribed machine a 20 ms fit
    # can then take 700 ms, which would measure the machine, not the code.
    threads = nullcontext()
    limit = case.blas_threads or opts.blas_threads
    if limit:
        from threadpoolctl import threadpool_limits

        threads = threadpool_limits(limit)
    with threads, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if case.setup is not None:
            case.setup(contenders)
        if case.warmup:
            runner.one_pass(record=False)
            runner.calibrate()
        for _ in range(case.repeats):
            runner.one_pass(record=True)
        runner.memory_pass()
        if case.verify is not None:
            case.verify(case, runner.result, runner.models, data)
    runner.result.seconds = time.perf_counter() - started
    return runner.result


def fmt_time(seconds):
    if seconds is None:
        return "-"
    if seconds >= 10:
        return f"{seconds:.1f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1e3:.3g} ms"


def fmt_ratio(value):
    return "-" if value is None else f"{value:.2f}x" if value < 100 else f"{value:.0f}x"


# --------------------------------------------------------------------------
# Ratios and floors
# --------------------------------------------------------------------------


def median(values):
    return statistics.median(values) if values else None


def per_repeat(result, a, b, method):
    """time(a) / time(b) in each repeat, or None when either is missing."""
    ta = result.times.get(a, {}).get(method)
    tb = result.times.get(b, {}).get(method)
    if not ta or not tb or len(ta) != len(tb):
        return None
    return [x / y for x, y in zip(ta, tb, strict=True)]


def spread_of(ratios):
    """(min, max) of per-repeat ratios, or None."""
    return None if ratios is None else (min(ratios), max(ratios))


def ratio_median(result, a, b, method):
    """Median over repeats of time(a) / time(b), each ratio within a repeat."""
    ratios = per_repeat(result, a, b, method)
    return None if ratios is None else statistics.median(ratios)


@dataclass(eq=False)  # hashed by identity: a key of the summary
class Floor:
    """A target a family declares: ``value(result, method)`` against ``limit``.

    ``applies(result)`` selects the cases it is checked on; ``unit`` is
    ``"x"`` (a ratio), ``"%"`` or ``"MiB"``; ``spread(result, method)``
    optionally gives the (min, max) over repeats.
    """

    title: str
    table: str
    methods: tuple
    value: Callable[[Result, str], float | None]
    limit: float | Callable[[Result], float]
    higher_is_better: bool = False
    unit: str = "x"
    applies: Callable[[Result], bool] = lambda result: True
    spread: Callable[[Result, str], tuple | None] | None = None


def ratio_floor(table, ours, ref, limit, methods=METHODS, **kwargs) -> Floor:
    """``time(ours) / time(ref) <= limit``, median over repeats."""

    def spread(result, method):
        return spread_of(per_repeat(result, ours, ref, method))

    return Floor(
        f"{ours} <= {limit}x {ref}",
        table,
        methods,
        lambda result, method: ratio_median(result, ours, ref, method),
        limit,
        spread=spread,
        **kwargs,
    )


@dataclass
class Check:
    floor: Floor
    result: Result
    method: str
    value: float
    limit: float

    @property
    def passed(self) -> bool:
        if self.floor.higher_is_better:
            return self.value >= self.limit
        return self.value <= self.limit


def evaluate_floors(floors, results) -> list[Check]:
    checks = []
    for floor in floors:
        for result in results:
            if result.case.table != floor.table or not floor.applies(result):
                continue
            for method in floor.methods:
                value = floor.value(result, method)
                if value is None:
                    continue
                limit = floor.limit(result) if callable(floor.limit) else floor.limit
                checks.append(Check(floor, result, method, value, limit))
    return checks


@dataclass
class Table:
    """How a family shows one of its tables.

    ``columns`` are contender names in display order; ``refs`` the contenders
    ``ours`` is divided by (one ``ours/ref`` column each); ``extra`` maps a
    column title to ``function(result) -> str`` (e.g. the label-set count).
    """

    title: str
    ours: str
    columns: tuple
    refs: tuple = ()
    extra: dict = field(default_factory=dict)
    note: str = ""
