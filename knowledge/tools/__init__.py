"""One-off maintenance tools (the conversion of the shared reference tables to YAML)."""
