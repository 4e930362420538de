"""scikit-learn's full estimator check suite over every public estimator."""

from sklearn.utils.estimator_checks import (
    check_dataframe_column_names_consistency,
    check_param_validation,
    parametrize_with_checks,
)

from skmultilabel import BinaryRelevanceClassifier, LabelPowersetClassifier

from ._sklearn_checks import base_estimators, expected_failed_checks

ESTIMATORS = (
    [BinaryRelevanceClassifier()]
    + [BinaryRelevanceClassifier(base) for base in base_estimators()]
    + [LabelPowersetClassifier()]
    + [LabelPowersetClassifier(base) for base in base_estimators()]
)


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_param_validation():
    for estimator in ESTIMATORS[:2]:
        check_param_validation(type(estimator).__name__, estimator)


def test_dataframe_column_names_consistency():
    for estimator in ESTIMATORS:
        check_dataframe_column_names_consistency(type(estimator).__name__, estimator)
