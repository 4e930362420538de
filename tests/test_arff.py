"""load_arff on the real Mulan and MEKA files and on small crafted ones."""

import shutil
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from skmultilabel.datasets import load_arff, load_npz
from skmultilabel.exceptions import DataFileWarning

pytest.importorskip("arff")

SHARED = next(
    (
        folder / "shared" / "datasets"
        for folder in Path(__file__).resolve().parents
        if (folder / "shared" / "datasets").is_dir()
    ),
    Path("shared") / "datasets",
)
ARFF = SHARED / "arff"
needs_shared = pytest.mark.skipif(
    not ARFF.is_dir(), reason="../shared/datasets/arff is not present"
)

DENSE = """% a comment
@relation 'toy: -C 2'
@attribute sunny {0,1}
@attribute windy numeric
@attribute temperature numeric
@attribute sky {clear,cloudy,rain}
@attribute humidity numeric

@data
1,0,25.5,clear,0.3
% between rows
0,1,12.0,rain,?
1,1,-3,cloudy,0.9
"""

SPARSE = """@relation sparse
@attribute w0 numeric
@attribute w1 numeric
@attribute w2 {0,1}
@attribute a {0,1}
@attribute b {0,1}
@data
{0 2.5,3 1}
{1 1,2 1,4 1}
{}
"""

MULAN_XML = """<?xml version="1.0" encoding="utf-8"?>
<labels xmlns="http://mulan.sourceforge.net/labels">
<label name="a"><label name="b"></label></label>
</labels>
"""


def write(folder, name, text):
    path = folder / name
    path.write_text(text)
    return path


@needs_shared
def test_mulan_emotions_equals_npz():
    reference = np.load(SHARED / "emotions.npz")
    for part in ("train", "test"):
        bunch = load_arff(ARFF / f"emotions-{part}.arff", xml=ARFF / "emotions.xml")
        assert bunch.data.dtype == np.float64 and bunch.target.dtype == np.uint8
        np.testing.assert_array_equal(bunch.data, reference[f"X_{part}"])
        np.testing.assert_array_equal(bunch.target, reference[f"Y_{part}"])
        np.testing.assert_array_equal(bunch.target_names, reference["label_names"])
        np.testing.assert_array_equal(bunch.feature_names, reference["feature_names"])
    X, Y = load_arff(ARFF / "emotions-train.arff", label_count=6, return_X_y=True)
    np.testing.assert_array_equal(X, reference["X_train"])
    np.testing.assert_array_equal(Y, reference["Y_train"])


@needs_shared
def test_mulan_sparse_medical():
    bunch = load_arff(ARFF / "medical-train.arff", xml=ARFF / "medical.xml")
    assert sp.issparse(bunch.data) and bunch.data.format == "csr"
    assert bunch.data.shape == (333, 1449) and bunch.data.dtype == np.float64
    assert bunch.target.shape == (333, 45) and bunch.target.dtype == np.uint8
    assert bunch.target_names[0] == "Class-0-593_70"
    assert bunch.target_names[-1] == "Class-44-786_07"
    assert bunch.feature_names[:3].tolist() == ["-", "/", "0"]
    reference = load_npz(SHARED / "medical.npz", subset="train")
    assert (bunch.data != reference.data).nnz == 0
    np.testing.assert_array_equal(bunch.target, reference.target)
    np.testing.assert_array_equal(bunch.target_names, reference.target_names)


@needs_shared
def test_meka_scene():
    bunch = load_arff(ARFF / "meka-scene.arff")
    assert bunch.relation == "Scene: -C 6 -R"
    assert bunch.data.shape == (2407, 294)
    assert bunch.target.shape == (2407, 6)
    assert bunch.target_names.tolist() == [
        "beach", "sunset", "foliage", "field", "mountain", "urban",
    ]  # fmt: skip
    assert bunch.feature_names[0] == "Att1" and bunch.feature_names[-1] == "Att294"
    reference = load_npz(SHARED / "scene.npz")
    np.testing.assert_array_equal(bunch.target.sum(axis=0), reference.target.sum(0))


