"""Sphinx configuration of the skmultilabel documentation.

Build (warnings are errors, no network needed)::

    python -m sphinx -W -b html docs docs/_build/html

or ``bash docs/build.sh``. Cross-references to Python, NumPy, SciPy and
scikit-learn use intersphinx inventories read from ``docs/_intersphinx/``
(``python-objects.inv``, ``numpy-objects.inv``, ...) when they are there, or
fetched from the web when ``SKMULTILABEL_DOCS_ONLINE=1``; otherwise those
references are left as plain text and the build does not touch the network.

The built pages do not either: MathJax is copied into ``_static/mathjax``
(``sphinx-mathjax-offline``), sphinx-gallery's timing page (jQuery and
DataTables from CDNs) is not written, and ``docs/check_offline.py`` fails
``docs/build.sh`` and CI when a page loads a script or stylesheet from the
network.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
import sys
import warnings
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.directives.images import Figure
from sphinx import addnodes
from sphinx.directives.code import LiteralInclude
from sphinx.directives.other import Include

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
    # MathJax from the package's own copy in _static/mathjax, not from a CDN:
    # the pages render their math with no network.
    "sphinx-mathjax-offline",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    # Markdown files kept outside docs/ (benchmarks/RESULTS.md) render as
    # pages with real tables.
    "myst_parser",
]

templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "_intersphinx",
    "Thumbs.db",
    ".DS_Store",
    # sphinx-gallery's timing page loads jQuery and DataTables from CDNs; it
    # is not written (see sphinx_gallery_conf), and a copy left by an older
    # build is not read.
    "**/sg_execution_times.rst",
    "sg_execution_times.rst",
]
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

_REPOSITORY = "https://github.com/skmultilabel/skmultilabel"

html_theme = "pydata_sphinx_theme"
html_title = f"skmultilabel {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_show_sourcelink = False
html_theme_options = {
    "github_url": _REPOSITORY,
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
    # The execution-times page loads scripts from CDNs (jQuery, DataTables).
    "write_computation_times": False,
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


class OptionalMarkdownInclude(Include):
    """The content of a Markdown file, rendered (tables as tables) by MyST.

    For Markdown kept outside ``docs/`` (``benchmarks/RESULTS.md``); a
    missing file prints the ``:missing:`` text instead of failing the build.
    """

    option_spec = dict(Include.option_spec, missing=directives.unchanged)

    def run(self):
        _, path = self.env.relfn2path(self.arguments[0])
        missing = self.options.pop("missing", "")
        if not Path(path).is_file():
            self.env.note_dependency(path)
            return [nodes.paragraph(text=missing)] if missing else []
        self.options["parser"] = directives.parser_name("myst_parser.sphinx_")
        content = super().run()
        # A relative link to a file of the repository (RESULTS.md links to its
        # README.md) is not a page of this site: link to the file on GitHub.
        folder = Path(path).resolve().parent
        for root in content:
            for node in list(root.findall(addnodes.pending_xref)):
                target = node.get("reftarget", "")
                file = (folder / target).resolve()
                if node.get("reftype") != "myst" or not file.is_file():
                    continue
                if not file.is_relative_to(ROOT):
                    continue
                url = f"{_REPOSITORY}/blob/main/{file.relative_to(ROOT).as_posix()}"
                reference = nodes.reference("", "", internal=False, refuri=url)
                reference += node.children
                node.replace_self(reference)
        return content


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


# -- API reference generated from ``__all__`` -----------------------------------
#
# ``.. public-api:: MODULE`` in a page stands for an autosummary table of every
# public class and function in ``MODULE.__all__``, with one generated page
# each, so a new estimator is documented as soon as it is exported.

_PUBLIC_API = re.compile(r"^\.\. public-api:: *([\w.]+) *$", re.MULTILINE)


def _public_names(module_name: str) -> list[str]:
    """Classes and functions of ``module_name.__all__``, in its order."""
    module = importlib.import_module(module_name)
    names = []
    for name in getattr(module, "__all__", ()):
        obj = getattr(module, name)
        if not name.startswith("_") and (
            inspect.isclass(obj) or inspect.isroutine(obj)
        ):
            names.append(name)
    return names


def _public_api_block(module_name: str, toctree: str = "gen_modules/") -> str:
    lines = [
        f".. currentmodule:: {module_name}",
        "",
        ".. autosummary::",
        "   :nosignatures:",
        f"   :toctree: {toctree}",
        "",
        *(f"   {name}" for name in _public_names(module_name)),
        "",
    ]
    return "\n".join(lines)


def _expand_public_api(app, docname, source):
    source[0] = _PUBLIC_API.sub(lambda m: _public_api_block(m.group(1)), source[0])


def _pages_with_public_api(env) -> list[str]:
    return [
        docname
        for docname in sorted(env.found_docs)
        if env.doc2path(docname).is_file()
        and _PUBLIC_API.search(env.doc2path(docname).read_text("utf-8"))
    ]


def _generate_public_api_stubs(app):
    """Write the pages of the names ``public-api`` lists.

    autosummary writes a page only for the names it reads in the source
    files, before any page is parsed; these names are not in the file, so the
    expanded text is handed to autosummary's generator here, with the page
    folder as an absolute path.
    """
    import tempfile

    from sphinx.ext.autosummary.generate import generate_autosummary_docs

    env = app.env
    for docname in _pages_with_public_api(env):
        path = env.doc2path(docname)
        folder = (path.parent / "gen_modules").resolve()
        text = _PUBLIC_API.sub(
            lambda m, folder=folder: _public_api_block(m.group(1), str(folder)),
            path.read_text("utf-8"),
        )
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "public_api.rst"
            source.write_text(text, "utf-8")
            generate_autosummary_docs(
                [str(source)],
                suffix=".rst",
                app=app,
                imported_members=app.config.autosummary_imported_members,
                overwrite=app.config.autosummary_generate_overwrite,
            )


def _reread_public_api(app, env, added, changed, removed):
    # ``__all__`` may have changed while the page's file did not.
    return _pages_with_public_api(env)


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
    app.add_directive("optional-markdown-include", OptionalMarkdownInclude)
    app.connect("builder-inited", _generate_public_api_stubs, priority=400)
    app.connect("source-read", _expand_public_api)
    app.connect("env-get-outdated", _reread_public_api)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
