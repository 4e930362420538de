"""Fitting and predicting the members of a model in parallel.

:class:`ParallelMembersMixin` gives an estimator ``n_jobs`` and ``verbose``
and one method, :meth:`~ParallelMembersMixin._map`, that runs a function
over the members (labels, label subsets, links of a chain...) in a loop or
through joblib, reporting progress per member.

Threads or processes: a process has to receive ``X`` (joblib writes an
array over 1 MB to a memory-mapped file on every call: for 80 MB that cost
a third of the gain of a second core). Threads share ``X`` for free and
scale as well when the base's fit runs outside the GIL, as the compiled
code of scikit-learn's linear models, SVMs, trees, naive Bayes and
neighbours does. :func:`prefer_for` picks threads for those bases and
leaves other bases (pure-Python steps such as text vectorizers) to
processes; a :func:`joblib.parallel_config` of the caller always wins.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from numbers import Integral

import joblib
from joblib import effective_n_jobs
from sklearn.pipeline import Pipeline
from sklearn.utils.parallel import Parallel, delayed
from threadpoolctl import ThreadpoolController

__all__ = ["ParallelMembersMixin", "prefer_for", "same_type"]

# Families of scikit-learn estimators whose fit spends its time in compiled
# code or BLAS calls that release the GIL.
_NOGIL_FAMILIES = frozenset(
    f"sklearn.{name}"
    for name in (
        "discriminant_analysis",
        "dummy",
        "ensemble",
        "linear_model",
        "naive_bayes",
        "neighbors",
        "neural_network",
        "preprocessing",
        "svm",
        "tree",
    )
)


def prefer_for(estimator) -> str:
    """joblib's ``prefer`` for fitting clones of ``estimator``.

    Parameters
    ----------
    estimator : estimator
        The base estimator (a :class:`~sklearn.pipeline.Pipeline` is judged
        by its steps).

    Returns
    -------
    prefer : {"threads", "processes"}
        ``"threads"`` when every part of ``estimator`` is from a family of
        scikit-learn whose fit releases the GIL, else ``"processes"``.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.feature_extraction.text import TfidfVectorizer
    >>> from sklearn.pipeline import make_pipeline
    >>> from skmultilabel._parallel import prefer_for
    >>> prefer_for(LogisticRegression())
    'threads'
    >>> prefer_for(make_pipeline(TfidfVectorizer(), LogisticRegression()))
    'processes'
    """
    if isinstance(estimator, Pipeline):
        parts = [
            step for _, step in estimator.steps if step not in (None, "passthrough")
        ]
    else:
        parts = [estimator]
    if all(
        not isinstance(part, Pipeline)
        and ".".join(type(part).__module__.split(".")[:2]) in _NOGIL_FAMILIES
        for part in parts
    ):
        return "threads"
    return "processes"


_controller = None


# joblib (>= 1.3) keeps the active parallel_config per thread, and this
# very object when none is active. joblib's own backends all count
# n_jobs=None as 1 (one registered by the user, as the default or under
# their names, may count otherwise). Another joblib: no shortcut.
_JOBLIB = joblib.parallel
_JOBLIB_STATE = getattr(_JOBLIB, "_backend", None)
_NO_CONFIG = getattr(_JOBLIB, "default_parallel_config", None)
try:
    from joblib._parallel_backends import (
        LokyBackend,
        MultiprocessingBackend,
        ThreadingBackend,
    )

    _OWN_BACKENDS = frozenset((LokyBackend, MultiprocessingBackend, ThreadingBackend))
except ImportError:  # pragma: no cover
    _OWN_BACKENDS = frozenset()
_SHORTCUT = bool(
    _JOBLIB_STATE is not None
    and _NO_CONFIG is not None
    and hasattr(_JOBLIB, "DEFAULT_BACKEND")
    and _OWN_BACKENDS
)


def _effective_n_jobs(n_jobs) -> int:
    """``joblib.effective_n_jobs(n_jobs)``, at once for ``n_jobs=None``
    outside any :func:`joblib.parallel_config` with joblib's own default
    backend, where it is 1: joblib builds a backend on every call, 6 µs of
    a prediction of two small members in the flow of the call (measured)."""
    if (
        n_jobs is None
        and _SHORTCUT
        and getattr(_JOBLIB_STATE, "config", _NO_CONFIG) is _NO_CONFIG
        and _JOBLIB.BACKENDS.get(_JOBLIB.DEFAULT_BACKEND) in _OWN_BACKENDS
    ):
        return 1
    return effective_n_jobs(n_jobs)


def _limit_inner_threads(n_jobs: int):
    """Cap BLAS and OpenMP threads at ``cpu_count // n_jobs`` while threads
    run the members, as joblib does for its worker processes; two threads
    each running BLAS on every core would oversubscribe the machine."""
    global _controller
    if _controller is None:
        _controller = ThreadpoolController()
    return _controller.limit(limits=max(1, (os.cpu_count() or 1) // n_jobs))


# joblib >= 1.3 can hand results back as they come, in order, so progress is
# reported per member by this process whatever the backend.
_GENERATOR = tuple(int(p) for p in joblib.__version__.split(".")[:2]) >= (1, 3)


class ParallelMembersMixin:
    """``n_jobs``, ``verbose`` and a parallel map over the members.

    Put it to the left of the estimator's base class and merge its
    constraints: ``_parameter_constraints = {**Base._parameter_constraints,
    **ParallelMembersMixin._parameter_constraints}``. The estimator's
    ``__init__`` stores ``n_jobs`` and ``verbose``.
    """

    _parameter_constraints: dict = {
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    }

    def _map(
        self,
        function: Callable,
        items: Iterable,
        n_tasks: int,
        what: str,
        *shared,
        prefer: str | None = None,
        names=None,
        into: Callable | None = None,
    ) -> list | None:
        """``[function(item, *shared) for item in items]``, in parallel if asked.

        Parameters
        ----------
        function : callable
            Called as ``function(item, *shared)``; picklable when a process
            backend may run it.
        items : iterable
            One item per member, consumed lazily.
        n_tasks : int
            Number of items, for progress reports.
        what : str
            Progress text, e.g. ``"fitted label"``: with ``verbose`` a line
            ``[Class] fitted label k/n_tasks (elapsed s)`` per member.
        *shared
            Large arguments common to every task (``X``): passed to the
            backend once (loky memory-maps them, dask scatters them), not
            captured by ``function``.
        prefer : {"threads", "processes"} or None
            joblib's soft hint; a :func:`joblib.parallel_config` of the
            caller wins. ``"threads"`` suits short tasks (predictions) and
            bases that release the GIL (see :func:`prefer_for`); with it,
            BLAS and OpenMP threads are capped as joblib caps processes'.
        names : sequence of str, optional
            A name per item (label names), quoted in the error raised when
            ``function`` fails on an item.
        into : callable, optional
            Called as ``into(k, result)`` for the ``k``-th result as it
            arrives, in order, instead of keeping the results: memory then
            holds a few results at a time, not all of them (joblib >= 1.3).

        Returns
        -------
        results : list or None
            ``function``'s results, in the order of ``items``; None with
            ``into``.

        Raises
        ------
        Exception
            When ``function`` fails on an item: an exception of the same
            type (``RuntimeError`` if that type cannot be built from a
            message) naming the item by its index, and its name when
            ``names`` gives one, raised ``from`` the original. The member's
            noun is the last word of ``what`` (``"fitted label"``: label).
        """
        n_jobs = _effective_n_jobs(self.n_jobs)
        if n_jobs == 1 and not self.verbose and into is None:
            # The plain loop: a prediction of a few small members would
            # spend a tenth of its time in the generator and its checks.
            results = []
            for k, item in enumerate(items):
                try:
                    results.append(function(item, *shared))
                except Exception as exc:
                    raise self._failure(exc, k, n_tasks, what, names) from exc
            return results
        call = _MemberCall(function)
        if n_jobs == 1:
            return self._collect(
                (call(item, *shared) for item in items), n_tasks, what, names, into
            )
        parallel = Parallel(
            n_jobs=self.n_jobs,
            prefer=prefer,
            # With into, one member per task: joblib's automatic batches of
            # fast tasks would hold hundreds of results at a time.
            batch_size="auto" if into is None else 1,
            **({"return_as": "generator"} if _GENERATOR else {}),
        )
        limit = _limit_inner_threads(n_jobs) if prefer == "threads" else nullcontext()
        with limit:
            return self._collect(
                parallel(delayed(call)(item, *shared) for item in items),
                n_tasks,
                what,
                names,
                into,
            )

    def _collect(
        self, results, n_tasks: int, what: str, names=None, into=None
    ) -> list | None:
        """The results as a list (or each given to ``into``); with
        ``verbose`` one line per member. A failed member raises, naming it."""
        out = []
        keep = out.append if into is None else None
        start = time.perf_counter()
        k = 0  # not enumerate: its reused tuple would hold the last result
        for result in results:
            if isinstance(result, _Failure):
                _stop(results)
                raise self._failure(result.exc, k, n_tasks, what, names) from result.exc
            if keep is None:
                into(k, result)
            else:
                keep(result)
            del result  # not held while the next one is computed
            k += 1
            if self.verbose:
                print(
                    f"[{type(self).__name__}] {what} {k}/{n_tasks} "
                    f"({time.perf_counter() - start:.1f}s)",
                    flush=True,
                )
        return out if into is None else None

    def _failure(self, exc, k: int, n_tasks: int, what: str, names) -> Exception:
        """The error naming member ``k``, of ``exc``'s type (see :meth:`_map`)."""
        name = f" ({names[k]!r})" if names is not None else ""
        return same_type(
            exc,
            f"{type(self).__name__}: the base estimator failed on "
            f"{what.split()[-1]} {k}{name} (index from 0, of {n_tasks}): "
            f"{type(exc).__name__}: {exc}",
        )


