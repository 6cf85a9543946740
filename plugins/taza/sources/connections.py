"""Where each source API is and how to authenticate: Airflow connections, from the environment.

A source family ``<family>`` is reached through the Airflow connection
``taza_source_<family>`` (host, port, schema = http/https, password = API key). The CLI
builds those connections from ``TAZA_SOURCE_<FAMILY>_URL`` / ``TAZA_SOURCE_<FAMILY>_API_KEY``
and falls back to the bundled simulator, so pointing at a real system is configuration.
"""
from __future__ import annotations

import json
import os
from urllib.parse import urlsplit

from taza.sources.http import SourceClient

SOURCE_FAMILIES = ("regional", "industry", "nursery")


def conn_id(family: str) -> str:
    return f"taza_source_{family}"


def with_default_scheme(url: str) -> str:
    """``url`` with https:// in front when it names no scheme: a real source is reached over TLS
    unless ``http://`` is written out (the bundled simulator)."""
    return url if "://" in url else f"https://{url}"


def connection_json(base_url: str, api_key: str) -> str:
    """An Airflow connection in the JSON form of ``AIRFLOW_CONN_*`` variables."""
    parts = urlsplit(base_url)
    return json.dumps({"conn_type": "http", "host": parts.hostname, "port": parts.port,
                       "schema": parts.scheme, "password": api_key,
                       "extra": {"base_path": parts.path.rstrip("/")}})


def family_settings(family: str, simulator_url: str | None, default_key: str) -> tuple[str, str]:
    """(base URL, API key) of a family from the environment, else the simulator's."""
    prefix = f"TAZA_SOURCE_{family.upper()}"
    url = os.environ.get(f"{prefix}_URL") or simulator_url
    if not url:
        raise RuntimeError(f"no URL for the {family} source: set {prefix}_URL or start the simulator "
                           f"(`taza sources start`)")
    return with_default_scheme(url), os.environ.get(f"{prefix}_API_KEY") or default_key


def client_from_airflow(family: str, dataset: str) -> SourceClient:
    """A client for a family, configured from its Airflow connection (inside tasks)."""
    from airflow.sdk import BaseHook

    conn = BaseHook.get_connection(conn_id(family))
    base_path = (conn.extra_dejson or {}).get("base_path", "")
    scheme = conn.schema or "https"
    port = f":{conn.port}" if conn.port else ""
    return SourceClient(base_url=f"{scheme}://{conn.host}{port}{base_path}", api_key=conn.password or "",
                        dataset=dataset)
