"""HTML reports for people: the KPI dashboard and the data-quality report."""
