"""Reference value sets the suites point at instead of copying them: the KATO region reference.

The dbt seeds are the single source of truth. A region code is valid when it is a current
KATO code (seed ``regions``) or an alias code staging resolves (seed
``region_code_aliases``: legacy KATO, abbreviated KATO, ISO 3166-2 codes; staging matches
them lower-cased, so both cases are accepted). A region *name* is valid when its
lower-cased, trimmed spelling is a name alias of the seed. Anything else is unknown.
"""
from __future__ import annotations

import csv
from functools import cache

from taza import config

SEEDS_DIR = config.DBT_PROJECT_DIR / "seeds"
CODE_ALIAS_TYPES = ("kato", "kato_legacy", "kato_ab", "iso_3166_2", "iso_legacy")
NAME_ALIAS_TYPES = ("name_en", "name_ru", "name_kk", "name_variant")


def _seed(name: str) -> list[dict]:
    with open(SEEDS_DIR / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def region_codes() -> tuple[str, ...]:
    """Every region code staging resolves to a current KATO code, as a feed may send it."""
    codes = {row["region_kato"] for row in _seed("regions")}
    for alias in _seed("region_code_aliases"):
        if alias["alias_type"] in CODE_ALIAS_TYPES:
            codes.update((alias["alias_code"], alias["alias_code"].upper()))
    return tuple(sorted(codes))


@cache
def region_names() -> tuple[str, ...]:
    """Every lower-cased region spelling of the alias seed."""
    return tuple(sorted({a["alias_code"] for a in _seed("region_code_aliases")
                         if a["alias_type"] in NAME_ALIAS_TYPES}))


REFERENCES = {"region_codes": region_codes, "region_names": region_names}


def reference(name: str) -> tuple[str, ...]:
    if name not in REFERENCES:
        raise KeyError(f"unknown reference {name!r}; known: {', '.join(REFERENCES)}")
    return REFERENCES[name]()


def sql_list(values: tuple[str, ...]) -> str:
    """Values as a SQL list of string literals, for a suite's unexpected-rows query."""
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)
