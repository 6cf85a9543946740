"""The steps the DAGs wire together: ingest, validate, build."""
