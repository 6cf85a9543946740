"""The operator of the ingest tasks: a PythonOperator whose callable reports its OpenLineage datasets.

The OpenLineage listener asks a task's operator for its lineage once the task ends
(``get_openlineage_facets_on_complete``, also on failure): this one answers with what the
callable reported through taza.pipeline.lineage.report while it ran, so a failed landing
still names its source and tables, and a rejected batch still carries the gate's results.
"""
from __future__ import annotations

from airflow.providers.standard.operators.python import PythonOperator

from taza.pipeline import lineage


class LineagePythonOperator(PythonOperator):
    def execute(self, context):
        with lineage.collecting() as self._lineage:
            return super().execute(context)

    def get_openlineage_facets_on_complete(self, task_instance):
        from airflow.providers.openlineage.extractors import OperatorLineage

        collected = getattr(self, "_lineage", None) or lineage.TaskLineage()
        return OperatorLineage(inputs=collected.inputs, outputs=collected.outputs)
