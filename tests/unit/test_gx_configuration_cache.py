"""An expectation's configuration is built once inside gx_configuration_cache.cached(), as GX builds it."""
from __future__ import annotations

import great_expectations as gx

from taza.quality import gx_configuration_cache


def test_inside_the_block_each_expectation_s_configuration_is_built_once_and_equals_gx_s():
    expectation = gx.expectations.ExpectColumnValuesToBeBetween(column="trees_planted", min_value=0)
    other = gx.expectations.ExpectColumnValuesToNotBeNull(column="report_id")
    with gx_configuration_cache.cached():
        first = expectation.configuration
        assert expectation.configuration is first
        assert other.configuration is not first and other.configuration.kwargs == {"column": "report_id"}
    assert first.to_json_dict() == expectation.configuration.to_json_dict()
    assert expectation.configuration is not expectation.configuration, "outside the block GX builds it each time"


def test_each_block_builds_its_own():
    expectation = gx.expectations.ExpectColumnValuesToNotBeNull(column="report_id")
    with gx_configuration_cache.cached():
        outer = expectation.configuration
        with gx_configuration_cache.cached():
            assert expectation.configuration is not outer
        assert expectation.configuration is outer
