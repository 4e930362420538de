"""The Python examples of the documentation's pages run without a warning.

The home page and the getting-started page show code a new user copies
first, the warnings page code that changes warning filters; each page's
``code-block:: python`` blocks run in order, in one namespace, with every
warning turned into an error (a ConvergenceWarning from an unscaled logistic
regression fails the test as surely as an exception).
The README's usage example is run the same way by
``tests/test_readme_claims.py``.

``docs/check_offline.py``, which ``docs/build.sh`` and ``.ci/run`` run on the
built site, is checked here on small pages: it must find every script and
stylesheet loaded from another host, and only those.
"""

from __future__ import annotations

import importlib.util
import re
import textwrap
from pathlib import Path

import pytest

from ._snippets import run_without_warnings

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = ["index.rst", "getting_started.rst", "user_guide/warnings.rst"]

_PYTHON_BLOCK = re.compile(
    r"^\.\. code-block:: python[ \t]*\n((?:[ \t]*\n|[ \t]+\S.*\n)+)", re.MULTILINE
)


def python_blocks(text: str) -> list[str]:
    """Bodies of the ``.. code-block:: python`` directives of an rst text."""
    blocks = []
    for match in _PYTHON_BLOCK.finditer(text):
        lines = match.group(1).splitlines()
        # Options (``:caption:``) come first in the body; the code follows.
        body = textwrap.dedent("\n".join(lines))
        body = re.sub(r"\A(?::[\w-]+:.*\n)+", "", body.lstrip("\n"))
        blocks.append(body.strip("\n"))
    return blocks


def test_python_blocks_parser():
    text = (
        "Intro.\n\n.. code-block:: python\n   :caption: demo\n\n"
        "   x = 1\n\n   y = x + 1\n\nAfter.\n\n.. code-block:: bash\n\n   ls\n"
    )
    assert python_blocks(text) == ["x = 1\n\ny = x + 1"]


@pytest.mark.parametrize("page", PAGES)
def test_page_examples_run_without_warnings(page, tmp_path, monkeypatch):
    path = DOCS / page
    if not path.is_file():
        pytest.skip(f"{path} is not beside the tests (installed package)")
    blocks = python_blocks(path.read_text("utf-8"))
    assert blocks, f"{page} lost its Python example"
    monkeypatch.chdir(tmp_path)  # whatever a block writes stays out of the repo
    namespace = {"__name__": "__doc_snippet__"}
    run_without_warnings(blocks, str(path), namespace)


# -- docs/check_offline.py, run on the built site by docs/build.sh and .ci/run -


def _checker():
    path = DOCS / "check_offline.py"
    if not path.is_file():
        pytest.skip("docs/ is not beside the tests (installed package)")
    spec = importlib.util.spec_from_file_location("check_offline", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_offline_check_finds_network_loads(tmp_path, capsys):
    check = _checker()
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.html").write_text(
        '<script src="_static/local.js"></script>'
        '<script src="https://code.jquery.com/jquery-3.7.0.js"></script>'
        '<a href="https://example.org">a link is not a load</a>'
        '<link rel="icon" href="https://example.org/favicon.ico">'
    )
    (tmp_path / "sub" / "b.html").write_text(
        "<SCRIPT defer src='//cdn.example.org/x.js'></SCRIPT>"
        '<script>var u = "https://example.org";</script>'
        '<link href="http://cdn.example.org/s.css" rel="stylesheet" />'
        '<link rel="stylesheet" href="../_static/local.css" />'
    )
    found = check.network_loads(tmp_path)
    assert found == [
        'a.html: <script src="https://code.jquery.com/jquery-3.7.0.js">',
        "sub/b.html: <SCRIPT defer src='//cdn.example.org/x.js'>",
        'sub/b.html: <link href="http://cdn.example.org/s.css" rel="stylesheet" />',
    ]
    assert check.main([str(tmp_path)]) == 1
    assert "code.jquery.com" in capsys.readouterr().err


def test_offline_check_passes_a_local_site(tmp_path, capsys):
    check = _checker()
    (tmp_path / "index.html").write_text(
        '<script src="_static/mathjax/tex-chtml.js"></script>'
        '<link rel="stylesheet" href="_static/pydata.css">'
    )
    assert check.network_loads(tmp_path) == []
    assert check.main([str(tmp_path)]) == 0
    assert "1 pages checked" in capsys.readouterr().out
    # An empty or missing folder is an error, not a pass.
    assert check.main([str(tmp_path / "missing")]) == 2
    (tmp_path / "empty").mkdir()
    assert check.main([str(tmp_path / "empty")]) == 2
