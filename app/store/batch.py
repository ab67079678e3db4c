"""Group commit: many small write transactions committed together, with one fsync.

A durable commit waits for the disk (here about 3.6 ms), so one commit per ballot caps a
server at a few hundred ballots a second however fast the rest is. Requests that record a
ballot hand their work to this process's committer thread instead; it runs every piece of
work waiting at that moment inside one transaction, each in its own savepoint (a refusal
undoes only its own piece), commits once, and only then answers each request. Nothing is
acknowledged before it is on disk, and a crash loses only unacknowledged work.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from .db import connect, write_transaction

T = TypeVar("T")

MAX_BATCH = 64


@dataclass
class _Job(Generic[T]):
    work: Callable[[Any], T]
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None


class GroupCommitter:
    """One writer thread for one database in this process."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.jobs: queue.Queue[_Job] = queue.Queue()
        self.thread = threading.Thread(target=self._loop, name="group-commit", daemon=True)
        self.thread.start()

    def run(self, work: Callable[[Any], T], timeout: float = 60.0) -> T:
        """Run `work(db)` in the next group commit; return its result once it is durable,
        or raise what it raised (its own changes undone)."""
        job: _Job[T] = _Job(work)
        self.jobs.put(job)
        if not job.done.wait(timeout):
            raise TimeoutError("the database did not commit in time")
        if job.error is not None:
            raise job.error
        return job.result

    def _loop(self) -> None:
        db = connect(self.path)
        while True:
            batch = [self.jobs.get()]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self.jobs.get_nowait())
                except queue.Empty:
                    break
            try:
                with write_transaction(db):
                    for job in batch:
                        try:
                            with db.atomic():
                                job.result = job.work(db)
                        except Exception as error:  # this job's refusal; the others go on
                            job.error = error
            except Exception as error:  # the commit itself failed: nobody is acknowledged
                for job in batch:
                    job.error = job.error or error
            for job in batch:
                job.done.set()


_committers: dict[tuple[int, str], GroupCommitter] = {}
_committers_lock = threading.Lock()


def group_commit(path: str) -> GroupCommitter:
    """This process's committer for the database at `path` (made after a fork, too)."""
    key = (os.getpid(), str(path))
    with _committers_lock:
        committer = _committers.get(key)
        if committer is None:
            committer = _committers[key] = GroupCommitter(str(path))
        return committer
