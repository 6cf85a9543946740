"""The Great Expectations gate between raw landing and the dbt layers."""
