"""Clear messages for the dtype errors plain skorch nets raise inside the library."""

from __future__ import annotations

_FIX = (
    "Use sklearn_balanced.neural.MLPBinaryClassifier (casts X and encodes labels "
    "itself), or convert the data before fitting"
)


def skorch_fit_error(estimator, exc):
    """A ValueError explaining ``exc`` raised by a skorch net's ``fit``, or None.

    Recognises torch's "mat1 and mat2 must have the same dtype" (X not
    float32) and "result type Float can't be cast" (integer y for a
    NeuralNetBinaryClassifier).
    """
    name = type(estimator).__name__
    msg = str(exc)
    if "must have the same dtype" in msg:
        return ValueError(
            f"{name}: the skorch network got X of a dtype other than float32 "
            f"({msg}). {_FIX}: X.astype(np.float32), or a "
            "FunctionTransformer(np.float32) step after any scaler."
        )
    if "can't be cast to the desired output type" in msg:
        return ValueError(
            f"{name}: skorch's NeuralNetBinaryClassifier needs y as float32 0/1 "
            f"({msg}). {_FIX}: y.astype(np.float32) (labels must be 0 and 1)."
        )
    return None
