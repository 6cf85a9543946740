"""dbt docs for the warehouse: one self-contained HTML page under reports/dbt-docs/.

``dbt docs generate --static`` reads the project and the live warehouse catalogue
(column types, row counts) and writes static_index.html, which opens from disk
without a web server. Its artifacts go to reports/dbt-docs/ (output, git-ignored) so
the manifest Cosmos renders from dbt_project/target/ is left alone.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from taza import config
from taza.pipeline.dbt import dbt_environment

DOCS_DIR = config.REPORTS_DIR / "dbt-docs"


def generate_docs(warehouse_url: str, target_dir: Path = DOCS_DIR) -> Path:
    """Generate the static docs page into ``target_dir``; returns the page's path."""
    target_dir.mkdir(parents=True, exist_ok=True)
    dbt = os.path.join(os.path.dirname(sys.executable), "dbt")
    subprocess.run([dbt, "docs", "generate", "--static", "--target-path", str(target_dir),
                    "--profiles-dir", str(config.DBT_PROJECT_DIR), "--quiet"],
                   cwd=config.DBT_PROJECT_DIR, env={**os.environ, **dbt_environment(warehouse_url)}, check=True)
    return target_dir / "static_index.html"
