"""Fixtures of the unit tests."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def simulator(request):
    """A simulator in a thread serving the test module's ``HTTP_CONFIG``."""
    from taza.simulator.server import start_in_thread

    with start_in_thread(request.module.HTTP_CONFIG) as running:
        yield running
