"""The embedded warehouse's clear errors, and reuse of a running server."""
from __future__ import annotations

import socket

import pytest

from taza.warehouse.embedded import EmbeddedWarehouse, WarehouseError


@pytest.mark.unit
def test_port_taken_gives_a_clear_error(tmp_path):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        with pytest.raises(WarehouseError, match=f"port {port} on 127.0.0.1 is already in use.*TAZA_WAREHOUSE_PORT"):
            EmbeddedWarehouse(tmp_path).start(port)
    assert not (tmp_path / "pgdata").exists(), "nothing is created when the port is taken"


@pytest.mark.unit
def test_damaged_data_folder_is_reported_and_left_alone(tmp_path):
    data = tmp_path / "pgdata"
    data.mkdir()
    (data / "base").mkdir()
    (data / "postgresql.conf").write_text("# half a cluster\n")
    with pytest.raises(WarehouseError, match="is damaged \\(missing: PG_VERSION, global\\)"):
        EmbeddedWarehouse(tmp_path).start()
    assert sorted(p.name for p in data.iterdir()) == ["base", "postgresql.conf"]


@pytest.mark.unit
def test_url_before_first_start_says_what_to_do(tmp_path):
    with pytest.raises(WarehouseError, match="taza warehouse start"):
        EmbeddedWarehouse(tmp_path).url()


@pytest.mark.integration
def test_running_server_is_reused_and_has_the_layer_schemas(warehouse, db):
    first = warehouse.status()
    again = warehouse.start()
    assert again.pid == first.pid and again.port == first.port
    db.execute("SELECT nspname FROM pg_namespace")
    assert {"raw", "quarantine", "audit", "staging", "intermediate", "marts"} <= {r[0] for r in db.fetchall()}
    db.execute("SELECT inet_server_addr()::text, current_setting('listen_addresses')")
    assert db.fetchone() == ("127.0.0.1/32", "127.0.0.1")
