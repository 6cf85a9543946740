"""The compose stack's URIs and Airflow connections, built from plain settings with every secret encoded.

docker compose can only paste a secret into a string, so a password with ``@``, ``#``,
``/`` or ``%`` pasted into a URI breaks it. The Airflow containers therefore get the
plain secrets (``POSTGRES_PASSWORD``, ``REDIS_PASSWORD``, ``WAREHOUSE_PASSWORD``, one API
key per source family) and this module builds the URIs from them:

    python -m taza.compose_env airflow scheduler   # the containers' entrypoint: set the
                                                   # warehouse URL and connections, run the command
    python -m taza.compose_env --print metadata-db # one URI on stdout, for Airflow's *_CMD settings
                                                   # (also read by healthchecks and `docker compose exec`)

A source URL without a scheme is taken as https (``api.example.kz/regional/v1``); only
an explicit ``http://`` (the bundled simulators inside the compose network) is plain.
"""
from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from urllib.parse import quote

from taza.sources.connections import SOURCE_FAMILIES, connection_json, with_default_scheme

# Service names in docker-compose.yaml.
METADATA_HOST, BROKER_HOST, WAREHOUSE_HOST = "postgres", "redis", "warehouse"


def postgres_uri(user: str, password: str, host: str, database: str, port: int = 5432,
                 scheme: str = "postgresql") -> str:
    """A PostgreSQL URI with user and password URL-encoded."""
    return f"{scheme}://{quote(user, safe='')}:{quote(password, safe='')}@{host}:{port}/{quote(database, safe='')}"


def redis_uri(password: str, host: str, port: int = 6379, database: int = 0) -> str:
    """A Redis URI with the password URL-encoded."""
    return f"redis://:{quote(password, safe='')}@{host}:{port}/{database}"


def airflow_uris(env: Mapping[str, str]) -> dict[str, str]:
    """Airflow's metadata database, Celery result backend and broker, by the names ``--print`` takes."""
    return {
        "metadata-db": postgres_uri("airflow", env["POSTGRES_PASSWORD"], METADATA_HOST, "airflow",
                                    scheme="postgresql+psycopg2"),
        "result-backend": "db+" + postgres_uri("airflow", env["POSTGRES_PASSWORD"], METADATA_HOST, "airflow"),
        "broker": redis_uri(env["REDIS_PASSWORD"], BROKER_HOST),
    }


def container_environment(env: Mapping[str, str]) -> dict[str, str]:
    """The warehouse URL and the Airflow connections of the warehouse and of each source family."""
    warehouse = postgres_uri("taza", env["WAREHOUSE_PASSWORD"], WAREHOUSE_HOST, "taza")
    variables = {
        "TAZA_WAREHOUSE_URL": warehouse,
        "AIRFLOW_CONN_TAZA_WAREHOUSE": json.dumps({
            "conn_type": "postgres", "host": WAREHOUSE_HOST, "port": 5432, "login": "taza",
            "password": env["WAREHOUSE_PASSWORD"], "schema": "taza"}),
    }
    for family in SOURCE_FAMILIES:
        prefix = f"TAZA_SOURCE_{family.upper()}"
        missing = [name for name in (f"{prefix}_URL", f"{prefix}_API_KEY") if not env.get(name)]
        if missing:
            raise SystemExit(f"compose_env: {', '.join(missing)} not set; the {family} DAG cannot reach its "
                             f"source. Set it in .env (see .env.example) and recreate the containers.")
        variables[f"AIRFLOW_CONN_{prefix}"] = connection_json(with_default_scheme(env[f"{prefix}_URL"]),
                                                              env[f"{prefix}_API_KEY"])
    return variables


def main(argv: list[str]) -> None:
    if argv[:1] == ["--print"]:
        print(airflow_uris(os.environ)[argv[1]])
        return
    if not argv:
        raise SystemExit("usage: python -m taza.compose_env COMMAND [ARG...] | --print "
                         + "|".join(airflow_uris({"POSTGRES_PASSWORD": "", "REDIS_PASSWORD": ""})))
    os.environ.update(container_environment(os.environ))
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    main(sys.argv[1:])
