"""``skmultilabel compare`` end to end, in process and once as a subprocess."""

import json
import subprocess
import sys

import numpy as np
import pytest

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
    assert (br["models"], lp["models"], lp["classes_per_model"]) == (6, 1, 26)
    assert lp["test_rows_out_of_reach"] == 4 and br["test_rows_out_of_reach"] == 0


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
    (tmp_path / "toy.xml").write_text('<labels><label name="a"/></labels>')
    status, _, err = run(capsys, "--data", str(path))
    assert status == 2
    assert "cannot tell which attributes are labels" in one_line_error(err)
    assert "'toy.xml'" in err


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


def test_load_warnings_become_one_line_notes(capsys, tmp_path):
    path = toy_arff(tmp_path / "toy.arff")
    (tmp_path / "toy.xml").write_text('<labels><label name="a"/></labels>')
    status, _, err = run(capsys, "--data", str(path), "--estimator", "nb")
    assert status == 0
    notes = [line for line in err.splitlines() if "note:" in line]
    assert len(notes) == 1 and "'-C -2', but a labels XML" in notes[0]
