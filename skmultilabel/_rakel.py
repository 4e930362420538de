"""RAkEL: an ensemble of label powersets over random k-label subsets."""

from __future__ import annotations

import dataclasses
import itertools
import math
import threading
from contextlib import contextmanager
from numbers import Integral, Real

import numpy as np
from sklearn.base import clone
from sklearn.utils import check_random_state

from ._base import BaseMultiLabelClassifier, feature_attributes, row_blocks
from ._binary_relevance import _aligned, _column_counts
from ._compat import Interval, _num_samples
from ._docstrings import fill_doc
from ._label_powerset import LabelPowersetClassifier, _many_rare_each
from ._labelsets import encode_subsets, marginals
from ._parallel import ParallelMembersMixin, prefer_for
from ._target import indicator_classes
from ._warnings import warn
from .exceptions import ConstantLabelWarning, RareLabelsetWarning

# Largest seed drawn for a member's base (as scikit-learn's bagging does).
_MAX_SEED = np.iinfo(np.int32).max


def label_subsets(n_labels, labelset_size, n_estimators, disjoint, random_state):
    """The label subsets of RAkEL, one sorted int array per member.

    Let ``k = min(labelset_size, n_labels)``. With ``disjoint=True``
    (RAkEL-d) the labels are shuffled and cut into ``ceil(n_labels / k)``
    consecutive groups of ``k`` (the last one smaller when ``k`` does not
    divide ``n_labels``). With ``disjoint=False`` (RAkEL-o) there are
    ``m = min(n_estimators, C(n_labels, k))`` distinct subsets of exactly
    ``k`` labels (``n_estimators=None`` means ``2 * n_labels``), and the
    coverage rule is: the first ``ceil(n_labels / k)`` subsets are the groups
    of RAkEL-d, the last group filled up to ``k`` labels with labels drawn at
    random from the other groups, so every label is in at least one subset;
    the other ``m - ceil(n_labels / k)`` are drawn uniformly at random,
    without repetition, from the k-subsets not yet chosen.

    Parameters
    ----------
    n_labels : int
        Number of labels, at least 1.

    labelset_size : int
        ``k``, at least 1.

    n_estimators : int or None
        Number of subsets of RAkEL-o; must be ``None`` for RAkEL-d.

    disjoint : bool
        RAkEL-d (True) or RAkEL-o (False).

    random_state : int, RandomState instance or None
        Seed of the draws.

    Returns
    -------
    subsets : list of ndarray of int
        Sorted label indices of each member.

    Examples
    --------
    >>> from skmultilabel._rakel import label_subsets
    >>> [s.tolist() for s in label_subsets(5, 2, None, True, 0)]
    [[0, 2], [1, 3], [4]]
    >>> len(label_subsets(5, 2, None, False, 0))
    10
    """
    rng = check_random_state(random_state)
    k = min(labelset_size, n_labels)
    n_cover = -(-n_labels // k)
    if disjoint and n_estimators is not None:
        raise ValueError(
            "n_estimators applies to RAkEL-o (disjoint=False) only: RAkEL-d "
            f"has ceil(n_labels / labelset_size) = {n_cover} members. Leave "
            f"n_estimators=None with disjoint=True; got {n_estimators}."
        )
    n_possible = math.comb(n_labels, k)
    n_members = (
        n_cover
        if disjoint
        else min(2 * n_labels if n_estimators is None else n_estimators, n_possible)
    )
    if n_members < n_cover:
        raise ValueError(
            f"n_estimators={n_estimators} subsets of {k} labels cannot cover "
            f"all {n_labels} labels; RAkEL-o needs at least ceil(n_labels / "
            f"labelset_size) = {n_cover}."
        )
    order = rng.permutation(n_labels)
    groups = [order[start : start + k] for start in range(0, n_labels, k)]
    if not disjoint and groups[-1].size < k:
        others = order[: (n_cover - 1) * k]
        fill = rng.choice(others, k - groups[-1].size, replace=False)
        groups[-1] = np.concatenate([groups[-1], fill])
    chosen = [tuple(sorted(group.tolist())) for group in groups]
    n_more = n_members - len(chosen)
    if n_more and n_possible <= 4 * n_members:
        # Few subsets exist: list those not chosen yet and draw from them.
        taken = set(chosen)
        rest = [c for c in itertools.combinations(range(n_labels), k) if c not in taken]
        chosen += [
            rest[i] for i in sorted(rng.choice(len(rest), n_more, replace=False))
        ]
    elif n_more:
        # Many exist (a draw is taken at most a quarter of the time): redraw.
        taken = set(chosen)
        while len(chosen) < n_members:
            draw = tuple(sorted(rng.choice(n_labels, k, replace=False).tolist()))
            if draw not in taken:
                taken.add(draw)
                chosen.append(draw)
    return [np.array(subset, dtype=np.intp) for subset in chosen]


_thread = threading.local()


@contextmanager
def _random_state(random_state):
    """``check_random_state(random_state)``, for the draws of one fit.

    For an int, NumPy builds a ``RandomState`` from fresh OS entropy before
    seeding it (0.1 ms, a few percent of a small ensemble's fit); here one
    instance per thread is reseeded instead, which gives the same draws. It
    is only lent for the ``with`` block.
    """
    if not isinstance(random_state, Integral) or isinstance(random_state, bool):
        yield check_random_state(random_state)
        return
    rng = getattr(_thread, "random_state", None)
    if rng is None:
        rng = _thread.random_state = np.random.RandomState()
    _thread.random_state = None  # a nested fit in this block gets its own
    try:
        rng.seed(random_state)
        yield rng
    finally:
        _thread.random_state = rng


def _unseeded(estimator) -> list[str]:
    """Names of ``estimator``'s ``random_state`` parameters left at None.

    A base seeded by the user keeps its seed (so a member equals a label
    powerset with that same base); one left random gets a seed per member
    drawn from the ensemble's ``random_state``, as in scikit-learn's
    bagging, so a fixed ``random_state`` gives identical models.
    """
    return [
        name
        for name, value in estimator.get_params(deep=True).items()
        if value is None and (name == "random_state" or name.endswith("__random_state"))
    ]


def _fit_member(job, X, estimator, unseeded, min_count, params):
    """A member's label sets pruned and its base fitted on them.

    ``job`` is the base's seed and the encoding of the member's columns of
    the validated ``Y``. Returns the unfitted member, its fitted base and
    its pruned label sets without the rows' ids: the members are built in
    one loop once every base is fitted (:func:`_finish_members`).
    """
    seed, encoded = job
    if unseeded:
        estimator = clone(estimator).set_params(**dict.fromkeys(unseeded, seed))
    member = LabelPowersetClassifier(estimator, min_count=min_count)
    pruned = member._pruned(encoded)
    base = member._fit_base(estimator, _aligned(X), pruned, params)
    return member, base, pruned._replace(ids=None)


def _finish_members(fitted, infos, X, features) -> list:
    """The fitted members, from :func:`_fit_member`'s results."""
    members = []
    for (member, base, pruned), info in zip(fitted, infos, strict=True):
        attributes = member._fitted_attributes(base, pruned, info)
        member._set_fitted(X, attributes, info, features=features)
        members.append(member)
    return members


def _member_infos(info, subsets):
    """Each member's target: ``info`` restricted to its labels."""
    names = info.label_names
    return [
        dataclasses.replace(
            info,
            n_labels=s.size,
            label_names=None if names is None else tuple(names[j] for j in s),
        )
        for s in subsets
    ]


@fill_doc
class RakelClassifier(ParallelMembersMixin, BaseMultiLabelClassifier):
    """RAkEL: label powersets over random k-label subsets, votes averaged.

    Each member is a :class:`LabelPowersetClassifier` over a small subset of
    ``labelset_size`` labels, so its softmax has at most
    ``2**labelset_size`` classes, each with enough training rows; a label's
    probability is the mean of the marginals of the members that hold it
    (Tsoumakas, Katakis and Vlahavas, 2011), and :meth:`predict` sets the
    labels whose probability reaches ``threshold``. ``disjoint=True`` is
    RAkEL-d (the labels cut into disjoint subsets), ``disjoint=False``
    RAkEL-o (``n_estimators`` overlapping subsets). ``labelset_size=1`` is
    :class:`BinaryRelevanceClassifier`; ``labelset_size >= n_labels`` is
    one :class:`LabelPowersetClassifier` over all labels.

    Read more in the :ref:`User Guide <rakel>`.

    Parameters
    ----------
    %(estimator)s
        RAkEL averages probabilities: it must have ``predict_proba``.

    labelset_size : int, default=3
        ``k``, the number of labels of each member.

    n_estimators : int, default=None
        Number of members of RAkEL-o, capped at the number of distinct
        k-subsets; ``None`` means ``2 * n_labels``. Must be ``None`` for
        RAkEL-d, and at least ``ceil(n_labels / k)`` for RAkEL-o.

    disjoint : bool, default=False
        RAkEL-d (disjoint subsets) if True, RAkEL-o if False.

    min_count : int, default=1
        Pruning of each member (see :class:`LabelPowersetClassifier`).

    threshold : float, default=0.5
        :meth:`predict` sets a label when its probability is at least this.

    random_state : int, RandomState instance or None, default=None
        Draws the subsets, and seeds each member's base when its own
        ``random_state`` is None. Pass an int for reproducible models.

    %(n_jobs)s

    %(verbose)s

    Attributes
    ----------
    label_subsets_ : list of ndarray of int
        Sorted label indices of each member (the rule is in the User Guide).

    estimators_ : list of LabelPowersetClassifier
        The fitted members, in the order of ``label_subsets_``.

    n_members_per_label_ : ndarray of shape (n_labels,)
        Number of members holding each label.

    constant_labels_ : ndarray of int
        Labels constant in the training data: predicted as that constant,
        with probability exactly 0 or 1.

    classes_ : ndarray
        As in :class:`LabelPowersetClassifier`: shape ``(n_labels, 2)``,
        row ``j`` holding ``[0, 1]``. For a 1-D ``y``, the class labels.

    estimator_ : classifier
        For a 1-D ``y`` only: the base fitted on it.

    %(fitted_features)s

    See Also
    --------
    LabelPowersetClassifier : One softmax over all observed label sets.
    BinaryRelevanceClassifier : One independent binary classifier per label.

    Notes
    -----
    The paper averages the members' 0/1 votes (label ``j`` in the member's
    most probable label set) and thresholds the average. Here each vote is
    the member's marginal probability of ``j``, the expected value of that
    0/1 vote under the member's own distribution (a soft vote). With one
    member this is the label powerset's ``predict_proba``, rounded at
    ``threshold``.

    References
    ----------
    G. Tsoumakas, I. Katakis and I. Vlahavas, "Random k-labelsets for
    multilabel classification", IEEE TKDE 23(7), 2011.

    Examples
    --------
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skmultilabel import RakelClassifier
    >>> X, Y = make_multilabel_classification(n_samples=200, n_classes=6,
    ...                                       random_state=0)
    >>> clf = RakelClassifier(LogisticRegression(max_iter=1000), labelset_size=3,
    ...                       random_state=0).fit(X, Y)
    >>> len(clf.estimators_), clf.label_subsets_[0]
    (12, array([1, 2, 5]))
    >>> clf.n_members_per_label_
    array([6, 7, 5, 6, 7, 5])
    >>> clf.predict(X[:2])
    array([[0, 0, 0, 0, 0, 0],
           [0, 0, 0, 1, 0, 0]])
    """

    _parameter_constraints: dict = {
        **BaseMultiLabelClassifier._parameter_constraints,
        **ParallelMembersMixin._parameter_constraints,
        "labelset_size": [Interval(Integral, 1, None, closed="left")],
        "n_estimators": [Interval(Integral, 1, None, closed="left"), None],
        "disjoint": ["boolean"],
        "min_count": [Interval(Integral, 1, None, closed="left")],
        "threshold": [Interval(Real, 0, 1, closed="both")],
        "random_state": ["random_state"],
    }

    # The vote averages the members' marginals; no per-label score.
    _multilabel_needs = {
        "predict_log_proba": "predict_proba",
        "decision_function": None,
    }
    _private_fitted = (
        "_constant_values",
        "_row_bytes",
        "_vote_columns",
        "_label_votes",
    )

    def __init__(
        self,
        estimator=None,
        *,
        labelset_size=3,
        n_estimators=None,
        disjoint=False,
        min_count=1,
        threshold=0.5,
        random_state=None,
        n_jobs=None,
        verbose=0,
    ):
        self.estimator = estimator
        self.labelset_size = labelset_size
        self.n_estimators = n_estimators
        self.disjoint = disjoint
        self.min_count = min_count
        self.threshold = threshold
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _checked_estimator(self):
        estimator = super()._checked_estimator()
        if not hasattr(estimator, "predict_proba"):
            raise TypeError(
                "RakelClassifier averages its members' label probabilities, so "
                f"its estimator must have predict_proba; {type(estimator).__name__}"
                " has none. Use a base with predict_proba (for a margin "
                "classifier, sklearn.calibration.CalibratedClassifierCV)."
            )
        return estimator

    def _members(self) -> list:
        # The members' fitted bases: what available_if asks, and whether
        # any of them sees X (not all stand-ins for one label set).
        members = getattr(self, "estimators_", None)
        if members is None:
            return super()._members()
        return [member.estimator_ for member in members]

    def _fit_multilabel(self, estimator, X, Y, info, params) -> dict:
        with _random_state(self.random_state) as rng:
            subsets = label_subsets(
                info.n_labels, self.labelset_size, self.n_estimators, self.disjoint, rng
            )
            seeds = rng.randint(_MAX_SEED, size=len(subsets))
        positives = _column_counts(Y)
        constant = np.flatnonzero((positives == 0) | (positives == Y.shape[0]))
        unseeded = _unseeded(estimator)
        features = feature_attributes(X)
        fitted = self._map(
            lambda job, X: _fit_member(
                job, X, estimator, unseeded, self.min_count, params
            ),
            # All members' label sets are encoded together, a group at a time
            # as the members are fitted.
            zip(seeds.tolist(), encode_subsets(Y, subsets), strict=True),
            len(subsets),
            "fitted member",
            X,
            prefer=prefer_for(estimator),
        )
        # Built in one loop, not between two base fits: their bookkeeping
        # then runs with its code and data still in the CPU's caches.
        members = _finish_members(fitted, _member_infos(info, subsets), X, features)
        _warn_members(members, subsets, constant)
        labels = np.concatenate(subsets)
        n_votes = labels.size
        single_votes = n_votes == info.n_labels
        ends = np.cumsum([subset.size for subset in subsets]).tolist()
        return {
            "estimators_": members,
            "label_subsets_": subsets,
            "n_members_per_label_": np.bincount(labels, minlength=info.n_labels),
            "constant_labels_": constant,
            "_constant_values": (positives[constant] > 0).astype(np.float64),
            # What a prediction needs of the members, read once here: the
            # bytes a row of every member's (rows, label sets) scores and
            # marginals and the votes take; with a single vote per label
            # (RAkEL-d; else None), each member's columns among the votes,
            # side by side in member order, and the column of each label's.
            "_row_bytes": 16 * info.n_labels
            + 8 * n_votes
            + 24 * sum(member._class_rows.size for member in members),
            "_vote_columns": [
                slice(end - s.size, end) for s, end in zip(subsets, ends, strict=True)
            ]
            if single_votes
            else None,
            "_label_votes": np.argsort(labels) if single_votes else None,
            "classes_": indicator_classes(info, decision_function=False),
        }

    def _predict_proba_multilabel(self, X):
        out = np.empty((_num_samples(X), self.n_members_per_label_.size))
        single_votes = self._label_votes is not None  # RAkEL-d
        for block, part in row_blocks(X, self._row_bytes):
            outputs = self._map(
                # RAkEL-d: the members' probabilities, summed into one
                # buffer below; else each member's marginals as it ends.
                _member_proba if single_votes else _member_marginals,
                self.estimators_,
                len(self.estimators_),
                "predict_proba member",
                part,
                prefer="threads",
            )
            result = out[block]
            if single_votes:
                # The members' marginals side by side, then in label order.
                votes = np.empty((result.shape[0], self._label_votes.size))
                for member, proba, columns in zip(
                    self.estimators_, outputs, self._vote_columns, strict=True
                ):
                    marginals(
                        proba,
                        member._marginal_matrix,
                        clip=False,
                        out=votes[:, columns],
                    )
                np.minimum(votes, 1.0, out=votes)
                # mode="clip": the indices are a permutation of the columns,
                # and the default mode writes through a buffer.
                np.take(votes, self._label_votes, axis=1, out=result, mode="clip")
                continue
            # Added in member order whatever n_jobs: the same bits. Summed by
            # columns in Fortran order, where a label's column is contiguous
            # (a fancy index of columns, or the votes side by side in one
            # buffer, each took longer: measured).
            total = np.zeros(result.shape, order="F")
            for subset, vote in zip(self.label_subsets_, outputs, strict=True):
                for column, label in enumerate(subset.tolist()):
                    total[:, label] += vote[:, column]
            np.divide(total, self.n_members_per_label_, out=result)
        if self.constant_labels_.size:
            # A constant label is its constant, exactly (a member's sum of
            # probabilities over all its label sets may round below 1).
            out[:, self.constant_labels_] = self._constant_values
        return out

    def _predict_multilabel(self, X):
        return self._predict_proba_multilabel(X) >= self.threshold

    # Columns and rows of ``skmultilabel compare`` (see _compare_methods.py).
    _compare_columns = {"RAkEL-d": {"disjoint": True}, "RAkEL-o": {"disjoint": False}}

    def _compare_summary(self) -> dict[str, str]:
        sizes = [member.labelsets_.shape[0] for member in self.estimators_]
        return {
            "models fitted": f"{len(sizes)} label powersets",
            "largest softmax": f"{max(sizes)} classes",
            "label sets per member": (
                f"min {min(sizes)}, median {np.median(sizes):g}, max {max(sizes)}"
            ),
        }


def _member_proba(member, X):
    """A member's label-set probabilities, without checking ``X`` again."""
    return member.estimator_.predict_proba(X)


def _member_marginals(member, X):
    """A member's label marginals, without checking ``X`` again."""
    return marginals(member.estimator_.predict_proba(X), member._marginal_matrix)


def _warn_members(members, subsets, constant) -> None:
    """The warnings of the members' fits, once for the whole ensemble."""
    if constant.size:
        warn(
            f"Labels {constant.tolist()} are constant in the training data (all "
            "0 or all 1); every member holding one predicts that constant.",
            ConstantLabelWarning,
        )
    rare = np.flatnonzero(_many_rare_each([m.labelset_counts_ for m in members]))
    rare = rare.tolist()
    if rare:
        warn(
            f"{len(rare)} of {len(members)} members (label subsets "
            f"{[subsets[i].tolist() for i in rare[:5]]}"
            f"{', ...' if len(rare) > 5 else ''}) have at least 10% of the "
            "training rows in label sets seen fewer than 5 times. Consider a "
            "smaller labelset_size or min_count.",
            RareLabelsetWarning,
        )
