"""Static HTML reports built from the warehouse (no JavaScript, no external assets)."""
