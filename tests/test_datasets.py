"""The bundled emotions set and the NumPy archive loader."""

from importlib import resources
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from skmultilabel.datasets import load_emotions, load_npz

SHARED = next(
    (
        folder / "shared" / "datasets"
        for folder in Path(__file__).resolve().parents
        if (folder / "shared" / "datasets").is_dir()
    ),
    Path("shared") / "datasets",
)
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason="../shared/datasets is not present"
)

LABELS = [
    "amazed-suprised",
    "happy-pleased",
    "relaxing-calm",
    "quiet-still",
    "sad-lonely",
    "angry-aggresive",
]


def test_emotions_is_inside_the_package():
    data = resources.files("skmultilabel.datasets").joinpath("data")
    assert data.joinpath("emotions.npz").is_file()
    assert data.joinpath("emotions.rst").is_file()


def test_load_emotions_all():
    bunch = load_emotions()
    assert bunch.data.shape == (593, 72)
    assert bunch.data.dtype == np.float64
    assert bunch.target.shape == (593, 6)
    assert bunch.target.dtype == np.uint8
    assert set(np.unique(bunch.target)) == {0, 1}
    assert bunch.target_names.tolist() == LABELS
    assert bunch.feature_names.shape == (72,)
    assert bunch.feature_names[0] == "Mean_Acc1298_Mean_Mem40_Centroid"
    assert bunch.split.tolist() == ["train"] * 391 + ["test"] * 202
    assert bunch.frame is None
    assert "Trohidis" in bunch.DESCR and "391" in bunch.DESCR


def test_load_emotions_standard_split():
    everything = load_emotions()
    X_train, Y_train = load_emotions(subset="train", return_X_y=True)
    X_test, Y_test = load_emotions(subset="test", return_X_y=True)
    assert X_train.shape == (391, 72) and X_test.shape == (202, 72)
    np.testing.assert_array_equal(np.vstack([X_train, X_test]), everything.data)
    np.testing.assert_array_equal(np.vstack([Y_train, Y_test]), everything.target)
    test = load_emotions(subset="test")
    assert set(test.split) == {"test"}
    # The figures the docs and the CLI quote.
    train_sets = np.unique(Y_train, axis=0)
    assert len(train_sets) == 26
    unseen = [not (row == train_sets).all(axis=1).any() for row in Y_test]
    assert sum(unseen) == 4


def test_load_emotions_as_frame():
    pd = pytest.importorskip("pandas")
    bunch = load_emotions(as_frame=True)
    assert isinstance(bunch.data, pd.DataFrame)
    assert list(bunch.target.columns) == LABELS
    assert bunch.frame.shape == (593, 78)
    X, Y = load_emotions(subset="train", as_frame=True, return_X_y=True)
    assert X.shape == (391, 72) and list(Y.columns) == LABELS


def test_load_emotions_bad_subset():
    with pytest.raises(ValueError, match="subset must be one of"):
        load_emotions(subset="validation")


@needs_shared
def test_bundled_emotions_equals_shared_copy():
    shared = load_npz(SHARED / "emotions.npz")
    bundled = load_emotions()
    for key in ("data", "target", "feature_names", "target_names", "split"):
        np.testing.assert_array_equal(bundled[key], shared[key])


@needs_shared
def test_load_npz_sparse_layout():
    medical = load_npz(SHARED / "medical.npz", subset="train")
    assert sp.issparse(medical.data) and medical.data.format == "csr"
    assert medical.data.shape == (333, 1449)
    assert medical.target.shape == (333, 45)


def test_load_npz_without_split(tmp_path):
    X = np.arange(12.0).reshape(6, 2)
    Y = np.array([[0, 1], [1, 1], [1, 0], [0, 0], [1, 1], [0, 1]], dtype=bool)
    np.savez(tmp_path / "mine.npz", X=X, Y=Y, feature_names=["a", "b"])
    bunch = load_npz(tmp_path / "mine.npz")
    np.testing.assert_array_equal(bunch.data, X)
    assert bunch.target.dtype == np.uint8
    assert bunch.split is None
    assert bunch.feature_names.tolist() == ["a", "b"]
    assert bunch.target_names.tolist() == ["y0", "y1"]
    with pytest.raises(ValueError, match="no train/test split"):
        load_npz(tmp_path / "mine.npz", subset="train")


