"""The ``taza`` command: warehouse, source simulator, Airflow and its UI, dbt, reports and the demo."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

from taza import config


def _warehouse(args) -> int:
    from taza.warehouse.embedded import EmbeddedWarehouse, WarehouseError
    from taza.warehouse.provision import start_embedded

    warehouse = EmbeddedWarehouse()
    try:
        if args.action == "start":
            status = start_embedded(args.port, warehouse)
            print(f"warehouse running (pid {status.pid}) on 127.0.0.1:{status.port}, data in {status.data_dir}")
        elif args.action == "stop":
            print("warehouse stopped" if warehouse.stop() else "warehouse was not running")
        elif args.action == "status":
            status = warehouse.status()
            state = f"running (pid {status.pid})" if status.running else "stopped"
            print(f"{state}; port {status.port}; data {status.data_dir}")
            return 0 if status.running else 3
        elif args.action == "url":
            from taza.warehouse.roles import BI_READER, url_for_role

            url = os.environ.get("TAZA_WAREHOUSE_URL") or warehouse.url(args.database)
            print(url_for_role(url, BI_READER, config.bi_reader_password()) if args.role == BI_READER else url)
    except WarehouseError as err:
        print(f"taza warehouse {args.action}: {err}", file=sys.stderr)
        return 2
    return 0


def _sources(args) -> int:
    from taza.simulator_service import simulator_service, start_simulator

    if args.action == "serve":
        from datetime import date

        from taza.simulator import SimulatorConfig
        from taza.simulator.server import serve_forever

        sim_config = SimulatorConfig(seed=args.seed, scale=args.scale, api_key=config.source_api_key(),
                                     today=args.today or date.today())
        print(f"source simulator on http://{args.host}:{args.port} (seed {args.seed}, scale {args.scale}, "
              f"today {sim_config.today})", flush=True)
        serve_forever(sim_config, args.host, args.port, faults=args.fault)
    elif args.action == "start":
        state = start_simulator(seed=args.seed, scale=args.scale, port=args.port or None, faults=args.fault,
                                today=args.today)
        today = f", today {state['today']}" if state.get("today") else ""
        print(f"source simulator running (pid {state['pid']}) at {state['url']}{today}")
    elif args.action == "stop":
        print("source simulator stopped" if simulator_service().stop() else "source simulator was not running")
    elif args.action == "status":
        state = simulator_service().state()
        print(f"running at {state['url']} (pid {state['pid']})" if state else "stopped")
        return 0 if state else 3
    return 0


def _airflow(args) -> int:
    from taza.airflow_env import airflow_environment
    from taza.simulator_service import simulator_url

    env = airflow_environment(simulator_url())
    airflow = os.path.join(os.path.dirname(sys.executable), "airflow")
    return subprocess.call([airflow, *args.rest], env=env)


def _dbt(args) -> int:
    from taza.pipeline.dbt import dbt_environment
    from taza.warehouse.connection import warehouse_url

    env = {**os.environ, **dbt_environment(warehouse_url())}
    dbt = os.path.join(os.path.dirname(sys.executable), "dbt")
    return subprocess.call([dbt, *args.rest, "--profiles-dir", str(config.DBT_PROJECT_DIR)],
                           env=env, cwd=config.DBT_PROJECT_DIR)


def _demo(args) -> int:
    from taza.demo import run_demo

    return run_demo(period_from=args.period_from, period_to=args.period_to)


def _report(args) -> int:
    from taza.warehouse.connection import warehouse_url

    if args.kind == "docs":
        from taza.dbt_docs import generate_docs

        print(f"dbt docs: {generate_docs(warehouse_url())}")
        return 0
    if args.kind == "kpi":
        from taza.reports.kpi_dashboard import write_kpi_dashboard

        paths = write_kpi_dashboard(warehouse_url(), args.out)
        print(f"KPI dashboard written to {', '.join(map(str, paths))}")
        return 0
    from taza.reports.quality_report import write_quality_report

    paths = write_quality_report(warehouse_url(), args.out)
    print(f"data-quality report written to {', '.join(map(str, paths))}")
    return 0


def _ui(args) -> int:
    from taza.ui.stack import start_ui, stop_ui, ui_status

    if args.action == "start":
        try:
            ui = start_ui(args.port)
        except RuntimeError as err:
            print(f"taza ui: {err}", file=sys.stderr)
            return 2
        print(f"Airflow UI: {ui['url']}")
        for login in ui["logins"]:
            print(f"  {login.kind:<9} login {login.user} / {login.password}  (Airflow role {login.role})")
        print("  passwords: TAZA_UI_PASSWORD, TAZA_UI_ENGINEER_PASSWORD, TAZA_UI_AUDITOR_PASSWORD, else generated "
              f"once into {config.state_dir() / 'secrets.json'}")
        print(f"  Taza pages: {ui['url']}/taza/kpi and {ui['url']}/taza/quality (also in the UI's menu)")
        print(f"  logs: {config.state_dir()}/airflow-*.log; stop with: taza ui stop (or taza stop)")
    elif args.action == "stop":
        stopped = stop_ui()
        print(f"stopped airflow {', '.join(stopped)}" if stopped else "the Airflow UI was not running")
    elif args.action == "status":
        status = ui_status()
        for component, state in status.items():
            print(f"airflow {component}: " + (f"running (pid {state['pid']})" if state else "stopped"))
        return 0 if all(status.values()) else 3
    return 0


def _stop(args) -> int:
    from taza.simulator_service import simulator_service
    from taza.ui.stack import stop_ui
    from taza.warehouse.embedded import EmbeddedWarehouse

    stopped = stop_ui()
    print(f"stopped airflow {', '.join(stopped)}" if stopped else "the Airflow UI was not running")
    print("source simulator stopped" if simulator_service().stop() else "source simulator was not running")
    print("warehouse stopped" if EmbeddedWarehouse().stop() else "warehouse was not running")
    return 0


def _iso_date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def _fault_spec(text: str) -> str:
    from taza.simulator.faults.spec import parse_fault

    try:
        return str(parse_fault(text))
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="taza", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    warehouse = commands.add_parser("warehouse", help="the embedded PostgreSQL warehouse")
    warehouse.add_argument("action", choices=["start", "stop", "status", "url"])
    warehouse.add_argument("--port", type=int, help="port on 127.0.0.1 (default: config or a free one)")
    warehouse.add_argument("--database", default="taza", help="database named in the url")
    warehouse.add_argument("--role", choices=["owner", "bi_reader"], default="owner",
                           help="url: log in as the warehouse owner, or as bi_reader (read-only, marts only)")
    warehouse.set_defaults(func=_warehouse)

    sources = commands.add_parser("sources", help="the bundled source-system simulator")
    sources.add_argument("action", choices=["serve", "start", "stop", "status"])
    sources.add_argument("--host", default="127.0.0.1")
    sources.add_argument("--port", type=int, default=int(os.environ.get("TAZA_SIMULATOR_PORT", 0)))
    sources.add_argument("--seed", type=int, default=42)
    sources.add_argument("--scale", type=float, default=1.0)
    sources.add_argument("--today", type=_iso_date, metavar="YYYY-MM-DD",
                         help="the simulator's clock: serve the history as it stood on this date "
                              "(default: the real date); serve and start alike")
    sources.add_argument("--fault", action="append", default=[], type=_fault_spec, metavar="NAME[@PAGE][:OPTION]",
                         help="switch a simulated fault on for the run (repeatable), e.g. server_error:2, "
                              "rate_limit:1:retry_after=0, truncated@2, missing_field; "
                              "grammar and kinds: taza.simulator.faults")
    sources.set_defaults(func=_sources)

    airflow = commands.add_parser("airflow", help="the airflow CLI, configured for this project")
    airflow.add_argument("rest", nargs=argparse.REMAINDER)
    airflow.set_defaults(func=_airflow)

    dbt = commands.add_parser("dbt", help="the dbt CLI, pointed at the warehouse")
    dbt.add_argument("rest", nargs=argparse.REMAINDER)
    dbt.set_defaults(func=_dbt)

    ui = commands.add_parser("ui", help="the Airflow UI (api-server, scheduler, dag-processor, triggerer)")
    ui.add_argument("action", nargs="?", default="start", choices=["start", "stop", "status"])
    ui.add_argument("--port", type=int, default=int(os.environ.get("TAZA_UI_PORT", 8080)),
                    help="port on 127.0.0.1 (default 8080)")
    ui.set_defaults(func=_ui)

    demo = commands.add_parser("demo", help="run the whole pipeline on the embedded default")
    demo.add_argument("--from", dest="period_from", default="2021-01", help="first month, YYYY-MM")
    demo.add_argument("--to", dest="period_to", help="last month, YYYY-MM (default: last complete month)")
    demo.set_defaults(func=_demo)

    report = commands.add_parser("report", help="static HTML reports from the warehouse")
    report.add_argument("kind", choices=["quality", "kpi", "docs"],
                        help="quality: the auditors' data-quality report; kpi: the KPI dashboard of the Concept "
                             "scorecard; docs: dbt docs as one static page")
    report.add_argument("--out", help="output directory (default: reports/quality or reports/kpi); "
                                      "the page is index.html (English), index.ru.html and index.kk.html")
    report.set_defaults(func=_report)

    stop = commands.add_parser("stop", help="stop the Airflow UI, the simulator and the warehouse")
    stop.set_defaults(func=_stop)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
