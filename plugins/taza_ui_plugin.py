"""Airflow plugin: the Taza KPI dashboard and data-quality report as pages of the Airflow UI.

Only wiring: the pages live in ``taza.ui.app``; ``external_views`` put them in the menu.
"""
from airflow.plugins_manager import AirflowPlugin

from taza.ui.app import URL_PREFIX, app


class TazaUiPlugin(AirflowPlugin):
    name = "taza_ui"
    fastapi_apps = [{"app": app, "url_prefix": URL_PREFIX, "name": "Taza KPI warehouse reports"}]
    external_views = [
        {"name": "KPI dashboard", "href": f"{URL_PREFIX.lstrip('/')}/kpi", "destination": "nav",
         "url_route": "taza-kpi-dashboard"},
        {"name": "Data quality", "href": f"{URL_PREFIX.lstrip('/')}/quality", "destination": "nav",
         "url_route": "taza-data-quality"},
    ]
