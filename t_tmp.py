import warnings, time
from sklearn.utils.estimator_checks import check_estimator
from sklearn.linear_model import LogisticRegression
from sklearn_balanced import GrayZoneClassifier, BalancedThresholdClassifier
import sys
est = GrayZoneClassifier(LogisticRegression()) if sys.argv[1]=="g" else BalancedThresholdClassifier(LogisticRegression())
t=time.time()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    res = check_estimator(est, on_fail=None)
from collections import Counter
print(Counter(r["status"] for r in res), time.time()-t)
for r in res:
    if r["status"]=="failed": print(r["check_name"], str(r["exception"])[:250].replace("\n"," "))
