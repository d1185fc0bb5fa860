"""Parley's domain: subjects whose state changes over time, recorded as sourced facts.

Nothing here knows about HTTP, SQL or settings.
"""
