"""Data sets shipped with sklearn-balanced and features for them.

- :func:`load_peptides` loads labelled antimicrobial-peptide sets (from
  modlAMP 4.3.3, BSD-3-Clause).
- :func:`peptide_features` turns sequences into amino-acid / dipeptide
  composition features; :func:`feature_names` names their columns.
"""

from sklearn_balanced.datasets._peptides import (
    AMINO_ACIDS,
    feature_names,
    load_peptides,
    peptide_features,
)

__all__ = ["AMINO_ACIDS", "feature_names", "load_peptides", "peptide_features"]
