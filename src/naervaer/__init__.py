"""Nærvær: follow-up of sick-listed employees and sickness-absence statistics."""

__version__ = "0.1.0"
