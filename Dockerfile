# The project's image: the same lock file as `make setup`, the taza package, DAGs and dbt project.
FROM python:3.11-slim
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 AIRFLOW_HOME=/opt/airflow
WORKDIR /opt/taza
COPY requirements.lock pyproject.toml ./
RUN pip install --no-cache-dir -r requirements.lock
COPY plugins ./plugins
COPY dags ./dags
COPY dbt_project ./dbt_project
COPY expectations ./expectations
RUN pip install --no-cache-dir --no-deps -e .
