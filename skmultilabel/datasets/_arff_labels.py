"""Which attributes of a multi-label ARFF file are its labels."""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

from ..exceptions import DataFileWarning

_MEKA_LABELS = re.compile(r"(?:^|\s)-C\s+(-?\d+)(?:\s|$)")
_MULAN_SPLIT = re.compile(r"[-_](?:train|test)$", re.IGNORECASE)


def label_columns(path: Path, names, relation, *, xml, label_count, where):
    """(label indices, labels XML used or None, where they came from in words).

    In the order of :func:`~skmultilabel.datasets.load_arff`'s docstring:
    ``xml``, ``label_count``, a labels XML beside the file, a trusted MEKA
    ``-C n`` in the relation name; otherwise a ``ValueError``.
    """
    found = xml is None and label_count is None
    if found:
        xml = _xml_beside(path)
    if xml is not None:
        label_index = _labels_from_xml(path, xml, names, found)
        source = f"labels XML {Path(xml).name}" + (
            ", found beside the file" if found else ""
        )
        if found:
            _warn_if_meka_disagrees(path, xml, relation, names, label_index)
        return label_index, xml, source
    count = label_count
    if count is None:
        count, where = _meka_labels(path, relation)
        source = f"MEKA option '-C {count if where == 'start' else -count}'"
    else:
        source = f"label_count={count} ({where})"
    if not 1 <= count < len(names):
        raise ValueError(
            f"{path}: cannot take {count} label attributes from a file "
            f"with {len(names)} attributes; at least one must be a feature."
        )
    n = len(names)
    return list(range(count) if where == "start" else range(n - count, n)), None, source


_OPTIONS_HINT = (
    "Give Mulan's labels XML (xml=, --xml) or the number of labels "
    "(label_count=, --labels)."
)


def _no_labels_message(path: Path, relation: str) -> str:
    hint = ""
    xml_files = sorted(p.name for p in path.parent.glob("*.xml"))
    if xml_files:
        hint = f" Next to it: {_shorten(xml_files)}."
    return (
        f"{path}: cannot tell which attributes are labels: the relation name "
        f"{relation!r} has no MEKA option '-C n' and no labels XML of the "
        f"file's name is beside it.{hint} {_OPTIONS_HINT}"
    )


def _xml_beside(path: Path):
    """The labels XML of the file's name beside it, or None.

    Mulan names the labels file of ``medical-train.arff`` and
    ``medical-test.arff`` ``medical.xml``; the file's own stem
    (``medical-train.xml``) is looked for first.
    """
    stems = [path.stem, _MULAN_SPLIT.sub("", path.stem)]
    for stem in dict.fromkeys(stems):
        candidate = path.with_name(f"{stem}.xml")
        if candidate.is_file():
            return candidate
    return None


def _labels_from_xml(path: Path, xml, names: list[str], found: bool) -> list[int]:
    try:
        wanted = set(_xml_label_names(xml))
    except ValueError as exc:
        if not found:
            raise
        raise ValueError(
            f"{exc} It was found beside {path.name} and read as its labels "
            f"file. {_OPTIONS_HINT}"
        ) from None
    missing = sorted(wanted.difference(names))
    if missing:
        raise ValueError(
            f"{path}: {len(missing)} of the {len(wanted)} labels named in "
            f"{xml}{' (found beside the file)' if found else ''} are not "
            f"attributes of the file: {_shorten(missing)}."
        )
    return [i for i, name in enumerate(names) if name in wanted]


def _meka_labels(path: Path, relation: str) -> tuple[int, str]:
    """(count, "start" or "end") from a trusted ``-C n`` in the relation name."""
    match = _MEKA_LABELS.search(relation)
    if match is None:
        raise ValueError(_no_labels_message(path, relation))
    if "weka.filters." in relation[match.end() - 1 :]:
        raise ValueError(
            f"{path}: the relation name's MEKA option '-C {match.group(1)}' is "
            "followed by a chain of Weka filters, which may have moved or "
            "removed attributes since it was written (Mulan's medical keeps "
            "'-C 45' with its labels last), so it does not say which "
            f"attributes are labels. {_OPTIONS_HINT}"
        )
    count = int(match.group(1))
    return abs(count), "start" if count > 0 else "end"


def _warn_if_meka_disagrees(path, xml, relation, names, label_index) -> None:
    match = _MEKA_LABELS.search(relation)
    if match is None:
        return
    count = int(match.group(1))
    n = len(names)
    meka = list(range(count)) if count > 0 else list(range(n + count, n))
    if meka != label_index:
        warnings.warn(
            f"{path.name}: took the labels from {Path(xml).name}, found beside "
            f"it; the relation name's MEKA option '-C {count}' says otherwise. "
            "Give label_count= (--labels) to use the relation name instead.",
            DataFileWarning,
            stacklevel=4,  # the caller of load_arff
        )


def _shorten(items: list[str], limit: int = 5) -> str:
    shown = ", ".join(repr(item) for item in items[:limit])
    return shown + (f", ... ({len(items)} in all)" if len(items) > limit else "")


def _xml_label_names(xml) -> list[str]:
    """The label names in a Mulan labels XML file, hierarchy flattened."""
    try:  # defusedxml guards against entity expansion tricks when present
        from defusedxml import ElementTree
    except ImportError:  # a small local file the user chose; expat limits
        from xml.etree import ElementTree  # entity expansion since 2.4.1
    xml = Path(os.fspath(xml))
    if not xml.is_file():
        raise FileNotFoundError(f"No such labels XML file: {xml}")
    try:
        root = ElementTree.parse(xml).getroot()
    except ElementTree.ParseError as exc:
        raise ValueError(f"{xml}: malformed labels XML: {exc}") from None
    names = [
        element.get("name")
        for element in root.iter()
        if element.tag.rsplit("}", 1)[-1] == "label"
    ]
    if not names or any(name is None for name in names):
        raise ValueError(
            f'{xml}: not a Mulan labels file: expected <label name="..."> '
            "elements inside <labels>."
        )
    return names
