"""The Taza pages as a person sees them: headless Chromium logs in to the Airflow UI (`taza ui`),
opens the KPI dashboard and the data-quality report from the Airflow menu, and the numbers
on screen are the marts'; the language switcher turns each page into Kazakh, Russian or
English; an auditor sees both pages and the API refuses its trigger. Screenshots go to
reports/screenshots/.
"""
from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest
from cdp_browser import Chromium
from scorecard_values import mart_value, national_kpis, traced_values

from taza import config
from taza.formatting import format_percent, format_value
from taza.reports.html import fmt
from taza.reports.i18n import LANGUAGE_NAMES, MESSAGES

pytestmark = [pytest.mark.integration, pytest.mark.browser]

SCREENSHOTS = config.REPORTS_DIR / "screenshots"
PLUGINS_MENU = "[...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Plugins')"
FRAME = "document.querySelector('iframe')"
FRAME_DOC = f"{FRAME}.contentDocument"
# The values a page shows, read from the rendered DOM: data attributes and the text a reader sees.
SHOWN_VALUES = f"""[...{FRAME_DOC}.querySelectorAll('[data-series][data-value]')].map(e => ({{
    ...e.dataset, tag: e.tagName.toLowerCase(),
    text: e.tagName === 'SPAN' ? e.textContent : (e.querySelector('title') || {{}}).textContent}}))"""


@pytest.fixture(scope="session")
def chromium_binary() -> str:
    """Session-scoped, so a missing browser skips before the (session-scoped) data is built."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.skip("chromium is not installed (.ci/run installs it with apt-get as root or in CI)")
    return binary


@pytest.fixture(scope="module")
def chromium(chromium_binary, tmp_path_factory):
    with Chromium(chromium_binary, tmp_path_factory.mktemp("chromium-profile")) as browser:
        yield browser


def log_in(chromium, ui, user: str, password: str):
    """Log in through the Airflow login page (SimpleAuthManager), as a person does."""
    chromium.navigate(ui["url"] + "/")
    chromium.type_into("input[name=username]", user)
    chromium.type_into("input[name=password]", password)
    chromium.wait_for("!document.querySelector('button[type=submit]').disabled", "the enabled Sign in button")
    chromium.evaluate("document.querySelector('button[type=submit]').click()")
    chromium.wait_for(f"!location.pathname.startsWith('/auth') && {PLUGINS_MENU}", "the Airflow UI after login")
    return chromium


@pytest.fixture(scope="module")
def browser(chromium_binary, scorecard, chromium, ui, ui_login):
    """Chromium logged in as the admin."""
    return log_in(chromium, ui, *ui_login)


def _browser_of(kind: str, chromium_binary, ui, tmp_path_factory):
    """Another Chromium (its own profile, so its own session) logged in as the team's ``kind`` login."""
    from taza.ui.login import ui_login

    login = ui_login(kind)
    with Chromium(chromium_binary, tmp_path_factory.mktemp(f"chromium-{kind}")) as chromium:
        yield log_in(chromium, ui, login.user, login.password)


@pytest.fixture(scope="module")
def auditor_browser(chromium_binary, scorecard, ui, tmp_path_factory):
    yield from _browser_of("auditor", chromium_binary, ui, tmp_path_factory)


@pytest.fixture(scope="module")
def engineer_browser(chromium_binary, scorecard, ui, tmp_path_factory):
    yield from _browser_of("engineer", chromium_binary, ui, tmp_path_factory)


# A call of the REST API with the browser's own session (its cookie), as the UI's buttons make it.
API_CALL = """fetch('%s', {method: '%s', credentials: 'same-origin',
             headers: {'Content-Type': 'application/json'}%s}).then(r => r.status)"""
RUNS = "/api/v2/dags/taza_build_kpis/dagRuns"
TRIGGER_BODY = ", body: JSON.stringify({logical_date: null})"


def open_from_menu(browser, ui, entry: str, url_route: str, src: str) -> None:
    """Open a plugin page the way a user does: the Plugins menu of Airflow's navigation, then the entry."""
    browser.navigate(ui["url"] + "/")
    browser.wait_for(PLUGINS_MENU, "the Plugins menu in Airflow's navigation")
    browser.evaluate(f"{PLUGINS_MENU}.click()")
    item = f"[...document.querySelectorAll('[role=menuitem]')].find(e => e.textContent.trim() === {json.dumps(entry)})"
    browser.wait_for(item, f"the menu entry {entry}")
    browser.evaluate(f"{item}.click()")
    browser.wait_for(f"location.pathname.startsWith('/plugin/{url_route}') && {FRAME} && {FRAME_DOC} "
                     f"&& {FRAME_DOC}.readyState === 'complete' && {FRAME_DOC}.querySelector('main')",
                     f"{entry} in the Airflow UI")
    assert browser.evaluate(f"new URL({FRAME}.src).pathname") == src


