"""``python -m sklearn_balanced``: the ``sklearn-balanced`` command line."""

from sklearn_balanced.cli import run

if __name__ == "__main__":
    run()
