"""fetch_mulan: the real download code against a local mirror of Mulan.

``../shared/datasets/mulan`` (beside the checkout, as in CI) is a byte-for-
byte copy of Mulan's ``data/multi-label`` folder for eight sets. The tests
point ``SKMULTILABEL_MULAN_URL`` at it, as a ``file://`` URL and served over
HTTP on 127.0.0.1, and check that the fetched sets equal the shared ``.npz``
archives, that a corrupted or missing file is an error and is not kept, and
that the cache is used. Nothing here touches the network or the user's
scikit-learn data folder.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import re
import shutil
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from skmultilabel.datasets import _mulan, fetch_mulan, load_arff, load_npz

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
MIRROR = SHARED / "mulan"
NAMES = [
    "emotions",
    "scene",
    "yeast",
    "birds",
    "genbase",
    "medical",
    "enron",
    "corel5k",
    "bibtex",
    "tmc2007_500",
    "cal500",
    "delicious",
]

needs_mirror = pytest.mark.skipif(
    not MIRROR.is_dir(),
    reason=(
        f"no Mulan mirror at {MIRROR}: put the project's shared/datasets "
        "folder beside the checkout (../shared/datasets/mulan, as in CI) to "
        "run the download tests"
    ),
)


@pytest.fixture
def downloads():
    """The download tests need pooch and liac-arff (the ``fetch`` extra)."""
    pytest.importorskip("pooch", reason="needs pooch: pip install skmultilabel[fetch]")
    pytest.importorskip("arff", reason="needs liac-arff: pip install liac-arff")


def serve(folder):
    """Serve ``folder`` on 127.0.0.1 in a thread; returns (base URL, server)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


@pytest.fixture(params=["file", "http"])
def mirror_url(request, monkeypatch, downloads):
    """Point fetch_mulan at a mirror folder, as file:// or over HTTP."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    servers = []

    def use(folder=MIRROR):
        if request.param == "file":
            url = Path(folder).resolve().as_uri()
        else:
            url, server = serve(folder)
            servers.append(server)
        monkeypatch.setenv(_mulan.URL_VARIABLE, url)
        return url

    yield use
    for server in servers:
        server.shutdown()
        server.server_close()


def assert_same_set(fetched, expected):
    for key in ("target", "feature_names", "target_names", "split"):
        np.testing.assert_array_equal(fetched[key], expected[key], err_msg=key)
    assert fetched.target.dtype == expected.target.dtype == np.uint8
    assert sp.issparse(fetched.data) == sp.issparse(expected.data)
    assert fetched.data.shape == expected.data.shape
    assert fetched.data.dtype == expected.data.dtype == np.float64
    if sp.issparse(expected.data):
        assert fetched.data.format == "csr"
        assert (fetched.data != expected.data).nnz == 0
    else:
        np.testing.assert_array_equal(fetched.data, expected.data)


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def copy_set(tmp_path, folder="emotions"):
    """A writable copy of one set's folder of the mirror."""
    root = tmp_path / "mirror"
    shutil.copytree(MIRROR / folder, root / folder)
    return root


# -- the registry shipped in the package ----------------------------------------


def test_registry_lists_the_twelve_sets_at_a_pinned_commit():
    commit, sets = _mulan._registry()
    assert re.fullmatch(r"[0-9a-f]{40}", commit)
    assert sorted(sets) == sorted(NAMES)
    for name, files in sets.items():
        roles = sorted(file.role for file in files)
        assert roles == (
            ["all", "xml"] if name == "cal500" else ["test", "train", "xml"]
        )
        for file in files:
            assert re.fullmatch(r"[0-9a-f]{64}", file.sha256)
            assert file.size > 0


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"{SHARED} is absent")
def test_registry_is_the_shared_one_and_matches_the_mirror():
    commit, sets = _mulan._registry()
    assert commit in (SHARED / "README.md").read_text(encoding="utf-8")
    rows = (SHARED / "mulan-registry.tsv").read_text(encoding="utf-8").splitlines()
    shared = [tuple(row.split("\t")) for row in rows[1:]]
    ours = [
        (name, file.path, str(file.size), file.sha256)
        for name, files in sets.items()
        for file in files
    ]
    assert ours == shared
    for files in sets.values():
        for file in files:
            path = MIRROR / file.path
            if path.is_file():
                assert path.stat().st_size == file.size
                assert sha256(path) == file.sha256


