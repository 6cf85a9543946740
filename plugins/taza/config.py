"""Where the project lives and where its local state goes.

The project root is found from this file (the package sits in ``<root>/plugins/taza``),
so the CLI, Airflow and the tests agree on it whatever the working directory is.
Local state (the embedded warehouse's data, generated secrets, Airflow home) lives in
``<root>/.taza`` unless ``TAZA_STATE_DIR`` points elsewhere (the tests use that).
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DAGS_DIR = PROJECT_ROOT / "dags"
PLUGINS_DIR = PROJECT_ROOT / "plugins"
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
REPORTS_DIR = PROJECT_ROOT / "reports"
# Where dbt writes its artifacts (the manifest Cosmos renders, partial parse, run results) and,
# beside them in logs/, its log: dbt_project/target unless TAZA_DBT_TARGET_DIR points elsewhere
# (each test session has its own, so sessions running side by side never share a manifest).
DBT_TARGET_DIR = Path(os.environ.get("TAZA_DBT_TARGET_DIR", DBT_PROJECT_DIR / "target")).resolve()
DBT_LOG_DIR = DBT_TARGET_DIR.parent / "logs"
DBT_MANIFEST = DBT_TARGET_DIR / "manifest.json"
# dbt of the Python environment running the code (its PATH need not include it).
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"


def reports_dir() -> Path:
    """Where the reports and Data Docs are written (TAZA_REPORTS_DIR, default reports/)."""
    return Path(os.environ.get("TAZA_REPORTS_DIR", REPORTS_DIR))


def data_docs_dir() -> Path:
    return reports_dir() / "data-docs"


def state_dir() -> Path:
    path = Path(os.environ.get("TAZA_STATE_DIR", PROJECT_ROOT / ".taza")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _secrets_file() -> Path:
    return state_dir() / "secrets.json"


def local_secret(name: str, env_var: str) -> str:
    """A secret from the environment, else one generated once and kept in the state dir.

    Nothing secret is written in code: a fresh machine gets fresh random secrets, and
    any deployment overrides them through the environment. Processes starting at once
    (Airflow's components, parallel tasks) agree on every value: the file is read and
    extended under an exclusive lock and replaced by an atomic rename, so no reader ever
    sees it half written.
    """
    if os.environ.get(env_var):
        return os.environ[env_var]
    path = _secrets_file()
    with _exclusive_lock(path.with_name(path.name + ".lock")):
        stored = json.loads(path.read_text()) if path.exists() else {}
        if name not in stored:
            stored[name] = secrets.token_urlsafe(24)
            _replace_atomically(path, json.dumps(stored, indent=2))
    return stored[name]


@contextlib.contextmanager
def _exclusive_lock(lock_path: Path) -> Iterator[None]:
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _replace_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a private temporary file beside ``path`` (mode 0600), then rename it over."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def warehouse_password() -> str:
    return local_secret("warehouse_password", "TAZA_WAREHOUSE_PASSWORD")


def bi_reader_password() -> str:
    """Password of the read-only BI login ``bi_reader`` (taza.warehouse.roles)."""
    return local_secret("bi_reader_password", "TAZA_BI_READER_PASSWORD")


def report_reader_password() -> str:
    """Password of ``taza_report_reader``, the read-only login of the /taza pages and the reports."""
    return local_secret("report_reader_password", "TAZA_REPORT_READER_PASSWORD")


def source_api_key() -> str:
    return local_secret("source_api_key", "TAZA_SOURCE_API_KEY")
