"""Helpers of the demo landing-zone generator (``werkmonitor.generate``)."""
