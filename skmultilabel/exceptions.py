"""Warnings raised by skmultilabel, one class per kind of situation.

Every warning the package emits is an instance of one of these classes, all
subclasses of :class:`SkmultilabelWarning` and so of :class:`UserWarning`.
Silence one kind without hiding the others::

    import warnings
    from skmultilabel.exceptions import ConstantLabelWarning

    warnings.filterwarnings("ignore", category=ConstantLabelWarning)
"""

__all__ = [
    "ConstantLabelWarning",
    "DataFileWarning",
    "RareLabelsetWarning",
    "SingleLabelsetWarning",
    "SkmultilabelWarning",
]


class SkmultilabelWarning(UserWarning):
    """Base class of every warning emitted by skmultilabel.

    Examples
    --------
    >>> from skmultilabel.exceptions import SkmultilabelWarning
    >>> issubclass(SkmultilabelWarning, UserWarning)
    True
    """


class ConstantLabelWarning(SkmultilabelWarning):
    """A label is constant (all 0 or all 1) in the training data.

    It is predicted as that constant, with probability 0 or 1, instead of
    being passed to the base estimator (which cannot learn a single class).

    Examples
    --------
    >>> from skmultilabel.exceptions import ConstantLabelWarning
    >>> issubclass(ConstantLabelWarning, UserWarning)
    True
    """


class RareLabelsetWarning(SkmultilabelWarning):
    """Many training rows are in label sets seen only a few times.

    Classes that small are hard to learn for a label powerset; pruning
    (``min_count``) or a method over fewer labels at a time may do better.

    Examples
    --------
    >>> from skmultilabel.exceptions import RareLabelsetWarning
    >>> issubclass(RareLabelsetWarning, UserWarning)
    True
    """


class SingleLabelsetWarning(SkmultilabelWarning):
    """Every training row has the same label set.

    The model predicts that label set for every sample, with probability 1.

    Examples
    --------
    >>> from skmultilabel.exceptions import SingleLabelsetWarning
    >>> issubclass(SingleLabelsetWarning, UserWarning)
    True
    """


class DataFileWarning(SkmultilabelWarning):
    """A data file was read, but something about it deserves a look.

    Examples
    --------
    >>> from skmultilabel.exceptions import DataFileWarning
    >>> issubclass(DataFileWarning, UserWarning)
    True
    """