# -- the sets, fetched through the real download code ---------------------------


@needs_mirror
@pytest.mark.parametrize("name", ["emotions", "yeast", "medical", "enron"])
def test_fetched_set_equals_the_shared_archive(name, mirror_url, tmp_path):
    mirror_url()
    fetched = fetch_mulan(name, data_home=tmp_path)
    assert_same_set(fetched, load_npz(SHARED / f"{name}.npz"))
    # The downloaded files are the registry's, byte for byte.
    for file in _mulan._registry()[1][name]:
        assert sha256(tmp_path / "mulan" / file.path) == file.sha256
    assert name in fetched.DESCR and "standard Mulan split" in fetched.DESCR


@needs_mirror
def test_birds_labels_with_quotes_and_nominal_location(mirror_url, tmp_path):
    # Label names such as 'Swainson\'s Thrush' are unescaped; the nominal
    # feature "location" is coded by declaration index, where the shared
    # archive keeps the declared number.
    mirror_url()
    fetched = fetch_mulan("birds", data_home=tmp_path)
    expected = load_npz(SHARED / "birds.npz")
    assert "Swainson's Thrush" in fetched.target_names
    j = fetched.feature_names.tolist().index("location")
    header = (MIRROR / "birds" / "birds-train.arff").read_text(encoding="utf-8")
    declared = re.search(r"@attribute location \{([^}]*)\}", header).group(1)
    numbers = np.array([float(value) for value in declared.split(",")])
    np.testing.assert_array_equal(
        numbers[fetched.data[:, j].astype(int)], expected.data[:, j]
    )
    fetched.data[:, j] = expected.data[:, j]
    assert_same_set(fetched, expected)


@needs_mirror
def test_subset_return_X_y_and_frames(mirror_url, tmp_path):
    mirror_url()
    whole = fetch_mulan("medical", data_home=tmp_path)
    for side in ("train", "test"):
        X, Y = fetch_mulan("medical", subset=side, data_home=tmp_path, return_X_y=True)
        rows = whole.split == side
        assert (X != whole.data[rows]).nnz == 0
        np.testing.assert_array_equal(Y, whole.target[rows])
    pd = pytest.importorskip("pandas")
    framed = fetch_mulan("medical", data_home=tmp_path, as_frame=True)
    assert list(framed.target.columns) == whole.target_names.tolist()
    assert list(framed.data.columns) == whole.feature_names.tolist()
    assert all(isinstance(t, pd.SparseDtype) for t in framed.data.dtypes)
    np.testing.assert_array_equal(framed.data.sparse.to_dense(), whole.data.toarray())
    np.testing.assert_array_equal(framed.target.to_numpy(), whole.target)
    assert framed.frame.shape == (978, 1449 + 45)


@needs_mirror
def test_second_call_reads_only_the_cache(mirror_url, tmp_path, monkeypatch):
    mirror_url()
    first = fetch_mulan("enron", data_home=tmp_path)
    shutil.rmtree(tmp_path / "mulan" / "enron")  # the raw files are not needed
    monkeypatch.setenv(_mulan.URL_VARIABLE, (tmp_path / "nowhere").as_uri())
    monkeypatch.setitem(sys.modules, "pooch", None)  # nor is pooch,
    monkeypatch.setitem(sys.modules, "arff", None)  # nor liac-arff
    second = fetch_mulan("enron", data_home=tmp_path, download_if_missing=False)
    assert_same_set(second, first)
    assert second.DESCR == first.DESCR
    with np.load(tmp_path / "mulan" / "enron.npz", allow_pickle=False) as cached:
        assert all(cached[key].dtype != object for key in cached.files)


