"""Peptide data shipped with the package and composition features for it.

The CSV files under ``data/`` come unchanged from modlAMP 4.3.3 (BSD-3-Clause,
see ``data/LICENSE_modlamp.txt``). Their first line is a header
``n_samples,n_features,name_of_class_0,name_of_class_1``; every other line is
``SEQUENCE,label``.
"""

from __future__ import annotations

from importlib.resources import files

import numpy as np

AMINO_ACIDS = "ACDEFGHIKLMNPQRSTVWY"
"""The 20 standard amino acids, in the column order of the features."""

_DATASETS = {
    "amp_vs_uniprot": "AMPvsUniProt.csv",
    "amp_vs_tm": "AMPvsTMset.csv",
}
_KINDS = ("aac", "aac+dpc")

# Byte -> amino-acid index (0..19), -1 for anything else.
_LUT = np.full(256, -1, dtype=np.int64)
_LUT[np.frombuffer(AMINO_ACIDS.encode("ascii"), dtype=np.uint8)] = np.arange(20)


def load_peptides(name="amp_vs_uniprot"):
    """Load a labelled peptide set shipped with the package.

    Both sets come from modlAMP 4.3.3 (Müller et al., Bioinformatics 33(17),
    2017; BSD-3-Clause).

    ==================  ===========================================  =========
    name                classes (1 / 0)                              samples
    ==================  ===========================================  =========
    ``amp_vs_uniprot``  antimicrobial peptides (APD3) / random       2600/2600
                        UniProt peptides of length 10 to 50
    ``amp_vs_tm``       antimicrobial peptides / transmembrane       206/206
                        helices
    ==================  ===========================================  =========

    Parameters
    ----------
    name : {"amp_vs_uniprot", "amp_vs_tm"}, default="amp_vs_uniprot"
        Which set to load.

    Returns
    -------
    sequences : ndarray of str of shape (n_samples,)
        Peptide sequences in one-letter code (upper case, 20 standard amino
        acids).
    y : ndarray of int of shape (n_samples,)
        1 for antimicrobial (active) peptides, 0 for the others.

    See Also
    --------
    peptide_features : Amino-acid and dipeptide composition of sequences.

    Examples
    --------
    >>> from sklearn_balanced.datasets import load_peptides
    >>> sequences, y = load_peptides()
    >>> sequences.shape, int(y.sum())
    ((5200,), 2600)
    >>> str(sequences[0])
    'GLWSKIKEVGKEAAKAAAKAAGKAALGAVSEAV'
    """
    if not isinstance(name, str) or name not in _DATASETS:
        raise ValueError(
            f"Unknown peptide data set name={name!r}; expected one of "
            f"{sorted(_DATASETS)}."
        )
    text = (files("sklearn_balanced.datasets") / "data" / _DATASETS[name]).read_text(
        encoding="ascii"
    )
    lines = text.strip().splitlines()
    n_samples = int(lines[0].split(",")[0])
    rows = [line.split(",") for line in lines[1:] if line.strip()]
    sequences = np.array([row[0].strip() for row in rows], dtype=str)
    y = np.array([int(row[1]) for row in rows], dtype=np.int64)
    if len(y) != n_samples:  # pragma: no cover - guards the shipped files
        raise RuntimeError(f"{name}: header says {n_samples} rows, read {len(y)}.")
    return sequences, y


def _check_kind(kind):
    if not isinstance(kind, str) or kind not in _KINDS:
        raise ValueError(f"Unknown feature kind={kind!r}; expected one of {_KINDS}.")


def feature_names(kind="aac"):
    """Names of the columns :func:`peptide_features` returns.

    Parameters
    ----------
    kind : {"aac", "aac+dpc"}, default="aac"
        Feature kind, as in :func:`peptide_features`.

    Returns
    -------
    names : ndarray of str of shape (20,) or (420,)
        ``"aac_A"`` ... ``"aac_Y"``, then ``"dpc_AA"`` ... ``"dpc_YY"``.

    See Also
    --------
    peptide_features : The features these names describe.

    Examples
    --------
    >>> from sklearn_balanced.datasets import feature_names
    >>> [str(n) for n in feature_names()[:3]]
    ['aac_A', 'aac_C', 'aac_D']
    >>> len(feature_names("aac+dpc"))
    420
    """
    _check_kind(kind)
    names = [f"aac_{a}" for a in AMINO_ACIDS]
    if kind == "aac+dpc":
        names += [f"dpc_{a}{b}" for a in AMINO_ACIDS for b in AMINO_ACIDS]
    return np.array(names, dtype=str)


