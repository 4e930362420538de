"""Docstring pieces shared by the estimators, written once.

A docstring names a piece on a line of its own, ``%(name)s``; the decorator
:func:`fill_doc` replaces that line with the piece, indented as the line was
(as imbalanced-learn's ``Substitution`` does, but indentation-aware, so one
piece serves class and method docstrings alike).
"""

from __future__ import annotations

import re
import textwrap

__all__ = ["DOCS", "fill_doc"]

DOCS = {
    "estimator": """
        estimator : classifier, default=None
            The base classifier, cloned for every model fitted. ``None``
            means ``LogisticRegression()``; pass it explicitly to tune it
            (``estimator__C`` in a grid search). It must implement ``fit``
            and ``predict``; the other prediction methods exist here only
            when it offers what they need.
        """,
    "n_jobs": """
        n_jobs : int, default=None
            Number of jobs fitting and predicting the members in parallel
            through joblib. ``None`` means 1 unless in a
            :func:`joblib.parallel_config` context, so any joblib backend
            (threads, processes, dask for a cluster) applies. ``-1`` means
            all processors. See :ref:`parallel fits <parallel_fits>`.
        """,
    "verbose": """
        verbose : int, default=0
            Progress reports: with ``verbose > 0`` one line per model fitted,
            ``[ClassName] fitted <model> k/n (elapsed s)`` (a label for binary
            relevance, a member for RAkEL), whatever the backend.
        """,
    "random_state": """
        random_state : int, RandomState instance or None, default=None
            Controls the randomness of the model. Pass an int for
            reproducible output across multiple function calls. See
            :term:`Glossary <random_state>`.
        """,
    "fitted_features": """
        n_features_in_ : int
            Number of features seen during fit (when ``X`` has a shape).

        feature_names_in_ : ndarray of shape (n_features_in_,)
            Names of features seen during fit, when ``X`` has string column
            names.

        label_names_in_ : ndarray of shape (n_labels,)
            Names of the labels seen during fit, when ``y`` is a DataFrame
            with string column names (as from ``fetch_mulan(...,
            as_frame=True)``); absent otherwise. ``predict`` still returns
            arrays, column ``j`` being label ``label_names_in_[j]``.
        """,
    "X": """
        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, in any form the base estimator accepts.
        """,
    "fit_parameters": """
        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, in any form the base estimator accepts.

        y : {array-like, sparse matrix} of shape (n_samples, n_labels) or \
                (n_samples,)
            A 0/1 label indicator, or a 1-D single-label target (the model
            is then one clone of the base and behaves exactly as it does).

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights, passed to the base estimator's ``fit``. With
            metadata routing enabled the base must request it.

        **fit_params : dict
            Further parameters for the base estimator's ``fit``; with
            metadata routing enabled, only those the base requests.
        """,
    "single_label": """
        For a 1-D training ``y``, the base's own output.
        """,
}


def _piece(name: str, indent: str) -> str:
    return textwrap.indent(textwrap.dedent(DOCS[name]).strip("\n"), indent)


def fill_doc(obj):
    """Replace each ``%(name)s`` line of ``obj.__doc__`` by a shared piece.

    Parameters
    ----------
    obj : class or function
        Its docstring is filled in place (nothing happens under ``-OO``).

    Returns
    -------
    obj : class or function
        The same object.

    Examples
    --------
    >>> from skmultilabel._docstrings import fill_doc
    >>> @fill_doc
    ... def f(X):
    ...     '''Do something.
    ...
    ...     %(X)s
    ...     '''
    >>> print(f.__doc__.splitlines()[4].strip())
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
    """
    if obj.__doc__:
        obj.__doc__ = re.sub(
            r"^([ \t]*)%\((\w+)\)s[ \t]*$",
            lambda m: _piece(m.group(2), m.group(1)),
            obj.__doc__,
            flags=re.MULTILINE,
        )
    return obj
