"""scikit-learn compatible meta-estimators for multi-label classification.

Binary relevance (:class:`BinaryRelevanceClassifier`) learns one binary
classifier per label; label powerset (:class:`LabelPowersetClassifier`) learns
one multiclass classifier over the label sets seen in training; a classifier
chain (:class:`ChainClassifier`) learns one binary classifier per label, each
given the labels before it, and so the joint distribution of the labels.
"""

from ._binary_relevance import BinaryRelevanceClassifier
from ._chain import ChainClassifier
from ._label_powerset import LabelPowersetClassifier
from ._rakel import RakelClassifier
from ._thresholds import PerLabelThresholdClassifierCV

__version__ = "0.1.0"

# Estimators in the order ``skmultilabel compare`` shows their columns.
__all__ = [
    "BinaryRelevanceClassifier",
    "LabelPowersetClassifier",
    "ChainClassifier",
    "RakelClassifier",
    "PerLabelThresholdClassifierCV",
    "__version__",
]