@needs_mirror
def test_stale_or_unreadable_cache_is_rebuilt(mirror_url, tmp_path):
    mirror_url()
    cache = tmp_path / "mulan" / "emotions.npz"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"not an archive")
    assert_same_set(
        fetch_mulan("emotions", data_home=tmp_path), load_npz(SHARED / "emotions.npz")
    )
    np.savez(cache, mulan_format=1, mulan_sources=np.array(["other"]), DESCR="old")
    fetched = fetch_mulan("emotions", data_home=tmp_path)
    assert fetched.DESCR != "old"
    assert_same_set(fetched, load_npz(SHARED / "emotions.npz"))


# -- corrupted and missing files -----------------------------------------------


@needs_mirror
def test_corrupted_download_is_an_error_and_not_kept(mirror_url, tmp_path):
    mirror = copy_set(tmp_path)
    bad = mirror / "emotions" / "emotions-test.arff"
    data = bytearray(bad.read_bytes())
    data[-3] = ord("0") if data[-3] != ord("0") else ord("1")  # same size
    bad.write_bytes(bytes(data))
    url = mirror_url(mirror)
    home = tmp_path / "home"
    with pytest.raises(OSError, match=r"does not match the SHA-256.*not used"):
        fetch_mulan("emotions", data_home=home)
    assert not (home / "mulan" / "emotions" / "emotions-test.arff").exists()
    assert not (home / "mulan" / "emotions.npz").exists()
    # A good mirror then works, and no partial download was left behind.
    shutil.copyfile(MIRROR / "emotions" / "emotions-test.arff", bad)
    assert url
    assert_same_set(
        fetch_mulan("emotions", data_home=home), load_npz(SHARED / "emotions.npz")
    )
    leftovers = [p.name for p in (home / "mulan" / "emotions").iterdir()]
    assert sorted(leftovers) == sorted(
        ["emotions-train.arff", "emotions-test.arff", "emotions.xml"]
    )


@needs_mirror
def test_missing_file_is_an_error(mirror_url, tmp_path):
    mirror = copy_set(tmp_path)
    (mirror / "emotions" / "emotions.xml").unlink()
    url = mirror_url(mirror)
    home = tmp_path / "home"
    with pytest.raises(OSError, match="Could not download .*emotions.xml") as info:
        fetch_mulan("emotions", data_home=home)
    assert url in str(info.value)
    assert not (home / "mulan" / "emotions" / "emotions.xml").exists()
    assert not (home / "mulan" / "emotions.npz").exists()


@needs_mirror
def test_corrupted_cached_file(mirror_url, tmp_path):
    mirror_url()
    fetch_mulan("emotions", data_home=tmp_path)
    cached = tmp_path / "mulan" / "emotions" / "emotions.xml"
    (tmp_path / "mulan" / "emotions.npz").unlink()
    cached.write_text("<labels/>")
    # Downloading allowed: the bad copy is replaced.
    assert_same_set(
        fetch_mulan("emotions", data_home=tmp_path), load_npz(SHARED / "emotions.npz")
    )
    assert sha256(cached) == sha256(MIRROR / "emotions" / "emotions.xml")
    # Offline: an error, and the bad copy is deleted.
    (tmp_path / "mulan" / "emotions.npz").unlink()
    cached.write_text("<labels/>")
    with pytest.raises(OSError, match="does not match the registry's SHA-256"):
        fetch_mulan("emotions", data_home=tmp_path, download_if_missing=False)
    assert not cached.exists()


def test_nothing_cached_and_no_download_is_an_oserror(tmp_path, monkeypatch):
    monkeypatch.setenv(_mulan.URL_VARIABLE, MIRROR.resolve().as_uri())
    with pytest.raises(OSError, match="not in the cache.*download_if_missing"):
        fetch_mulan("yeast", data_home=tmp_path, download_if_missing=False)
    assert not any((tmp_path / "mulan").rglob("*.*"))


# -- a set without an upstream split (cal500's case) ----------------------------


