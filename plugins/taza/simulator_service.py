"""The source simulator as a background service of the local stack."""
from __future__ import annotations

import socket

from taza.background import Service


def simulator_service() -> Service:
    return Service("simulator")


def simulator_url() -> str | None:
    state = simulator_service().state()
    return state["url"] if state else None


def start_simulator(seed: int = 42, scale: float = 1.0, port: int | None = None) -> dict:
    if port is None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    return simulator_service().start(["sources", "serve", "--port", str(port), "--seed", str(seed),
                                      "--scale", str(scale)], url=url, health_path="/health",
                                     extra={"seed": seed, "scale": scale})
