"""ChainClassifier speed against its floors (issue 12), until the benchmark
package has a family module for it.

* greedy fit and predict vs a plain loop of base fits / predictions on ``X``
  augmented with the previous labels (target <= 1.05x);
* fit vs scikit-learn's ``ClassifierChain`` (target <= 1.0x within noise);
* beam search's base calls: rows passed to the links, vs greedy's
  (target <= beam_width x).

Timings are interleaved (every repeat runs each contender once, in a new
random order) and the ratio is taken per repeat; the median is reported.
Usage: ``python benchmarks/chain_speed.py [--repeats N] [--yeast PATH]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.multioutput import ClassifierChain
from threadpoolctl import threadpool_limits

from skmultilabel import ChainClassifier
from skmultilabel.datasets import load_npz


def loop_fit(base, X, Y):
    return [
        clone(base).fit(np.hstack((X, Y[:, :k])), Y[:, k]) for k in range(Y.shape[1])
    ]


def loop_predict(links, X):
    predictions = np.empty((X.shape[0], len(links)))
    for k, link in enumerate(links):
        predictions[:, k] = link.predict(np.hstack((X, predictions[:, :k])))
    return predictions


class Counting(LogisticRegression):
    """LogisticRegression that counts the rows it is asked about."""

    rows = 0

    def predict(self, X):
        Counting.rows += X.shape[0]
        return super().predict(X)

    def predict_proba(self, X):
        Counting.rows += X.shape[0]
        return super().predict_proba(X)


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def measure(name, X, Y, repeats, rng):
    base = LogisticRegression(max_iter=1000)
    contenders = {
        "ours": lambda: ChainClassifier(base).fit(X, Y),
        "loop": lambda: loop_fit(base, X, Y),
        "sklearn": lambda: ClassifierChain(base).fit(X, Y),
    }
    fit_times = {key: [] for key in contenders}
    predict_times = {"ours": [], "loop": []}
    for _ in range(repeats):
        fitted = {}
        for key in rng.permutation(list(contenders)):
            seconds, fitted[key] = timed(contenders[key])
            fit_times[key].append(seconds)
        predictors = {
            "ours": fitted["ours"].predict,
            "loop": lambda links=fitted["loop"]: loop_predict(links, X),
        }
        outputs = {}
        for key in rng.permutation(["ours", "loop"]):
            seconds, outputs[key] = timed(
                (lambda f=predictors[key]: f(X)) if key == "ours" else predictors[key]
            )
            predict_times[key].append(seconds)
        ours, loop = outputs["ours"], outputs["loop"]
        assert np.array_equal(ours, loop), "greedy predictions differ from the loop"

    def ratio(times, a, b):
        return np.median(np.array(times[a]) / np.array(times[b]))

    print(
        f"{name}: fit {np.median(fit_times['ours']):.3f}s; "
        f"fit / loop {ratio(fit_times, 'ours', 'loop'):.3f}x; "
        f"fit / sklearn ClassifierChain {ratio(fit_times, 'ours', 'sklearn'):.3f}x; "
        f"predict {np.median(predict_times['ours']) * 1e3:.1f}ms; "
        f"predict / loop {ratio(predict_times, 'ours', 'loop'):.3f}x"
    )
    model = ChainClassifier(Counting(max_iter=1000)).fit(X, Y)
    Counting.rows = 0
    model.predict(X)
    greedy_rows = Counting.rows
    for width in (2, 5, 10):
        model.set_params(inference="beam", beam_width=width)
        Counting.rows = 0
        seconds, _ = timed(lambda: model.predict(X))
        print(
            f"  beam_width={width}: base rows {Counting.rows / greedy_rows:.2f}x "
            f"greedy's (bound {width}x), {seconds * 1e3:.0f}ms"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--yeast",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "shared/datasets/yeast.npz",
    )
    args = parser.parse_args()
    rng = np.random.RandomState(0)
    with threadpool_limits(limits=1):
        X, Y = make_multilabel_classification(
            n_samples=2000, n_features=50, n_classes=10, random_state=0
        )
        measure("synthetic 2000x50, 10 labels", X, Y, args.repeats, rng)
        if args.yeast.is_file():
            X, Y = load_npz(args.yeast, subset="train", return_X_y=True)
            X = (X - X.mean(axis=0)) / X.std(axis=0)
            measure("yeast train 1500x103, 14 labels", X, Y, args.repeats, rng)
        else:
            print(f"[skip] {args.yeast} not found")


if __name__ == "__main__":
    main()
