"""Sphinx configuration of the skmultilabel documentation.

Build (warnings are errors, no network needed)::

    python -m sphinx -W -b html docs docs/_build/html

or ``bash docs/build.sh``. Cross-references to Python, NumPy, SciPy and
scikit-learn use intersphinx inventories read from ``docs/_intersphinx/``
(``python-objects.inv``, ``numpy-objects.inv``, ...) when they are there, or
fetched from the web when ``SKMULTILABEL_DOCS_ONLINE=1``; otherwise those
references are left as plain text and the build does not touch the network.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.directives.images import Figure
from sphinx.directives.code import LiteralInclude
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))  # the package, even when not installed

import skmultilabel  # noqa: E402

# -- Project -----------------------------------------------------------------

project = "skmultilabel"
author = "The skmultilabel developers"
copyright = "The skmultilabel developers"  # noqa: A001 - Sphinx's name
version = release = skmultilabel.__version__

# -- General -----------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "_intersphinx", "Thumbs.db", ".DS_Store"]
root_doc = "index"
default_role = "literal"
pygments_style = "sphinx"

# Examples and the changelog can print non-ASCII text; keep it readable.
source_encoding = "utf-8"

# -- API reference (autosummary + numpydoc) ------------------------------------

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
autodoc_typehints = "none"  # numpydoc's Parameters sections say it
numpydoc_show_class_members = False  # the autosummary class template lists them
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
# Types in Parameters/Attributes become cross-references, so a type such as
# ``ndarray of shape (n_features_in_,)`` is not read as an rst link target.
numpydoc_xref_param_type = True
numpydoc_xref_ignore = set(
    """of or and shape default optional instance like array matrix sparse type
    object estimator estimators classifier n_samples n_features n_labels
    n_labelsets n_classes n_outputs path-like file-like""".split()
)
numpydoc_xref_aliases = {
    "array-like": ":term:`array-like <array_like>`",
    "ndarray": "numpy.ndarray",
    "DataFrame": "pandas.DataFrame",
    "Bunch": "sklearn.utils.Bunch",
    "csr_matrix": "scipy.sparse.csr_matrix",
    "MetadataRouter": "sklearn.utils.metadata_routing.MetadataRouter",
}

# -- Intersphinx: local inventories first, never the network by default --------

_INVENTORY_URLS = {
    "python": "https://docs.python.org/3/",
    "numpy": "https://numpy.org/doc/stable/",
    "scipy": "https://docs.scipy.org/doc/scipy/",
    "sklearn": "https://scikit-learn.org/stable/",
    "joblib": "https://joblib.readthedocs.io/en/stable/",
    "matplotlib": "https://matplotlib.org/stable/",
    "pandas": "https://pandas.pydata.org/docs/",
}
_INVENTORY_DIR = Path(
    os.environ.get("SKMULTILABEL_INTERSPHINX_DIR", DOCS / "_intersphinx")
)
_ONLINE = os.environ.get("SKMULTILABEL_DOCS_ONLINE", "") not in ("", "0")


def _intersphinx_mapping() -> dict:
    mapping = {}
    for name, url in _INVENTORY_URLS.items():
        local = _INVENTORY_DIR / f"{name}-objects.inv"
        if local.is_file():
            mapping[name] = (url, str(local))
        elif _ONLINE:
            mapping[name] = (url, None)
        # else: no inventory, so no fetch and no "failed to reach" warning.
    return mapping


intersphinx_mapping = _intersphinx_mapping()
intersphinx_timeout = 10

# -- HTML ----------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"skmultilabel {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_show_sourcelink = False
html_theme_options = {
    "github_url": "https://github.com/skmultilabel/skmultilabel",
    "navbar_align": "left",
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_sidebars = {
    "index": [],
    "getting_started": [],
    "benchmarks": [],
    "changelog": [],
}

# -- Examples gallery (sphinx-gallery) -------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py",
    "within_subsection_order": "FileNameSortKey",
    "doc_module": ("skmultilabel",),
    "backreferences_dir": "gen_modules/backreferences",
    "abort_on_example_error": True,
    "remove_config_comments": True,
    "show_memory": False,
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
    "min_reported_time": 1,
}

# The examples run with the non-interactive backend, whatever the environment,
# and on one BLAS/OpenMP thread unless told otherwise: they are small, and
# threads competing for a busy machine's cores make them many times slower.
os.environ["MPLBACKEND"] = "Agg"
if "OMP_NUM_THREADS" not in os.environ:
    from threadpoolctl import threadpool_limits

    _thread_limits = threadpool_limits(limits=1)
warnings.filterwarnings(
    "ignore",
    message="Matplotlib is currently using agg",
    category=UserWarning,
)

# -- Local directives ----------------------------------------------------------------

_logger = logging.getLogger(__name__)


class OptionalLiteralInclude(LiteralInclude):
    """``literalinclude`` of a file that may not exist yet.

    The changelog and the benchmark results live outside ``docs/`` and are
    written by other tools; a missing file prints the ``:missing:`` text
    instead of failing a ``-W`` build.
    """

    option_spec = dict(LiteralInclude.option_spec, missing=directives.unchanged)

    def run(self):
        _, path = self.env.relfn2path(self.arguments[0])
        missing = self.options.pop("missing", "")
        if not Path(path).is_file():
            self.env.note_dependency(path)
            return [nodes.paragraph(text=missing)] if missing else []
        return super().run()


class OptionalFigure(Figure):
    """``figure`` of an image that may not have been generated yet."""

    option_spec = dict(Figure.option_spec, missing=directives.unchanged)

    def run(self):
        env = self.state.document.settings.env
        _, path = env.relfn2path(directives.uri(self.arguments[0]))
        missing = self.options.pop("missing", "")
        if not Path(path).is_file():
            return [nodes.paragraph(text=missing)] if missing else []
        return super().run()


class PublicAPICheck(SphinxDirective):
    """Warn when a public name of the package is missing from this page.

    Placed on the API reference page, so ``-W`` fails the build when a name
    is added to ``__all__`` without being documented.
    """

    required_arguments = 1  # the module whose __all__ is checked

    def run(self):
        import importlib

        module = importlib.import_module(self.arguments[0])
        text = Path(self.env.doc2path(self.env.docname)).read_text("utf-8")
        listed = set(re.findall(r"^\s+([A-Za-z_][\w.]*)\s*$", text, re.MULTILINE))
        listed |= {name.rsplit(".", 1)[-1] for name in listed}
        public = {
            name for name in getattr(module, "__all__", []) if not name.startswith("_")
        }
        absent = sorted(public - listed)
        if absent:
            _logger.warning(
                "%s.__all__ has names missing from the API reference: %s",
                self.arguments[0],
                ", ".join(absent),
                location=self.get_location(),
            )
        return []


# Offline fallback for references to other projects' documentation: when no
# intersphinx inventory resolved them, link to the page their documentation
# generates for the object (or label), so the pages still link out and ``-W``
# does not fail on an inventory the build machine cannot download.
_EXTERNAL_PAGES = {
    "sklearn": "https://scikit-learn.org/stable/modules/generated/{}.html",
    "numpy": "https://numpy.org/doc/stable/reference/generated/{}.html",
    "scipy": "https://docs.scipy.org/doc/scipy/reference/generated/{}.html",
    "joblib": "https://joblib.readthedocs.io/en/stable/generated/{}.html",
    "pandas": "https://pandas.pydata.org/docs/reference/api/{}.html",
}
_EXTERNAL_LABELS = {
    "metadata_routing": "https://scikit-learn.org/stable/metadata_routing.html",
    "scoring_parameter": (
        "https://scikit-learn.org/stable/modules/model_evaluation.html"
        "#scoring-parameter"
    ),
    "python:bltin-boolean-values": (
        "https://docs.python.org/3/library/stdtypes.html#boolean-type-bool"
    ),
    "accuracy_score": (
        "https://scikit-learn.org/stable/modules/model_evaluation.html#accuracy-score"
    ),
    "multilabel_ranking_metrics": (
        "https://scikit-learn.org/stable/modules/model_evaluation.html"
        "#multilabel-ranking-metrics"
    ),
}
_PY_OBJECT_TYPES = {"class", "func", "meth", "obj", "exc", "data", "attr", "mod"}
_GLOSSARY = {
    # numpy's glossary for array_like, scikit-learn's for everything else.
    "array_like": "https://numpy.org/doc/stable/glossary.html#term-array_like",
}


def _external_reference(app, env, node, contnode):
    domain, reftype = node.get("refdomain"), node.get("reftype")
    target = node.get("reftarget", "")
    url = None
    if domain == "std" and reftype == "ref" and target in _EXTERNAL_LABELS:
        url = _EXTERNAL_LABELS[target]
    elif domain == "std" and reftype == "term":
        # Terms of scikit-learn's glossary, used in docstrings inherited from
        # scikit-learn (``set_fit_request``: "meta-estimator").
        url = _GLOSSARY.get(target) or (
            "https://scikit-learn.org/stable/glossary.html#term-"
            + re.sub(r"[^a-z0-9_]+", "-", target.lower())
        )
    elif (
        domain == "std"
        and reftype == "ref"
        and "docstring of sklearn." in str(node.source or "")
    ):
        # Other labels of scikit-learn's user guide in inherited docstrings.
        url = "https://scikit-learn.org/stable/search.html?q=" + target
    elif domain == "py" and reftype in _PY_OBJECT_TYPES:
        package = target.split(".", 1)[0]
        parts = target.split(".")
        if package in _EXTERNAL_PAGES and package not in intersphinx_mapping:
            # Methods and attributes live on their class's page.
            if reftype in ("meth", "attr") and len(parts) > 2:
                page = ".".join(parts[:-1])
                url = _EXTERNAL_PAGES[package].format(page) + "#" + target
            elif reftype != "mod" and len(parts) > 1:
                url = _EXTERNAL_PAGES[package].format(target)
    if url is None:
        return None
    reference = nodes.reference("", "", internal=False, refuri=url)
    if reftype in ("ref", "term"):
        reference += nodes.inline(text=contnode.astext())
    else:
        reference += contnode
    return reference


_SHAPE_NAME = re.compile(r"(?<![`\w])([A-Za-z]\w*_)(?=[,)\s])")


def _quote_shape_attributes(app, what, name, obj, options, lines):
    """Quote fitted-attribute names in ``of shape (n_features_in_,)``.

    In reStructuredText a bare word ending in ``_`` is a link to a target of
    that name, so a type such as ``ndarray of shape (n_features_in_,)``,
    common in scikit-learn style docstrings, is an "Unknown target name"
    error. Runs before numpydoc, on the raw docstring.
    """
    for i, line in enumerate(lines):
        if "of shape (" in line:
            head, _, tail = line.partition("of shape (")
            lines[i] = head + "of shape (" + _SHAPE_NAME.sub(r"`\1`", tail)


def setup(app):
    app.connect("missing-reference", _external_reference, priority=900)
    app.connect("autodoc-process-docstring", _quote_shape_attributes, priority=100)
    app.add_directive("optional-literalinclude", OptionalLiteralInclude)
    app.add_directive("optional-figure", OptionalFigure)
    app.add_directive("check-public-api", PublicAPICheck)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
