# The project's image: the same lock file as `make setup`, the taza package, DAGs, dbt project
# and GX suites. Every Airflow component, the Celery worker and the source simulator run it.
FROM python:3.11-slim
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1 AIRFLOW_HOME=/opt/airflow
WORKDIR /opt/taza
COPY requirements.lock pyproject.toml ./
RUN pip install --no-cache-dir -r requirements.lock
COPY plugins ./plugins
COPY dags ./dags
COPY dbt_project ./dbt_project
COPY expectations ./expectations
RUN pip install --no-cache-dir --no-deps -e .
# Cosmos renders the KPI DAG from dbt's manifest; parsing needs a profile but no server.
RUN TAZA_WAREHOUSE_URL=postgresql://taza@localhost:5432/taza taza dbt parse --quiet
# Run as an unprivileged user (uid 50000 like the official image), owning Airflow's home
# and the dbt project (dbt writes target/ and logs/ at run time).
RUN useradd --uid 50000 --gid 0 --home-dir /opt/airflow --create-home airflow \
    && mkdir -p /opt/airflow/logs /opt/airflow/reports /opt/airflow/taza-state \
    && chown -R 50000:0 /opt/airflow /opt/taza/dbt_project
USER 50000
