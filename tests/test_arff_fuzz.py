"""Fuzz test of the ARFF loader: mutated files fail clearly, never hang.

Hypothesis mutates real Mulan and MEKA files (``../shared/datasets/arff``,
cut to their header and first rows; skipped where absent) and small ARFF
texts written here, dense and sparse. On every mutated file
:func:`skmultilabel.datasets.load_arff` must either load a consistent data
set or raise its documented ``ValueError`` (with file and reason), within a
time bound; never another exception type and never a hang.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("arff")  # liac-arff, the loader's optional parser
load_arff = pytest.importorskip("skmultilabel.datasets").load_arff

SHARED_ARFF = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "arff"
TIME_LIMIT_S = 10  # per example; a parse of these small files takes < 0.1 s
N_ROWS = 12  # data rows kept from each real file

MULAN_DENSE = """\
% a small Mulan-style file: labels are the last two attributes
@relation toy
@attribute f0 numeric
@attribute f1 NUMERIC
@attribute 'f 2' real
@attribute colour {red,green,'dark blue'}
@attribute lab0 {0,1}
@attribute lab1 {0,1}
@data
1.5,2,-3e-2,red,0,1
0,?,4,'dark blue',1,1
7,8,9,green,0,0
"""

MEKA_SPARSE = """\
@relation 'toy: -C 3'
@attribute a {0,1}
@attribute b {0,1}
@attribute c {0,1}
@attribute x1 numeric
@attribute x2 numeric
@attribute x3 numeric
@data
{0 1,3 0.5,5 2}
{1 1,2 1,4 -1}
{}
{3 1e3}
"""

LABELS_XML = """\
<?xml version="1.0" encoding="utf-8"?>
<labels xmlns="http://mulan.sourceforge.net/labels">
<label name="lab0"></label>
<label name="lab1"></label>
</labels>
"""

# Tokens that mean something to an ARFF parser, and some that should not.
TOKENS = [
    ",",
    "{",
    "}",
    "'",
    '"',
    "%",
    "?",
    "\n",
    " ",
    "\t",
    "\\",
    "@data",
    "@DATA\n",
    "@attribute z numeric\n",
    "@attribute y {0,1}\n",
    "@attribute w string\n",
    "@attribute d date\n",
    "@relation 'r: -C 2'\n",
    "-C -2",
    "-C 99",
    "-C 0",
    "0",
    "1",
    "2",
    "-1",
    "0.5",
    "1e309",
    "nan",
    "inf",
    "{0,1}",
    "{0 1}",
    "{99 1}",
    "{-1 1}",
    "{1 1,1 0}",
    "\x00",
    "\ufeff",
    "é",
    "\u2028",
    "\r",
    "numeric",
    "real",
    "integer",
    "NUMERIC",
    "{red,green}",
    "'dark blue'",
]


def _cut(text: str, n_rows: int = N_ROWS) -> str:
    """The header and the first ``n_rows`` data rows of an ARFF text."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.strip().lower().startswith("@data"):
            return "".join(lines[: i + 1 + n_rows])
    return text


def _seeds():
    """(name, ARFF text, labels XML or None) to mutate."""
    seeds = [
        ("toy-mulan-dense", MULAN_DENSE, LABELS_XML),
        ("toy-meka-sparse", MEKA_SPARSE, None),
    ]
    for name, xml in [
        ("emotions-train.arff", "emotions.xml"),
        ("medical-train.arff", "medical.xml"),
        ("meka-scene.arff", None),
    ]:
        path = SHARED_ARFF / name
        if path.exists():
            text = _cut(path.read_text(encoding="utf-8"))
            xml_text = (SHARED_ARFF / xml).read_text(encoding="utf-8") if xml else None
            seeds.append((name, text, xml_text))
    return seeds


SEEDS = _seeds()
SEED_IDS = [name for name, _, _ in SEEDS]
SEED_TEXT = {name: (text, xml_text) for name, text, xml_text in SEEDS}


@st.composite
def mutations(draw, text: str):
    """The text after 1 to 4 random edits of the kinds a broken file has."""
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(
            st.sampled_from(
                [
                    "insert",
                    "delete",
                    "replace",
                    "truncate",
                    "line_dup",
                    "line_drop",
                    "line_swap",
                    "byte",
                ]
            )
        )
        n = len(text)
        at = draw(st.integers(0, max(n - 1, 0)))
        if kind == "insert":
            token = draw(st.sampled_from(TOKENS) | st.text(max_size=5))
            text = text[:at] + token + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif kind == "replace":
            token = draw(st.sampled_from(TOKENS))
            text = text[:at] + token + text[at + draw(st.integers(1, 5)) :]
        elif kind == "truncate":
            text = text[:at]
        elif kind == "byte":
            text = text[:at] + chr(draw(st.integers(0, 0x2FF))) + text[at + 1 :]
        else:
            lines = text.splitlines(keepends=True) or [""]
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if kind == "line_dup":
                lines.insert(j, lines[i])
            elif kind == "line_drop":
                del lines[i]
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
    return text


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang(f"load_arff took more than {TIME_LIMIT_S} s")


def _load_within_time_limit(path, **kwargs):
    use_alarm = hasattr(signal, "setitimer") and sys.platform != "win32"
    if use_alarm:
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT_S)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # warnings are allowed, not errors
            return load_arff(path, **kwargs)
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _check_loaded(bunch):
    """A data set the loader returned is consistent."""
    X, Y = bunch.data, bunch.target
    assert X.ndim == 2 and Y.ndim == 2
    assert X.shape[0] == Y.shape[0]
    assert Y.dtype == np.uint8
    assert set(np.unique(Y)) <= {0, 1}
    assert X.dtype == np.float64
    assert isinstance(X, np.ndarray) or sp.isspmatrix_csr(X) or sp.issparse(X)
    assert len(bunch.feature_names) == X.shape[1] >= 1
    assert len(bunch.target_names) == Y.shape[1] >= 1


