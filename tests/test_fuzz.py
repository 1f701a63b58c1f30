"""Fuzz: random shapes, dtypes and label types.

Every call must either succeed with a correct result or raise a ValueError or
TypeError that carries a message; any other exception type (IndexError,
KeyError, ZeroDivisionError, numpy's AxisError, ...) is a bug. The generators
are seeded, so a failure names a reproducible case.
"""

import re
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from sklearn_balanced import (
    BalancedThresholdClassifier,
    find_threshold,
    threshold_curve,
)
from sklearn_balanced.objectives import OBJECTIVES, get_objective

pd = pytest.importorskip("pandas")

LABEL_KINDS = [
    "int", "str", "bool", "float", "uint8", "object-str", "mixed", "nan", "none",
    "category", "nullable", "nullable-na", "bytes", "2-column", "column-vector",
    "list", "3-classes",
]  # fmt: skip
SCORE_KINDS = [
    "f64", "f32", "f16", "int", "int-huge", "bool", "str-numbers", "str", "object",
    "nan", "inf", "complex", "huge", "subnormal", "2d", "column", "empty", "series",
    "none-inside", "list",
]  # fmt: skip
WEIGHT_KINDS = [
    None, "ones", "random", "ints", "negative", "zeros", "nan", "longer", "scalar",
    "str", "2d",
]  # fmt: skip
POS_LABELS = [None, None, 1, 0, "b", True, 0.5, "zz"]
# half of the cases draw only from kinds that should fit, so both paths run
GOOD_LABELS = ["int", "str", "bool", "float", "uint8", "object-str", "category",
               "nullable", "column-vector", "list"]  # fmt: skip
GOOD_SCORES = ["f64", "f32", "f16", "int", "int-huge", "bool", "str-numbers", "object",
               "huge", "subnormal", "column", "series", "list"]  # fmt: skip
GOOD_WEIGHTS = [None, "ones", "random", "ints", "scalar"]


def _pick(rng, options):
    return options[rng.integers(len(options))]


def _labels(rng, n, kind):
    k = 3 if kind == "3-classes" else int(rng.choice([1, 2, 2, 2, 2, 2]))
    base = rng.integers(0, k, n)
    if n >= 2 and k >= 2:
        base[:2] = [0, 1]
    names = np.array(["a", "b", "c"])
    if kind in ("int", "3-classes"):
        return base
    if kind == "str":
        return names[base]
    if kind == "bool":
        return base.astype(bool)
    if kind == "float":
        return base * 0.5
    if kind == "uint8":
        return base.astype(np.uint8)
    if kind == "object-str":
        return names[base].astype(object)
    if kind == "mixed":
        out = base.astype(object)
        out[::2] = "a"
        return out
    if kind == "nan":
        out = base.astype(float)
        out[:1] = np.nan
        return out
    if kind == "none":
        out = base.astype(object)
        out[:1] = None
        return out
    if kind == "category":
        return pd.Series(pd.Categorical(names[base]))
    if kind == "nullable":
        return pd.Series(base, dtype="Int64")
    if kind == "nullable-na":
        out = pd.Series(base, dtype="Int64")
        out.iloc[:1] = pd.NA
        return out
    if kind == "bytes":
        return np.array([b"a", b"b", b"c"])[base]
    if kind == "2-column":
        return np.c_[base, base]
    if kind == "column-vector":
        return base[:, None]
    if kind == "list":
        return base.tolist()
    raise AssertionError(kind)