def test_load_npz_sparse_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    X = sp.random(10, 5, density=0.3, format="csr", random_state=0)
    Y = rng.integers(0, 2, size=(10, 3))
    parts = {}
    for name, rows in (("train", slice(0, 7)), ("test", slice(7, 10))):
        part = X[rows]
        parts.update(
            {
                f"X_{name}_data": part.data,
                f"X_{name}_indices": part.indices,
                f"X_{name}_indptr": part.indptr,
                f"X_{name}_shape": np.array(part.shape),
                f"Y_{name}": Y[rows],
            }
        )
    np.savez(tmp_path / "sparse.npz", X_sparse=True, **parts)
    bunch = load_npz(tmp_path / "sparse.npz")
    assert sp.issparse(bunch.data)
    np.testing.assert_array_equal(bunch.data.toarray(), X.toarray())
    np.testing.assert_array_equal(bunch.target, Y)
    assert load_npz(tmp_path / "sparse.npz", subset="test").data.shape == (3, 5)


def test_load_npz_errors(tmp_path):
    missing = tmp_path / "nope.npz"
    with pytest.raises(FileNotFoundError, match="nope.npz"):
        load_npz(missing)
    (tmp_path / "text.npz").write_text("not numpy")
    with pytest.raises(ValueError, match="not a readable .npz"):
        load_npz(tmp_path / "text.npz")
    np.save(tmp_path / "single.npy", np.zeros(3))
    with pytest.raises(ValueError, match="single .npy array"):
        load_npz(tmp_path / "single.npy")
    np.savez(tmp_path / "other.npz", features=np.zeros((2, 2)))
    with pytest.raises(ValueError, match="expected arrays X and Y"):
        load_npz(tmp_path / "other.npz")
    np.savez(tmp_path / "labels.npz", X=np.zeros((2, 2)), Y=np.array([[0, 2], [1, 0]]))
    with pytest.raises(ValueError, match="only 0 and 1"):
        load_npz(tmp_path / "labels.npz")
    np.savez(tmp_path / "rows.npz", X=np.zeros((3, 2)), Y=np.zeros((2, 2)))
    with pytest.raises(ValueError, match="3 rows of features but 2 rows"):
        load_npz(tmp_path / "rows.npz")
    np.savez(
        tmp_path / "names.npz",
        X=np.zeros((2, 2)),
        Y=np.zeros((2, 2)),
        label_names=["a"],
    )
    with pytest.raises(ValueError, match="label_names has 1 names for 2 columns"):
        load_npz(tmp_path / "names.npz")
    np.savez(tmp_path / "part.npz", X_train=np.zeros((2, 2)), Y_train=np.zeros((2, 2)))
    with pytest.raises(ValueError, match="missing array 'X_test'"):
        load_npz(tmp_path / "part.npz")


def _sparse_parts(indices, shape, indptr=(0, 1, 2)):
    return {
        "X_sparse": True,
        "X_data": np.ones(len(indices)),
        "X_indices": np.asarray(indices),
        "X_indptr": np.asarray(indptr),
        "X_shape": np.asarray(shape),
        "Y": np.array([[0, 1], [1, 0]]),
    }


