"""scikit-learn compatible meta-estimators for multi-label classification.

Binary relevance (:class:`BinaryRelevanceClassifier`) learns one binary
classifier per label; label powerset (:class:`LabelPowersetClassifier`) learns
one multiclass classifier over the label sets seen in training.
"""

from ._binary_relevance import BinaryRelevanceClassifier
from ._label_powerset import LabelPowersetClassifier
from ._thresholds import PerLabelThresholdClassifierCV

__version__ = "0.1.0"

__all__ = [
    "BinaryRelevanceClassifier",
    "LabelPowersetClassifier",
    "PerLabelThresholdClassifierCV",
    "__version__",
]
