"""dbt for tests: the one way the tests run the dbt CLI on a warehouse.

Its artifacts and log go to the session's own dir (``config.DBT_TARGET_DIR``, set by
tests/conftest.py), so sessions side by side (pytest-xdist's workers) never share a manifest.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DBT = str(Path(sys.executable).parent / "dbt")


def dbt_command(warehouse_url: str, *args: str) -> tuple[list[str], dict]:
    """argv, cwd-independent, and environment of ``dbt <args>`` on ``warehouse_url`` (quiet)."""
    from taza import config
    from taza.pipeline.dbt import dbt_environment

    return ([DBT, *args, "--project-dir", str(config.DBT_PROJECT_DIR), "--profiles-dir", str(config.DBT_PROJECT_DIR),
             "--quiet"], {**os.environ, **dbt_environment(warehouse_url)})


def run_dbt(warehouse_url: str, *args: str, check: bool = True, **run_args) -> subprocess.CompletedProcess:
    """``dbt <args>`` on ``warehouse_url``, waited for; raises when it fails unless ``check=False``."""
    argv, env = dbt_command(warehouse_url, *args)
    return subprocess.run(argv, env=env, check=check, **run_args)

