"""Every script of the examples gallery runs to the end.

Each ``examples/**/plot_*.py`` runs in its own subprocess with the Agg
backend, one test per script, so an example can never silently break. The
scripts use the bundled emotions data; those that also read the project's
``../shared/datasets`` files fall back to bundled or synthetic data when the
files are absent. One BLAS/OpenMP thread per process keeps them fast and
steady on a busy machine; a FutureWarning (a deprecated API) fails the script,
as it fails the rest of the test suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCRIPTS = sorted(EXAMPLES.rglob("plot_*.py"))
TIMEOUT = 120  # seconds; each script takes a few seconds


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
        PYTHONWARNINGS="error::FutureWarning",
    )
    result = subprocess.run(
        [sys.executable, str(script)],
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
