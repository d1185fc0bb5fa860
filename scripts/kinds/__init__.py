"""Kinds declared outside Parley's own modules, named in `PARLEY_KINDS_EXTRA` (docs/kinds.md)."""
