"""``python benchmarks/run.py [options]``: the same as ``python -m benchmarks``.

Kept as the entry point that CI and the README name; the benchmarks live in
the ``benchmarks`` package beside this file (see ``benchmarks/README.md``).
"""

import sys
from pathlib import Path

if __name__ == "__main__":
    # Run as a script, sys.path[0] is this folder: put the repository root
    # there instead, so that ``benchmarks`` is imported as a package and no
    # module of this folder shadows another top-level name.
    sys.path[0] = str(Path(__file__).resolve().parents[1])
    from benchmarks.cli import main

    sys.exit(main())
