#!/usr/bin/env bash
# Build the HTML documentation with warnings as errors, without network.
#
#   bash docs/build.sh            # uses `python` on PATH
#   PYTHON=/path/to/python bash docs/build.sh
#
# Needs the docs extra: pip install ".[docs]". The examples gallery is run as
# part of the build (a few seconds per script). Output: docs/_build/html.
# Extra arguments go to sphinx, e.g. `bash docs/build.sh -D plot_gallery=0`
# for a quick build that does not run the examples.
# Set SKMULTILABEL_DOCS_ONLINE=1 to fetch intersphinx inventories from the
# web; by default only those saved in docs/_intersphinx/ are used. The built
# pages never fetch anything (MathJax is bundled): docs/check_offline.py
# fails the build when a page loads a script or stylesheet from the network.
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python}"

# One BLAS/OpenMP thread: the examples are small, and threads fighting for a
# busy machine's cores make them many times slower.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
export MKL_NUM_THREADS="${MKL_NUM_THREADS:-1}"
export MPLBACKEND=Agg
export PYTHONHASHSEED=0

# Start clean so stale generated pages cannot hide a broken one.
rm -rf docs/_build docs/auto_examples docs/gen_modules docs/sg_execution_times.rst

"$PYTHON" -m sphinx -W --keep-going -b html docs docs/_build/html "$@"

# The site works offline: no page loads a script or stylesheet from the web.
"$PYTHON" docs/check_offline.py docs/_build/html