@needs_mirror
def test_set_without_split_gets_the_documented_seeded_split(
    mirror_url, tmp_path, monkeypatch
):
    # A one-file set built from emotions' training rows, registered like
    # cal500 (one ARFF and its XML).
    mirror = tmp_path / "mirror"
    (mirror / "toy").mkdir(parents=True)
    shutil.copyfile(
        MIRROR / "emotions" / "emotions-train.arff", mirror / "toy" / "toy.arff"
    )
    shutil.copyfile(MIRROR / "emotions" / "emotions.xml", mirror / "toy" / "toy.xml")
    commit, sets = _mulan._registry()
    files = [
        _mulan._File(
            f"toy/{name}",
            (mirror / "toy" / name).stat().st_size,
            sha256(mirror / "toy" / name),
        )
        for name in ("toy.arff", "toy.xml")
    ]
    monkeypatch.setattr(_mulan, "_registry", lambda: (commit, {**sets, "toy": files}))
    mirror_url(mirror)
    fetched = fetch_mulan("toy", data_home=tmp_path / "home")

    whole = load_npz(SHARED / "emotions.npz", subset="train")  # the same rows
    n = whole.target.shape[0]
    order = np.random.RandomState(0).permutation(n)
    test = np.sort(order[: round(n / 3)])
    train = np.sort(order[round(n / 3) :])
    np.testing.assert_array_equal(fetched.data, whole.data[np.r_[train, test]])
    np.testing.assert_array_equal(fetched.target, whole.target[np.r_[train, test]])
    assert (fetched.split == "test").sum() == 130 == round(n / 3)
    assert "seeded split" in fetched.DESCR


# -- bad calls --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Emotions", "mediamill", 3, None])
def test_unknown_set_is_a_valueerror(name, tmp_path):
    with pytest.raises(ValueError, match="Unknown Mulan set.*emotions, scene"):
        fetch_mulan(name, data_home=tmp_path)


def test_bad_subset_is_a_valueerror(tmp_path):
    with pytest.raises(ValueError, match="subset must be one of"):
        fetch_mulan("emotions", subset="validation", data_home=tmp_path)


@pytest.mark.parametrize("url", ["/data/mulan", "ftp://host/mulan", "C:/mulan"])
def test_mirror_url_must_be_file_or_http(url, tmp_path, monkeypatch, downloads):
    monkeypatch.setenv(_mulan.URL_VARIABLE, url)
    with pytest.raises(ValueError, match="SKMULTILABEL_MULAN_URL.*file://"):
        fetch_mulan("emotions", data_home=tmp_path)
    assert not (tmp_path / "mulan" / "emotions.npz").exists()


def test_missing_pooch_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pooch", None)
    with pytest.raises(ImportError, match=r"skmultilabel\[fetch\]"):
        fetch_mulan("emotions", data_home=tmp_path)


@needs_mirror
def test_missing_liac_arff_names_the_extra(mirror_url, tmp_path, monkeypatch):
    mirror_url()
    monkeypatch.setitem(sys.modules, "arff", None)
    with pytest.raises(ImportError, match=r"skmultilabel\[fetch\]"):
        fetch_mulan("emotions", data_home=tmp_path)
    assert not (tmp_path / "mulan" / "emotions.npz").exists()


def test_load_arff_unescapes_quoted_attribute_names(tmp_path):
    # As in birds: liac-arff keeps the backslash of 'Swainson\'s Thrush'.
    pytest.importorskip("arff", reason="needs liac-arff: pip install liac-arff")
    path = tmp_path / "quoted.arff"
    path.write_text(
        "@relation quoted\n"
        "@attribute 'width\\'s \\\\ size' numeric\n"
        '@attribute "a \\"b\\" c" numeric\n'
        "@attribute 'Swainson\\'s Thrush' {0,1}\n"
        "@data\n1.5,2,1\n0,3,0\n",
        encoding="utf-8",
    )
    loaded = load_arff(path, label_count=1)
    assert loaded.feature_names.tolist() == ["width's \\ size", 'a "b" c']
    assert loaded.target_names.tolist() == ["Swainson's Thrush"]
    np.testing.assert_array_equal(loaded.target.ravel(), [1, 0])
