"""``skmultilabel compare`` end to end, in process and once as a subprocess."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from skmultilabel import LabelPowersetClassifier
from skmultilabel.__main__ import main

pytestmark = pytest.mark.filterwarnings("ignore:.*label sets:UserWarning")

ARFF = """@relation 'toy: -C -2'
@attribute f0 numeric
@attribute f1 numeric
@attribute a {0,1}
@attribute b {0,1}
@data
"""


def toy_arff(path, n=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0]).astype(int)
    rows = [f"{x0:.4f},{x1:.4f},{a},{b}" for (x0, x1), (a, b) in zip(X, Y, strict=True)]
    path.write_text(ARFF + "\n".join(rows) + "\n")
    return path


def run(capsys, *args):
    status = main(["compare", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_compare_bundled_table(capsys):
    status, out, err = run(capsys, "--estimator", "nb")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("emotions (bundled with skmultilabel): 391 train / 202")
    assert "standard split" in lines[0]
    assert "binary relevance" in lines[3] and "label powerset" in lines[3]
    for title in (
        "Hamming loss",
        "subset accuracy",
        "F1 micro",
        "F1 macro",
        "F1 samples",
        "fit time (s)",
        "predict time (s)",
        "2**labels",
        "distinct label sets in train",
        "train rows per label set (mean)",
        "test rows whose label set is not in train",
    ):
        assert sum(title in line for line in lines) == 1, title
    row = next(line for line in lines if "distinct label sets in train" in line)
    assert row.split()[-1] == "26"
    row = next(line for line in lines if "2**labels" in line)
    assert row.split()[-1] == "64"
    row = next(line for line in lines if "cannot get exactly right" in line)
    assert row.split()[-4:] == ["0", "4", "of", "202"] or "4 of 202" in row
    assert "fitting binary relevance" in err and "fitting label powerset" in err
    assert "Traceback" not in err


def test_compare_json(capsys):
    status, out, err = run(capsys, "--estimator", "tree", "--json", "--quiet")
    assert status == 0 and err == ""
    report = json.loads(out)
    data = report["data"]
    assert (data["train_rows"], data["test_rows"], data["labels"]) == (391, 202, 6)
    assert data["label_space"] == 64 and data["label_sets_train"] == 26
    assert data["test_rows_unseen_label_set"] == 4
    assert report["estimator"]["name"] == "tree" and report["random_state"] == 0
    br = report["methods"]["binary_relevance"]
    lp = report["methods"]["label_powerset"]
    for key in ("hamming_loss", "subset_accuracy", "f1_micro", "f1_macro"):
        assert 0 <= br[key] <= 1 and 0 <= lp[key] <= 1
    assert br["fit_seconds"] > 0 and lp["predict_seconds"] > 0
    assert br["summary"]["models fitted"] == "6 x 2 classes"
    assert lp["summary"]["models fitted"] == "1 x 26 classes"
    assert br["summary"]["label sets it can predict"] == "64"
    assert lp["test_rows_out_of_reach"] == 4
    assert (br["title"], lp["class"]) == ("binary relevance", "LabelPowersetClassifier")


def test_compare_is_reproducible(capsys):
    def scores():
        _, out, _ = run(capsys, "--estimator", "tree", "--json", "-q")
        methods = json.loads(out)["methods"]
        return {m: methods[m]["hamming_loss"] for m in methods}

    assert scores() == scores()


def test_compare_plot(capsys, tmp_path):
    path = tmp_path / "compare.png"
    status, _, err = run(capsys, "--estimator", "nb", "--plot", str(path))
    assert status == 0
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"wrote {path}" in err


def test_compare_arff_without_split(capsys, tmp_path):
    path = toy_arff(tmp_path / "toy.arff")
    status, out, _ = run(capsys, "--data", str(path), "--estimator", "tree")
    assert status == 0
    assert "toy.arff: 30 train / 10 test rows (no split in the file: 25% of rows" in out
    assert "random_state=0" in out.splitlines()[0]


def test_compare_arff_with_test_file_and_xml(capsys, tmp_path):
    train = toy_arff(tmp_path / "train.arff", seed=0)
    test = toy_arff(tmp_path / "test.arff", n=12, seed=1)
    xml = tmp_path / "toy.xml"
    xml.write_text('<labels><label name="a"/><label name="b"/></labels>')
    args = ["--data", str(train), "--test", str(test), "--xml", str(xml)]
    status, out, _ = run(capsys, *args, "--estimator", "nb", "--json")
    assert status == 0
    report = json.loads(out)
    assert report["data"]["split"] == "test rows from test.arff"
    assert (report["data"]["train_rows"], report["data"]["test_rows"]) == (40, 12)
    assert report["data"]["label_names"] == ["a", "b"]


def test_compare_npz(capsys, tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    Y = (X[:, :2] > 0).astype(np.uint8)
    np.savez(tmp_path / "mine.npz", X=X, Y=Y)
    status, out, _ = run(
        capsys, "--data", str(tmp_path / "mine.npz"), "--test-size", "0.5",
        "--estimator", "knn", "--min-count", "2",
    )  # fmt: skip
    assert status == 0
    assert "30 train / 30 test rows (no split in the file: 50%" in out
    assert "min_count=2" in out


def one_line_error(err):
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("skmultilabel compare: error: ")
    assert "Traceback" not in err
    return lines[0]


def test_missing_file(capsys, tmp_path):
    status, out, err = run(capsys, "--data", str(tmp_path / "nowhere.arff"))
    assert status == 2 and out == ""
    assert str(tmp_path / "nowhere.arff") in one_line_error(err)


def test_malformed_file(capsys, tmp_path):
    path = toy_arff(tmp_path / "bad.arff")
    path.write_text(path.read_text().replace("f1 numeric", "f1 blob"))
    status, out, err = run(capsys, "--data", str(path))
    assert status == 2 and out == ""
    assert "malformed ARFF" in one_line_error(err) and "line 3" in err


def test_arff_labels_unknown(capsys, tmp_path):
    path = toy_arff(tmp_path / "toy.arff")
    path.write_text(path.read_text().replace("-C -2", "no labels"))
    (tmp_path / "other.xml").write_text('<labels><label name="a"/></labels>')
    status, _, err = run(capsys, "--data", str(path))
    assert status == 2
    assert "cannot tell which attributes are labels" in one_line_error(err)
    assert "'other.xml'" in err and "--xml" in err and "--labels" in err


def test_malformed_npz(capsys, tmp_path):
    (tmp_path / "junk.npz").write_bytes(b"junk")
    status, _, err = run(capsys, "--data", str(tmp_path / "junk.npz"))
    assert status == 2
    assert "not a readable .npz archive" in one_line_error(err)


def test_dense_only_estimator_on_sparse_data(capsys, tmp_path):
    text = ARFF + "{0 1.5,2 1}\n{1 2,3 1}\n{0 1,1 1,2 1,3 1}\n{}\n" * 3
    (tmp_path / "s.arff").write_text(text)
    status, _, err = run(
        capsys, "--data", str(tmp_path / "s.arff"), "--estimator", "nb"
    )
    assert status == 2
    assert "needs dense features" in one_line_error(err)


def test_usage_errors(capsys):
    for args in (["--estimator", "magic"], ["--labels", "0"], ["--test-size", "2"]):
        with pytest.raises(SystemExit) as exit_info:
            main(["compare", *args])
        assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
    capsys.readouterr()
    status, _, err = run(capsys, "--test", "x.arff")
    assert status == 2 and "--test needs --data" in one_line_error(err)
    status, _, err = run(capsys, "--plot", "/no/such/folder/x.png")
    assert status == 2 and "no folder" in one_line_error(err)


def test_python_dash_m_json():
    completed = subprocess.run(
        [sys.executable, "-m", "skmultilabel", "compare", "--json",
         "--estimator", "nb"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    assert report["data"]["name"] == "emotions (bundled with skmultilabel)"
    assert "fitting label powerset" in completed.stderr


def test_load_warnings_become_one_line_notes_even_quiet(capsys, tmp_path):
    path = toy_arff(tmp_path / "toy.arff")
    path.write_text(path.read_text().replace("-C -2", "-C 1"))
    # toy.xml beside toy.arff is used; its labels disagree with '-C 1'.
    (tmp_path / "toy.xml").write_text(
        '<labels><label name="a"/><label name="b"/></labels>'
    )
    for quiet in ([], ["-q"]):
        status, out, err = run(capsys, "--data", str(path), "--estimator", "nb", *quiet)
        assert status == 0
        notes = [line for line in err.splitlines() if "note:" in line]
        assert len(notes) == 1 and "from toy.xml, found beside it" in notes[0]
        assert "'-C 1' says otherwise" in notes[0]
        assert "2 labels (labels XML toy.xml, found beside the file)" in out
        assert ("fitting" in err) is not bool(quiet)


# -- the registry of methods ---------------------------------------------------


class SmallPowersetClassifier(LabelPowersetClassifier):
    """A new public estimator, as another branch would add one."""

    def _compare_summary(self):
        return {**super()._compare_summary(), "largest softmax": "42 outputs"}


class WrapperOfAModel(LabelPowersetClassifier):
    _compare_columns = {}  # not a column


@pytest.fixture
def new_estimators(monkeypatch):
    import skmultilabel

    for cls in (SmallPowersetClassifier, WrapperOfAModel):
        monkeypatch.setattr(skmultilabel, cls.__name__, cls, raising=False)
    names = [*skmultilabel.__all__, "SmallPowersetClassifier", "WrapperOfAModel"]
    monkeypatch.setattr(skmultilabel, "__all__", names)


def test_new_estimator_in_table_json_and_plot(capsys, tmp_path, new_estimators):
    from skmultilabel._compare import compare, load_dataset
    from skmultilabel._compare_methods import method_registry
    from skmultilabel._compare_report import _figure

    # Every column of the package's estimators, then the new one's.
    expected = [method.title for method in method_registry()]
    assert expected[:2] == ["binary relevance", "label powerset"]
    assert expected[-1] == "small powerset"
    status, out, err = run(capsys, "--estimator", "nb")
    assert status == 0
    header = out.splitlines()[3].split("  ")
    titles = [cell.strip() for cell in header if cell.strip()]
    assert titles == expected
    assert "fitting small powerset" in err and "wrapper" not in err
    row = next(line for line in out.splitlines() if "largest softmax" in line)
    assert row.split()[-2:] == ["42", "outputs"]
    cost = out.index("cost\n")
    assert cost < out.index("largest softmax") < out.index("label sets\n")
    status, out, _ = run(capsys, "--estimator", "nb", "--json", "-q")
    methods = json.loads(out)["methods"]
    assert list(methods) == [method.key for method in method_registry()]
    assert methods["small_powerset"]["class"] == "SmallPowersetClassifier"
    assert methods["small_powerset"]["summary"]["largest softmax"] == "42 outputs"
    # "-" in the table for every method without that row (RAkEL has one).
    without = [m for m in methods.values() if "largest softmax" not in m["summary"]]
    assert row.count("-") == len(without) > 0
    assert methods["small_powerset"]["test_rows_out_of_reach"] == 4
    pytest.importorskip("matplotlib")
    figure = _figure(compare(load_dataset(), "nb"))
    legend = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert legend == expected
    assert len(figure.axes[1].patches) == len(expected) * 2  # fit and predict


def test_methods_option_and_min_count_for_all(capsys, new_estimators):
    from skmultilabel.datasets import load_emotions

    status, out, _ = run(
        capsys, "--estimator", "nb", "--json", "-q",
        "--methods", "small powerset,LabelPowersetClassifier", "--min-count", "2",
    )  # fmt: skip
    assert status == 0
    report = json.loads(out)
    assert list(report["methods"]) == ["small_powerset", "label_powerset"]
    assert report["min_count_methods"] == ["small powerset", "label powerset"]
    # min_count=2 reached both: only the label sets seen twice are classes.
    _, counts = np.unique(
        load_emotions(subset="train").target, axis=0, return_counts=True
    )
    kept = f"1 x {np.sum(counts >= 2)} classes"
    for method in report["methods"].values():
        assert method["summary"]["models fitted"] == kept
    status, _, err = run(capsys, "--methods", "magic")
    assert status == 2
    assert "Unknown method 'magic'" in one_line_error(err) and "'label_powerset'" in err


def test_registry_titles_and_duplicates(monkeypatch, new_estimators):
    import skmultilabel
    from skmultilabel._compare_methods import method_registry

    titles = [method.title for method in method_registry()]
    assert titles[:2] == ["binary relevance", "label powerset"]
    assert "small powerset" in titles and not any("wrapper" in t for t in titles)

    class Twin(LabelPowersetClassifier):
        _compare_columns = {"Label Powerset": {"min_count": 2}}

    monkeypatch.setattr(skmultilabel, "Twin", Twin, raising=False)
    monkeypatch.setattr(skmultilabel, "__all__", [*skmultilabel.__all__, "Twin"])
    with pytest.raises(ValueError, match="Two compare columns titled 'Label Powerset'"):
        method_registry()


# -- progress, cross-validation, pipes -----------------------------------------


def test_progress_for_every_method_and_quiet(capsys):
    status, _, err = run(capsys, "--estimator", "nb")
    assert status == 0
    lines = err.splitlines()
    # Binary relevance reports each label through its own verbose.
    assert sum("fitted label" in line for line in lines) >= 1
    for title in ("binary relevance", "label powerset"):
        assert any(f"fitting {title} ..." in line for line in lines)
        assert any(line.startswith(f"skmultilabel: {title}: fit ") for line in lines)
    status, _, err = run(capsys, "--estimator", "nb", "-q")
    assert status == 0 and "fitting" not in err and "fitted label" not in err


def test_heartbeat_during_a_single_long_fit(monkeypatch):
    # The base fit blocks until the heartbeat has spoken: no timing involved.
    import threading

    from sklearn.naive_bayes import GaussianNB

    import skmultilabel._compare as compare_module
    from skmultilabel._compare import compare, load_dataset

    spoken = threading.Event()

    class WaitingNB(GaussianNB):
        def fit(self, X, y, sample_weight=None):
            assert spoken.wait(60), "no heartbeat while the fit was running"
            return super().fit(X, y, sample_weight)

    def say(message):
        lines.append(message)
        if "still fitting" in message:
            spoken.set()

    lines = []
    monkeypatch.setattr(compare_module, "HEARTBEAT_SECONDS", 0.01)
    monkeypatch.setattr(compare_module, "make_estimator", lambda *a, **k: WaitingNB())
    monkeypatch.setattr(compare_module, "_warm_up", lambda *args: None)
    compare(load_dataset(), methods=["label powerset"], progress=say)
    beats = [line for line in lines if "still fitting" in line]
    assert beats[0].startswith("label powerset: still fitting, ")
    assert beats[0].endswith(" s elapsed")
    assert lines[-1].startswith("label powerset: fit ")


def test_cv_gives_mean_and_std(capsys):
    status, out, _ = run(capsys, "--estimator", "nb", "--cv", "3", "--json", "-q")
    assert status == 0
    report = json.loads(out)
    assert report["cv"] == 3 and "3-fold" in report["data"]["split"]
    for method in report["methods"].values():
        for key in ("hamming_loss", "f1_micro", "fit_seconds"):
            value = method[key]
            assert len(value["folds"]) == 3
            assert value["mean"] == pytest.approx(np.mean(value["folds"]))
            assert value["std"] == pytest.approx(np.std(value["folds"]))
    assert sum(report["data"]["test_rows"]["folds"]) == 593
    status, out, _ = run(capsys, "--estimator", "nb", "--cv", "3", "-q")
    assert "mean ± std over 3 folds" in out
    for line in out.splitlines():
        if any(title in line for title in ("Hamming", "subset accuracy", "F1 ")):
            assert line.count("±") == len(report["methods"]), line
    with pytest.raises(SystemExit):
        main(["compare", "--cv", "1"])


def _env():
    import os
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[1])
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": root + (os.pathsep + path if path else "")}


COMMAND = [sys.executable, "-m", "skmultilabel", "compare", "--estimator", "nb"]


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_reader_closing_the_pipe_first_exits_0(extra):
    import os

    read, write = os.pipe()
    os.close(read)  # the reader is gone before a byte is written
    completed = subprocess.run(
        [*COMMAND, *extra, "-q"], stdout=write, stderr=subprocess.PIPE,
        env=_env(), timeout=300, check=False,
    )  # fmt: skip
    os.close(write)
    assert completed.returncode == 0, completed.stderr
    assert b"Traceback" not in completed.stderr
    assert b"Exception ignored" not in completed.stderr


def test_piped_into_head_exits_0():
    import shlex

    command = " ".join(shlex.quote(part) for part in COMMAND)
    for redirect in ("", "2>&1"):
        completed = subprocess.run(
            ["bash", "-c", f"set -o pipefail; {command} {redirect} | head -1"],
            capture_output=True, text=True, env=_env(), timeout=300, check=False,
        )  # fmt: skip
        assert completed.returncode == 0, completed.stderr
        assert len(completed.stdout.splitlines()) == 1
        assert "Traceback" not in completed.stderr
        assert "Exception ignored" not in completed.stderr


# -- real Mulan files ---------------------------------------------------------

ARFF_DIR = next(
    (
        folder / "shared" / "datasets" / "arff"
        for folder in Path(__file__).resolve().parents
        if (folder / "shared" / "datasets" / "arff").is_dir()
    ),
    None,
)
needs_arff = pytest.mark.skipif(ARFF_DIR is None, reason="no shared/datasets/arff")


def copy_real(folder, *names):
    for name in names:
        shutil.copy(ARFF_DIR / name, folder / name)
    return str(folder / names[0])


@needs_arff
def test_real_medical_alone_is_refused(capsys, tmp_path):
    path = copy_real(tmp_path, "medical-train.arff")
    status, out, err = run(capsys, "--data", path, "-q")
    assert status == 2 and out == ""
    line = one_line_error(err)
    assert "'-C 45' is followed by a chain of Weka filters" in line
    assert "--xml" in line and "--labels" in line


@needs_arff
def test_real_medical_with_xml_beside(capsys, tmp_path):
    path = copy_real(tmp_path, "medical-train.arff", "medical.xml")
    status, out, err = run(capsys, "--data", path, "--estimator", "tree", "-q")
    assert status == 0
    first = out.splitlines()[0]
    assert "333 rows" not in first and "no split in the file" in first
    assert "1449 sparse features, 45 labels" in first
    assert "(labels XML medical.xml, found beside the file)" in first
    notes = [line for line in err.splitlines() if "note:" in line]
    assert any("'-C 45' says otherwise" in note for note in notes)


@needs_arff
def test_real_medical_train_and_test_beside(capsys, tmp_path):
    path = copy_real(tmp_path, "medical-train.arff", "medical-test.arff", "medical.xml")
    status, out, _ = run(capsys, "--data", path, "--estimator", "tree", "--json")
    assert status == 0
    data = json.loads(out)["data"]
    assert data["split"] == (
        "test rows from medical-test.arff, found beside medical-train.arff"
    )
    assert (data["train_rows"], data["test_rows"], data["labels"]) == (333, 645, 45)


def test_progress_and_cv_in_a_subprocess():
    completed = subprocess.run(
        [*COMMAND, "--cv", "2"], capture_output=True, text=True, env=_env(),
        timeout=300, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert "mean ± std over 2 folds" in completed.stdout
    for fold in (1, 2):
        for title in ("binary relevance", "label powerset"):
            assert f"fold {fold}/2: fitting {title} ..." in completed.stderr
    quiet = subprocess.run(
        [*COMMAND, "--cv", "2", "-q"], capture_output=True, text=True, env=_env(),
        timeout=300, check=False,
    )  # fmt: skip
    assert quiet.returncode == 0 and quiet.stderr == ""

    def scores(out):
        return [line for line in out.splitlines() if "±" in line and "F1" in line]

    assert len(scores(quiet.stdout)) == 3  # same scores, quiet or not
    assert scores(quiet.stdout) == scores(completed.stdout)


# -- --data mulan:NAME ----------------------------------------------------------

MULAN_MIRROR = (
    Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "mulan"
)


@pytest.fixture
def mulan_mirror(monkeypatch, tmp_path):
    """fetch_mulan reads a mirror into an empty cache, or the test skips.

    The mirror is the one ``SKMULTILABEL_MULAN_URL`` names, else
    ``../shared/datasets/mulan`` beside the checkout (as in CI).
    """
    from skmultilabel.datasets._mulan import URL_VARIABLE

    pytest.importorskip("pooch", reason="needs pooch: pip install skmultilabel[fetch]")
    pytest.importorskip("arff", reason="needs liac-arff: pip install liac-arff")
    import os

    if not os.environ.get(URL_VARIABLE):
        if not MULAN_MIRROR.is_dir():
            pytest.skip(
                f"no Mulan mirror: set {URL_VARIABLE} to one (file:// or "
                "http:// URL of a data/multi-label folder) or put the project's "
                f"shared/datasets/mulan at {MULAN_MIRROR}"
            )
        monkeypatch.setenv(URL_VARIABLE, MULAN_MIRROR.resolve().as_uri())
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(tmp_path / "scikit_learn_data"))
    return tmp_path / "scikit_learn_data"


def test_compare_mulan_set_fetched_table_json_and_plot(capsys, tmp_path, mulan_mirror):
    from skmultilabel._compare_methods import select_methods
    from skmultilabel.datasets import fetch_mulan

    path = tmp_path / "yeast.png"
    status, out, err = run(
        capsys, "--data", "mulan:yeast", "--estimator", "nb", "--json", "-q",
        "--plot", str(path),
    )  # fmt: skip
    assert status == 0
    assert "Downloading" not in err  # -q: pooch's lines are progress too
    assert all(" note: " in line for line in err.splitlines())
    assert (mulan_mirror / "mulan" / "yeast.npz").is_file()  # cached
    report = json.loads(out)
    data = report["data"]
    assert data["name"] == "yeast (Mulan, via fetch_mulan)"
    assert data["split"] == "standard split"
    assert (data["train_rows"], data["test_rows"], data["labels"]) == (1500, 917, 14)
    yeast = fetch_mulan("yeast")
    assert data["label_names"] == yeast.target_names.tolist()
    # Every method that suits the data ran, and each reports every label's
    # F1 under the names its fitted model kept (label_names_in_).
    expected = [m.key for m in select_methods(None)]
    assert list(report["methods"]) == expected
    for method in report["methods"].values():
        assert list(method["f1_per_label"]) == data["label_names"]
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # The table: the ten most frequent labels' F1, by name.
    status, out, _ = run(capsys, "--data", "mulan:yeast", "--estimator", "nb", "-q")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("yeast (Mulan, via fetch_mulan): 1500 train / 917")
    start = lines.index("per-label F1, the 10 most frequent of 14")
    shown = [line.split()[0] for line in lines[start + 1 :]]
    counts = yeast.target.sum(axis=0)
    frequent = np.sort(np.argsort(-counts, kind="stable")[:10])
    assert shown == yeast.target_names[frequent].tolist()


def test_compare_plot_draws_every_method(mulan_mirror):
    pytest.importorskip("matplotlib")
    from skmultilabel._compare import compare, load_dataset
    from skmultilabel._compare_methods import select_methods
    from skmultilabel._compare_report import _figure

    report = compare(load_dataset("mulan:emotions"), "nb")
    titles = [m.title for m in select_methods(None)]
    figure = _figure(report)
    legend = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert legend == titles
    n_labels = report["data"]["labels"]
    assert len(figure.axes[3].patches) == len(titles) * n_labels  # F1 per label
    ticks = [text.get_text() for text in figure.axes[3].get_yticklabels()]
    assert ticks == report["data"]["label_names"]


def test_f1_per_label_under_the_models_label_names(capsys):
    from sklearn.metrics import f1_score
    from sklearn.naive_bayes import GaussianNB

    from skmultilabel import BinaryRelevanceClassifier
    from skmultilabel.datasets import load_emotions

    status, out, _ = run(capsys, "--estimator", "nb", "--json", "-q")
    assert status == 0
    report = json.loads(out)
    names = load_emotions().target_names.tolist()
    br = report["methods"]["binary_relevance"]["f1_per_label"]
    assert list(br) == names == report["data"]["label_names"]
    X_train, Y_train = load_emotions(subset="train", return_X_y=True)
    X_test, Y_test = load_emotions(subset="test", return_X_y=True)
    pd = pytest.importorskip("pandas")
    model = BinaryRelevanceClassifier(GaussianNB()).fit(
        X_train, pd.DataFrame(Y_train, columns=names)
    )
    assert model.label_names_in_.tolist() == names
    by_hand = f1_score(Y_test, model.predict(X_test), average=None, zero_division=0)
    np.testing.assert_allclose(list(br.values()), by_hand)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--data", "mulan:nosuch"], "Unknown Mulan set 'nosuch'"),
        (["--data", "mulan:"], "mulan: needs a set name"),
        (["--data", "mulan:yeast", "--test", "x.arff"], "takes no --test"),
        (["--data", "mulan:yeast", "--labels", "3"], "takes no --test, --xml or"),
    ],
)
def test_compare_mulan_usage_errors(capsys, args, message):
    status, out, err = run(capsys, *args, "-q")
    assert status == 2 and out == ""
    assert message in one_line_error(err)


def test_tune_thresholds_adds_scores_of_the_tuned_model(capsys):
    """The tuned rows are the scores of PerLabelThresholdClassifierCV built
    by hand over the same base, folds and split; a model without scores
    gets '-' and a note."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import KFold

    from skmultilabel import BinaryRelevanceClassifier, PerLabelThresholdClassifierCV
    from skmultilabel._compare import TUNING_FOLDS, make_estimator
    from skmultilabel.datasets import load_emotions

    argv = ["compare", "--json", "-q", "--tune-thresholds", "--estimator", "nb"]
    assert main(argv + ["--methods", "binary_relevance"]) == 0
    report = json.loads(capsys.readouterr().out)
    tuned = report["methods"]["binary_relevance"]["tuned"]
    X_train, Y_train = load_emotions(subset="train", return_X_y=True)
    X_test, Y_test = load_emotions(subset="test", return_X_y=True)
    folds = KFold(TUNING_FOLDS, shuffle=True, random_state=0)
    model = PerLabelThresholdClassifierCV(
        BinaryRelevanceClassifier(make_estimator("nb")), scoring="f1", cv=folds
    ).fit(X_train, Y_train)
    expected = f1_score(Y_test, model.predict(X_test), average="macro")
    assert tuned["f1_macro"] == pytest.approx(expected)
    assert tuned["f1_macro"] != report["methods"]["binary_relevance"]["f1_macro"]
    svc = ["compare", "-q", "--tune-thresholds", "--estimator", "svc"]
    assert main(svc + ["--methods", "label_powerset"]) == 0
    out, err = capsys.readouterr()
    assert "thresholds not tuned" in err
    assert "scores with tuned thresholds" in out
