"""Multi-label data: the bundled emotions set, Mulan's benchmarks, loaders.

:func:`load_emotions` needs nothing outside the package. :func:`fetch_mulan`
downloads Mulan's standard benchmark sets once and caches them
(``pip install skmultilabel[fetch]``). :func:`load_arff` reads Mulan and MEKA
ARFF files with the optional ``liac-arff`` package
(``pip install skmultilabel[arff]``); :func:`load_npz` reads NumPy archives.
:func:`load_split` gives one set's standard train/test split, or a stated
fallback when the set cannot be had.
"""

from ._arff import load_arff
from ._emotions import load_emotions
from ._mulan import fetch_mulan
from ._npz import load_npz
from ._split import load_split

__all__ = ["fetch_mulan", "load_arff", "load_emotions", "load_npz", "load_split"]
