"""Parley's HTTP API (SPEC §3)."""
