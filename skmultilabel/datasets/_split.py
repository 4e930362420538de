"""One set's standard train/test split, with an optional stated fallback."""

from __future__ import annotations

import numpy as np
from sklearn.utils import Bunch

from ._emotions import load_emotions
from ._mulan import _ChecksumError, _registry, fetch_mulan

# "Cannot be had": not cached and downloading not allowed, a download that
# failed (pooch's and requests' errors are OSErrors), or the optional pooch or
# liac-arff missing. Not in it: a file that fails its SHA-256 check
# (_ChecksumError, an OSError too) and a bad SKMULTILABEL_MULAN_URL
# (ValueError); those are raised, fallback or not.
_UNAVAILABLE = (OSError, ImportError)


def load_split(name, *, fallback=None, data_home=None, download_if_missing=True):
    """Load the standard train/test split of a set, or a stated fallback.

    ``"emotions"`` is read from the copy bundled with the package (never
    downloaded, by :func:`load_emotions`); any other of Mulan's sets comes
    from :func:`fetch_mulan` (from its cache, or downloaded once). When a set
    cannot be had and ``fallback`` names another one, that set is loaded
    instead and the result says so: its ``name`` is the fallback's and its
    ``reason`` the cause. Without a fallback, the loader's error is raised:
    nothing is ever substituted silently.

    Parameters
    ----------
    name : str
        The set: ``"emotions"`` or one of the other names
        :func:`fetch_mulan` knows.

    fallback : str, default=None
        The set to load when ``name`` cannot be had, that is when loading it
        raises an ``OSError`` or ``ImportError``: not cached while
        ``download_if_missing`` is False, a download that fails, a cache
        folder that cannot be read or written, or the ``pooch`` or
        ``liac-arff`` package that a download needs missing. ``"emotions"``
        always can be had. None: raise the error instead.

    data_home : str or path-like, default=None
        The cache folder of :func:`fetch_mulan`; by default scikit-learn's
        (``~/scikit_learn_data``, or the ``SCIKIT_LEARN_DATA`` environment
        variable). Not used for ``"emotions"``.

    download_if_missing : bool, default=True
        When False, a Mulan set that is not cached cannot be had instead of
        being downloaded.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        With attributes:

        X_train, X_test : {ndarray, csr_matrix} of shape (n_samples, n_features)
            The features of the training and test rows, float64: a CSR matrix
            for a set with sparse rows (medical, enron, ...).
        Y_train, Y_test : ndarray of shape (n_samples, n_labels)
            Their 0/1 label indicators, uint8.
        feature_names : ndarray of str
            Names of the features.
        target_names : ndarray of str
            Names of the labels.
        name : str
            The set loaded: ``name``, or ``fallback`` when it replaced it.
        reason : str or None
            Why ``name`` could not be had, on one line, when the fallback
            replaced it; None otherwise.
        DESCR : str
            Description of the set loaded.

    Raises
    ------
    TypeError
        When ``name`` or ``fallback`` is not a string, or
        ``download_if_missing`` not a bool.
    ValueError
        For an unknown set name (the message lists the known ones), or a
        ``SKMULTILABEL_MULAN_URL`` that is not a ``file://``, ``http://`` or
        ``https://`` URL (fallback or not).
    OSError
        When ``name`` cannot be had and there is no fallback (or the
        fallback cannot be had either); and, fallback or not, when a
        downloaded or cached file fails its SHA-256 check: a corrupted file
        or a mirror holding other files is an error to fix, never a reason
        to load another set. :func:`fetch_mulan` has deleted the file, so a
        later call downloads it again (or, offline, finds it missing).
    ImportError
        When a download is needed, there is no fallback, and ``pooch`` or
        ``liac-arff`` is missing (``pip install skmultilabel[fetch]``).

    See Also
    --------
    fetch_mulan : One side of a Mulan set's split, or all its rows.
    load_emotions : The bundled emotions set.

    Notes
    -----
    ``fallback`` equal to ``name`` is allowed and means no fallback, so
    ``load_split(choice, fallback="emotions")`` works for any ``choice``.

    Examples
    --------
    >>> from skmultilabel.datasets import load_split
    >>> data = load_split("emotions")
    >>> data.name, data.X_train.shape, data.Y_test.shape, data.reason
    ('emotions', (391, 72), (202, 6), None)

    A set that is not cached, with downloading turned off, is replaced by the
    fallback, and the result says why:

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as empty:
    ...     data = load_split(
    ...         "yeast", fallback="emotions", data_home=empty,
    ...         download_if_missing=False,
    ...     )
    >>> data.name
    'emotions'
    >>> print(data.reason)
    yeast is not available: yeast is not in the cache ... is False; call fetch_mulan...

    Without a fallback, the loader's error is raised:

    >>> with tempfile.TemporaryDirectory() as empty:
    ...     load_split("yeast", data_home=empty, download_if_missing=False)
    Traceback (most recent call last):
    ...
    OSError: yeast is not in the cache ... and download_if_missing is False...
    """
    names = list(_registry()[1])
    _check_name(name, "name", names)
    if fallback is not None:
        _check_name(fallback, "fallback", names)
    if not isinstance(download_if_missing, (bool, np.bool_)):
        raise TypeError(
            "download_if_missing must be a bool; got "
            f"{type(download_if_missing).__name__}."
        )
    try:
        return _load(name, data_home, download_if_missing)
    except _ChecksumError:
        raise
    except _UNAVAILABLE as exc:
        if fallback is None or fallback == name:
            raise
        reason = f"{name} is not available: {' '.join(str(exc).split())}"
        # Loaded here, so that the fallback's own error shows this one too.
        data = _load(fallback, data_home, download_if_missing)
        data.reason = reason
        return data


def _check_name(value, what: str, names: list[str]) -> None:
    if not isinstance(value, str):
        raise TypeError(
            f"{what} must be a str naming a data set; got {type(value).__name__}."
        )
    if value not in names:
        raise ValueError(
            f"Unknown data set {value!r} for {what}; expected one of "
            f"{', '.join(names)}."
        )


def _load(name: str, data_home, download_if_missing: bool) -> Bunch:
    """Both sides of the standard split of ``name``, as load_split returns."""
    if name == "emotions":
        train = load_emotions(subset="train")
        X_test, Y_test = load_emotions(subset="test", return_X_y=True)
    else:
        options = {"data_home": data_home, "download_if_missing": download_if_missing}
        train = fetch_mulan(name, subset="train", **options)
        X_test, Y_test = fetch_mulan(name, subset="test", return_X_y=True, **options)
    return Bunch(
        X_train=train.data,
        Y_train=train.target,
        X_test=X_test,
        Y_test=Y_test,
        feature_names=train.feature_names,
        target_names=train.target_names,
        name=name,
        reason=None,
        DESCR=train.DESCR,
    )
