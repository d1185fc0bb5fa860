"""What a group commit (group_commit.py) does with the single events queued together: each
decided alone on one decision, the accepted ones saved together, each answered on its own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from eventsourcing.persistence import IntegrityError

from parley.service.commands import BatchItemRefused, Receipt, Submission, TokenRefused
from parley.service.deciding import Decider
from parley.service.group_commit import Pending
from parley.service.idempotency import Refused
from parley.service.saving import Store
from parley.service.tokens import TokenStore

Work = tuple[Submission, str | None, str | None]  # a submission, and who sends it: a name, or a token
Alone = Callable[[Sequence[Submission], str], list[Receipt]]  # a write of its own, under the retry policy


class GroupWrites:
    def __init__(self, tokens: TokenStore, decider: Decider, store: Store, alone: Alone):
        self.tokens = tokens
        self.decider = decider
        self.store = store
        self.alone = alone  # what an event the group could not take optimistically is written as

    def __call__(self, group: Sequence[Pending[Work]]) -> None:
        """Decide each queued event alone, save the accepted ones together, answer each."""
        group = authorised(self.tokens, group)
        decision = self.decider.decision(optimistic=True)
        decided: dict[int, str] = {}
        careful: list[Pending[Work]] = []
        for index, item in enumerate(group):
            submission, actor, _ = item.work
            try:
                event_id = decision.decide(submission, actor)  # type: ignore[arg-type]  # authorised() named it
            except Refused:
                careful.append(item)
                continue
            assert isinstance(event_id, str)
            decided[index] = event_id
        try:
            stored = self.store.save(decision)
        except IntegrityError:  # someone else wrote first: decide every event again, alone
            careful, stored, decided = list(group), {}, {}
        first: set[str] = set()
        for index, event_id in decided.items():
            receipt = stored[event_id]
            group[index].result = receipt if event_id not in first else replace(receipt, created=False)
            group[index].done = True
            first.add(event_id)
        for item in careful:
            submission, actor, _ = item.work
            try:
                item.result = self.alone([submission], actor)[0]  # type: ignore[arg-type]  # authorised() named it
            except BatchItemRefused as refused:
                item.error = refused.cause
            except Exception as error:  # noqa: BLE001 - this request's own failure, told to it alone
                item.error = error
            item.done = True


def authorised(tokens: TokenStore, group: Sequence[Pending[Work]]) -> list[Pending[Work]]:
    """The items sent by a name or a live token, each given its name; the rest refused."""
    holders = tokens.holders({token for _, _, token in (item.work for item in group) if token})
    kept = []
    for item in group:
        submission, actor, token = item.work
        if token is not None:
            actor = holders.get(token)
            if actor is None:
                item.error, item.done = TokenRefused(), True
                continue
            item.work = (submission, actor, None)
        kept.append(item)
    return kept
