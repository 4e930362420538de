"""The ``skmultilabel`` command: ``skmultilabel compare`` and its options.

Run ``skmultilabel compare`` (or ``python -m skmultilabel compare``) to fit
every multi-label method of the package (binary relevance, label powerset,
...) on the bundled emotions set, or on your own ARFF or NumPy file with
``--data``, and print one table comparing them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import warnings
from pathlib import Path

from ._compare_methods import ESTIMATORS, method_registry

PROG = "skmultilabel"


def _parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="scikit-learn compatible multi-label meta-estimators.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    compare = commands.add_parser(
        "compare",
        help="the multi-label methods side by side on one data set",
        description=(
            "Fit every multi-label method of the package (or those --methods "
            "names) with the same base estimator on one data set (the "
            "bundled emotions set unless --data is given) and print one "
            "table: test scores, fit and predict time, and the label-set "
            "figures that decide between them."
        ),
        epilog=(
            "--data takes a .npz file (arrays X_train, Y_train, X_test, "
            "Y_test, or X and Y) or an ARFF file in Mulan format (labels "
            "from --xml, --labels or a labels XML beside the file: "
            "medical.xml for medical-train.arff) or MEKA format ('-C n' in "
            "the relation name). A NAME-test file beside NAME-train is its "
            "test split. Without a test split, the data is split at random, "
            "reproducibly, and the output says so. --data mulan:NAME "
            "downloads the set on first use (needs pooch and liac-arff: pip "
            "install skmultilabel[fetch]; SKMULTILABEL_MULAN_URL names a "
            "mirror) and caches it. Progress goes to stderr "
            "(-q silences it); warnings about the data are always shown."
        ),
    )
    data = compare.add_argument_group("data")
    data.add_argument(
        "--data",
        metavar="PATH",
        help="ARFF or .npz file, or mulan:NAME for a Mulan set (yeast, scene, "
        "enron, ...) fetched with its standard split by "
        "skmultilabel.datasets.fetch_mulan",
    )
    data.add_argument(
        "--test", metavar="PATH", help="a separate file of test rows, same format"
    )
    data.add_argument("--xml", metavar="PATH", help="Mulan labels XML of an ARFF file")
    data.add_argument(
        "--labels",
        metavar="N",
        type=_positive_int,
        help="number of label attributes of an ARFF file without XML",
    )
    data.add_argument(
        "--label-location",
        choices=("end", "start"),
        default="end",
        help="where the --labels attributes are (default: end)",
    )
    data.add_argument(
        "--test-size",
        metavar="FRACTION",
        type=_fraction,
        default=0.25,
        help="share of rows held out when the data has no split (default: 0.25)",
    )
    model = compare.add_argument_group("model")
    model.add_argument(
        "--estimator",
        choices=tuple(ESTIMATORS),
        default="logistic",
        help="base estimator (default: logistic): "
        + "; ".join(f"{name} = {text}" for name, (text, _) in ESTIMATORS.items()),
    )
    model.add_argument(
        "--methods",
        metavar="LIST",
        type=_names,
        help="comma-separated columns to compare (default: every one that "
        "suits the data): " + ", ".join(method.key for method in method_registry()),
    )
    model.add_argument(
        "--min-count",
        metavar="N",
        type=_positive_int,
        help="min_count of every method that has one (default: theirs)",
    )
    model.add_argument(
        "--cv",
        metavar="K",
        type=_at_least_two,
        help="score over K shuffled folds of all rows: mean ± std",
    )
    model.add_argument(
        "--tune-thresholds",
        action="store_true",
        help="also score each method with per-label thresholds tuned for F1 "
        "on 5 folds of the training rows (PerLabelThresholdClassifierCV)",
    )
    model.add_argument(
        "--random-state",
        metavar="SEED",
        type=int,
        default=0,
        help="seed of the base estimator and of any split (default: 0)",
    )
    output = compare.add_argument_group("output")
    output.add_argument(
        "--json", action="store_true", help="print the results as JSON instead"
    )
    output.add_argument(
        "--plot", metavar="FILE.png", help="also draw the comparison into an image"
    )
    output.add_argument(
        "-q", "--quiet", action="store_true", help="no progress lines on stderr"
    )
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def _at_least_two(text: str) -> int:
    value = _positive_int(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"must be at least 2: {text!r}")
    return value


def _names(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError(f"no method named: {text!r}")
    return names


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1: {text!r}")
    return value


class _Failure(Exception):
    """An error reported as one line on stderr, exit status 2."""


def _compare(args) -> int:
    from ._compare import compare, format_report, load_dataset, plot_report

    def say(message: str) -> None:  # progress: silenced by -q
        if not args.quiet:
            print(f"{PROG}: {message}", file=sys.stderr, flush=True)

    def note(message: str) -> None:  # a warning: always shown
        print(f"{PROG}: note: {_one_line(message)}", file=sys.stderr, flush=True)

    if args.plot is not None:
        folder = Path(args.plot).expanduser().resolve().parent
        if not folder.is_dir():
            raise _Failure(f"cannot write the plot: no folder {folder}")
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            raise _Failure(
                "--plot needs matplotlib: pip install skmultilabel[plot]"
            ) from None
    if args.test is not None and args.data is None:
        raise _Failure("--test needs --data (the training rows' file)")
    if str(args.data).lower().startswith("mulan:"):
        say(f"fetching {args.data[6:]} with fetch_mulan (cached after the first time)")
    try:
        with (
            warnings.catch_warnings(record=True) as caught,
            _download_lines(quiet=args.quiet),
        ):
            warnings.simplefilter("always")
            dataset = load_dataset(
                args.data,
                test=args.test,
                xml=args.xml,
                label_count=args.labels,
                label_location=args.label_location,
                test_size=args.test_size,
                random_state=args.random_state,
            )
    except (OSError, ValueError, ImportError) as exc:
        raise _Failure(str(exc)) from None
    for warning in caught:
        note(str(warning.message))
    try:
        report = compare(
            dataset,
            args.estimator,
            methods=args.methods,
            min_count=args.min_count,
            random_state=args.random_state,
            cv=args.cv,
            tune_thresholds=args.tune_thresholds,
            progress=None if args.quiet else say,
            note=note,
        )
    except ValueError as exc:
        raise _Failure(f"cannot fit on {dataset.name}: {exc}") from None
    if args.min_count is not None and not report["min_count_methods"]:
        note("--min-count applies to none of the methods compared")
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(format_report(report), end="")
    sys.stdout.flush()  # a closed pipe fails here, inside main's handler
    if args.plot is not None:
        try:
            plot_report(report, args.plot)
        except (OSError, ValueError) as exc:
            raise _Failure(f"cannot write the plot {args.plot}: {exc}") from None
        say(f"wrote {args.plot}")
    return 0


@contextlib.contextmanager
def _download_lines(*, quiet: bool):
    """pooch's "Downloading data from ..." lines (its own logger, at INFO)
    are progress: silenced by -q like the rest."""
    try:
        import pooch
    except ImportError:  # fetch_mulan says what to install
        yield
        return
    logger = pooch.get_logger()
    level = logger.level
    if quiet:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def main(argv=None) -> int:
    """Run the ``skmultilabel`` command line.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments after the program name; None reads ``sys.argv``.

    Returns
    -------
    status : int
        0 on success (also when the reader of the output closes the pipe
        early, as ``| head -1`` does); 2 for a usage error or a file that
        cannot be read, with a one-line message on stderr; 130 when
        interrupted.

    Examples
    --------
    >>> from skmultilabel.__main__ import main
    >>> main(["compare", "--estimator", "nb", "--quiet"])  # doctest: +ELLIPSIS
    emotions (bundled with skmultilabel): 391 train / 202 test rows ...
    ...
    0
    """
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return _compare(args)
    except _Failure as exc:
        print(f"{PROG} {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of stdout (or stderr) went away, e.g. `| head -1`: what
        # it wanted is written. As Python's documentation of SIGPIPE
        # recommends, point both at devnull so the exit-time flush cannot
        # fail again; the run succeeded for everything that was read.
        devnull = os.open(os.devnull, os.O_WRONLY)
        for stream in (sys.stdout, sys.stderr):
            try:
                os.dup2(devnull, stream.fileno())
            except (OSError, ValueError, AttributeError):
                pass  # not a real file (captured by a test harness)
        return 0


if __name__ == "__main__":
    sys.exit(main())
