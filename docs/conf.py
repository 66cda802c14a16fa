"""Sphinx configuration: numpydoc API reference and a sphinx-gallery of the examples, built offline."""

import os
import sys

sys.path.insert(0, os.path.abspath(".."))
# The gallery runs the real examples on small data so that the docs build in CI stays quick.
os.environ.setdefault("SKDENOISE_EXAMPLES_SMALL", "1")

import skdenoise  # noqa: E402

project = "skdenoise"
author = "the skdenoise developers"
copyright = "2026, the skdenoise developers"
version = release = skdenoise.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
autosummary_generate = True
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
autodoc_default_options = {
    "members": True,
    "inherited-members": False,
    # scikit-learn's generated metadata-routing setters refer to its own glossary.
    "exclude-members": "set_fit_request, set_score_request, set_predict_request, set_partial_fit_request",
}
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py", "auto_examples/*.zip"]
html_theme = "alabaster"
html_static_path = []

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"plot_",
    "download_all_examples": False,
    "plot_gallery": "True",
    "abort_on_example_error": True,
}
