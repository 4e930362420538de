"""Multi-label data: the bundled emotions set, and ARFF and NumPy loaders.

:func:`load_emotions` needs nothing outside the package. :func:`load_arff`
reads Mulan and MEKA ARFF files with the optional ``liac-arff`` package
(``pip install skmultilabel[arff]``); :func:`load_npz` reads NumPy archives.
"""

from ._arff import load_arff
from ._emotions import load_emotions
from ._npz import load_npz

__all__ = ["load_arff", "load_emotions", "load_npz"]
