"""Mulan's benchmark sets: downloaded with pooch, checked, cached as .npz."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
from importlib import resources
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit
from urllib.request import url2pathname

import numpy as np
import scipy.sparse as sp
from sklearn.datasets import get_data_home

from ._arff import _import_arff, load_arff
from ._npz import _SUBSETS, load_npz

URL_VARIABLE = "SKMULTILABEL_MULAN_URL"
_UPSTREAM = "https://raw.githubusercontent.com/tsoumakas/mulan/{}/data/multi-label"
_INSTALL_HINT = (
    "fetch_mulan downloads with pooch and parses with liac-arff: "
    "pip install skmultilabel[fetch]  (or: pip install pooch liac-arff)"
)
# Bump when the layout of the cached .npz changes: old caches are rebuilt.
_CACHE_FORMAT = 1
# A set without an upstream split (cal500): the rows of
# RandomState(_SPLIT_SEED).permutation(n) are split, the first round(n / 3)
# to test and the rest to train, each side kept in file order.
_SPLIT_SEED = 0

_JMLR = (
    'G. Tsoumakas, E. Spyromitros-Xioufis, J. Vilcek and I. Vlahavas. "Mulan: '
    'A Java Library for Multi-Label Learning". JMLR 12:2411-2414, 2011.'
)
# name: (what the rows are, the reference Mulan gives for the set)
_ABOUT = {
    "emotions": (
        "Music clips tagged with the emotions they evoke; rhythm and timbre features.",
        'K. Trohidis, G. Tsoumakas, G. Kalliris and I. Vlahavas. "Multi-label '
        'classification of music into emotions". ISMIR 2008.',
    ),
    "scene": (
        "Images tagged with scene types (beach, sunset, field, ...); colour features.",
        'M. R. Boutell, J. Luo, X. Shen and C. M. Brown. "Learning multi-label '
        'scene classification". Pattern Recognition 37(9), 2004.',
    ),
    "yeast": (
        "Yeast genes tagged with functional classes; expression and "
        "phylogenetic features.",
        'A. Elisseeff and J. Weston. "A kernel method for multi-labelled '
        'classification". NIPS 14, 2001.',
    ),
    "birds": (
        "Audio recordings tagged with the bird species heard; many have none.",
        'F. Briggs et al. "The 9th annual MLSP competition: new methods for '
        "acoustic classification of multiple simultaneous bird species in a "
        'noisy environment". MLSP 2013.',
    ),
    "genbase": (
        "Proteins tagged with their families; motif presence features.",
        'S. Diplaris, G. Tsoumakas, P. Mitkas and I. Vlahavas. "Protein '
        'classification with multiple algorithms". PCI 2005.',
    ),
    "medical": (
        "Clinical free-text reports tagged with diagnosis codes; word features.",
        'J. P. Pestian et al. "A shared task involving multi-label '
        'classification of clinical free text". BioNLP 2007.',
    ),
    "enron": (
        "E-mails tagged with categories; word features.",
        'B. Klimt and Y. Yang. "The Enron corpus: a new dataset for email '
        'classification research". ECML 2004.',
    ),
    "corel5k": (
        "Images tagged with words; visual-word features.",
        'P. Duygulu, K. Barnard, J. de Freitas and D. Forsyth. "Object '
        "recognition as machine translation: learning a lexicon for a fixed "
        'image vocabulary". ECCV 2002.',
    ),
    "bibtex": (
        "BibTeX entries tagged by users of BibSonomy; word features.",
        'I. Katakis, G. Tsoumakas and I. Vlahavas. "Multilabel text '
        'classification for automated tag suggestion". ECML/PKDD Discovery '
        "Challenge 2008.",
    ),
    "tmc2007_500": (
        "Aviation safety reports tagged with problem types; the 500 most "
        "informative word features.",
        'A. Srivastava and B. Zane-Ulman. "Discovering recurring anomalies in '
        'text reports regarding complex space systems". IEEE Aerospace '
        "Conference 2005.",
    ),
    "cal500": (
        "Songs annotated with words (genre, instrument, emotion, ...); audio features.",
        'D. Turnbull, L. Barrington, D. Torres and G. Lanckriet. "Semantic '
        'annotation and retrieval of music and sound effects". IEEE TASLP '
        "16(2), 2008.",
    ),
    "delicious": (
        "Web pages tagged by users of del.icio.us; word features.",
        'G. Tsoumakas, I. Katakis and I. Vlahavas. "Effective and efficient '
        'multilabel classification in domains with large number of labels". '
        "ECML/PKDD MMD 2008.",
    ),
}


class _ChecksumError(OSError):
    """A file differs from the registry's SHA-256: deleted, never used."""


