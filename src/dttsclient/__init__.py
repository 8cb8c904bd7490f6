"""DTTS Client: offline-first collection of the statistical indicators of ethnic-minority affairs."""

__version__ = "0.1.0"
