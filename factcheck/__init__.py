"""factcheck: cross-source fact-consistency checking for news desks."""

__version__ = "0.2.0"
