"""The write use case: each write is loaded, decided and saved (load → decide → save).

Its collaborators are named and made at the composition root (service/bootstrap.py), and none
calls back into the application: the limits (limits.py), the decider (deciding.py, which reads
the subjects and earlier recordings through idempotency.py), the store (saving.py), and the
group writes (group_writes.py) that save concurrent single events together (group_commit.py).

One retry policy serves every write (`Retry`): decided first on cached subjects and saved; when
the store refuses that (another writer was first) or a rule refuses on what may be stale, decided
again under the store's write lock on subjects read inside it, which no writer can then overtake
(one_writer.py). A group's events that its optimistic pass could not take are each written alone
under the same policy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import TypeVar

from eventsourcing.persistence import IntegrityError

from parley.domain.errors import DomainError
from parley.service.commands import BatchItemRefused, Receipt, ServiceError, Submission
from parley.service.deciding import Decider
from parley.service.group_commit import GroupCommit
from parley.service.group_writes import GroupWrites, Work
from parley.service.idempotency import Refused
from parley.service.limits import FieldLimits
from parley.service.loading import Subjects
from parley.service.saving import Store
from parley.service.tokens import TokenStore

T = TypeVar("T")


class Retry:
    """Optimistic first; refused so, once more carefully under the store's write lock."""

    def __init__(self, one_writer: Callable[[], AbstractContextManager[None]], subjects: Subjects):
        self.one_writer = one_writer
        self.subjects = subjects

    def __call__(self, attempt: Callable[[bool], T]) -> T:
        """`attempt(optimistic)`: optimistic, it may raise Refused or the store's IntegrityError."""
        try:
            return attempt(True)
        except (Refused, IntegrityError):
            pass
        try:
            with self.one_writer():
                return attempt(False)
        except BatchItemRefused:
            raise
        except BaseException:
            self.subjects.cache.clear()  # saves of a transaction that did not commit
            raise


class Writes:
    def __init__(self, limits: FieldLimits, decider: Decider, store: Store, retry: Retry, tokens: TokenStore):
        self.limits = limits
        self.decider = decider
        self.store = store
        self.retry = retry
        self.group: GroupCommit[Work] = GroupCommit(GroupWrites(tokens, decider, store, self.record_batch))

    def record(self, submission: Submission, actor: str) -> Receipt:
        """One event; concurrent calls share a transaction, each answered on its own."""
        self.limits.check(submission)
        return self.group.submit((submission, actor, None))

    async def record_async(
        self, submission: Submission, token: str, sender: Callable[[str | None], None] | None = None
    ) -> Receipt:
        """`record` from the event loop, sent with a write token: TokenRefused if it is not live.
        `sender` is told the token's name (None when it is not live), whatever the outcome."""
        self.limits.check(submission)
        seen = None if sender is None else (lambda work: sender(work[1]))
        return await self.group.submit_async((submission, None, token), seen)

    def record_batch(self, submissions: Sequence[Submission], actor: str) -> list[Receipt]:
        """All stored in one transaction, or none; a refused event refuses the batch, by its index."""
        for index, submission in enumerate(submissions):
            try:
                self.limits.check(submission)
            except ServiceError as refusal:
                raise BatchItemRefused(index, refusal) from None
        return self.retry(lambda optimistic: self._once(submissions, actor, optimistic))

    def _once(self, submissions: Sequence[Submission], actor: str, optimistic: bool) -> list[Receipt]:
        decision = self.decider.decision(optimistic=optimistic)  # load and decide
        decided: list[Receipt | str] = []
        for index, submission in enumerate(submissions):
            try:
                decided.append(decision.decide(submission, actor))
            except (DomainError, ServiceError) as refusal:
                raise BatchItemRefused(index, refusal) from None
        stored = self.store.save(decision)  # save
        return [stored[item] if isinstance(item, str) else item for item in decided]

    def close(self) -> None:
        self.group.close()  # what is queued is committed and answered first