def save(browser, name: str, full_page: bool = False):
    path = browser.screenshot(SCREENSHOTS / f"{name}.png", full_page=full_page)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000
    print(f"\nscreenshot: {path}")
    return path


def test_kpi_dashboard_opened_from_the_menu_shows_the_scorecards_numbers(browser, ui, db):
    open_from_menu(browser, ui, "KPI dashboard", "taza-kpi-dashboard", "/taza/kpi")
    assert browser.evaluate(f"{FRAME_DOC}.querySelector('h1').textContent").endswith("KPI dashboard")
    shown = browser.evaluate(SHOWN_VALUES)
    kpis = {tuple(k) for k in browser.evaluate(
        f"[...{FRAME_DOC}.querySelectorAll('#status [data-kpi][data-variant]:not([data-series])')]"
        ".map(e => [e.dataset.kpi, e.dataset.variant])")}
    assert kpis == national_kpis(db), "the status table lists every national KPI of the scorecard"
    db.execute("""SELECT bool_or(target_reached_year IS NOT NULL) FROM marts.kpi_concept_scorecard
                  WHERE scope = 'national' AND target_reached_year IS NOT NULL""")
    reached = {"target_reached_year"} if db.fetchone()[0] else set()  # none when the pace never gets there
    assert {v["series"] for v in shown} == {"actual", "target", "projected", "share_of_target"} | reached
    [share] = [v for v in shown if v["series"] == "share_of_target"]
    actual, _ = mart_value(db, {**share, "series": "actual"})
    target, _ = mart_value(db, {**share, "series": "target", "year": share["targetYear"]})
    assert Decimal(share["value"]) == actual / target and share["text"] == format_percent(actual / target)
    for value in (v for v in shown if v is not share):
        expected, unit = mart_value(db, value)
        assert Decimal(value["value"]) == expected, value
        shown_as = str(expected) if value["series"] == "target_reached_year" else format_value(expected, unit)
        assert shown_as in value["text"], value
    heights = browser.evaluate(f"[...{FRAME_DOC}.querySelectorAll('svg.chart-svg')]"
                               ".map(s => s.getBoundingClientRect().height)")
    assert len(heights) >= len(kpis) + 3 and min(heights) > 50, "every chart is drawn"
    save(browser, "kpi_dashboard_in_airflow")


def test_data_quality_report_opened_from_the_menu_shows_the_audit_counts(browser, ui, db):
    open_from_menu(browser, ui, "Data quality", "taza-data-quality", "/taza/quality")
    cards = dict(browser.evaluate(f"[...{FRAME_DOC}.querySelectorAll('#overview .card')]"
                                  ".map(c => [c.querySelector('.label').textContent, "
                                  "c.querySelector('.value').textContent])"))
    db.execute("SELECT count(*), sum(received_count), sum(loaded_count), sum(quarantined_count) FROM audit.batch")
    batches, received, loaded, quarantined = db.fetchone()
    assert (cards["batches"], cards["records received"], cards["quarantined"]) == (
        fmt(batches), fmt(int(received)), fmt(int(quarantined)))
    save(browser, "data_quality_in_airflow")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize(("entry", "url_route", "path", "section"), [
    ("KPI dashboard", "taza-kpi-dashboard", "/taza/kpi", "regions"),
    ("Data quality", "taza-data-quality", "/taza/quality", "overview")])
