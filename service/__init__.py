"""The application service: use cases over the event store and projections, and their wiring."""