class _MemberCall:
    """``function(item, *shared)``, returning a :class:`_Failure` instead of
    raising, so that the caller raises it ``from`` the original exception
    (joblib would replace the cause by its remote traceback).

    A class, not a closure, so that a process backend can pickle it. Its
    attribute is private: joblib's wrappers copy a callable's ``__dict__``
    onto themselves (``functools.update_wrapper``), and a public name such
    as ``function`` would replace theirs.
    """

    def __init__(self, function):
        self._member_function = function

    def __call__(self, item, *shared):
        try:
            return self._member_function(item, *shared)
        except Exception as exc:
            return _Failure(exc)


class _Failure:
    """The exception a member's task raised, handed back as its result."""

    def __init__(self, exc: Exception):
        self.exc = exc


def _stop(results) -> None:
    """Cancel the members still running: the model fails anyway, and
    joblib's warning that it cancelled them would only add noise."""
    close = getattr(results, "close", None)
    if close is not None:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "[0-9]+ tasks which were still")
            close()


def same_type(exc: Exception, message: str) -> Exception:
    """An exception of ``exc``'s type carrying ``message``; a RuntimeError
    when that type cannot be built from a message alone."""
    try:
        new = type(exc)(message)
    except Exception:
        return RuntimeError(message)
    return new if new.args == (message,) else RuntimeError(message)
