"""Werkmonitor warehouse: the data platform behind the national work monitor."""

__version__ = "0.1.0"
