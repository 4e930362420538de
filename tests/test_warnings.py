"""Warning policy: every warning has a class of skmultilabel.exceptions, and a
warning repeated over many fits is shown once.

Each warning is attributed to the user's line (``skmultilabel._warnings``),
so Python's default filter, which shows a given message once per place in
the code, shows it once for a whole ``cross_validate`` or grid search
rather than once per fit.
"""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
import textwrap
from pathlib import Path

import skmultilabel
from skmultilabel import exceptions

PACKAGE = Path(skmultilabel.__file__).parent


def _warning_calls():
    """Every ``warn(...)``/``warnings.warn(...)`` call in the package."""
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else getattr(func, "id", "")
            )
            if name == "warn":
                yield path, node


def _category(node) -> str | None:
    if len(node.args) >= 2:
        arg = node.args[1]
    else:
        arg = next((k.value for k in node.keywords if k.arg == "category"), None)
    return arg.id if isinstance(arg, ast.Name) else None


def test_every_warning_has_a_class_of_the_package():
    calls = list(_warning_calls())
    assert len(calls) >= 4  # the ones known today, at least
    ours = {
        name
        for name, obj in vars(exceptions).items()
        if inspect.isclass(obj) and issubclass(obj, exceptions.SkmultilabelWarning)
    }
    for path, node in calls:
        if path.name == "_warnings.py":
            continue  # the helper itself passes its caller's category on
        category = _category(node)
        assert category in ours, f"{path.name}:{node.lineno} warns with {category}"
    for name in exceptions.__all__:
        assert issubclass(getattr(exceptions, name), UserWarning)


SCRIPT = """
import numpy as np
from sklearn.datasets import make_multilabel_classification
from sklearn.model_selection import cross_validate
from skmultilabel import BinaryRelevanceClassifier

X, Y = make_multilabel_classification(n_samples=100, n_classes=4, random_state=0)
Y[:, 3] = 0  # a constant label: every fold warns the same
cross_validate(BinaryRelevanceClassifier(), X, Y, cv=5)
"""


def test_a_warning_repeated_over_folds_is_printed_once():
    # A fresh interpreter with Python's default warning filters (pytest
    # installs its own).
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=PACKAGE.parent,
        env={"PYTHONPATH": str(PACKAGE.parent), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "Warning:" in line]
    constant = [line for line in lines if "ConstantLabelWarning" in line]
    # Five fits, one warning shown, pointing at the user's line (the script).
    assert len(constant) == 1, result.stderr
    assert constant[0].startswith("<string>:"), constant[0]
    assert len(lines) == 1, result.stderr
