#!/usr/bin/env bash
# Build the HTML documentation, executing every gallery example; warnings are errors.
# Usage: bash docs/build.sh        (needs: pip install -e ".[docs]")
# Offline: intersphinx inventories are written locally by docs/_inventories.py.
set -euo pipefail
cd "$(dirname "$0")/.."
# One BLAS/OpenMP thread per process: the examples fit small models, and on a
# shared 2-core machine thread oversubscription makes them several times slower.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
export MKL_NUM_THREADS="${MKL_NUM_THREADS:-1}" MPLBACKEND=Agg
python -m sphinx -W --keep-going -b html -j 1 docs docs/_build/html "$@"