@pytest.mark.parametrize(
    ("indices", "shape", "indptr", "problem"),
    [
        ([0, 7], (2, 3), (0, 1, 2), "column indices from 0 to 7 in a matrix of 3"),
        ([0, -1], (2, 3), (0, 1, 2), "column indices from -1"),
        ([0, 1], (2, 3), (0, 2), "2 row pointers for 2 rows"),
        ([0, 1], (2, 3), (0, 2, 1), "never decrease"),
        ([0, 1], (2, 3), (0, 1, 5), "2 values and 2 column indices for 5 entries"),
    ],
)
def test_load_npz_malformed_csr(tmp_path, indices, shape, indptr, problem):
    # Accepted before: scipy does not check indices against the shape, and
    # toarray() of such a matrix crashed the interpreter.
    path = tmp_path / "forged.npz"
    np.savez(path, **_sparse_parts(indices, shape, indptr))
    with pytest.raises(
        ValueError, match=rf"forged.npz: sparse X is malformed: .*{problem}"
    ):
        load_npz(path)


def test_load_npz_huge_declared_width(tmp_path, monkeypatch):
    # A tiny file declaring 10**12 columns: refused before any default name
    # is made (making them would need terabytes).
    path = tmp_path / "wide.npz"
    np.savez(path, **_sparse_parts([0, 1], (2, 10**12)))
    assert path.stat().st_size < 4000
    import skmultilabel.datasets._npz as npz

    def no_names(*args):
        raise AssertionError("names built before the width was checked")

    monkeypatch.setattr(npz, "_names", no_names)
    with pytest.raises(ValueError, match=r"wide.npz: declares 1,000,000,000,000 col"):
        load_npz(path)


def test_load_npz_empty_trailing_columns_are_fine(tmp_path):
    # A few empty last columns (medical's test part has one) still load.
    path = tmp_path / "ok.npz"
    np.savez(path, **_sparse_parts([0, 1], (2, 5)))
    bunch = load_npz(path)
    assert bunch.data.shape == (2, 5) and bunch.feature_names[-1] == "x4"
    np.savez(path, **_sparse_parts([0, 1], (2, 10**6)), feature_names=["a"])
    with pytest.raises(ValueError, match="feature_names has 1 names for 1000000"):
        load_npz(path)


def _forge_header(path, member, shape):
    """Rewrite one member's .npy header to declare another shape."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    raw = members[member]
    old = np.lib.format.read_array_header_1_0  # header length stays the same
    import io

    stream = io.BytesIO(raw)
    np.lib.format.read_magic(stream)
    old(stream)
    header_end = stream.tell()
    header = raw[10:header_end].decode("latin1")
    start = header.index("'shape': ")
    end = header.index(")", start) + 1
    new = header[:start] + f"'shape': {shape}" + header[end:]
    new = new.rstrip() + " " * (len(header) - len(new.rstrip()) - 1) + "\n"
    assert len(new) == len(header)
    members[member] = raw[:10] + new.encode("latin1") + raw[header_end:]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


@pytest.mark.parametrize("member", ["X.npy", "Y.npy", "label_names.npy"])
def test_load_npz_header_claims_more_than_the_file_holds(tmp_path, member):
    path = tmp_path / "liar.npz"
    np.savez(
        path, X=np.zeros((2, 3)), Y=np.array([[0, 1], [1, 0]]), label_names=["a", "b"]
    )
    _forge_header(path, member, (10**5, 10**5))
    assert path.stat().st_size < 4000
    name = member[:-4]
    with pytest.raises(ValueError, match=rf"liar.npz: array '{name}' declares shape"):
        load_npz(path)


def test_load_npz_forged_uncompressed_size(tmp_path):
    import zipfile

    path = tmp_path / "bomb.npz"
    np.savez(path, X=np.zeros((2, 3)), Y=np.array([[0, 1], [1, 0]]))
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("X.npy")
    # The central directory's uncompressed size of X.npy, forged.
    at = raw.index(b"X.npy", raw.index(b"PK\x01\x02")) - 46 + 24
    assert int.from_bytes(raw[at : at + 4], "little") == info.file_size
    raw[at : at + 4] = (4_000_000_000).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    with pytest.raises(
        ValueError, match="bomb.npz: array 'X' declares 4000000000 bytes"
    ):
        load_npz(path)
