"""One exception family, caught once in the CLI.

Every error names the input, the problem and the fix, on one line, so a desk
editor (or a CMS log) can act on it without a traceback.
"""

from __future__ import annotations


class FactcheckError(Exception):
    """Base class. ``exit_code`` is what the CLI exits with."""

    exit_code = 2

    def __init__(self, where: str, problem: str, fix: str):
        self.where = where
        self.problem = problem
        self.fix = fix
        super().__init__(f"{where}: {problem}. Fix: {fix}")


class InputError(FactcheckError):
    """Bad input: a missing, empty, binary or malformed file or folder."""


class OutputError(FactcheckError):
    """An output file or folder cannot be written: permissions, a file in the way, a full disk."""


class ModelError(FactcheckError):
    """A model or language pipeline could not be loaded offline."""
