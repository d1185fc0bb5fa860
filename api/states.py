"""What a subject's state looks like to a reader: each declared kind's state model, typed by `kind`.

The models live in `parley.domain.answers`, which the client and scripts import too; the API's
modules name them from here as before.
"""

from __future__ import annotations

from parley.domain.answers import any_state, shown, typed_state
from parley.domain.shown import Statement

__all__ = ["Statement", "any_state", "shown", "typed_state"]
