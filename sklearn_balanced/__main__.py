"""``python -m sklearn_balanced``: the ``sklearn-balanced`` command line."""

from sklearn_balanced.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