def _encode(sequences):
    """Concatenated amino-acid codes, their row ids and the sequence lengths."""
    if isinstance(sequences, (str, bytes)):
        raise ValueError(
            "sequences must be a list or 1-d array of strings, got a single "
            f"{type(sequences).__name__}: {sequences[:20]!r}."
        )
    seqs = np.asarray(sequences, dtype=object)
    if seqs.ndim != 1:
        raise ValueError(
            f"sequences must be 1-dimensional, got an array of shape {seqs.shape}."
        )
    cleaned = []
    for i, s in enumerate(seqs):
        if not isinstance(s, str):
            raise ValueError(
                f"sequences[{i}] is {type(s).__name__} {s!r}, expected a string."
            )
        s = s.strip().upper()
        if not s:
            raise ValueError(f"sequences[{i}] is empty.")
        cleaned.append(s)
    lengths = np.fromiter((len(s) for s in cleaned), dtype=np.int64, count=len(seqs))
    raw = np.frombuffer(
        "".join(cleaned).encode("ascii", errors="replace"), dtype=np.uint8
    )
    codes = _LUT[raw]
    bad = np.flatnonzero(codes < 0)
    if bad.size:
        row = int(np.searchsorted(np.cumsum(lengths), bad[0], side="right"))
        letters = sorted(set("".join(cleaned[row])) - set(AMINO_ACIDS))
        raise ValueError(
            f"sequences[{row}] = {cleaned[row]!r} contains {letters}, which are "
            f"not among the 20 standard amino acids {AMINO_ACIDS!r}."
        )
    rows = np.repeat(np.arange(len(cleaned)), lengths)
    return codes, rows, lengths


def peptide_features(sequences, kind="aac"):
    """Amino-acid (and dipeptide) composition of peptide sequences.

    Amino-acid composition (AAC) is the fraction of each of the 20 standard
    amino acids in a sequence; dipeptide composition (DPC) is the fraction of
    each of the 400 ordered pairs among the ``len - 1`` adjacent pairs (all
    zeros for a one-residue sequence). Vectorised with NumPy: no Python loop
    over residues.

    Parameters
    ----------
    sequences : sequence of str of shape (n_samples,)
        Peptides in one-letter code; lower case and surrounding white space
        are accepted.
    kind : {"aac", "aac+dpc"}, default="aac"
        ``"aac"`` gives 20 columns, ``"aac+dpc"`` 420 (AAC then DPC).

    Returns
    -------
    X : ndarray of float64 of shape (n_samples, 20) or (n_samples, 420)
        Each row's AAC part sums to 1, and so does its DPC part when the
        sequence has at least two residues. Column names come from
        :func:`feature_names`.

    Raises
    ------
    ValueError
        On an unknown ``kind``, an empty sequence, or a letter outside the 20
        standard amino acids (the message names the sequence and the letter).

    See Also
    --------
    load_peptides : Labelled peptide sets to use these features on.
    feature_names : Column names.

    Examples
    --------
    >>> from sklearn_balanced.datasets import peptide_features
    >>> X = peptide_features(["AAC", "GW"])
    >>> X.shape
    (2, 20)
    >>> X[0, :2].round(3)
    array([0.667, 0.333])
    >>> peptide_features(["AAC"], kind="aac+dpc")[0, 20:22]
    array([0.5, 0.5])
    """
    _check_kind(kind)
    codes, rows, lengths = _encode(sequences)
    n = len(lengths)
    counts = np.bincount(rows * 20 + codes, minlength=n * 20).reshape(n, 20)
    aac = counts / lengths[:, None]
    if kind == "aac":
        return aac
    same = rows[:-1] == rows[1:]
    pair_ids = rows[:-1][same] * 400 + codes[:-1][same] * 20 + codes[1:][same]
    pairs = np.bincount(pair_ids, minlength=n * 400).reshape(n, 400).astype(float)
    n_pairs = lengths - 1
    np.divide(pairs, n_pairs[:, None], out=pairs, where=n_pairs[:, None] > 0)
    return np.hstack([aac, pairs])
