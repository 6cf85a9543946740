"""The Airflow UI of the local stack (``taza ui``) and the pages the Taza plugin adds to it."""
