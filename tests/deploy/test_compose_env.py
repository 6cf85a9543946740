"""The helpers the compose stack starts through: URIs with encoded secrets, the reports login file."""
from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
from urllib.parse import unquote, urlsplit

import psycopg2
import psycopg2.extensions
import pytest
from sqlalchemy.engine import make_url

from taza.compose_env import airflow_uris, container_environment, postgres_uri, redis_uri
from taza.reports_login import htpasswd_line

HOSTILE_PASSWORD = "p@ss#wo/rd%20:?&=+ ü"
SETTINGS = {"POSTGRES_PASSWORD": HOSTILE_PASSWORD, "REDIS_PASSWORD": HOSTILE_PASSWORD,
            "WAREHOUSE_PASSWORD": HOSTILE_PASSWORD,
            **{f"TAZA_SOURCE_{family}_URL": f"http://simulator-{family.lower()}:8000"
               for family in ("REGIONAL", "INDUSTRY", "NURSERY")},
            **{f"TAZA_SOURCE_{family}_API_KEY": f"key#{family}@1" for family in ("REGIONAL", "INDUSTRY", "NURSERY")}}


@pytest.mark.unit
def test_a_password_with_at_and_hash_survives_every_uri():
    uris = airflow_uris(SETTINGS)
    for name in ("metadata-db", "result-backend"):
        url = make_url(uris[name].removeprefix("db+"))  # SQLAlchemy, as Airflow and Celery parse it
        assert (url.username, url.password, url.host, url.port, url.database) == (
            "airflow", HOSTILE_PASSWORD, "postgres", 5432, "airflow"), name
    broker = urlsplit(uris["broker"])
    assert (unquote(broker.password), broker.hostname, broker.port, broker.path) == (
        HOSTILE_PASSWORD, "redis", 6379, "/0")
    dsn = psycopg2.extensions.parse_dsn(container_environment(SETTINGS)["TAZA_WAREHOUSE_URL"])  # libpq's parser
    assert (dsn["user"], dsn["password"], dsn["host"], dsn["dbname"]) == ("taza", HOSTILE_PASSWORD, "warehouse", "taza")


# Airflow parses the connections as a task does, in its own process (Airflow's configuration
# is read once per process; the session's Airflow is set up by the airflow_env fixture).
PARSE_CONNECTIONS = """
import json, sys
from airflow.models.connection import Connection
from taza.warehouse.connection import url_parts
built = json.loads(sys.stdin.read())
warehouse = Connection.from_json(built.pop("AIRFLOW_CONN_TAZA_WAREHOUSE"), conn_id="taza_warehouse")
parsed = {"warehouse": url_parts(warehouse.get_uri().replace("postgres://", "postgresql://", 1))["password"]}
parsed.update({name: Connection.from_json(value, conn_id=name.lower()).password
               for name, value in built.items() if name.startswith("AIRFLOW_CONN_")})
print(json.dumps(parsed))
"""


@pytest.mark.unit
def test_the_airflow_connections_carry_the_secrets_unchanged(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "AIRFLOW_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", PARSE_CONNECTIONS], input=json.dumps(container_environment(SETTINGS)),
                            env=env, capture_output=True, text=True, check=True)
    assert json.loads(result.stdout.splitlines()[-1]) == {  # Airflow logs to stdout first
        "warehouse": HOSTILE_PASSWORD,  # what airflow_warehouse_url() gets inside a task
        **{f"AIRFLOW_CONN_TAZA_SOURCE_{family}": f"key#{family}@1" for family in ("REGIONAL", "INDUSTRY", "NURSERY")}}


@pytest.mark.unit
def test_a_missing_family_setting_stops_the_container_with_what_to_set():
    with pytest.raises(SystemExit, match="TAZA_SOURCE_NURSERY_API_KEY not set.*Set it in .env"):
        container_environment({**SETTINGS, "TAZA_SOURCE_NURSERY_API_KEY": ""})


