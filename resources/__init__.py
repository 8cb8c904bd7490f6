"""Data files shipped with the app (catalogue, code lists, translations, icons)."""
