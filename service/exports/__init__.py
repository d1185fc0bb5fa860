"""Exports for analysts (SPEC §8, §17): tidy tables pinned to a log position, reproducible byte for byte.

A release that changes what a table holds bumps FORMAT_VERSION and adds a line to the change
log of docs/codebook.md. Every earlier version stays writable (`parley export --format-version`,
`?format_version=`), so a pin and a format version always give the same bytes.
"""

DISTRIBUTION = "parley-record"  # the name Parley is installed under ("parley" on the index is another project)
FORMAT_VERSIONS = ("1", "2", "3", "4", "5")
FORMAT_VERSION = FORMAT_VERSIONS[-1]


def version_number(version: str) -> int:
    return int(version)
