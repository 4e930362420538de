"""load_split: a set's standard split from its loader, or a stated fallback.

The sets come from the loaders themselves: the bundled emotions, and Mulan's
sets through fetch_mulan from a mirror (the one ``SKMULTILABEL_MULAN_URL``
names, else ``../shared/datasets/mulan`` beside the checkout, as in CI) into
an empty cache. The cases where a set cannot be had (nothing cached offline,
a download that fails, pooch missing) and the errors that are never replaced
by a fallback (a file failing its SHA-256 check, a bad mirror URL) need no
mirror. Nothing here touches the network or the user's data folder.
"""

from __future__ import annotations

import os
import shutil
import sys
import warnings
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import numpy as np
import pytest
import scipy.sparse as sp

from skmultilabel.datasets import _mulan, _split, fetch_mulan, load_emotions, load_split

MIRROR = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "mulan"
KEYS = {
    "X_train",
    "Y_train",
    "X_test",
    "Y_test",
    "feature_names",
    "target_names",
    "name",
    "reason",
    "DESCR",
}


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    """An empty scikit-learn data folder, the default cache of every test."""
    home = tmp_path / "scikit_learn_data"
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(home))
    monkeypatch.delenv(_mulan.URL_VARIABLE, raising=False)
    return home


@pytest.fixture
def downloads():
    pytest.importorskip("pooch", reason="needs pooch: pip install skmultilabel[fetch]")
    pytest.importorskip("arff", reason="needs liac-arff: pip install liac-arff")


# Read before the autouse fixture removes it from the tests' environment.
ENV_MIRROR = os.environ.get(_mulan.URL_VARIABLE)


@pytest.fixture
def mirror(monkeypatch, downloads):
    """fetch_mulan downloads from a Mulan mirror, or the test skips."""
    if not ENV_MIRROR and not MIRROR.is_dir():
        pytest.skip(
            f"no Mulan mirror: set {_mulan.URL_VARIABLE} to one (file:// or "
            "http:// URL of a data/multi-label folder) or put the project's "
            f"shared/datasets/mulan at {MIRROR}"
        )
    url = ENV_MIRROR or MIRROR.resolve().as_uri()
    monkeypatch.setenv(_mulan.URL_VARIABLE, url)
    return url


@pytest.fixture
def mirror_folder():
    """The mirror as a local folder, for tests that copy files from it."""
    folder = MIRROR
    if ENV_MIRROR and urlsplit(ENV_MIRROR).scheme == "file":
        folder = Path(url2pathname(urlsplit(ENV_MIRROR).path))
    if not folder.is_dir():
        pytest.skip(f"no local Mulan mirror folder ({ENV_MIRROR or MIRROR})")
    return folder


def assert_same_arrays(data, train, test):
    """``data``'s four arrays equal the loader's (X, Y) of each side."""
    for X, expected in ((data.X_train, train[0]), (data.X_test, test[0])):
        assert sp.issparse(X) == sp.issparse(expected)
        assert X.dtype == expected.dtype and X.shape == expected.shape
        if sp.issparse(X):
            assert X.format == expected.format == "csr"
            assert (X != expected).nnz == 0
        else:
            np.testing.assert_array_equal(X, expected)
    for Y, expected in ((data.Y_train, train[1]), (data.Y_test, test[1])):
        assert Y.dtype == expected.dtype == np.uint8
        np.testing.assert_array_equal(Y, expected)


def assert_is_emotions(data):
    whole = load_emotions()
    assert set(data) == KEYS
    assert data.name == "emotions"
    assert_same_arrays(
        data,
        load_emotions(subset="train", return_X_y=True),
        load_emotions(subset="test", return_X_y=True),
    )
    np.testing.assert_array_equal(data.feature_names, whole.feature_names)
    np.testing.assert_array_equal(data.target_names, whole.target_names)
    assert data.DESCR == whole.DESCR


def cached_files(home):
    return sorted(p for p in Path(home).rglob("*") if p.is_file())


@pytest.fixture
def no_download(monkeypatch):
    """Any call of fetch_mulan, or import of pooch, fails the test."""

    def fail(*args, **kwargs):
        raise AssertionError(f"fetch_mulan called with {args} {kwargs}")

    monkeypatch.setattr(_split, "fetch_mulan", fail)
    monkeypatch.setitem(sys.modules, "pooch", None)


