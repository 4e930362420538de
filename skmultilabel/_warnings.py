"""Warnings that point at the user's line, however deep the call.

A fixed ``stacklevel`` is right for one call path only: ``fit`` called
directly, through a ``Pipeline``, a grid search or ``cross_validate`` puts a
different number of frames between the user and the warning. :func:`warn`
instead attributes the warning to the first frame outside skmultilabel,
scikit-learn and joblib (as ``skip_file_prefixes`` does on Python >= 3.12),
one code path on every Python version.
"""

from __future__ import annotations

import os
import sys
import warnings

import joblib
import sklearn

_INTERNAL = tuple(
    os.path.dirname(module.__file__) + os.sep for module in (sklearn, joblib)
) + (os.path.dirname(os.path.abspath(__file__)) + os.sep,)


def _external_stacklevel() -> int:
    """``stacklevel`` of the first frame outside the internal packages,
    counted from the caller of :func:`warn` (the outermost frame when every
    frame is internal)."""
    frame = sys._getframe(2)  # the caller of warn()
    level = 2
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_INTERNAL):
        frame = frame.f_back
        level += 1
    return level


def warn(message: str, category: type[Warning]) -> None:
    """Warn with ``category``, attributed to the user's call.

    Parameters
    ----------
    message : str
        The warning's text.

    category : subclass of Warning
        One of the classes of :mod:`skmultilabel.exceptions`.

    Examples
    --------
    >>> import warnings
    >>> from skmultilabel._warnings import warn
    >>> from skmultilabel.exceptions import ConstantLabelWarning
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn("label 0 is constant", ConstantLabelWarning)
    >>> caught[0].filename.endswith("_warnings.py")
    False
    """
    warnings.warn(message, category, stacklevel=_external_stacklevel())
