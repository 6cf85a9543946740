"""The source simulator as a background service of the local stack."""
from __future__ import annotations

import socket
from collections.abc import Iterable
from datetime import date

from taza.background import Service


def simulator_service() -> Service:
    return Service("simulator")


def simulator_url() -> str | None:
    state = simulator_service().state()
    return state["url"] if state else None


def start_simulator(seed: int = 42, scale: float = 1.0, port: int | None = None, faults: Iterable[str] = (),
                    today: date | None = None) -> dict:
    """``faults``: fault specs switched on for the run (``taza.simulator.faults``); ``today``: the
    simulator's clock (None: the real date when it starts).

    A simulator already running is reused as it is, whatever these arguments say: stop it first
    to change them.
    """
    if port is None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    faults = list(faults)
    fault_args = [arg for fault in faults for arg in ("--fault", fault)]
    today_args = ["--today", today.isoformat()] if today else []
    return simulator_service().start(["sources", "serve", "--port", str(port), "--seed", str(seed),
                                      "--scale", str(scale), *fault_args, *today_args], url=url,
                                     health_path="/health",
                                     extra={"seed": seed, "scale": scale, "faults": faults,
                                            "today": today.isoformat() if today else None})
