"""The source simulator as a background service of the local stack."""
from __future__ import annotations

import socket
from collections.abc import Iterable

from taza.background import Service


def simulator_service() -> Service:
    return Service("simulator")


def simulator_url() -> str | None:
    state = simulator_service().state()
    return state["url"] if state else None


def start_simulator(seed: int = 42, scale: float = 1.0, port: int | None = None, faults: Iterable[str] = ()) -> dict:
    """``faults``: fault specs switched on for the run (``taza.simulator.faults``)."""
    if port is None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    faults = list(faults)
    fault_args = [arg for fault in faults for arg in ("--fault", fault)]
    return simulator_service().start(["sources", "serve", "--port", str(port), "--seed", str(seed),
                                      "--scale", str(scale), *fault_args], url=url, health_path="/health",
                                     extra={"seed": seed, "scale": scale, "faults": faults})