class _File(NamedTuple):
    path: str  # under data/multi-label/, e.g. "emotions/emotions-train.arff"
    size: int
    sha256: str

    @property
    def role(self) -> str:
        """The file's part: "xml", "train", "test", or "all" (no split)."""
        name = self.path.rsplit("/", 1)[-1].lower()
        if name.endswith(".xml"):
            return "xml"
        for role in ("train", "test"):
            if f"-{role}" in name:
                return role
        return "all"


def _registry() -> tuple[str, dict[str, list[_File]]]:
    """The pinned upstream commit, and each set's files, from package data."""
    text = (
        resources.files("skmultilabel.datasets")
        .joinpath("data", "mulan-registry.tsv")
        .read_text(encoding="utf-8")
    )
    commit, sets = None, {}
    for line in text.splitlines():
        fields = line.lstrip("# ").split("\t")
        if line.startswith("#"):
            if fields[0] == "commit":
                commit = fields[1]
        elif line.strip() and fields[0] != "dataset":
            name, path, size, sha256 = fields
            sets.setdefault(name, []).append(_File(path, int(size), sha256))
    return commit, sets


def fetch_mulan(
    name,
    *,
    subset="all",
    data_home=None,
    download_if_missing=True,
    return_X_y=False,
    as_frame=False,
):
    """Load a Mulan multi-label benchmark set, downloading it when needed.

    Twelve standard sets of the `Mulan <https://github.com/tsoumakas/mulan>`_
    repository: ``"emotions"``, ``"scene"``, ``"yeast"``, ``"birds"``,
    ``"genbase"``, ``"medical"``, ``"enron"``, ``"corel5k"``, ``"bibtex"``,
    ``"tmc2007_500"``, ``"cal500"`` and ``"delicious"``, with their standard
    train/test splits. The ARFF files and Mulan's labels XML are downloaded
    from a pinned commit of the repository, each checked against the SHA-256
    in the registry shipped with the package, and parsed by :func:`load_arff`
    (the XML names the labels, so they are never guessed). The parsed arrays
    are cached as a NumPy archive in ``<data_home>/mulan``: later calls read
    only that and need no network.

    Downloading needs the optional ``pooch`` and ``liac-arff`` packages
    (``pip install skmultilabel[fetch]``). The environment variable
    ``SKMULTILABEL_MULAN_URL`` replaces the upstream URL by a mirror: the
    ``file://`` or ``http(s)://`` URL of the folder holding
    ``<set folder>/<file>``, as in Mulan's ``data/multi-label``.

    Parameters
    ----------
    name : str
        The set, one of the twelve names above.

    subset : {"all", "train", "test"}, default="all"
        Which rows to return: all (training rows first), or one side of the
        standard split.

    data_home : str or path-like, default=None
        The cache folder; by default scikit-learn's
        (:func:`~sklearn.datasets.get_data_home`: ``~/scikit_learn_data``, or
        the ``SCIKIT_LEARN_DATA`` environment variable). Files go to its
        ``mulan`` subfolder.

    download_if_missing : bool, default=True
        When False, raise an :class:`OSError` instead of downloading a set
        that is not cached.

    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    as_frame : bool, default=False
        Return pandas DataFrames with named columns for ``data`` and
        ``target`` (and both side by side as ``frame``). Sparse features
        become a DataFrame of sparse columns. Needs pandas.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        With attributes:

        data : {ndarray, csr_matrix, DataFrame} of shape (n_samples, n_features)
            The features, float64: a CSR matrix when the set's ARFF rows are
            sparse (medical, enron, bibtex, tmc2007_500, ...).
        target : {ndarray, DataFrame} of shape (n_samples, n_labels)
            The 0/1 label indicator, uint8, labels in the ARFF column order.
        feature_names : ndarray of str
            Names of the features.
        target_names : ndarray of str
            Names of the labels.
        split : ndarray of str of shape (n_samples,)
            ``"train"`` or ``"test"``: the side of the standard split of each
            row.
        frame : DataFrame or None
            ``data`` and ``target`` together, when ``as_frame=True``.
        DESCR : str
            Description of the set: its sizes, source and reference.

    (data, target) : tuple
        When ``return_X_y`` is True.

    Raises
    ------
    ValueError
        For an unknown ``name`` or ``subset``, or a ``SKMULTILABEL_MULAN_URL``
        that is not a ``file://``, ``http://`` or ``https://`` URL.
    OSError
        When a file cannot be downloaded, when its SHA-256 differs from the
        registry's (the file is deleted, never used), or when the set is not
        cached and ``download_if_missing`` is False.
    ImportError
        When a download is needed and pooch or liac-arff is missing.

    See Also
    --------
    load_emotions : The emotions set, bundled: no download.
    load_arff : Read a multi-label ARFF file.

    Notes
    -----
    cal500 has no standard split upstream. Its 502 rows are split with a
    fixed seed: the first ``round(n / 3)`` positions of
    ``numpy.random.RandomState(0).permutation(n)`` are the test rows, the
    others the training rows, each side in file order (335 train, 167 test).

    Labels keep the column order of the ARFF files (Mulan's XML lists yeast's
    and enron's in another order). A nominal feature is coded by the index of
    its value in the declaration, as Weka does: birds' ``location``, declared
    ``{2,10,1,...}``, reads 0, 1, 2, ... The cached archive is written
    with :func:`numpy.savez_compressed` and read with ``allow_pickle=False``;
    nothing is ever unpickled.

    References
    ----------
    .. [1] G. Tsoumakas, E. Spyromitros-Xioufis, J. Vilcek and I. Vlahavas.
       "Mulan: A Java Library for Multi-Label Learning". Journal of Machine
       Learning Research, 12:2411-2414, 2011.

    Examples
    --------
    The first call downloads (about 0.9 MB for enron), later ones read the
    cache:

    >>> from skmultilabel.datasets import fetch_mulan
    >>> enron = fetch_mulan("enron")  # doctest: +SKIP
    >>> enron.data.shape, enron.target.shape  # doctest: +SKIP
    ((1702, 1001), (1702, 53))
    >>> X_train, Y_train = fetch_mulan(
    ...     "enron", subset="train", return_X_y=True
    ... )  # doctest: +SKIP
    >>> type(X_train).__name__, X_train.shape, Y_train.shape  # doctest: +SKIP
    ('csr_matrix', (1123, 1001), (1123, 53))

    Offline, ``download_if_missing=False`` reads the cache or says what is
    missing:

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as empty:
    ...     fetch_mulan("enron", data_home=empty, download_if_missing=False)
    Traceback (most recent call last):
    ...
    OSError: enron is not in the cache ... and download_if_missing is False...
    """
    commit, sets = _registry()
    if not isinstance(name, str) or name not in sets:
        raise ValueError(
            f"Unknown Mulan set {name!r}; expected one of {', '.join(sets)}."
        )
    if subset not in _SUBSETS:
        raise ValueError(f"subset must be one of {_SUBSETS}; got {subset!r}.")
    files = sets[name]
    folder = Path(get_data_home(data_home)) / "mulan"
    cache = folder / f"{name}.npz"
    sources = [file.sha256 for file in files]
    descr = _cached_description(cache, sources)
    if descr is None:
        if not download_if_missing and not all(
            (folder / file.path).is_file() for file in files
        ):
            raise OSError(
                f"{name} is not in the cache {folder} and download_if_missing "
                "is False; call fetch_mulan with download_if_missing=True to "
                "download it."
            )
        paths = {
            file.role: _retrieve(file, folder, commit, download_if_missing)
            for file in files
        }
        arrays = _parse(name, paths)
        arrays.update(
            DESCR=_describe(name, files, commit, arrays),
            mulan_sources=np.array(sources),
            mulan_format=np.array(_CACHE_FORMAT),
        )
        _write_atomically(cache, arrays)
        descr = str(arrays["DESCR"])
    bunch = load_npz(cache, subset=subset, return_X_y=return_X_y, as_frame=as_frame)
    if return_X_y:
        return bunch
    bunch.DESCR = descr
    return bunch


