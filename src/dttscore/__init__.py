"""The Qt-free core shared by the client and the hub: catalogue, values, rules, identifiers."""

__version__ = "0.1.0"
