"""The Taza pages inside the Airflow UI: a FastAPI app the Airflow plugin mounts on the api-server.

Each page is a self-contained HTML document rendered from the warehouse on every request;
the Airflow UI shows it in its own frame through the plugin's ``external_views``. Plugin
apps are not behind Airflow's login by default, so every page requires an authenticated
Airflow user (the UI's session cookie, or a bearer token from ``/auth/token``). FastAPI's
own routes (``/openapi.json``, ``/docs``, ``/redoc``) bypass route dependencies, so they
are switched off: the app answers nothing without a login. The pages read the warehouse
as ``taza_report_reader`` (read-only, taza.warehouse.roles), not as its owner. A page is
in the language of ``?lang=en|ru|kk`` (English otherwise), with links to the other two.
"""
from __future__ import annotations

from airflow.api_fastapi.core_api.security import requires_authenticated
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


@app.get("/kpi", response_class=HTMLResponse)
def kpi_dashboard(lang: str | None = None) -> str:
    from taza.reports.kpi_dashboard import render_kpi_dashboard

    return render_kpi_dashboard(warehouse_url(), pick_language(lang), SWITCHER)


@app.get("/quality", response_class=HTMLResponse)
def quality_report(lang: str | None = None) -> str:
    from taza.reports.quality_report import render_quality_report

    return render_quality_report(warehouse_url(), pick_language(lang), SWITCHER)
