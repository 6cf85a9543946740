"""Bring a warehouse to the state the pipeline expects: databases, schemas, audit tables."""
from __future__ import annotations

from taza.warehouse.connection import bootstrap, ensure_database
from taza.warehouse.embedded import AIRFLOW_DB, WAREHOUSE_DB, EmbeddedWarehouse, ServerStatus


def start_embedded(port: int | None = None, warehouse: EmbeddedWarehouse | None = None) -> ServerStatus:
    """Start (or reuse) the embedded server and make sure its databases and schemas exist."""
    warehouse = warehouse or EmbeddedWarehouse()
    status = warehouse.start(port)
    for database in (WAREHOUSE_DB, AIRFLOW_DB):
        ensure_database(warehouse.url("postgres"), database)
    bootstrap(warehouse.url(WAREHOUSE_DB))
    return status
