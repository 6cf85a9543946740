"""The marts' business rows, to compare the warehouse before and after a run that should change none."""
from __future__ import annotations

# Columns that point at batches or record when something was built: a rerun may change them.
TECHNICAL_COLUMNS = {"updated_at", "last_loaded_at", "valid_from", "lineage_batch_ids", "registry_batch_id",
                     "_batch_id", "_loaded_at", "_source_url", "_record_hash"}


def mart_business_rows(db) -> dict[str, list[tuple]]:
    """Every mart's rows without their technical columns, sorted: table -> rows."""
    db.execute("""SELECT table_name, array_agg(column_name::text ORDER BY ordinal_position)
                  FROM information_schema.columns WHERE table_schema = 'marts' GROUP BY table_name""")
    marts = {}
    for table, columns in db.fetchall():
        business = [c for c in columns if c not in TECHNICAL_COLUMNS]
        db.execute(f"SELECT {', '.join(business)} FROM marts.{table} ORDER BY {', '.join(business)}")
        marts[table] = db.fetchall()
    return marts
