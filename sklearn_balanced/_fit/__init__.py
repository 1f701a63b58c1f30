"""The fit path shared by the estimators: cross-validation, responses, fold ensembles, multi-output folds."""
