"""The Taza pages inside the Airflow UI: a FastAPI app the Airflow plugin mounts on the api-server.

Each page is a self-contained HTML document rendered from the warehouse on every request;
the Airflow UI shows it in its own frame through the plugin's ``external_views``. Plugin
apps are not behind Airflow's login by default, so every page asks the auth manager (Simple
locally, FAB in compose) whether the logged-in user (the UI's session cookie, or a bearer token
from ``/auth/token``) may read what it shows: the KPI dashboard needs the Airflow UI itself
(``AccessView.WEBSITE``); the data-quality report, which reports the DAG runs' batches, needs
read access to DAG runs. Every role of the team (auditor, engineer, admin) may read both. FastAPI's
own routes (``/openapi.json``, ``/docs``, ``/redoc``) bypass route dependencies, so they
are switched off: the app answers nothing without a login. The pages read the warehouse
as ``taza_report_reader`` (read-only, taza.warehouse.roles), not as its owner. A page is
in the language of ``?lang=en|ru|kk`` (English otherwise), with links to the other two.
"""
from __future__ import annotations

from airflow.api_fastapi.auth.managers.models.resource_details import AccessView, DagAccessEntity
from airflow.api_fastapi.core_api.security import requires_access_dag, requires_access_view, requires_authenticated
from fastapi import Depends, FastAPI
from fastapi.responses import HTMLResponse

from taza.formatting import LANGUAGES
from taza.reports.i18n import pick_language
from taza.warehouse.connection import warehouse_url

URL_PREFIX = "/taza"
app = FastAPI(title="Taza KPI warehouse reports", dependencies=[Depends(requires_authenticated())],
              openapi_url=None, docs_url=None, redoc_url=None)


# The language switcher's links: the same page with another ?lang=.
SWITCHER = [(lang, f"?lang={lang}") for lang in LANGUAGES]


@app.get("/kpi", response_class=HTMLResponse, dependencies=[Depends(requires_access_view(AccessView.WEBSITE))])
def kpi_dashboard(lang: str | None = None) -> str:
    from taza.reports.kpi_dashboard import render_kpi_dashboard

    return render_kpi_dashboard(warehouse_url(), pick_language(lang), SWITCHER)


@app.get("/quality", response_class=HTMLResponse,
         dependencies=[Depends(requires_access_dag("GET", DagAccessEntity.RUN))])
def quality_report(lang: str | None = None) -> str:
    from taza.reports.quality_report import render_quality_report

    return render_quality_report(warehouse_url(), pick_language(lang), SWITCHER)