def _scores(rng, n, kind):
    x = rng.normal(size=n)
    if rng.random() < 0.5:
        x = np.round(x, 1)  # ties
    if kind == "f64":
        return x
    if kind == "f32":
        return x.astype(np.float32)
    if kind == "f16":
        return x.astype(np.float16)
    if kind == "int":
        return rng.integers(-3, 3, n)
    if kind == "int-huge":
        return rng.integers(-(2**62), 2**62, n)
    if kind == "bool":
        return rng.random(n) < 0.5
    if kind == "str-numbers":
        return x.astype(str)
    if kind == "str":
        return np.array(["x"] * n)
    if kind == "object":
        return x.astype(object)
    if kind == "nan":
        x[-1:] = np.nan
        return x
    if kind == "inf":
        x[-1:] = -np.inf
        return x
    if kind == "complex":
        return x + 1j
    if kind == "huge":
        return x * 1e307
    if kind == "subnormal":
        return x * 1e-310
    if kind == "2d":
        return np.c_[x, x]
    if kind == "column":
        return x[:, None]
    if kind == "empty":
        return np.array([])
    if kind == "series":
        return pd.Series(x)
    if kind == "none-inside":
        out = x.astype(object)
        out[:1] = None
        return out
    if kind == "list":
        return x.tolist()
    raise AssertionError(kind)


def _weights(rng, n, kind):
    if kind is None:
        return None
    return {
        "ones": lambda: np.ones(n),
        "random": lambda: rng.random(n) * 3,
        "ints": lambda: rng.integers(0, 3, n),
        "negative": lambda: -np.ones(n),
        "zeros": lambda: np.zeros(n),
        "nan": lambda: np.full(n, np.nan),
        "longer": lambda: np.ones(n + 1),
        "scalar": lambda: 2.0,
        "str": lambda: np.array(["w"] * n),
        "2d": lambda: np.ones((n, 2)),
    }[kind]()


def _check_optimal(y, s, w, pos_label, objective, result):
    """The result is the brute-force optimum of the labels and scores as given."""
    y = np.asarray(y).ravel()
    s = np.asarray(s, dtype=np.float64).ravel()
    w = (
        np.ones(s.shape)
        if w is None
        else np.broadcast_to(np.asarray(w, float), s.shape)
    )
    pos = y == result.pos_label
    obj = get_objective(objective)
    values = []
    for cut in np.concatenate([[np.inf], np.unique(s)[::-1]]):
        pred = s >= cut
        counts = [w[pred & pos].sum(), w[pred & ~pos].sum()]
        counts += [w[~pred & ~pos].sum(), w[~pred & pos].sum()]
        values.append(obj.score(*(np.array([c]) for c in counts))[0])
    values = np.array(values) * (1 if obj.greater_is_better else -1)
    got = result.score * (1 if obj.greater_is_better else -1)
    assert got == pytest.approx(np.nanmax(values), abs=1e-9)
    pred = s >= result.threshold
    assert w[pred & pos].sum() == pytest.approx(result.tp)
    if pos_label is not None:
        assert result.pos_label == pos_label


