"""USB and paper: backups, restore, courier bundles, Excel and PDF reports, Excel import."""
