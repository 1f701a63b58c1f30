"""The pair search of gray_zone._pairs: its binary search with guesses, the
linear-pass helpers, against numpy's searchsorted."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sklearn_balanced.engine import confusion_counts
from sklearn_balanced.gray_zone import _pairs as gray_zone


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 40), min_size=1, max_size=30),
    st.lists(st.integers(-5, 45), min_size=30, max_size=30),
    st.data(),
)
def test_guessed_first_true_is_the_binary_search(cuts, guesses, data):
    """A guess (right or wrong) never changes :func:`_first_true`'s answer."""
    cut = np.array(cuts)
    lo = np.array([data.draw(st.integers(0, 40)) for _ in cuts])
    hi = np.array([data.draw(st.integers(int(a) - 1, 40)) for a in lo])

    def pred(u, rows):
        return u >= cut[rows]

    guess = np.array(guesses[: len(cuts)])
    plain = gray_zone._first_true(pred, lo, hi)
    assert np.array_equal(gray_zone._first_true(pred, lo, hi, guess), plain)
    expected = [
        next((u for u in range(a, b + 1) if u >= c), b + 1)
        for a, b, c in zip(lo, hi, cut, strict=True)
    ]
    assert plain.tolist() == expected


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 6), min_size=2, max_size=40),
    st.lists(st.booleans(), min_size=40, max_size=40),
)
def test_next_fp_rise_is_searchsorted_of_every_cutoff(levels, labels):
    y = np.array(labels[: len(levels)])
    assume(y.any() and not y.all())
    counts = confusion_counts(y, np.array(levels, dtype=float))
    pairs = gray_zone._Pairs(counts)
    k = np.arange(counts.fp.shape[0])
    expected = np.searchsorted(counts.fp, counts.fp[k], side="right")
    np.testing.assert_array_equal(pairs.next_fp_rise(), expected)


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("levels", [3, 50, 100_000])
def test_guess_on_runs_of_equal_bounds_is_searchsorted(side, levels):
    """Runs of equal bounds are searched once each: the same answers."""
    rng = np.random.default_rng(levels)
    cumulative = np.cumsum(rng.integers(0, 3, 5000)).astype(float)
    bound = np.sort(rng.integers(0, levels, 6000))[::-1] * (cumulative[-1] / levels)
    np.testing.assert_array_equal(
        gray_zone._guess(cumulative, bound, side),
        np.searchsorted(cumulative, bound, side=side),
    )