# -- the sets, as their loaders give them -----------------------------------------


@pytest.mark.parametrize("download_if_missing", [True, False])
def test_emotions_is_the_bundled_copy_and_never_downloads(
    download_if_missing, data_home, monkeypatch, no_download
):
    monkeypatch.setenv(_mulan.URL_VARIABLE, "file:///nowhere")
    data = load_split("emotions", download_if_missing=download_if_missing)
    assert_is_emotions(data)
    assert data.reason is None
    assert cached_files(data_home) == []


def test_emotions_as_fallback_never_downloads(data_home, no_download):
    data = load_split("emotions", fallback="emotions")
    assert_is_emotions(data)
    assert data.reason is None


def test_mulan_set_equals_fetch_mulan_through_the_env_cache(mirror, data_home):
    data = load_split("medical")  # sparse rows
    assert set(data) == KEYS
    assert (data.name, data.reason) == ("medical", None)
    assert (data_home / "mulan" / "medical.npz").is_file()  # the env's cache
    assert_same_arrays(
        data,
        fetch_mulan("medical", subset="train", return_X_y=True),
        fetch_mulan("medical", subset="test", return_X_y=True),
    )
    whole = fetch_mulan("medical")
    np.testing.assert_array_equal(data.feature_names, whole.feature_names)
    np.testing.assert_array_equal(data.target_names, whole.target_names)
    assert data.DESCR == whole.DESCR
    assert data.X_train.shape == (333, 1449) and data.Y_test.shape == (645, 45)


def test_data_home_and_cache_only(mirror, tmp_path, monkeypatch):
    home = tmp_path / "elsewhere"
    first = load_split("medical", data_home=home)
    assert (home / "mulan" / "medical.npz").is_file()
    # Cached: read offline, with no mirror and no pooch.
    monkeypatch.setenv(_mulan.URL_VARIABLE, (tmp_path / "nowhere").as_uri())
    monkeypatch.setitem(sys.modules, "pooch", None)
    second = load_split(
        "medical", fallback="emotions", data_home=home, download_if_missing=False
    )
    assert (second.name, second.reason) == ("medical", None)
    assert_same_arrays(
        second, (first.X_train, first.Y_train), (first.X_test, first.Y_test)
    )


# -- a set that cannot be had: the fallback, stated -------------------------------


