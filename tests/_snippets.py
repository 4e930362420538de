"""Running documentation code blocks the way a reader would, warnings as errors."""

from __future__ import annotations

import warnings


def run_without_warnings(blocks, filename: str, namespace: dict) -> None:
    """Execute ``blocks`` in ``namespace``; any warning a user would see fails.

    Deprecation warnings raised inside other libraries (scipy's, through old
    scikit-learn releases) stay hidden, as Python shows them to a user; ours
    are errors too.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for category in (DeprecationWarning, PendingDeprecationWarning):
            warnings.filterwarnings("ignore", category=category)
            warnings.filterwarnings("error", category=category, module="skmultilabel")
        for block in blocks:
            exec(compile(block, filename, "exec"), namespace)
