"""The reference code lists (ethnic groups, communes), installed as ``dttscore.ref`` (core/pyproject.toml)."""