def test_the_language_switcher_turns_each_page_into_the_readers_language(browser, ui, lang, entry, url_route, path,
                                                                        section):
    """From the Airflow menu, a click on the language's link in the page's switcher: the frame shows the page
    in that language (html lang, a heading, the title), and the switcher marks it and links to the others."""
    open_from_menu(browser, ui, entry, url_route, path)
    switch = f"{FRAME_DOC}.querySelector('.languages a[hreflang={lang}]')"
    browser.wait_for(switch, f"the {LANGUAGE_NAMES[lang]} link of the switcher")
    browser.evaluate(f"{switch}.click()")
    browser.wait_for(f"{FRAME}.contentWindow.location.search === '?lang={lang}' && {FRAME_DOC}.readyState === "
                     f"'complete' && {FRAME_DOC}.querySelector('main')", f"{entry} in {LANGUAGE_NAMES[lang]}")
    assert browser.evaluate(f"{FRAME_DOC}.documentElement.lang") == lang
    messages = MESSAGES[lang]
    assert browser.evaluate(f"{FRAME_DOC}.querySelector('#{section} h2').textContent") == messages[f"{section}.title"]
    title = messages["kpi.title" if path == "/taza/kpi" else "quality.title"]
    assert browser.evaluate(f"{FRAME_DOC}.querySelector('h1').textContent") == title
    links = browser.evaluate(f"[...{FRAME_DOC}.querySelectorAll('.languages a')].map(a => "
                             "[a.hreflang, new URL(a.href).search, a.getAttribute('aria-current')])")
    assert links == [[code, f"?lang={code}", "page" if code == lang else None] for code in ("en", "ru", "kk")]
    save(browser, f"{url_route.removeprefix('taza-')}_{lang}")


def test_the_auditor_reads_both_pages_but_the_api_refuses_its_trigger(auditor_browser, ui):
    """The auditor (Airflow role viewer) opens both pages from the menu; a trigger sent with the
    browser's own session is refused with 403, while a read with the same session is answered."""
    open_from_menu(auditor_browser, ui, "KPI dashboard", "taza-kpi-dashboard", "/taza/kpi")
    assert auditor_browser.evaluate(f"{FRAME_DOC}.querySelector('h1').textContent").endswith("KPI dashboard")
    assert auditor_browser.evaluate(f"{FRAME_DOC}.querySelectorAll('#status [data-kpi]').length") > 0
    open_from_menu(auditor_browser, ui, "Data quality", "taza-data-quality", "/taza/quality")
    assert auditor_browser.evaluate(f"{FRAME_DOC}.querySelectorAll('#overview .card').length") > 0
    save(auditor_browser, "data_quality_as_auditor")
    assert auditor_browser.evaluate(API_CALL % (RUNS, "GET", "")) == 200, "the session reads DAG runs"
    assert auditor_browser.evaluate(API_CALL % (RUNS, "POST", TRIGGER_BODY)) == 403


def test_the_engineer_triggers_the_kpi_dag_from_the_browser(engineer_browser, ui):
    """The engineer (Airflow role op) opens the KPI dashboard from the menu, and the same browser
    session triggers the (paused, so waiting) KPI DAG; the run is deleted again."""
    open_from_menu(engineer_browser, ui, "KPI dashboard", "taza-kpi-dashboard", "/taza/kpi")
    assert engineer_browser.evaluate(f"{FRAME_DOC}.querySelectorAll('#status [data-kpi]').length") > 0
    engineer_browser.navigate(ui["url"] + "/")
    assert engineer_browser.evaluate(API_CALL.replace("r => r.status", "r => r.json().then(dag => dag.is_paused)")
                                     % ("/api/v2/dags/taza_build_kpis", "GET", "")), "so the run only waits"
    triggered = engineer_browser.evaluate(
        API_CALL.replace("r => r.status", "r => r.json().then(run => [r.status, run.dag_run_id])")
        % (RUNS, "POST", TRIGGER_BODY))
    assert triggered[0] == 200 and triggered[1], triggered
    run_id = triggered[1]
    assert engineer_browser.evaluate(API_CALL % (f"{RUNS}/{run_id}", "DELETE", "")) == 204


@pytest.mark.parametrize("path", ["/taza/kpi", "/taza/quality"])
def test_full_page_screenshots_of_both_pages(browser, ui, path):
    browser.navigate(ui["url"] + path)
    assert browser.evaluate("document.querySelectorAll('main section').length") >= 4
    save(browser, {"/taza/kpi": "kpi_dashboard", "/taza/quality": "data_quality"}[path], full_page=True)


def test_the_kpi_dag_exports_the_dashboard_with_the_same_numbers(scorecard, db):
    page = scorecard / "kpi" / "index.html"
    shown, kpis = traced_values(page.read_text())
    assert kpis == national_kpis(db)
    assert all(Decimal(value["value"]) == mart_value(db, value)[0] for value in shown)
    for lang in ("ru", "kk"):
        translated = (scorecard / "kpi" / f"index.{lang}.html").read_text()
        assert f'<html lang="{lang}">' in translated and traced_values(translated) == (shown, kpis), \
            "the same values in every language"
    assert all((scorecard / "quality" / name).exists() for name in ("index.html", "index.ru.html", "index.kk.html")), \
        "the same task writes the data-quality report in each language"
