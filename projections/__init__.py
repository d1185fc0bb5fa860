"""Read models folded from the event log, each with its own tracking position."""
