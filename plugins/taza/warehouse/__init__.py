"""The PostgreSQL warehouse: embedded server, connections and schema bootstrap."""
