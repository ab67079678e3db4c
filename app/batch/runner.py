"""Reading every page of a scanned file on a pool of worker processes (both cores).

Pages are handed out by number: each worker opens the file itself and renders only its
page, and at most WINDOW pages are in flight at once, so the memory used does not grow
with the number of pages. Results come back in page order to `on_page`, which stages
them; a page whose serial already came earlier in the same file is refused as
duplicate_in_batch (the later sheet goes on the reject list, the first one is read).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import cv2

from .reading import RoundInfo, read_page
from .sources import PageSource

PAGE_KEYS = ("page", "serial", "refused", "marks", "write_ins")

_worker: dict[str, Any] = {}


def _init(source: PageSource, info: RoundInfo) -> None:
    _worker["source"], _worker["info"] = source, info


def _init_pool_worker(source: PageSource, info: RoundInfo) -> None:
    # One thread per worker process: the pages are the parallel work, and OpenCV's own
    # threads would only fight the other worker for the same cores.
    cv2.setNumThreads(1)
    _init(source, info)


def _read(index: int) -> dict[str, Any]:
    return read_page(_worker["source"], index, _worker["info"])


def default_workers() -> int:
    """One worker per core this process may use (2 on the project's machine)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover  (not Linux)
        return max(1, os.cpu_count() or 1)


@dataclass
class Summary:
    pages: int = 0
    read: int = 0
    unsure: int = 0
    refused: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"pages": self.pages, "read": self.read, "unsure": self.unsure,
                "refused": self.refused, "seconds": round(self.seconds, 2)}


def read_pages(source: PageSource, pages: int, info: RoundInfo,
               on_page: Callable[[dict[str, Any]], None], *, workers: int | None = None,
               window: int | None = None) -> Summary:
    """Read pages 1…`pages` of `source`, calling `on_page(result)` in page order."""
    started = time.perf_counter()
    workers = workers or default_workers()
    window = window or 3 * workers
    summary = Summary(pages=pages)
    seen: set[str] = set()

    def take(result: dict[str, Any]) -> None:
        serial = result["serial"]
        if serial is not None and not result["refused"]:
            if serial in seen:
                result.update(refused="duplicate_in_batch", needs_person=False)
            seen.add(serial)
        if result["refused"]:
            summary.refused += 1
        else:
            summary.read += 1
            if result["unsure_rows"]:
                summary.unsure += 1
        on_page(result)

    if workers == 1:
        _init(source, info)
        for index in range(pages):
            take(_read(index))
    else:
        context = multiprocessing.get_context("spawn")  # safe from a threaded server
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_pool_worker,
                                 initargs=(source, info)) as pool:
            pending: deque[Future[dict[str, Any]]] = deque()
            following = 0
            while following < pages or pending:
                while following < pages and len(pending) < window:
                    pending.append(pool.submit(_read, following))
                    following += 1
                take(pending.popleft().result())
    summary.seconds = time.perf_counter() - started
    return summary
