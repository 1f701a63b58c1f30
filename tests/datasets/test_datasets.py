"""Tests for sklearn_balanced.datasets (shipped peptides, composition features)."""

from collections import Counter
from importlib.resources import files

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sklearn_balanced.datasets import (
    AMINO_ACIDS,
    feature_names,
    load_peptides,
    peptide_features,
)


@pytest.mark.parametrize(
    ("name", "n_pos", "n_neg"),
    [("amp_vs_uniprot", 2600, 2600), ("amp_vs_tm", 206, 206)],
)
def test_load_peptides_shapes_and_labels(name, n_pos, n_neg):
    sequences, y = load_peptides(name)
    assert sequences.dtype.kind == "U"
    assert y.dtype.kind == "i"
    assert set(np.unique(y)) == {0, 1}
    assert int((y == 1).sum()) == n_pos
    assert int((y == 0).sum()) == n_neg
    # every sequence is clean: features compute without error
    assert peptide_features(sequences).shape == (n_pos + n_neg, 20)


def test_load_peptides_default_and_first_row():
    sequences, y = load_peptides()
    assert sequences[0] == "GLWSKIKEVGKEAAKAAAKAAGKAALGAVSEAV"
    assert y[0] == 1
    assert len(sequences) == 5200


def test_licence_ships_with_data():
    text = (
        files("sklearn_balanced.datasets") / "data" / "LICENSE_modlamp.txt"
    ).read_text(encoding="utf-8")
    assert "BSD 3-Clause" in text
    assert "ETH Zurich" in text


def test_load_peptides_unknown_name():
    with pytest.raises(ValueError, match=r"Unknown peptide data set name='nope'"):
        load_peptides("nope")


def _reference(seq, kind):
    """Slow, obvious composition for comparison."""
    aac = [seq.count(a) / len(seq) for a in AMINO_ACIDS]
    if kind == "aac":
        return aac
    pairs = Counter(seq[i : i + 2] for i in range(len(seq) - 1))
    n = max(len(seq) - 1, 1)
    return aac + [pairs[a + b] / n for a in AMINO_ACIDS for b in AMINO_ACIDS]


@given(
    st.lists(
        st.text(alphabet=AMINO_ACIDS, min_size=1, max_size=30), min_size=1, max_size=8
    ),
    st.sampled_from(["aac", "aac+dpc"]),
)
def test_features_match_reference(sequences, kind):
    X = peptide_features(sequences, kind=kind)
    expected = np.array([_reference(s, kind) for s in sequences])
    assert X.dtype == np.float64
    np.testing.assert_allclose(X, expected, atol=1e-12)
    np.testing.assert_allclose(X[:, :20].sum(axis=1), 1.0)


def test_features_known_values_and_case():
    X = peptide_features(np.array([" aac ", "W"]), kind="aac+dpc")
    assert X.shape == (2, 420)
    assert X[0, AMINO_ACIDS.index("A")] == pytest.approx(2 / 3)
    names = list(feature_names("aac+dpc"))
    assert X[0, names.index("dpc_AA")] == pytest.approx(0.5)
    assert X[0, names.index("dpc_AC")] == pytest.approx(0.5)
    # a single residue has no dipeptides
    assert X[1, 20:].sum() == 0.0
    assert X[1, names.index("aac_W")] == 1.0


def test_feature_names():
    assert len(feature_names()) == 20
    names = feature_names("aac+dpc")
    assert len(names) == 420 == len(set(names))
    assert names[20] == "dpc_AA" and names[-1] == "dpc_YY"


@pytest.mark.parametrize(
    ("sequences", "kind", "match"),
    [
        (["ACDX"], "aac", r"sequences\[0\] = 'ACDX' contains \['X'\]"),
        (["AC", "A-B"], "aac", r"sequences\[1\] = 'A-B' contains \['-', 'B'\]"),
        (["AC", ""], "aac", r"sequences\[1\] is empty"),
        (["AC", 3], "aac", r"sequences\[1\] is int 3, expected a string"),
        ("ACDE", "aac", r"got a single str: 'ACDE'"),
        ([["AC"]], "aac", r"must be 1-dimensional, got an array of shape \(1, 1\)"),
        (["AC"], "dpc", r"Unknown feature kind='dpc'"),
    ],
)
def test_features_errors(sequences, kind, match):
    with pytest.raises(ValueError, match=match):
        peptide_features(sequences, kind=kind)


def test_feature_names_unknown_kind():
    with pytest.raises(ValueError, match=r"Unknown feature kind='x'"):
        feature_names("x")


def test_non_ascii_letter_is_reported():
    with pytest.raises(ValueError, match=r"contains \['É'\]"):
        peptide_features(["AÉC"])
