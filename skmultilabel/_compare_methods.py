"""The columns of ``skmultilabel compare``: base estimators and the methods.

Every public estimator in ``skmultilabel.__all__`` is a source of columns:

* ``_compare_columns``, a class attribute defined on the class itself (not
  inherited): ``{column title: constructor parameters}``. Absent: one column
  titled from the class name (``FooBarClassifier`` -> ``"foo bar"``), no
  extra parameters. ``{}``: the class gives no column (a wrapper of a
  multi-label model, say).
* ``_compare_summary(self) -> dict[str, str]``, a method of the fitted model:
  extra table rows (row title -> cell text).

Each column is the class built with, in this order (later wins): the CLI's
base estimator as ``estimator``, ``random_state``, ``min_count`` (only when
given) and ``verbose`` (when progress is shown), each only when the class's
``__init__`` takes that parameter, then the column's own parameters.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field

#: Base estimators offered by name: (description, needs dense X).
ESTIMATORS = {
    "logistic": ("StandardScaler + LogisticRegression(max_iter=1000)", False),
    "tree": ("DecisionTreeClassifier()", False),
    "forest": ("RandomForestClassifier(n_estimators=100)", False),
    "knn": ("StandardScaler + KNeighborsClassifier(n_neighbors=5)", False),
    "nb": ("GaussianNB()", True),
    "svc": ("StandardScaler + SVC(kernel='rbf')", False),
}


def make_estimator(name, *, sparse=False, random_state=0):
    """A fresh base estimator by its short name (see ``ESTIMATORS``).

    Features are standardised (without centring for sparse ``X``) for the
    estimators whose results depend on the scale of the features.

    Parameters
    ----------
    name : {"logistic", "tree", "forest", "knn", "nb", "svc"}
        The base estimator.

    sparse : bool, default=False
        Whether ``X`` is a sparse matrix.

    random_state : int, default=0
        Seed of the estimators that draw random numbers.

    Returns
    -------
    estimator : classifier
        An unfitted scikit-learn classifier or pipeline.

    Examples
    --------
    >>> from skmultilabel._compare_methods import make_estimator
    >>> make_estimator("tree", random_state=1)
    DecisionTreeClassifier(random_state=1)
    """
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC
    from sklearn.tree import DecisionTreeClassifier

    if name not in ESTIMATORS:
        raise ValueError(
            f"Unknown estimator {name!r}; choose one of {', '.join(ESTIMATORS)}."
        )
    if sparse and ESTIMATORS[name][1]:
        raise ValueError(
            f"The {name!r} estimator needs dense features, and these are "
            f"sparse; choose one of "
            f"{', '.join(n for n, (_, dense) in ESTIMATORS.items() if not dense)}."
        )

    def scaled(estimator):
        return make_pipeline(StandardScaler(with_mean=not sparse), estimator)

    return {
        "logistic": lambda: scaled(
            LogisticRegression(max_iter=1000, random_state=random_state)
        ),
        "tree": lambda: DecisionTreeClassifier(random_state=random_state),
        "forest": lambda: RandomForestClassifier(random_state=random_state),
        "knn": lambda: scaled(KNeighborsClassifier()),
        "nb": lambda: GaussianNB(),
        "svc": lambda: scaled(SVC(random_state=random_state)),
    }[name]()


@dataclass(frozen=True)
class Method:
    """One column of the comparison: a public estimator class and parameters."""

    title: str
    cls: type
    params: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The column's key in the JSON report: its title in snake case."""
        return re.sub(r"[^0-9a-z]+", "_", self.title.lower()).strip("_")

    def takes(self, parameter: str) -> bool:
        """Whether the class's ``__init__`` takes ``parameter``."""
        return parameter in inspect.signature(self.cls.__init__).parameters

    def build(self, base, *, random_state=None, min_count=None, verbose=0):
        """The unfitted model of this column over the base estimator."""
        given = {
            "estimator": base,
            "random_state": random_state,
            "min_count": min_count,
            "verbose": verbose or None,
        }
        params = {k: v for k, v in given.items() if v is not None and self.takes(k)}
        return self.cls(**{**params, **self.params})

    def suits(self, *, sparse: bool) -> str | None:
        """Why this column does not suit the data, or None when it does."""
        if sparse:
            try:
                accepts = self.cls(**self.params).__sklearn_tags__().input_tags.sparse
            except (TypeError, ValueError, AttributeError):
                accepts = True  # tags not computable unfitted: let fit decide
            if not accepts:
                return "it does not take sparse features"
        return None


def _title(cls: type) -> str:
    """``BinaryRelevanceClassifier`` -> ``"binary relevance"``."""
    name = re.sub(r"Classifier$", "", cls.__name__) or cls.__name__
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", name)
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)


def method_registry() -> list[Method]:
    """Every column the public estimators offer, in ``__all__`` order.

    Returns
    -------
    methods : list of Method

    Examples
    --------
    >>> from skmultilabel._compare_methods import method_registry
    >>> [method.title for method in method_registry()][:2]
    ['binary relevance', 'label powerset']
    """
    from sklearn.base import BaseEstimator

    import skmultilabel

    methods, seen = [], {}
    for name in skmultilabel.__all__:
        cls = getattr(skmultilabel, name, None)
        if not (isinstance(cls, type) and issubclass(cls, BaseEstimator)):
            continue
        columns = vars(cls).get("_compare_columns")
        if columns is None:
            columns = {_title(cls): {}}
        for title, params in columns.items():
            method = Method(title, cls, dict(params))
            if method.key in seen:
                raise ValueError(
                    f"Two compare columns titled {title!r}: from "
                    f"{seen[method.key].__name__} and {cls.__name__}."
                )
            seen[method.key] = cls
            methods.append(method)
    return methods


def select_methods(names=None, *, sparse=False, note=None) -> list[Method]:
    """The columns to compare: those named, or every one that suits the data.

    Parameters
    ----------
    names : list of str, default=None
        Column titles, their JSON keys or class names (a class name stands
        for all its columns), case-insensitive. None: every column that
        suits the data.

    sparse : bool, default=False
        Whether the features are sparse.

    note : callable, default=None
        Called with a message for each column left out of the default set.

    Returns
    -------
    methods : list of Method

    Examples
    --------
    >>> from skmultilabel._compare_methods import select_methods
    >>> [m.key for m in select_methods(["Label powerset"])]
    ['label_powerset']
    """
    registry = method_registry()
    if names is None:
        chosen = []
        for method in registry:
            reason = method.suits(sparse=sparse)
            if reason is None:
                chosen.append(method)
            elif note is not None:
                note(f"{method.title} left out: {reason}")
        if not chosen:
            raise ValueError("No method suits this data.")
        return chosen
    chosen = []
    for name in names:
        wanted = name.strip().lower()
        matches = [
            m
            for m in registry
            if wanted in (m.title.lower(), m.key, m.cls.__name__.lower())
        ]
        if not matches:
            raise ValueError(
                f"Unknown method {name!r}; choose among "
                f"{', '.join(repr(m.key) for m in registry)}."
            )
        for method in matches:
            reason = method.suits(sparse=sparse)
            if reason is not None:
                raise ValueError(f"{method.title} does not suit this data: {reason}.")
            if method not in chosen:
                chosen.append(method)
    return chosen
