"""The emotions data set, bundled with the package."""

from __future__ import annotations

from importlib import resources

from ._npz import load_npz


def _data_file(name: str):
    return resources.files("skmultilabel.datasets").joinpath("data", name)


def load_emotions(*, subset="all", return_X_y=False, as_frame=False):
    """Load the emotions data set (multi-label, 6 labels).

    593 music clips described by 72 numeric features (rhythm and timbre),
    each tagged with one or more of 6 emotions. It ships with the package,
    so nothing is downloaded. The standard Mulan train/test split is kept:
    ``subset="train"`` and ``subset="test"`` return its 391 and 202 rows, and
    with ``subset="all"`` the Bunch's ``split`` marks each row.

    =================   ======================
    Samples total                          593
    Train / test                     391 / 202
    Features                   72, real-valued
    Labels                                   6
    Label sets          26 in train, 27 in all
    =================   ======================

    Read more in the description, ``load_emotions().DESCR``.

    Parameters
    ----------
    subset : {"all", "train", "test"}, default="all"
        Which rows to return: all 593 (training rows first), or one side of
        the standard split.

    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    as_frame : bool, default=False
        Return pandas DataFrames with named columns for ``data`` and
        ``target`` (and both side by side as ``frame``). Needs pandas.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        With attributes:

        data : {ndarray, DataFrame} of shape (n_samples, 72)
            The features, float64.
        target : {ndarray, DataFrame} of shape (n_samples, 6)
            The 0/1 label indicator, uint8.
        feature_names : ndarray of str
            Names of the features.
        target_names : ndarray of str
            Names of the labels (emotions).
        split : ndarray of str of shape (n_samples,)
            ``"train"`` or ``"test"``: the side of the standard split each
            row is on.
        frame : DataFrame or None
            ``data`` and ``target`` together, when ``as_frame=True``.
        DESCR : str
            Description of the data set.

    (data, target) : tuple
        When ``return_X_y`` is True.

    See Also
    --------
    load_arff : Load another multi-label set from an ARFF file.
    load_npz : Load one from a NumPy archive.

    Notes
    -----
    The standard split makes results comparable with the literature; for
    cross-validation on the standard split, pass
    ``PredefinedSplit(np.where(split == "test", 0, -1))``.

    References
    ----------
    .. [1] K. Trohidis, G. Tsoumakas, G. Kalliris and I. Vlahavas.
       "Multi-label classification of music into emotions". ISMIR 2008.

    Examples
    --------
    >>> from skmultilabel.datasets import load_emotions
    >>> emotions = load_emotions()
    >>> emotions.data.shape, emotions.target.shape
    ((593, 72), (593, 6))
    >>> emotions.target_names.tolist()
    ['amazed-suprised', 'happy-pleased', 'relaxing-calm', 'quiet-still',
     'sad-lonely', 'angry-aggresive']
    >>> int((emotions.split == "train").sum()), int((emotions.split == "test").sum())
    (391, 202)
    >>> X_train, Y_train = load_emotions(subset="train", return_X_y=True)
    >>> X_train.shape, Y_train.dtype
    ((391, 72), dtype('uint8'))
    """
    with resources.as_file(_data_file("emotions.npz")) as path:
        bunch = load_npz(path, subset=subset, return_X_y=return_X_y, as_frame=as_frame)
    if return_X_y:
        return bunch
    bunch.DESCR = _data_file("emotions.rst").read_text(encoding="utf-8")
    return bunch
