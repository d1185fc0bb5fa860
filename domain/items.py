"""Lists of keyed items in a state (a plan's points): kept by the views as a view of their own,
compared item by item, and shown field by field in changes and replays.

A kind declares such a field in `item_lists` (see `Subject.item_lists`): its items each carry a
key, and a state lists them in the kind's order. The views keep one row per item and valid-time
interval instead of copying the list into every interval of the state, so a list of hundreds of
items does not grow the views with its square.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

Item = dict[str, Any]


class Touching(Protocol):
    """What an item list reads of a fact to know which items it is about: a `Fact`, or a lighter
    record of the same three fields (a comparison reads thousands)."""

    @property
    def event_id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def data(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class ItemList:
    """A state field listing items by `key`, in the order `ordered` puts them.

    `touched` names the keys of the items a fact is about (none for facts of other types); `merged`
    is `(keys, into)` for a fact that merges items into one; `compared` are the item fields a
    comparison reports, each (`positions` a mapping: one entry per key within it); `count` the state
    field counting the items, if one does; `types` the event types about its items (a page draws
    several of them on one day as one mark, and one line of what changed)."""

    key: str
    ordered: Callable[[Iterable[Item]], list[Item]]
    touched: Callable[[Touching], tuple[str, ...]]
    merged: Callable[[Touching], tuple[tuple[str, ...], str] | None]
    compared: tuple[str, ...]
    count: str | None = None  # the state field that counts the items
    types: tuple[str, ...] = ()


def by_key(items: Iterable[Item] | None, key: str) -> dict[str, Item]:
    return {item[key]: item for item in items or ()}


def item_changes(field: str, before: Iterable[Item] | None, after: Iterable[Item] | None, key: str) -> list[dict[str, Any]]:
    """The differences between two lists of items, field by field: `points.<key>` for an item added
    or removed, `points.<key>.<field>` for a field changed (`points.<key>.positions.<party>` within
    a mapping), in the order of the list after, then of those removed."""
    old, new = by_key(before, key), by_key(after, key)
    found: list[dict[str, Any]] = []
    for name in [*new, *(k for k in old if k not in new)]:
        was, now = old.get(name), new.get(name)
        path = f"{field}.{name}"
        if was is None or now is None:
            found.append({"field": path, "before": was, "after": now})
            continue
        found += [{"field": f"{path}.{sub}", "before": b, "after": a} for sub, b, a in item_field_changes(was, now)]
    return found


def item_field_changes(was: Item, now: Item, fields: Iterable[str] | None = None) -> list[tuple[str, Any, Any]]:
    """(field, before, after) of each field of an item that differs; a mapping's entries one by one."""
    names = list(fields) if fields is not None else [*now, *(k for k in was if k not in now)]
    changed = []
    for name in names:
        b, a = was.get(name), now.get(name)
        if b == a:
            continue
        if isinstance(b, dict | None) and isinstance(a, dict | None) and not _disputed(b) and not _disputed(a) and (b or a):
            b, a = b or {}, a or {}
            changed += [(f"{name}.{k}", b.get(k), a.get(k)) for k in [*a, *(k for k in b if k not in a)] if b.get(k) != a.get(k)]
        else:
            changed.append((name, b, a))
    return changed


def _disputed(value: Any) -> bool:
    return isinstance(value, dict) and "disputed" in value