@pytest.mark.integration
def test_a_login_with_such_a_password_works_on_a_real_server(warehouse_url):
    from taza.warehouse.connection import url_parts

    server = url_parts(warehouse_url)
    with psycopg2.connect(warehouse_url) as conn, conn.cursor() as cur:
        cur.execute("DROP ROLE IF EXISTS compose_env_probe")
        cur.execute("CREATE ROLE compose_env_probe LOGIN PASSWORD %s", (HOSTILE_PASSWORD,))
    try:
        uri = postgres_uri("compose_env_probe", HOSTILE_PASSWORD, server["host"], server["database"],
                           int(server["port"]))
        with psycopg2.connect(uri) as conn, conn.cursor() as cur:
            cur.execute("SELECT current_user")
            assert cur.fetchone() == ("compose_env_probe",)
        conn.close()
    finally:
        with psycopg2.connect(warehouse_url) as conn, conn.cursor() as cur:
            cur.execute("DROP ROLE compose_env_probe")


@pytest.mark.unit
def test_the_entrypoint_runs_the_command_with_the_built_environment():
    script = "import json, os; print(json.dumps({k: os.environ[k] for k in os.environ if k.startswith(('AIRFLOW_CONN_', 'TAZA_WAREHOUSE_URL'))}))"
    result = subprocess.run([sys.executable, "-m", "taza.compose_env", sys.executable, "-c", script],
                            env={**os.environ, **SETTINGS, "PYTHONPATH": os.pathsep.join(sys.path)},
                            capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == container_environment(SETTINGS)
    printed = subprocess.run([sys.executable, "-m", "taza.compose_env", "--print", "broker"],
                             env={**os.environ, **SETTINGS, "PYTHONPATH": os.pathsep.join(sys.path)},
                             capture_output=True, text=True, check=True).stdout.strip()
    assert printed == redis_uri(HOSTILE_PASSWORD, "redis")


# --- the reports site's login --------------------------------------------------------------

def _ssha_parts(line: str) -> tuple[str, bytes, bytes]:
    user, hashed = line.rstrip("\n").split(":", 1)
    assert hashed.startswith("{SSHA}")
    raw = base64.b64decode(hashed.removeprefix("{SSHA}"))
    return user, raw[:20], raw[20:]


@pytest.mark.unit
def test_the_htpasswd_line_is_a_salted_sha1_that_openssl_agrees_with():
    openssl = shutil.which("openssl")
    if not openssl:
        pytest.skip("openssl not installed: the independent check of the hash needs it")
    user, digest, salt = _ssha_parts(htpasswd_line("reports", HOSTILE_PASSWORD))
    assert user == "reports" and len(salt) == 16
    expected = subprocess.run([openssl, "dgst", "-sha1", "-binary"], input=HOSTILE_PASSWORD.encode() + salt,
                              capture_output=True, check=True).stdout
    assert digest == expected
    assert digest != hashlib.sha1(b"wrong" + salt).digest()
    assert htpasswd_line("reports", HOSTILE_PASSWORD) != htpasswd_line("reports", HOSTILE_PASSWORD), "fresh salt"
    assert HOSTILE_PASSWORD not in htpasswd_line("reports", HOSTILE_PASSWORD)


@pytest.mark.unit
def test_reports_login_writes_the_file_or_refuses_with_what_to_set(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "TAZA_REPORTS_USER": "reports"}
    target = tmp_path / "htpasswd"
    refused = subprocess.run([sys.executable, "-m", "taza.reports_login", str(target)],
                             env={**env, "TAZA_REPORTS_PASSWORD": ""}, capture_output=True, text=True)
    assert refused.returncode != 0 and "set TAZA_REPORTS_PASSWORD in .env" in refused.stderr
    assert not target.exists()
    subprocess.run([sys.executable, "-m", "taza.reports_login", str(target)],
                   env={**env, "TAZA_REPORTS_PASSWORD": HOSTILE_PASSWORD}, check=True, capture_output=True)
    user, digest, salt = _ssha_parts(target.read_text())
    assert user == "reports" and digest == hashlib.sha1(HOSTILE_PASSWORD.encode() + salt).digest()
    assert oct(target.stat().st_mode & 0o777) == "0o644"
