"""Exports for analysts (SPEC §8): tidy tables pinned to a log position, reproducible byte for byte.

A release that changes what a table holds bumps FORMAT_VERSION, and docs/codebook.md says
what changed.
"""

FORMAT_VERSION = "1"
