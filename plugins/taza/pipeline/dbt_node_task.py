"""The KPI DAG's one task per dbt model, seed and snapshot: the node and its tests.

Cosmos's watcher renders a node as two sensors, one reporting the node and one its tests,
both read from what the one `dbt build` (the producer task) reported. Each task costs
Airflow about 0.2 s of its own whatever it does, and a data engineer reads a node and
its tests together: a failed test means the node's data must be built again once the
cause is fixed. So each node gets one task that reports the node and then the producer's
aggregated verdict on its tests, and whose retry runs `dbt build` of the node and its
tests, building the node and running its tests again in one go.

Which tests are a node's: ``taza.pipeline.dbt_node_tests``.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from airflow.sdk.exceptions import AirflowSkipException
from cosmos.dbt.graph import DbtNode
from cosmos.operators._watcher import base as cosmos_watcher
from cosmos.operators.watcher import DbtRunWatcherOperator

from taza.pipeline.dbt import PLAN_XCOM_KEY, PRODUCER_TASK_ID
from taza.pipeline.dbt_node_tests import own_tests_of_each_node

if TYPE_CHECKING:
    from cosmos import DbtTaskGroup


class DbtNodeBuildSensor(DbtRunWatcherOperator):
    """Succeeds when the producer built the node and every test of it passed; fails naming the
    node or its tests otherwise; is skipped when the run's build plan leaves the node out. A retry (the producer has ended) builds the node and runs its
    tests again. It never defers: it starts once the producer has ended (see
    ``taza.pipeline.dbt.sensors_wait_for_the_producer``), and Cosmos's trigger would watch one
    of its two results only."""

    base_cmd = ["build"]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**{**kwargs, "deferrable": False})
        self._watching_tests = False
        self._rebuilt = False
        self._producer_state: tuple[str | None] | None = None  # read once per poke

    @property
    def is_test_sensor(self) -> bool:
        return self._watching_tests

    def poke(self, context: Any) -> bool:
        self._skip_unless_built(context)
        self._producer_state = None
        if not super().poke(context):
            return False
        if self._rebuilt or not self._tests(context):
            return True
        self._watching_tests = True
        try:
            return super().poke(context)
        finally:
            self._watching_tests = False

    def _skip_unless_built(self, context: Any) -> None:
        """Skip when the run's build plan leaves the node out (its inputs are unchanged, see
        ``taza.pipeline.kpi_refresh``): the producer neither builds it nor runs its tests."""
        plan = context["ti"].xcom_pull(task_ids=self.producer_task_id, key=PLAN_XCOM_KEY)
        if plan is not None and not plan["full"] and self.model_unique_id not in plan["rebuilt"]:
            raise AirflowSkipException(f"{self.model_unique_id}: none of its inputs changed, so KPI build "
                                       f"{plan['build_id']} leaves it as it is ({plan['reason']})")

    # Each XCom or task-state read is a round trip to Airflow's API (about 12 ms here). The two
    # halves of a poke (the node, then its tests) would read the producer's state and the
    # node's compiled SQL twice each, and the dbt start-up events Cosmos logs at debug level only
    # are read whatever the level: 3 of a node task's 10 reads.

    def _get_producer_task_status(self, context: Any) -> str | None:
        if self._producer_state is None:
            self._producer_state = (super()._get_producer_task_status(context),)
        return self._producer_state[0]

    def _cache_compiled_sql(self, ti: Any, context: Any) -> None:
        if not self._watching_tests:  # the node's half has read it
            super()._cache_compiled_sql(ti, context)

    def _log_startup_events(self, ti: Any) -> None:
        if cosmos_watcher.logger.isEnabledFor(logging.DEBUG):
            super()._log_startup_events(ti)

    def _tests(self, context: Any) -> list[str]:
        """The unique ids of this node's tests, from the producer's list (the one it aggregates its
        verdicts by), so this task never waits for a verdict that never comes."""
        producer = context["dag"].get_task(self.producer_task_id)
        return producer.tests_per_model.get(self.model_unique_id, [])

    def _fallback_to_non_watcher_run(self, try_number: int, context: Any) -> bool:
        """`dbt build` of the node and its own tests, no other test that reads it (one a downstream
        node defines on it would fail while that node waits for this one)."""
        node = DbtNode.get_resource_name_from_unique_id(self.model_unique_id)
        tests = [uid.split(".")[2] for uid in self._tests(context)]
        self.log.info("Try %s: dbt build of %s and its %d tests", try_number, self.model_unique_id, len(tests))
        # buildable: the tests whose every other parent is upstream of the node; the node's singular
        # tests that read a sibling too are named.
        self.build_and_run_cmd(context, cmd_flags=["--select", node, *tests, "--indirect-selection", "buildable"])
        self._rebuilt = True
        return True


def node_build_task(*, dag: Any, task_group: Any, node: DbtNode, task_args: dict[str, Any],
                    **_: Any) -> DbtNodeBuildSensor:
    """Cosmos node converter (``RenderConfig.node_converters``): the node's one task, ``<node>_build``."""
    return DbtNodeBuildSensor(
        task_id=f"{node.name}_build", dag=dag, task_group=task_group,
        extra_context={"dbt_node_config": node.context_dict, "package_name": node.package_name}, **task_args)


def producer_judges_each_node_by_its_own_tests(group: DbtTaskGroup, manifest_path: Path) -> None:
    """Give the group's producer the tests of each node as ``own_tests_of_each_node`` counts them,
    in place of Cosmos's count (every test reading the node); its verdicts per node follow it."""
    producer = group.dag.task_dict[f"{group.group_id}.{PRODUCER_TASK_ID}"]
    producer.tests_per_model = own_tests_of_each_node(json.loads(manifest_path.read_text()))
