"""Proposals and their subjects (SPEC §13): the subject an event is about (one the report already
proposed, one the store holds, else a new one, created first by its kind's creating event), a
second mention merged into the first, and each proposal's `confidence` and `missing`."""

from __future__ import annotations

from typing import Any

from parley.domain.register import names_in
from parley.domain.subject import Subject
from parley.service.drafting.confidence import confidence_of, creation_confidence, missing_of
from parley.service.drafting.occurred import overlap
from parley.service.drafting.reading import Proposal, Reading, Weak
from parley.service.drafting.roles import Roles
from parley.service.drafting.subjects import identity_fields, plain, same_subject, slug_of

STATEMENT = "StatementRecorded"
DISTINCT = ("status",)  # fields whose two values are two events, never one told twice


class Proposing(Roles):
    """Adds an event to the report's proposals, about the subject its data names."""

    def _add(
        self,
        reading: Reading,
        cls: type[Subject],
        type_name: str,
        data: dict[str, Any],
        occurred: str,
        why: list[str],
        confidence: float,
        at: int,
        *,
        identity: dict[str, Any] | None = None,
        subject: str | None = None,
    ) -> None:
        fields = identity_fields(cls.drafting_subject)
        if identity is None:
            identity = self._identity(reading, cls, type_name, data, at)
        new = False
        if subject is None:
            recent = next((s for k, s, _ in reversed(self.in_report) if k == cls.kind), None)
            resolved = self._resolve(cls, fields, identity)
            if (
                resolved is None
                and recent is not None
                and all(isinstance(v, Weak) or v is None or fmt for (name, fmt), v in ((f, identity.get(f[0])) for f in fields))
            ):
                resolved = recent  # only words around it say which: the one the report is about
            told = self._told_here(reading, cls, type_name, data)
            if resolved is None and told is not None:  # "signed a ceasefire, the most ambitious truce the ELN has
                told.why.append("also: " + "; ".join(why))  # accepted": one agreement told twice in a sentence
                return
            if resolved is None:
                first = fields[0][0] if fields else None
                if first is not None and plain(identity.get(first)) is None:
                    return  # nothing names a new subject
                slug = slug_of(cls.drafting_subject, identity, set(cls.person_fields) | singles(cls))
                if slug is None:
                    return
                subject, new = f"{cls.kind}/{slug}", True
            else:
                subject = resolved
        creation = cls.creation.__name__
        if new and type_name != creation:
            self._create_first(reading, cls, subject, identity, occurred, at)
        elif type_name == creation and not new:
            self._merge(type_name, subject, data, why)
            return
        if new or type_name == creation:
            self.in_report.append((cls.kind, subject, identity))
        if type_name != STATEMENT and self._merge(type_name, subject, data, why, occurred):
            return
        named = set(names_in(data, cls.event_types[type_name].person_fields))
        for earlier in self.proposals:
            if (
                earlier.subject != subject
                or earlier.sentence is not reading.sentence
                or earlier.type != creation
                or type_name == creation
            ):
                continue
            if not earlier.occurred.startswith(".."):
                earlier.occurred = f"../{occurred.split('/')[-1]}" if not occurred.startswith("..") else occurred
            for path in cls.event_types[creation].person_fields:  # "led by X, who was appointed instead of Y":
                if "." not in path and "[]" not in path and earlier.data.get(path) in named:  # X came with the later event
                    del earlier.data[path]
        missing = missing_of(cls, type_name, data, self.wanted)
        confidence = confidence_of(
            confidence, known=not new, exact=not occurred.startswith(".."), missing=missing, sentence=reading.sentence.text
        )
        if type_name in cls.concluded_by[:1] and not occurred.startswith(".."):
            self.dated.setdefault(subject, occurred)
        people = self._people_in(cls, type_name, data)
        self.proposals.append(
            Proposal(type_name, cls.kind, subject, new, occurred, data, reading.sentence, why, confidence, missing, people)
        )

    def _told_here(self, reading: Reading, cls: type[Subject], type_name: str, data: dict[str, Any]) -> Proposal | None:
        """An event of the same type and the same status the sentence already proposed."""
        distinct = {k: plain(v) for k, v in data.items() if k in DISTINCT}
        if not distinct:
            return None
        return next(
            (
                p
                for p in reversed(self.proposals)
                if p.sentence is reading.sentence
                and p.kind == cls.kind
                and p.type == type_name
                and all(plain(p.data.get(k)) == v for k, v in distinct.items())
            ),
            None,
        )

    def _people_in(self, cls: type[Subject], type_name: str, data: dict[str, Any]) -> dict[str, str]:
        """The names of people in the data that the register knows, each to its person."""
        names = names_in(data, cls.event_types[type_name].person_fields)
        return {name: person for name in names if (person := self.people.match(name)) is not None}

    def _identity(
        self, reading: Reading, cls: type[Subject], type_name: str, data: dict[str, Any], at: int, until: int | None = None
    ) -> dict[str, Any]:
        """The values of the fields that name the subject: from the event's data, else read from the
        sentence as the kind's creating cues read them."""
        identity: dict[str, Any] = {}
        creation = cls.creation.__name__
        assigned: dict[str, str] = {}
        for name, declared in (a for text in cls.drafting_cues.get(creation, ()) for a in _assignments(text)):
            if declared == "@broker" or name not in assigned:  # a subject named only by what befell it: by its broker
                assigned[name] = declared
        for name, _ in identity_fields(cls.drafting_subject):
            if name in data:
                identity[name] = data[name]
                continue
            cue = assigned.get(name, "@actor" if name in singles(cls) else None)
            if cue is not None and cue.startswith("@"):
                value, _ = self._role(reading, cue, at, until if cue == "@broker" and until else at, [], name, cls.drafting_nouns)
                if cue == "@date" and value is None:
                    value = f"../{self.published.isoformat()}"
                identity[name] = value
        return identity

    def _resolve(self, cls: type[Subject], fields: list[tuple[str, str | None]], identity: dict[str, Any]) -> str | None:
        for kind, subject, theirs in reversed(self.in_report):
            if kind == cls.kind and same_subject(fields, identity, theirs):
                return subject
        for subject, state in self.known.states:
            if subject.startswith(cls.kind + "/") and same_subject(fields, identity, state):
                return subject
        if all(plain(identity.get(name)) is None for name, fmt in fields if fmt is None):
            return next((s for k, s, _ in reversed(self.in_report) if k == cls.kind), None)
        return None

    def _create_first(
        self, reading: Reading, cls: type[Subject], subject: str, identity: dict[str, Any], occurred: str, at: int
    ) -> None:
        creation = cls.creation.__name__
        model = cls.data_models[creation]
        required = {name for name, info in model.model_fields.items() if info.is_required()}
        assigned = tuple(
            a for text in cls.drafting_cues.get(creation, ())[:1] for a in _assignments(text) if a[0] in required
        )  # what the report says of it is another event's
        why = [f"{subject} is new: created first by {creation}"]
        data, _ = self._fill(reading, cls, creation, assigned, at, at, why, actors=False)
        data.update({k: v for k, v in identity.items() if v is not None and not str(v).startswith("..")})
        data = {name: value for name, value in data.items() if name in cls.data_models[creation].model_fields}
        if any(fmt for _, fmt in identity_fields(cls.drafting_subject)):
            for name, fmt in identity_fields(cls.drafting_subject):
                if fmt and identity.get(name):
                    data[name] = identity[name]
        latest = occurred.split("/")[-1] if not occurred.startswith("..") else occurred.removeprefix("../")
        created = f"../{latest}" if latest and latest != ".." else f"../{self.published.isoformat()}"
        self.in_report.append((cls.kind, subject, identity))
        missing = missing_of(cls, creation, data)
        people = self._people_in(cls, creation, data)
        self.proposals.append(
            Proposal(
                creation,
                cls.kind,
                subject,
                True,
                created,
                data,
                reading.sentence,
                why,
                creation_confidence(missing),
                missing,
                people,
            )
        )

    def _merge(self, type_name: str, subject: str, data: dict[str, Any], why: list[str], occurred: str | None = None) -> bool:
        """A second mention of an event already proposed adds what it knows to the first."""
        for earlier in reversed(self.proposals):
            if (
                earlier.type == type_name
                and earlier.subject == subject
                and (occurred is None or overlap(earlier.occurred, occurred))
                and not any(
                    plain(earlier.data.get(k)) and plain(v) and plain(earlier.data[k]) != plain(v)
                    for k, v in data.items()
                    if k in DISTINCT
                )
            ):  # agreed and rejected are two events
                for name, value in data.items():
                    if name not in earlier.data or earlier.data[name] in ([], None):
                        earlier.data[name] = value
                        earlier.missing = [m for m in earlier.missing if m.split(".")[1] != name]
                if occurred and earlier.occurred.startswith("..") and not occurred.startswith(".."):
                    earlier.occurred = occurred
                earlier.why.append("also: " + "; ".join(why))
                return True
        return False


def _assignments(text: str) -> list[tuple[str, str]]:
    _, _, assigned = text.partition("=>")
    return [(n.strip(), v.strip()) for n, _, v in (item.partition("=") for item in assigned.split(";") if "=" in item)]


def singles(cls: type[Subject]) -> set[str]:
    return {p for t in cls.event_types.values() for p in t.person_fields if "[]" not in p and "." not in p}
