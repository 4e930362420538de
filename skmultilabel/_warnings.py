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
import threading
import warnings

import joblib
import sklearn

_INTERNAL = tuple(
    os.path.dirname(module.__file__) + os.sep for module in (sklearn, joblib)
) + (os.path.dirname(os.path.abspath(__file__)) + os.sep,)


def _external_frame():
    """The first frame outside the internal packages, counted from the
    caller of :func:`warn` (the outermost frame when every frame is
    internal), and its ``stacklevel`` for :func:`warnings.warn` in ``warn``."""
    frame = sys._getframe(2)  # the caller of warn()
    level = 2
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_INTERNAL):
        frame = frame.f_back
        level += 1
    return frame, level


# Python shows a message once per place in the code (the "default" action),
# but keeps that memory in registries that every change of the filters
# clears, and scikit-learn's parallel helpers (cross_validate, grid
# searches) re-apply the filters around every fit: each fold would show the
# same warning again. The messages shown are therefore remembered here too,
# for as long as the filters stay the same.
_shown: set = set()
_shown_under: list = []
_lock = threading.Lock()


def _action(category, text: str, module: str, lineno: int) -> str:
    """The action of the first filter matching the warning (as Python's
    :mod:`warnings` decides it)."""
    for action, message, cls, mod, line in warnings.filters:
        if (
            (message is None or message.match(text))
            and issubclass(category, cls)
            and (mod is None or mod.match(module))
            and (line == 0 or line == lineno)
        ):
            return action
    return warnings.defaultaction


def _seen_before(frame, message: str, category) -> bool:
    """Whether this message was shown from this line under the same
    filters, when the filters say to show it once per place (the default)."""
    global _shown_under
    module = frame.f_globals.get("__name__", "<string>")
    action = _action(category, message, module, frame.f_lineno)
    if action not in ("default", "module", "once"):
        return False
    key = (category, message, frame.f_code.co_filename, frame.f_lineno)
    with _lock:
        if _shown_under != warnings.filters:
            _shown.clear()
            _shown_under = list(warnings.filters)
        seen = key in _shown
        _shown.add(key)
    return seen


def warn(message: str, category: type[Warning]) -> None:
    """Warn with ``category``, attributed to the user's call.

    A message already shown from the same line of the user's code is not
    shown again under Python's default filters, even across the many fits
    of a ``cross_validate`` or grid search (``warnings.simplefilter(
    "always", category)`` shows every one).

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
    frame, level = _external_frame()
    try:
        if _seen_before(frame, message, category):
            return
    finally:
        del frame  # no reference cycle through the caller's frame
    warnings.warn(message, category, stacklevel=level)
