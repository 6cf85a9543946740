"""Iterating ahead in a background thread: order, errors where they occurred, early stop."""
from __future__ import annotations

import threading

import pytest

from taza.load.prefetch import Prefetched

pytestmark = pytest.mark.unit


def test_items_arrive_in_order_from_another_thread():
    producers = []

    def items():
        for i in range(50):
            producers.append(threading.current_thread().name)
            yield i

    with Prefetched(items()) as ahead:
        assert list(ahead) == list(range(50))
    assert set(producers) == {"taza-prefetch"}


def test_an_error_is_raised_in_the_consumer_after_the_items_before_it():
    def items():
        yield "page 1"
        yield "page 2"
        raise ValueError("page 3 is malformed")

    received = []
    with Prefetched(items()) as ahead, pytest.raises(ValueError, match="page 3 is malformed"):
        for item in ahead:
            received.append(item)
    assert received == ["page 1", "page 2"]


def test_a_consumer_that_stops_early_stops_the_producer():
    produced = []
    finished = threading.Event()

    def items():
        try:
            for i in range(1000):
                produced.append(i)
                yield i
        finally:
            finished.set()

    with Prefetched(items(), depth=1) as ahead:
        assert next(iter(ahead)) == 0
    assert finished.wait(5), "the producer thread ends once the consumer has gone"
    assert len(produced) <= 4