def _cached_description(cache: Path, sources: list[str]) -> str | None:
    """DESCR of a cache built from exactly these files, or None."""
    try:
        with np.load(cache, allow_pickle=False) as archive:
            if (
                int(archive["mulan_format"]) == _CACHE_FORMAT
                and archive["mulan_sources"].tolist() == sources
            ):
                return str(archive["DESCR"])
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError):
        pass  # absent, unreadable or stale: rebuilt from the ARFF files
    return None


def _base_url(commit: str) -> str:
    base = os.environ.get(URL_VARIABLE, "").strip()
    if not base:
        return _UPSTREAM.format(commit)
    if urlsplit(base).scheme.lower() not in ("file", "http", "https"):
        raise ValueError(
            f"{URL_VARIABLE}={base!r} is not a file://, http:// or https:// URL. "
            "It must name the folder that holds <set folder>/<file>, e.g. "
            "file:///data/mulan for /data/mulan/emotions/emotions.xml."
        )
    return base.rstrip("/")


def _copy_local(url, output_file, pooch):
    """A pooch downloader for file:// URLs: copy the file."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise FileNotFoundError(f"not a local file URL: {url}")
    shutil.copyfile(url2pathname(parts.path), output_file)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _retrieve(file: _File, folder: Path, commit: str, download: bool) -> Path:
    """The verified local copy of one registry file."""
    target = folder / file.path
    if not download:  # every file is there: checked by the caller
        if _sha256(target) != file.sha256:
            target.unlink()
            raise _ChecksumError(
                f"The cached {target} does not match the registry's SHA-256 "
                "and was deleted; call fetch_mulan with download_if_missing="
                "True to download it again."
            )
        return target
    try:
        import pooch
    except ImportError as exc:
        raise ImportError(_INSTALL_HINT) from exc
    url = f"{_base_url(commit)}/{file.path}"
    try:
        return Path(
            pooch.retrieve(
                url,
                known_hash=f"sha256:{file.sha256}",
                fname=target.name,
                path=target.parent,
                downloader=_copy_local if url.lower().startswith("file:") else None,
            )
        )
    except ValueError as exc:  # pooch's hash check; the download is deleted
        target.unlink(missing_ok=True)  # and an older copy is not kept either
        raise _ChecksumError(
            f"{url} does not match the SHA-256 in skmultilabel's Mulan registry "
            f"(expected {file.sha256}); the file was deleted, not used. A "
            f"corrupted download, or a mirror ({URL_VARIABLE}) with other files."
        ) from exc
    except OSError as exc:  # requests' errors are OSErrors too
        raise OSError(
            f"Could not download {url}: {exc}. Check the connection, or set "
            f"{URL_VARIABLE} to a mirror of Mulan's data/multi-label folder."
        ) from exc


def _parse(name: str, paths: dict[str, Path]) -> dict[str, np.ndarray]:
    """The arrays of the cache (the layout load_npz reads) from the files."""
    try:
        _import_arff()
    except ImportError as exc:
        raise ImportError(_INSTALL_HINT) from exc
    xml = paths["xml"]
    if "all" in paths:
        whole = load_arff(paths["all"], xml=xml)
        n = whole.target.shape[0]
        order = np.random.RandomState(_SPLIT_SEED).permutation(n)
        n_test = round(n / 3)
        rows = {"train": np.sort(order[n_test:]), "test": np.sort(order[:n_test])}
        parts = {side: (whole.data[r], whole.target[r]) for side, r in rows.items()}
        names = whole
    else:
        loaded = {side: load_arff(paths[side], xml=xml) for side in ("train", "test")}
        names = loaded["train"]
        for attribute in ("feature_names", "target_names"):
            if not np.array_equal(
                loaded["train"][attribute], loaded["test"][attribute]
            ):
                raise ValueError(
                    f"{name}: the train and test files have different {attribute}."
                )
        parts = {side: (b.data, b.target) for side, b in loaded.items()}
    sparse = sp.issparse(parts["train"][0])
    arrays = {
        "X_sparse": np.array(sparse),
        "feature_names": names.feature_names,
        "label_names": names.target_names,
    }
    for side, (X, Y) in parts.items():
        arrays[f"Y_{side}"] = Y
        if sparse:
            X = sp.csr_matrix(X)
            arrays[f"X_{side}_data"] = X.data
            arrays[f"X_{side}_indices"] = X.indices
            arrays[f"X_{side}_indptr"] = X.indptr
            arrays[f"X_{side}_shape"] = np.array(X.shape)
        else:
            arrays[f"X_{side}"] = X
    return arrays


def _describe(name, files, commit, arrays) -> str:
    what, reference = _ABOUT.get(name, ("", ""))
    Y_train, Y_test = arrays["Y_train"], arrays["Y_test"]
    Y = np.concatenate([Y_train, Y_test])
    seen = {row.tobytes() for row in Y_train}
    unseen = sum(row.tobytes() not in seen for row in Y_test)
    split = (
        f"no split upstream: seeded split, RandomState({_SPLIT_SEED}) "
        "(see fetch_mulan's Notes)"
        if any(file.role == "all" for file in files)
        else "the standard Mulan split"
    )
    folder = files[0].path.split("/", 1)[0]
    title = f"Mulan {name} data set"
    lines = [
        title,
        "=" * len(title),
        "",
        what,
        "",
        f":Rows: {len(Y)}: {len(Y_train)} train, {len(Y_test)} test ({split})",
        f":Features: {len(arrays['feature_names'])}, "
        + ("sparse (CSR)" if bool(arrays["X_sparse"]) else "dense"),
        f":Labels: {Y.shape[1]}, {Y.sum(axis=1).mean():.2f} per row on average",
        f":Label sets: {len(seen)} in train, {len(np.unique(Y, axis=0))} in all; "
        f"{unseen} test rows have a set no training row has",
        f":Source: GitHub tsoumakas/mulan, data/multi-label/{folder}, commit {commit}",
        "",
        "References:",
        "",
    ]
    lines += [f"- {text}" for text in (reference, _JMLR) if text]
    return "\n".join(lines) + "\n"


def _write_atomically(path: Path, arrays: dict) -> None:
    """Write an .npz so that a reader never sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, part = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez_compressed(f, **arrays)
        os.replace(part, path)
    except BaseException:
        Path(part).unlink(missing_ok=True)
        raise
