"""The GX store the gate writes validation results and Data Docs to: a reader in another
process (a data_docs task of another DAG run) only ever sees whole files."""
from __future__ import annotations

import json
import multiprocessing
import os
import stat

from taza.quality.gx_store import AtomicTupleFilesystemStoreBackend, partial_files_directory

KEY = ("suite", "run", "batch.json")


def _rewrite_forever(base_directory: str, stop) -> None:
    store = AtomicTupleFilesystemStoreBackend(base_directory=base_directory, suppress_store_backend_id=True)
    version = 0
    while not stop.is_set():
        version += 1
        store.set(KEY, json.dumps({"version": version, "padding": "x" * 200_000}))


def test_a_reader_in_another_process_never_sees_a_partial_file(tmp_path):
    base = str(tmp_path / "validations")
    store = AtomicTupleFilesystemStoreBackend(base_directory=base, suppress_store_backend_id=True)
    store.set(KEY, json.dumps({"version": 0, "padding": ""}))
    stop = multiprocessing.get_context("fork").Event()
    writer = multiprocessing.get_context("fork").Process(target=_rewrite_forever, args=(base, stop))
    writer.start()
    try:
        versions = {json.loads(store.get(KEY))["version"] for _ in range(2_000)}
    finally:
        stop.set()
        writer.join(timeout=30)
    assert len(versions) > 1, "the writer never replaced the file while it was read: the test proved nothing"
    assert store.list_keys() == [KEY]
    assert os.listdir(partial_files_directory(base)) == []
    assert stat.S_IMODE(os.stat(os.path.join(base, *KEY)).st_mode) == 0o644


def test_partial_files_live_beside_the_store_not_in_it(tmp_path):
    assert partial_files_directory(str(tmp_path / "data-docs") + "/") == str(tmp_path / ".data-docs.partial")
