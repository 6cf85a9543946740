"""Data faults: pure functions that change a page's records (``mutate_page``), shared by
the server and the tests that predict the effects (see ``taza.simulator.faults``)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from taza.simulator.faults.spec import DATA_FAULTS, FaultSpec, check_faults

UNKNOWN_KATO = "999999999"


@dataclass(frozen=True)
class Effect:
    """One record changed by a data fault. ``page`` is 1-based, ``index`` the position in
    the page's ``data``. ``before``/``after`` are the field's values (``after`` None for
    missing_field); for renamed_field they are the old and new field names, for
    duplicates the replaced record and its replacement."""

    page: int
    index: int
    kind: str
    field: str | None
    before: object
    after: object


def paginate(records: Sequence[dict], page_size: int) -> list[list[dict]]:
    """``records`` cut into pages as numbered paging serves them."""
    return [list(records[i : i + page_size]) for i in range(0, len(records), page_size)] or [[]]


def apply_data_faults(pages: Sequence[Sequence[dict]], faults: Iterable[str | FaultSpec]
                      ) -> tuple[list[list[dict]], list[Effect]]:
    """The pages (as served without faults) as the simulator serves them with ``faults``
    switched on, and every effect; transport faults are ignored."""
    specs = [s for s in check_faults(faults) if not s.transport]
    served, effects = [], []
    for number, records in enumerate(pages, start=1):
        previous = pages[number - 2] if number > 1 else None
        page_specs = [s for s in specs if s.page is None or s.page == number]
        mutated, page_effects = mutate_page(records, page_specs, number, previous)
        served.append(mutated)
        effects.extend(page_effects)
    return served, effects


def expected_effects(pages: Sequence[Sequence[dict]], faults: Iterable[str | FaultSpec]) -> list[Effect]:
    """What the data faults change on these (unfaulted) pages; see :func:`apply_data_faults`."""
    return apply_data_faults(pages, faults)[1]


def mutate_page(records: Sequence, specs: Iterable[FaultSpec], page: int | None,
                previous: Sequence | None = None) -> tuple[list, list[Effect]]:
    """One page's records with the data faults of ``specs`` applied (the input is not
    changed); ``previous`` is the previous page's records, for duplicates."""
    out = [dict(r) if isinstance(r, dict) else r for r in records]
    effects: list[Effect] = []
    number = page or 0
    for spec in sorted((s for s in specs if not s.transport), key=lambda s: DATA_FAULTS.index(s.name)):
        if spec.name == "duplicates":
            _duplicates(out, spec, number, previous, effects)
        elif spec.name == "renamed_field":
            _renamed_field(out, spec, number, effects)
        else:
            _record_fault(out, spec, number, effects)
    return out, effects


def _dicts(records: Sequence) -> list[dict]:
    return [r for r in records if isinstance(r, dict)]


def numeric_field(records: Sequence) -> str | None:
    """The first key, in record order, of the first record holding an int/float value."""
    for record in _dicts(records):
        for key, value in record.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return key
    return None


def region_field(records: Sequence) -> str | None:
    """``region_kato`` if present, else the first key ending in 'kato'."""
    keys = [key for record in _dicts(records) for key in record]
    if "region_kato" in keys:
        return "region_kato"
    return next((key for key in keys if key.lower().endswith("kato")), None)


def _duplicates(out: list, spec: FaultSpec, page: int, previous: Sequence | None, effects: list) -> None:
    if page <= 1 or not previous:
        return
    k = min(spec.option("n"), len(previous), len(out))
    for index, source in enumerate(previous[len(previous) - k :]):
        copy = dict(source) if isinstance(source, dict) else source
        effects.append(Effect(page, index, spec.name, None, out[index], copy))
        out[index] = copy


def _renamed_field(out: list, spec: FaultSpec, page: int, effects: list) -> None:
    field = spec.option("field") or numeric_field(out)
    if field is None:
        return
    new_name = spec.option("as") or f"{field}_v2"
    for index, record in enumerate(out):
        if isinstance(record, dict) and field in record:
            out[index] = {(new_name if key == field else key): value for key, value in record.items()}
            effects.append(Effect(page, index, spec.name, field, field, new_name))


def _record_fault(out: list, spec: FaultSpec, page: int, effects: list) -> None:
    if spec.name == "unknown_region":
        field = spec.option("field") or region_field(out)
    else:
        field = spec.option("field") or numeric_field(out)
    if field is None:
        return
    hit = range(spec.option("start"), len(out), spec.option("every"))
    if spec.name == "missing_field":
        spared = [r for i, r in enumerate(out) if i not in hit and isinstance(r, dict) and field in r]
        if not spared:  # dropping it everywhere would be a schema change, not bad records
            return
    for nth, index in enumerate(hit):
        record = out[index]
        if not isinstance(record, dict) or field not in record:
            continue
        before = record[field]
        number = isinstance(before, (int, float)) and not isinstance(before, bool)
        if spec.name == "missing_field":
            del record[field]
            after = None
        elif spec.name == "wrong_types":
            if not number:
                continue
            after = str(before)
        elif spec.name == "bad_values":
            if not number:
                continue
            if nth % 2 == 0:
                after = -abs(before) if before else -5
            else:
                after = before * 1_000_000 if before else 10**9
        else:  # unknown_region
            after = int(UNKNOWN_KATO) if number else UNKNOWN_KATO
        if spec.name != "missing_field":
            record[field] = after
        effects.append(Effect(page, index, spec.name, field, before, after))
