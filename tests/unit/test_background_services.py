"""Background services stop together, and one that ignores SIGTERM is killed after the timeout."""
from __future__ import annotations

import sys
import time

import psutil

from taza.background import Service, stop_services


def start(name: str, code: str) -> tuple[Service, int]:
    service = Service(name)
    state = service.start(["-c", code], url=None, program=[sys.executable])
    return service, state["pid"]


def test_services_are_signalled_together_and_one_ignoring_sigterm_is_killed(tmp_path):
    events = tmp_path / "events"
    # Each notes when SIGTERM came and, half a second later, when it exits.
    exits_slowly = ("import signal, sys, time\n"
                    "def end(*_):\n"
                    f"    open({str(events)!r}, 'a').write(f'term {{time.time()}}\\n')\n"
                    "    time.sleep(0.5)\n"
                    f"    open({str(events)!r}, 'a').write(f'exit {{time.time()}}\\n')\n"
                    "    sys.exit(0)\n"
                    "signal.signal(signal.SIGTERM, end)\n"
                    "time.sleep(60)")
    ignores = "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ntime.sleep(60)"
    first, first_pid = start("test-exits-slowly-1", exits_slowly)
    second, second_pid = start("test-exits-slowly-2", exits_slowly)
    stubborn, stubborn_pid = start("test-ignores-sigterm", ignores)
    time.sleep(1)  # the handlers are installed

    stopped = stop_services([first, second, stubborn, Service("test-never-started")], timeout_s=2)

    assert stopped == [first, second, stubborn]
    noted = [line.split() for line in events.read_text().splitlines()]
    terms = [float(t) for kind, t in noted if kind == "term"]
    exits = [float(t) for kind, t in noted if kind == "exit"]
    assert len(terms) == len(exits) == 2
    assert max(terms) < min(exits), "both got SIGTERM before either had ended: they are stopped together"
    time.sleep(0.2)
    assert not any(psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
                   for pid in (first_pid, second_pid, stubborn_pid)), "the one ignoring SIGTERM was killed"
    assert [service.state() for service in (first, second, stubborn)] == [None, None, None]
    assert not first.stop(), "a service that is not running says so"
