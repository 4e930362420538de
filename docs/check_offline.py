"""Check that a built HTML site loads no script or stylesheet from the network.

Run after the docs build (``docs/build.sh`` and ``.ci/run`` do)::

    python docs/check_offline.py docs/_build/html

Every ``<script src=...>`` and every ``<link rel="stylesheet"|"preload"|
"modulepreload" href=...>`` must name a file of the site, not an ``http://``,
``https://`` or ``//host`` address: an offline reader (or one behind a strict
firewall) then sees the same pages, math included. Prints each offending tag
with its page and exits 1 when there is one.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_REMOTE = r"[\"']?\s*(?:https?:)?//"
_TAGS = [
    re.compile(r"<script\b[^>]*?\bsrc\s*=\s*" + _REMOTE, re.IGNORECASE),
    re.compile(
        r"<link\b(?=[^>]*\brel\s*=\s*[\"']?(?:stylesheet|preload|modulepreload)\b)"
        r"[^>]*?\bhref\s*=\s*" + _REMOTE,
        re.IGNORECASE,
    ),
]


def network_loads(html_dir: str | Path) -> list[str]:
    """``page: tag`` for every script or stylesheet fetched from another host."""
    html_dir = Path(html_dir)
    found = []
    for page in sorted(html_dir.rglob("*.html")):
        text = page.read_text("utf-8", "replace")
        for pattern in _TAGS:
            for match in pattern.finditer(text):
                end = text.find(">", match.start())
                tag = text[match.start() : end + 1 if end >= 0 else None]
                found.append(f"{page.relative_to(html_dir).as_posix()}: {tag}")
    return found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: python docs/check_offline.py HTML_DIR", file=sys.stderr)
        return 2
    html_dir = Path(args[0])
    pages = sum(1 for _ in html_dir.rglob("*.html"))
    if pages == 0:
        print(f"{html_dir}: no HTML page found", file=sys.stderr)
        return 2
    found = network_loads(html_dir)
    for line in found:
        print(f"loads from the network: {line}", file=sys.stderr)
    if found:
        return 1
    print(f"{pages} pages checked: no script or stylesheet from the network")
    return 0


if __name__ == "__main__":
    sys.exit(main())
