"""Armed and political groups a report names that the gazetteer lacks: a run of capitalised words ending
in a group's noun ("the Libyan National Army", "the Southern Transitional Movement"), or a government
named for what it is ("the Government of National Accord"), is a party, and so are its initials when the
report uses them ("the LNA", "the GNA's team"). A state's own forces ("Sudanese Armed Forces" aside, which
the gazetteer holds) or government ("the Colombian Government") are its state's, not a group."""

from __future__ import annotations

import re

from parley.service.drafting.entities import parties_in

GROUP = re.compile(
    r"(?<![\w-])((?:[A-Z][\w'’]+\s+(?:(?:of|for|the|and)\s+)*){1,5}"
    r"(?:Army|Front|Forces|Movement|Platform|Alliance|Party|Coalition|Brigades|Militia|Government)"
    r"|Government\s+of\s+(?:[A-Z][\w'’]+\s+){0,3}[A-Z][\w'’]+)(?![\w-])"
)
CONNECTORS = frozenset(("of", "for", "the", "and"))
# Words that say only that it is a state's forces or government.
GENERIC = frozenset(
    (
        "armed",
        "forces",
        "army",
        "defence",
        "defense",
        "military",
        "air",
        "navy",
        "ground",
        "special",
        "security",
        "border",
        "government",
        "federal",
        "interim",
        "transitional",
        "new",
    )
)


def groups_in(text: str) -> dict[str, str]:
    """The groups a report names, each word that names one (lower case) to its name."""
    found: dict[str, str] = {}
    for match in GROUP.finditer(text):
        name = re.sub(r"^(?:The|A|An)\s+", "", match.group(1).strip())
        words = name.split()
        known = {w.lower() for p in parties_in(name) for w in name[p.start : p.end].split()}
        own = [w for w in words if w.lower() not in CONNECTORS and w.lower() not in known]
        if not own or all(w.lower() in GENERIC for w in own) or len(words) < 2:
            continue  # "the Colombian Government", "Ukrainian Armed Forces": the state's
        found[name.lower()] = name
        initials = "".join(w[0] for w in words if w.lower() not in CONNECTORS)
        if len(initials) >= 2 and re.search(rf"\b{initials}\b", text):
            found[initials.lower()] = name
    return found
