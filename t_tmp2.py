import time, warnings
from sklearn.linear_model import LogisticRegression
from sklearn.utils.estimator_checks import check_estimator
from sklearn_balanced import BalancedThresholdClassifier, GrayZoneClassifier
for est in [BalancedThresholdClassifier(LogisticRegression()), BalancedThresholdClassifier(LogisticRegression(), cv=2), GrayZoneClassifier(LogisticRegression(), cv=2)]:
    t=time.time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(est, expected_failed_checks={"check_classifiers_train": "cutoff moves"})
    print(est, time.time()-t)
