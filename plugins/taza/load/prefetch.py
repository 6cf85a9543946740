"""Iterate in a background thread, ahead of the consumer.

The loader types and COPYs page n while page n+1 is being computed by the source and
received; socket I/O and psycopg2's COPY calls release the GIL, so the two overlap.
At most ``depth`` items wait in the queue, so memory stays flat.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator

_END = object()


class Prefetched:
    """``with Prefetched(items) as ahead: for item in ahead: ...``; an error raised while
    producing is raised in the consumer at the item where it occurred."""

    def __init__(self, items: Iterable, depth: int = 1):
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._produce, args=(iter(items),), name="taza-prefetch", daemon=True)
        self._thread.start()

    def _produce(self, items: Iterator) -> None:
        try:
            for item in items:
                if not self._put((item, None)):
                    return
        except BaseException as err:  # handed to the consumer
            self._put((None, err))
            return
        finally:
            if hasattr(items, "close"):  # a generator: run its cleanup in this thread, now
                items.close()
        self._put((_END, None))

    def _put(self, entry: tuple) -> bool:
        """Queue ``entry``; False once the consumer has gone."""
        while not self._stop.is_set():
            try:
                self._queue.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self) -> Iterator:
        while True:
            item, error = self._queue.get()
            if error is not None:
                raise error
            if item is _END:
                return
            yield item

    def close(self) -> None:
        """Stop producing (a fetch under way finishes in the background)."""
        self._stop.set()

    def __enter__(self) -> Prefetched:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
