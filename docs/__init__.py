"""Parley's documents. Only the exports' codebook is installed with it: a data package carries it (SPEC §17)."""