def _expect_clean(call, case):
    """Run ``call``; return its result, or None after a clean ValueError/TypeError."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return call()
        except (ValueError, TypeError) as err:
            assert str(err).strip(), f"empty message for {case}"
            return None
        except Exception as err:  # pragma: no cover - the failure being tested for
            pytest.fail(f"{case}: {type(err).__name__}: {err}")


@pytest.mark.parametrize("block", range(4))
def test_find_threshold_and_curve_fuzz(block):
    rng = np.random.default_rng(1000 + block)
    outcomes = {"ok": 0, "refused": 0}
    for i in range(150):
        good = rng.random() < 0.5
        n = int(rng.choice([2, 3, 5, 8, 30] if good else [0, 1, 2, 3, 5, 8, 30]))
        lk = _pick(rng, GOOD_LABELS if good else LABEL_KINDS)
        sk = _pick(rng, GOOD_SCORES if good else SCORE_KINDS)
        wk = _pick(rng, GOOD_WEIGHTS if good else WEIGHT_KINDS)
        pos_label = None if good else _pick(rng, POS_LABELS)
        objective = sorted(OBJECTIVES)[rng.integers(len(OBJECTIVES))]
        y = _labels(rng, n, lk)
        s = _scores(rng, n + int(not good and rng.random() < 0.1), sk)
        w = _weights(rng, n, wk)
        case = f"block {block} case {i}: n={n} labels={lk} scores={sk} weights={wk} pos_label={pos_label!r} objective={objective}"
        result = _expect_clean(
            lambda y=y, s=s, w=w, p=pos_label, o=objective: find_threshold(
                y, s, objective=o, sample_weight=w, pos_label=p
            ),
            case,
        )
        _expect_clean(
            lambda y=y, s=s, w=w, p=pos_label: threshold_curve(
                y, s, sample_weight=w, pos_label=p
            ),
            case,
        )
        if result is None:
            outcomes["refused"] += 1
            continue
        outcomes["ok"] += 1
        _check_optimal(y, s, w, pos_label, objective, result)
    assert outcomes["ok"] > 5 and outcomes["refused"] > 5  # both paths exercised


GOOD_X = ["f64", "f32", "int", "bool", "object-numbers", "sparse", "dataframe", "list"]
X_KINDS = [
    "f64", "f32", "int", "bool", "object-numbers", "str", "nan", "sparse", "dataframe",
    "1d", "3d", "no-features", "list", "fewer-rows",
]  # fmt: skip


def _X(rng, n, kind):
    X = rng.normal(size=(n, 3))
    if kind == "f64":
        return X
    if kind == "f32":
        return X.astype(np.float32)
    if kind == "int":
        return np.round(X * 3).astype(int)
    if kind == "bool":
        return X > 0
    if kind == "object-numbers":
        return X.astype(object)
    if kind == "str":
        return np.full((n, 3), "x")
    if kind == "nan":
        X[:1, 0] = np.nan
        return X
    if kind == "sparse":
        return sp.csr_matrix(X)
    if kind == "dataframe":
        return pd.DataFrame(X, columns=["a", "b", "c"])
    if kind == "1d":
        return X[:, 0]
    if kind == "3d":
        return X[:, :, None]
    if kind == "no-features":
        return X[:, :0]
    if kind == "list":
        return X.tolist()
    if kind == "fewer-rows":
        return X[:-1]
    raise AssertionError(kind)


@pytest.mark.parametrize("block", range(2))
def test_estimator_fuzz(block):
    rng = np.random.default_rng(2000 + block)
    outcomes = {"ok": 0, "refused": 0}
    for i in range(25):
        good = rng.random() < 0.5
        n = int(rng.choice([16, 40] if good else [2, 4, 6, 12, 40]))
        xk = _pick(rng, GOOD_X if good else X_KINDS)
        lk = _pick(rng, GOOD_LABELS if good else LABEL_KINDS)
        pos_label = None if good else _pick(rng, POS_LABELS)
        cv = _pick(rng, [2, 3, 0.5])
        X, y = _X(rng, n, xk), _labels(rng, n, lk)
        case = f"block {block} case {i}: n={n} X={xk} labels={lk} pos_label={pos_label!r} cv={cv}"
        clf = BalancedThresholdClassifier(
            LogisticRegression(), cv=cv, pos_label=pos_label, random_state=0
        )
        fitted = _expect_clean(lambda clf=clf, X=X, y=y: clf.fit(X, y), case)
        if fitted is None:
            outcomes["refused"] += 1
            continue
        outcomes["ok"] += 1
        pred = _expect_clean(lambda f=fitted, X=X: f.predict(X), case)
        assert pred is not None, case
        assert len(pred) == n and set(np.asarray(pred).tolist()) <= set(
            fitted.classes_.tolist()
        )
        assert fitted.pos_label_ in fitted.classes_.tolist()
        # predict is exactly "score >= threshold_"
        response = fitted.predict_proba(X)[
            :, list(fitted.classes_).index(fitted.pos_label_)
        ]
        np.testing.assert_array_equal(
            pred == fitted.pos_label_, response >= fitted.threshold_
        )
    assert outcomes["ok"] > 2 and outcomes["refused"] > 2


CELLS = ["0", "1", "0.25", "-3e2", "1e400", "nan", "inf", "", " ", "a", "b", "é", '"q,x"',
         "0x10", "1_0", "True", "None", "NA", "1.0", "1e0", "-inf", " 1", "10",
         "9" * 25]  # fmt: skip


def test_cli_cutoff_fuzz(tmp_path, capsys):
    # random CSV files: exit status 0, or 2 with one line on stderr; no traceback
    from sklearn_balanced.cli import main

    rng = np.random.default_rng(3000)
    outcomes = {0: 0, 2: 0}
    for i in range(60):
        rows = int(rng.integers(0, 12))
        good = rng.random() < 0.5
        header = _pick(
            rng, ["y,s", "y,s,w", "s,y,w"] if good else ["y;s", "y", "", "y,s"]
        )
        lines = [header]
        for _ in range(rows):
            if good or rng.random() < 0.5:  # a well-formed row
                cells = [str(rng.integers(0, 2)), f"{rng.random():.2f}", "1"]
                if header.startswith("s"):
                    cells[:2] = cells[1::-1]
            else:
                cells = [_pick(rng, CELLS) for _ in range(int(rng.integers(1, 4)))]
            lines.append(",".join(cells[: max(1, header.count(",") + 1)]))
        path = tmp_path / f"case{i}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        argv = ["cutoff", str(path), "--label", "y", "--score", "s", "--json"]
        if "w" in header and rng.random() < 0.5:
            argv += ["--weight", "w"]
        case = f"case {i}: {lines!r} {argv[6:]}"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                status = main(argv)
            except SystemExit as exc:  # argparse
                status = exc.code
            except Exception as err:  # pragma: no cover - the failure being tested for
                pytest.fail(f"{case}: {type(err).__name__}: {err}")
        out, err = capsys.readouterr()
        assert status in (0, 2), case
        outcomes[status] += 1
        if status == 2:
            assert "Traceback" not in err and len(err.strip().splitlines()) == 1, case
        else:
            assert out.strip().startswith("{"), case
    assert outcomes[0] > 3 and outcomes[2] > 3


#: Bytes that break text files: NUL, invalid UTF-8, a byte-order mark, quotes,
#: line ends, delimiters.
NASTY = [
    b"\x00",
    b"\xff",
    b"\xef\xbb\xbf",
    b'"',
    b"\r",
    b"\n",
    b",",
    b";",
    b"\t",
    b"\xc3",
]


def test_cli_cutoff_byte_fuzz(tmp_path, capsys):
    # a valid file with random nasty bytes inserted or replaced: exit status 0,
    # or 2 with one line on stderr; never a traceback or an internal error
    from sklearn_balanced.cli import main

    rng = np.random.default_rng(3001)
    valid = b"y,s\n" + b"".join(b"%d,0.%d\n" % (i % 2, (7 * i) % 10) for i in range(12))
    outcomes = {0: 0, 2: 0}
    for i in range(40):
        text = valid
        if rng.random() < 0.4:  # harmless variants: quoted scores, CRLF, a BOM
            text = re.sub(rb"(0\.[0-9])", rb'"\1"', text)
        if rng.random() < 0.4:
            text = text.replace(b"\n", b"\r\n")
        if rng.random() < 0.4:
            text = b"\xef\xbb\xbf" + text
        data = bytearray(text)
        for _ in range(int(rng.integers(0, 3))):
            at = int(rng.integers(0, len(data)))
            bad = _pick(rng, NASTY)
            data[at : at + int(rng.integers(0, 2))] = bad
        path = tmp_path / f"bytes{i}.csv"
        path.write_bytes(bytes(data))
        argv = ["cutoff", str(path), "--label", "y", "--score", "s", "--json"]
        case = f"case {i}: {bytes(data)!r}"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            status = main(argv)
        out, err = capsys.readouterr()
        assert status in (0, 2), (case, err)
        outcomes[status] += 1
        if status == 2:
            assert len(err.strip().splitlines()) == 1, (case, err)
        else:
            assert out.strip().startswith("{"), case
    assert outcomes[0] > 3 and outcomes[2] > 3, outcomes
