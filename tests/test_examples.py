"""Every script of the examples gallery runs to the end.

Each ``examples/**/plot_*.py`` runs in its own subprocess with the Agg
backend, one test per script, so an example can never silently break. The
scripts use the bundled emotions data; those that also read the project's
``../shared/datasets`` files fall back to bundled or synthetic data when the
files are absent. One BLAS/OpenMP thread per process keeps them fast and
steady on a busy machine; a FutureWarning (a deprecated API) fails the script,
as it fails the rest of the test suite.

No gallery page shows a warning: a script whose run prints one to stderr
fails, and so does one that lets a warning of skmultilabel's own classes
(:mod:`skmultilabel.exceptions`) through; a page that teaches a warning
records it by its class and prints its message.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCRIPTS = sorted(EXAMPLES.rglob("plot_*.py"))
TIMEOUT = 120  # seconds; each script takes a few seconds
# What ``warnings.showwarning`` prints: "path:line: SomeWarning: message".
WARNING_LINE = re.compile(r"^.*:\d+: \w*Warning: .*$", re.MULTILINE)
# Runs a script as ``python script.py`` does, with skmultilabel's own warnings
# as errors: a script lets one through only by catching it by its class.
# (``-W error::skmultilabel.exceptions...`` cannot do it: the interpreter reads
# -W before site-packages, so the category's module does not import.)
RUNNER = """
import runpy, sys, warnings
from skmultilabel.exceptions import SkmultilabelWarning
warnings.filterwarnings("error", category=SkmultilabelWarning)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_gallery_has_examples():
    if not EXAMPLES.is_dir():
        pytest.skip("no examples/ folder next to the tests (installed package)")
    assert SCRIPTS, f"no plot_*.py script found under {EXAMPLES}"


@pytest.mark.parametrize(
    "script", SCRIPTS, ids=[str(s.relative_to(EXAMPLES)) for s in SCRIPTS]
)
def test_example_runs(script, tmp_path):
    pytest.importorskip("matplotlib")
    env = dict(os.environ)
    env.update(
        MPLBACKEND="Agg",
        MPLCONFIGDIR=str(tmp_path / "mpl"),
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        # Any other warning shows on stderr, checked below.
        PYTHONWARNINGS="error::FutureWarning",
        PYTHONPATH=os.pathsep.join(
            [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
    )
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(script)],
        cwd=script.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, (
        f"{script.name} failed with exit code {result.returncode}\n"
        f"--- stdout ---\n{result.stdout[-3000:]}\n"
        f"--- stderr ---\n{result.stderr[-5000:]}"
    )
    printed = WARNING_LINE.findall(result.stderr)
    assert not printed, (
        f"{script.name} printed warnings (catch them by class and print the "
        "message, or avoid them):\n" + "\n".join(printed)
    )