def _run(text: str, xml_text: str | None, options: dict, encoding="utf-8"):
    """Write the files, load them, and sort the outcome."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.arff"
        path.write_bytes(text.encode(encoding, errors="surrogatepass"))
        kwargs = dict(options)
        if xml_text is not None and kwargs.pop("use_xml", False):
            xml_path = Path(folder) / "labels.xml"
            xml_path.write_text(xml_text, encoding="utf-8", errors="surrogatepass")
            kwargs["xml"] = xml_path
        kwargs.pop("use_xml", None)
        try:
            bunch = _load_within_time_limit(path, **kwargs)
        except _Hang:
            pytest.fail(f"load_arff hung; options={options}", pytrace=False)
        except ValueError as exc:
            # The documented error: it names the file (or labels XML) and why.
            message = str(exc)
            if not ("fuzzed.arff" in message or "labels.xml" in message):
                pytest.fail(
                    f"load_arff raised a ValueError that names neither the file "
                    f"nor the labels XML: {message!r}; options={options}",
                    pytrace=False,
                )
            return "rejected"
        except Exception as exc:  # noqa: BLE001 - the point of the test
            pytest.fail(
                f"load_arff raised {type(exc).__name__}: {exc!r}; options={options}",
                pytrace=False,
            )
        _check_loaded(bunch)
        return "loaded"


FUZZ_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

options_strategy = st.fixed_dictionaries(
    {
        "use_xml": st.booleans(),
        "label_count": st.none() | st.integers(1, 8),
        "label_location": st.sampled_from(["end", "start"]),
    }
)


@pytest.mark.parametrize("name", SEED_IDS)
def test_seed_files_load(name):
    """Unmutated, every seed loads (so the fuzzing starts from valid files)."""
    text, xml_text = SEED_TEXT[name]
    options = {"use_xml": xml_text is not None}
    if xml_text is None and "-C" not in text.splitlines()[0] + text[:300]:
        options["label_count"] = 2
    assert _run(text, xml_text, options) == "loaded"


@pytest.mark.parametrize("name", SEED_IDS)
@FUZZ_SETTINGS
@given(data=st.data())
def test_mutated_arff_fails_clearly(name, data):
    text, xml_text = SEED_TEXT[name]
    mutated = data.draw(mutations(text), label="arff")
    options = data.draw(options_strategy, label="options")
    _run(mutated, xml_text, options)


@pytest.mark.parametrize("name", [s[0] for s in SEEDS if s[2] is not None])
@settings(FUZZ_SETTINGS, max_examples=20)
@given(data=st.data())
def test_mutated_labels_xml_fails_clearly(name, data):
    text, xml_text = SEED_TEXT[name]
    mutated_xml = data.draw(mutations(xml_text), label="xml")
    _run(text, mutated_xml, {"use_xml": True})


@settings(FUZZ_SETTINGS, max_examples=25)
@given(raw=st.binary(max_size=300))
def test_random_bytes_fail_clearly(raw):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.arff"
        path.write_bytes(raw)
        try:
            _check_loaded(_load_within_time_limit(path, label_count=1))
        except ValueError as exc:
            assert "fuzzed.arff" in str(exc)


def test_encodings_of_a_valid_file():
    """A BOM or Latin-1 bytes: loaded or a clear ValueError, nothing else."""
    assert _run("\ufeff" + MULAN_DENSE, LABELS_XML, {"use_xml": True}) in (
        "loaded",
        "rejected",
    )
    assert (
        _run(
            MULAN_DENSE.replace("red", "rouge é"),
            LABELS_XML,
            {"use_xml": True},
            encoding="latin-1",
        )
        == "rejected"
    )


@pytest.mark.parametrize(
    "options",
    [
        {"label_count": 0},
        {"label_count": -2},
        {"label_count": 2.5},
        {"label_count": True},
        {"label_location": "middle"},
    ],
)
def test_bad_options_fail_clearly(options):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "toy.arff"
        path.write_text(MULAN_DENSE, encoding="utf-8")
        with pytest.raises(ValueError, match="label_count|label_location"):
            load_arff(path, **options)


def test_missing_and_directory_paths():
    with tempfile.TemporaryDirectory() as folder:
        with pytest.raises(FileNotFoundError, match="No such ARFF file"):
            load_arff(os.path.join(folder, "absent.arff"), label_count=1)
        with pytest.raises((IsADirectoryError, ValueError), match="directory"):
            load_arff(folder, label_count=1)


# Minimal files the fuzzing found, kept as plain regression tests.
FOUND_BY_FUZZING = {
    "attribute_without_name": MULAN_DENSE.replace(
        "@attribute lab1 {0,1}", "@attribute"
    ),
    "relation_without_name": MULAN_DENSE.replace("@relation toy", "@relation"),
    "tab_separated_attribute": MULAN_DENSE.replace(
        "@attribute lab1 {0,1}", "@attribute\tlab1\t{0,1}"
    ),
    "nominal_label_trailing_comma": MULAN_DENSE.replace(
        "@attribute lab0 {0,1}", "@attribute lab0 {0,1,}"
    ),
    "nominal_feature_trailing_comma": MULAN_DENSE.replace(
        "{red,green,'dark blue'}", "{red,green,'dark blue',}"
    ),
}


@pytest.mark.parametrize("case", sorted(FOUND_BY_FUZZING))
def test_found_by_fuzzing(case):
    outcome = _run(FOUND_BY_FUZZING[case], None, {"label_count": 2})
    assert outcome in ("loaded", "rejected")
