"""Sejahtera: integrated poverty-reduction and employment system for a regency."""

__version__ = "0.1.0"
