"""GX's filesystem store, with writes that a reader in another process never sees half done.

Gates of several DAG runs (the three ingest DAGs on their schedules, validate tasks on
several workers) write validation results into one store while a data_docs task lists and
renders it. GX's own backend opens the target file, then writes it: a reader in between
loads an empty or partial JSON file and the data_docs task fails. Here each file is
written in full under a partial-files directory beside the store (same filesystem) and
renamed over its target, which is atomic on POSIX.
"""
from __future__ import annotations

import os
import tempfile

from great_expectations.data_context.store.tuple_store_backend import TupleFilesystemStoreBackend

FILE_MODE = 0o644  # what GX's own open() gives under the usual umask; mkstemp's 0600 would hide Data Docs


def partial_files_directory(base_directory: str) -> str:
    """Where a store's files are written before they are renamed in: a hidden sibling, so that
    the store's key listing never meets one."""
    parent, name = os.path.split(os.path.normpath(base_directory))
    return os.path.join(parent, f".{name}.partial")


class AtomicTupleFilesystemStoreBackend(TupleFilesystemStoreBackend):
    """TupleFilesystemStoreBackend whose every write is a complete file or none."""

    def _set(self, key, value, **kwargs):
        if not isinstance(key, tuple):
            key = key.to_tuple()
        target = os.path.join(self.full_base_directory, self._convert_key_to_filepath(key))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        staging = partial_files_directory(self.full_base_directory)
        os.makedirs(staging, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=staging)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(value.encode("utf-8") if isinstance(value, str) else value)
            os.chmod(partial, FILE_MODE)
            os.replace(partial, target)
        except BaseException:
            if os.path.exists(partial):
                os.unlink(partial)
            raise
        return target