def loaded_without_warning(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return load_split(*args, **kwargs)


def test_not_cached_offline_falls_back_and_says_why(data_home):
    data = loaded_without_warning(
        "yeast", fallback="emotions", download_if_missing=False
    )
    assert_is_emotions(data)
    assert data.reason.startswith("yeast is not available: yeast is not in the cache")
    assert "download_if_missing is False" in data.reason
    assert "\n" not in data.reason
    assert cached_files(data_home) == []


def test_failed_download_falls_back(data_home, tmp_path, monkeypatch, downloads):
    empty = tmp_path / "empty mirror"
    empty.mkdir()
    monkeypatch.setenv(_mulan.URL_VARIABLE, empty.as_uri())
    data = loaded_without_warning("scene", fallback="emotions")
    assert_is_emotions(data)
    assert data.reason.startswith("scene is not available: Could not download ")
    assert empty.as_uri() in data.reason
    assert not (data_home / "mulan" / "scene.npz").exists()


def test_missing_pooch_falls_back(data_home, monkeypatch):
    monkeypatch.setitem(sys.modules, "pooch", None)
    data = loaded_without_warning("enron", fallback="emotions")
    assert_is_emotions(data)
    assert r"pip install skmultilabel[fetch]" in data.reason


def test_fallback_to_another_mulan_set(mirror, data_home, monkeypatch):
    load_split("medical")  # cached
    monkeypatch.setitem(sys.modules, "pooch", None)
    data = load_split("genbase", fallback="medical")
    assert (data.name, data.X_train.shape) == ("medical", (333, 1449))
    assert data.reason.startswith("genbase is not available: ")


# -- errors that are raised, fallback or not --------------------------------------


def same_error(call, expected):
    """``call()`` raises the error ``expected()`` raises, same type and text."""
    with pytest.raises(Exception) as ours:
        call()
    with pytest.raises(Exception) as theirs:
        expected()
    assert type(ours.value) is type(theirs.value)
    assert str(ours.value) == str(theirs.value)
    return ours.value


def test_without_fallback_the_loaders_error_is_raised(data_home, monkeypatch):
    error = same_error(
        lambda: load_split("yeast", download_if_missing=False),
        lambda: fetch_mulan("yeast", subset="train", download_if_missing=False),
    )
    assert isinstance(error, OSError)
    monkeypatch.setitem(sys.modules, "pooch", None)
    error = same_error(
        lambda: load_split("yeast"), lambda: fetch_mulan("yeast", subset="train")
    )
    assert isinstance(error, ImportError)
    assert cached_files(data_home) == []


def test_fallback_equal_to_name_is_no_fallback(data_home):
    with pytest.raises(OSError, match="yeast is not in the cache") as info:
        load_split("yeast", fallback="yeast", download_if_missing=False)
    assert info.value.__context__ is None  # raised at once, not tried twice


def test_fallback_that_fails_too_raises_its_own_error(data_home):
    with pytest.raises(OSError, match="enron is not in the cache") as info:
        load_split("yeast", fallback="enron", download_if_missing=False)
    assert "yeast is not in the cache" in str(info.value.__context__)


def test_corrupted_cached_file_is_raised_not_replaced(data_home):
    # Every file of yeast is in the cache, but not the registry's bytes.
    for file in _mulan._registry()[1]["yeast"]:
        path = data_home / "mulan" / file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("not yeast")
    with pytest.raises(OSError, match="does not match the registry's SHA-256"):
        load_split("yeast", fallback="emotions", download_if_missing=False)
    # fetch_mulan deleted the bad file: offline, now simply not cached.
    data = load_split("yeast", fallback="emotions", download_if_missing=False)
    assert data.name == "emotions" and "not in the cache" in data.reason


def test_corrupted_download_is_raised_not_replaced(
    mirror_folder, data_home, tmp_path, monkeypatch, downloads
):
    copy = tmp_path / "mirror"
    shutil.copytree(mirror_folder / "medical", copy / "medical")
    bad = copy / "medical" / "medical-test.arff"
    data = bytearray(bad.read_bytes())
    data[-3] = ord("0") if data[-3] != ord("0") else ord("1")  # same size
    bad.write_bytes(bytes(data))
    monkeypatch.setenv(_mulan.URL_VARIABLE, copy.as_uri())
    with pytest.raises(OSError, match=r"does not match the SHA-256.*not used"):
        load_split("medical", fallback="emotions")
    assert not (data_home / "mulan" / "medical.npz").exists()


@pytest.mark.parametrize("url", ["/data/mulan", "ftp://host/mulan"])
def test_bad_mirror_url_is_raised_not_replaced(url, monkeypatch, downloads):
    monkeypatch.setenv(_mulan.URL_VARIABLE, url)
    with pytest.raises(ValueError, match="SKMULTILABEL_MULAN_URL.*file://"):
        load_split("yeast", fallback="emotions")


# -- bad calls ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Emotions", "mediamill", "yeast "])
def test_unknown_name_lists_the_known_ones(name, no_download):
    with pytest.raises(ValueError, match=r"Unknown data set .* for name; ") as info:
        load_split(name, fallback="emotions")
    assert all(known in str(info.value) for known in _mulan._registry()[1])


@pytest.mark.parametrize("fallback", ["Emotions", "synthetic", ""])
def test_unknown_fallback_is_refused_before_loading(fallback, no_download):
    # Even when name itself can be had: a typo would surface only offline.
    with pytest.raises(ValueError, match=r"Unknown data set .* for fallback; "):
        load_split("emotions", fallback=fallback)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"name": 3}, "name must be a str"),
        ({"name": None}, "name must be a str"),
        ({"name": "emotions", "fallback": ["emotions"]}, "fallback must be a str"),
        ({"name": "emotions", "download_if_missing": "no"}, "must be a bool"),
        ({"name": "emotions", "download_if_missing": None}, "must be a bool"),
    ],
)
def test_bad_types_are_typeerrors(kwargs, match, no_download):
    name = kwargs.pop("name")
    with pytest.raises(TypeError, match=match):
        load_split(name, **kwargs)
