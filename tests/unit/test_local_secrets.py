"""Generated secrets in ``secrets.json``: processes starting at once agree on every value."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

pytestmark = pytest.mark.unit

NAMES = [f"secret_{i}" for i in range(150)]
# Each process asks for every name (none set in the environment) and prints what it got.
GENERATE = ("import json, sys; from taza import config; "
            "print(json.dumps({n: config.local_secret(n, 'TAZA_TEST_UNSET_' + n) for n in sys.argv[1:]}))")


def test_two_processes_generating_at_once_get_the_same_values_and_a_valid_file(tmp_path):
    env = {**os.environ, "TAZA_STATE_DIR": str(tmp_path), "PYTHONPATH": os.pathsep.join(sys.path)}
    processes = [subprocess.Popen([sys.executable, "-c", GENERATE, *order], env=env, stdout=subprocess.PIPE,
                                  text=True) for order in (NAMES, NAMES[::-1])]
    first, second = (json.loads(process.communicate(timeout=120)[0]) for process in processes)
    assert first == second, "both processes must see the one value generated for each name"
    stored = json.loads((tmp_path / "secrets.json").read_text())
    assert stored == first
    assert stat.S_IMODE((tmp_path / "secrets.json").stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".secrets.json.")] == [], "no temporary left"


def test_the_environment_wins_and_is_never_written(tmp_path, monkeypatch):
    from taza import config

    monkeypatch.setenv("TAZA_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("TAZA_TEST_SECRET", "from-env")
    assert config.local_secret("test_secret", "TAZA_TEST_SECRET") == "from-env"
    assert not (tmp_path / "secrets.json").exists()
    monkeypatch.delenv("TAZA_TEST_SECRET")
    generated = config.local_secret("test_secret", "TAZA_TEST_SECRET")
    assert generated != "from-env" and config.local_secret("test_secret", "TAZA_TEST_SECRET") == generated