@needs_shared
def test_truncated_real_file(tmp_path):
    lines = (ARFF / "emotions-train.arff").read_text().splitlines()
    data_line = next(i for i, line in enumerate(lines) if line.startswith("@data"))
    cut = data_line + 11  # the tenth row, cut in half
    lines = lines[:cut] + [lines[cut][: len(lines[cut]) // 2]]
    path = write(tmp_path, "cut.arff", "\n".join(lines))
    with pytest.raises(ValueError, match=rf"cut.arff: .*line {cut + 1}"):
        load_arff(path, xml=ARFF / "emotions.xml")


def test_meka_labels_first(tmp_path):
    toy = load_arff(write(tmp_path, "toy.arff", DENSE))
    assert toy.target_names.tolist() == ["sunny", "windy"]
    assert toy.feature_names.tolist() == ["temperature", "sky", "humidity"]
    np.testing.assert_array_equal(toy.target, [[1, 0], [0, 1], [1, 1]])
    np.testing.assert_array_equal(
        toy.data, [[25.5, 0, 0.3], [12.0, 2, np.nan], [-3, 1, 0.9]]
    )


def test_meka_labels_last(tmp_path):
    text = DENSE.replace("-C 2", "-C -1").replace("0.3", "1").replace("0.9", "0")
    text = text.replace(",?", ",1")
    toy = load_arff(write(tmp_path, "toy.arff", text))
    assert toy.target_names.tolist() == ["humidity"]
    np.testing.assert_array_equal(toy.target, [[1], [1], [0]])
    assert toy.data.shape == (3, 4)


def test_label_count_and_location(tmp_path):
    path = write(tmp_path, "toy.arff", DENSE.replace("-C 2", "no option"))
    start = load_arff(path, label_count=1, label_location="start")
    assert start.target_names.tolist() == ["sunny"]
    # Given label_count wins over the relation's -C option.
    text = DENSE.replace("0.3", "1").replace("0.9", "0").replace(",?", ",1")
    end = load_arff(write(tmp_path, "end.arff", text), label_count=1)
    assert end.target_names.tolist() == ["humidity"]
    with pytest.raises(ValueError, match="label_location must be"):
        load_arff(path, label_count=1, label_location="middle")
    with pytest.raises(ValueError, match="label_count must be a positive"):
        load_arff(path, label_count=0)


def test_sparse_rows(tmp_path):
    bunch = load_arff(write(tmp_path, "s.arff", SPARSE), label_count=2)
    assert sp.issparse(bunch.data) and bunch.data.format == "csr"
    np.testing.assert_array_equal(
        bunch.data.toarray(), [[2.5, 0, 0], [0, 1, 1], [0, 0, 0]]
    )
    np.testing.assert_array_equal(bunch.target, [[1, 0], [0, 1], [0, 0]])


def test_xml_names_labels_anywhere_and_wins(tmp_path):
    xml = write(tmp_path, "labels.xml", MULAN_XML)
    text = SPARSE.replace("@relation sparse", "@relation 'x: -C 1'")
    bunch = load_arff(write(tmp_path, "s.arff", text), xml=xml, label_count=1)
    assert bunch.target_names.tolist() == ["a", "b"]
    assert bunch.feature_names.tolist() == ["w0", "w1", "w2"]


def test_missing_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing.arff"):
        load_arff(tmp_path / "nothing.arff", label_count=1)
    path = write(tmp_path, "s.arff", SPARSE)
    with pytest.raises(FileNotFoundError, match="nothing.xml"):
        load_arff(path, xml=tmp_path / "nothing.xml")


def test_xml_labels_not_in_file(tmp_path):
    xml = write(tmp_path, "l.xml", MULAN_XML.replace('"b"', '"zebra"'))
    with pytest.raises(ValueError, match="1 of the 2 labels named in .*'zebra'"):
        load_arff(write(tmp_path, "s.arff", SPARSE), xml=xml)


def test_malformed_xml(tmp_path):
    xml = write(tmp_path, "l.xml", "<labels><label name='a'></labels>")
    with pytest.raises(ValueError, match="l.xml: malformed labels XML"):
        load_arff(write(tmp_path, "s.arff", SPARSE), xml=xml)
    xml = write(tmp_path, "m.xml", "<labels><thing/></labels>")
    with pytest.raises(ValueError, match="not a Mulan labels file"):
        load_arff(write(tmp_path, "s.arff", SPARSE), xml=xml)


def test_no_way_to_find_labels(tmp_path):
    write(tmp_path, "hint.xml", MULAN_XML)
    with pytest.raises(ValueError, match="cannot tell which .*'hint.xml'"):
        load_arff(write(tmp_path, "s.arff", SPARSE))


def test_bad_label_count(tmp_path):
    path = write(tmp_path, "toy.arff", DENSE.replace("-C 2", "-C 9"))
    with pytest.raises(ValueError, match="cannot take 9 label attributes .* 5 attr"):
        load_arff(path)
    with pytest.raises(ValueError, match="cannot take 5 label"):
        load_arff(path, label_count=5)


def test_label_not_0_or_1(tmp_path):
    path = write(tmp_path, "toy.arff", DENSE.replace("0,1,12.0", "0,2,12.0"))
    with pytest.raises(ValueError, match=r"toy.arff: line 12: label 'windy' is 2"):
        load_arff(path)
    path = write(tmp_path, "miss.arff", DENSE.replace("0,1,12.0", "0,?,12.0"))
    with pytest.raises(ValueError, match="line 12: label 'windy' is missing"):
        load_arff(path)
    text = SPARSE.replace("{1 1,2 1,4 1}", "{1 1,2 1,4 3}")
    with pytest.raises(ValueError, match="not found in nominal declaration, at line 9"):
        load_arff(write(tmp_path, "s.arff", text), label_count=2)


def test_label_declared_otherwise(tmp_path):
    text = DENSE.replace("sunny {0,1}", "sunny {yes,no}").replace("1,0,25", "yes,0,25")
    text = text.replace("0,1,12", "no,1,12").replace("1,1,-3", "no,1,-3")
    with pytest.raises(ValueError, match="label attribute 'sunny' is declared"):
        load_arff(write(tmp_path, "toy.arff", text))


def test_string_attribute(tmp_path):
    text = DENSE.replace("sky {clear,cloudy,rain}", "sky string")
    with pytest.raises(ValueError, match="feature attribute 'sky' has type STRING"):
        load_arff(write(tmp_path, "toy.arff", text))


def test_syntax_errors_carry_the_line(tmp_path):
    text = DENSE.replace("12.0", "twelve")
    with pytest.raises(ValueError, match="malformed ARFF: .*line 12"):
        load_arff(write(tmp_path, "toy.arff", text))
    text = DENSE.replace("@attribute humidity numeric", "@attribute humidity blob")
    with pytest.raises(ValueError, match="malformed ARFF: .*line 7"):
        load_arff(write(tmp_path, "toy.arff", text))
    path = tmp_path / "binary.arff"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ValueError, match="not a text file in UTF-8"):
        load_arff(path, label_count=1)


def test_without_liac_arff(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "arff", None)
    with pytest.raises(ImportError, match=r"pip install skmultilabel\[arff\]"):
        load_arff(write(tmp_path, "toy.arff", DENSE))


def test_xml_beside_the_file_wins_over_meka_option(tmp_path):
    # toy.xml names the last attribute; the relation says the first two.
    text = DENSE.replace("0.3", "1").replace("0.9", "0").replace(",?", ",1")
    write(tmp_path, "toy.xml", '<labels><label name="humidity"/></labels>')
    write(tmp_path, "other.xml", MULAN_XML)
    with pytest.warns(
        DataFileWarning, match=r"from toy.xml, found beside .*'-C 2'"
    ) as seen:
        toy = load_arff(write(tmp_path, "toy.arff", text))
    assert seen[0].filename == __file__  # attributed to the caller's line
    assert toy.target_names.tolist() == ["humidity"]
    assert toy.xml == str(tmp_path / "toy.xml")
    assert "found beside the file" in toy.label_source
    # label_count (or xml) given: the XML beside the file is not looked at.
    assert load_arff(tmp_path / "toy.arff", label_count=1).xml is None


def test_xml_beside_that_does_not_fit(tmp_path):
    write(tmp_path, "s.xml", MULAN_XML.replace('"b"', '"zebra"'))
    with pytest.raises(ValueError, match=r"s.xml \(found beside the file\)"):
        load_arff(write(tmp_path, "s.arff", SPARSE))
    write(tmp_path, "s.xml", "<labels><thing/></labels>")
    with pytest.raises(ValueError, match="found beside s.arff.*label_count="):
        load_arff(tmp_path / "s.arff")


def test_weka_filter_chain_after_meka_option_is_not_trusted(tmp_path):
    relation = (
        "@relation 'toy: -C 2 -I 0-weka.filters.unsupervised.attribute.Remove-R1'"
    )
    path = write(tmp_path, "toy.arff", DENSE.replace("@relation 'toy: -C 2'", relation))
    with pytest.raises(ValueError, match=r"'-C 2' is followed by .*xml=.*label_count="):
        load_arff(path)
    assert load_arff(path, label_count=2, label_location="start").target.shape == (3, 2)


def copy_real(folder, *names):
    for name in names:
        shutil.copy(ARFF / name, folder / name)
    return folder / names[0]


@needs_shared
def test_real_medical_alone_is_refused(tmp_path):
    # Its relation says '-C 45' through Weka filters; its labels are last.
    path = copy_real(tmp_path, "medical-train.arff")
    with pytest.raises(ValueError, match=r"medical-train.arff: .*'-C 45' is followed"):
        load_arff(path)
    with pytest.raises(ValueError, match=r"xml=, --xml\).*label_count=, --labels"):
        load_arff(path)
    bunch = load_arff(path, label_count=45)
    assert bunch.target_names[0] == "Class-0-593_70" and bunch.xml is None


@needs_shared
@pytest.mark.parametrize("part", ["train", "test"])
def test_real_medical_with_its_xml_beside(tmp_path, part):
    path = copy_real(tmp_path, f"medical-{part}.arff", "medical.xml")
    with pytest.warns(DataFileWarning, match="medical.xml, found beside"):
        bunch = load_arff(path)
    assert bunch.xml == str(tmp_path / "medical.xml")
    assert bunch.target.shape[1] == 45 and bunch.data.shape[1] == 1449
    reference = load_npz(SHARED / "medical.npz", subset=part)
    np.testing.assert_array_equal(bunch.target, reference.target)
    assert (bunch.data != reference.data).nnz == 0


@needs_shared
def test_real_emotions_with_xml_beside_and_alone(tmp_path):
    path = copy_real(tmp_path, "emotions-train.arff", "emotions.xml")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no -C option: nothing to warn about
        bunch = load_arff(path)
    reference = load_npz(SHARED / "emotions.npz", subset="train")
    np.testing.assert_array_equal(bunch.target, reference.target)
    assert bunch.label_source.startswith("labels XML")
    assert bunch.xml.endswith("emotions.xml")
    (tmp_path / "emotions.xml").unlink()
    with pytest.raises(ValueError, match="cannot tell which attributes are labels"):
        load_arff(path)


@needs_shared
def test_real_meka_scene_still_loads(tmp_path):
    path = copy_real(tmp_path, "meka-scene.arff")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bunch = load_arff(path)
    assert bunch.target.shape == (2407, 6) and bunch.xml is None
    assert bunch.label_source == "MEKA option '-C 6'"


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("@relation 'toy: -C 2'", "@relation", 2),
        ("@attribute windy numeric", "@attribute\twindy\tnumeric", 4),
    ],
)
def test_errors_inside_liac_arff_name_the_line(tmp_path, old, new, line):
    # liac-arff fails on these in its own code, without an ArffException.
    path = write(tmp_path, "toy.arff", DENSE.replace(old, new))
    with pytest.raises(ValueError, match=rf"toy.arff: malformed ARFF at line {line}"):
        load_arff(path, label_count=2)


def test_label_declared_with_trailing_comma(tmp_path):
    text = DENSE.replace("sunny {0,1}", "sunny {0,1,}")
    with pytest.raises(ValueError, match=r"'sunny' is declared \{0,1,\}"):
        load_arff(write(tmp_path, "toy.arff", text))
