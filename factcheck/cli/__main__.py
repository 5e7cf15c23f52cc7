"""``python -m factcheck.cli``: the same as the ``factcheck`` console script."""

from . import main

main()
