"""Group commit: requests queued together are committed together and answered one by one."""

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from parley.service.group_commit import Closed, GroupCommit


def run_on_a_loop_of_its_own(send):
    """`asyncio.run` in a thread of its own: the e2e tests' one Playwright for the whole run keeps an
    event loop running in the worker's main thread, where `asyncio.run` refuses to start."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, send()).result()


class Store:
    """A commit that records each group and answers each item with its own work doubled."""

    def __init__(self, fail_on: object = None):
        self.groups: list[list[object]] = []
        self.threads: set[str] = set()
        self.fail_on = fail_on

    def __call__(self, group):
        self.groups.append([item.work for item in group])
        self.threads.add(threading.current_thread().name)
        if self.fail_on == "all":
            raise RuntimeError("the store is down")
        for item in group:
            if item.work == self.fail_on:
                item.error, item.done = ValueError(f"refused {item.work}"), True
            else:
                item.result = item.work * 2


def test_what_one_event_loop_queues_in_one_pass_is_one_group_each_answered_alone():
    store = Store(fail_on=3)
    commits = GroupCommit(store)

    async def send():
        return await asyncio.gather(*(commits.submit_async(n) for n in range(6)), return_exceptions=True)

    answers = run_on_a_loop_of_its_own(send)
    commits.close()
    assert store.groups == [[0, 1, 2, 3, 4, 5]]
    assert answers[:3] == [0, 2, 4] and answers[4:] == [8, 10]
    assert isinstance(answers[3], ValueError)
    assert store.threads == {"parley-writer"}


def test_a_commit_that_fails_whole_is_told_to_every_request_of_its_group():
    commits = GroupCommit(Store(fail_on="all"))

    async def send():
        return await asyncio.gather(*(commits.submit_async(w) for w in ("all", 1)), return_exceptions=True)

    answers = run_on_a_loop_of_its_own(send)
    commits.close()
    assert [type(a) for a in answers] == [RuntimeError, RuntimeError]


def test_threads_are_answered_too_and_nothing_is_taken_after_close():
    store = Store()
    commits = GroupCommit(store)
    results: list[int] = []
    threads = [threading.Thread(target=lambda n=n: results.append(commits.submit(n))) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    commits.close()
    assert sorted(results) == [n * 2 for n in range(8)]
    assert sorted(w for group in store.groups for w in group) == list(range(8))
    with pytest.raises(Closed):
        commits.submit(9)
