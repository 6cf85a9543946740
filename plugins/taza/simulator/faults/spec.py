"""The fault spec grammar: parsing ``NAME[@PAGE][:COUNT][:KEY=VALUE...]`` into a
:class:`FaultSpec`, the known kinds and their options (see ``taza.simulator.faults``)."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

TRANSPORT_FAULTS = ("slow", "server_error", "rate_limit", "truncated")
DATA_FAULTS = ("duplicates", "renamed_field", "missing_field", "wrong_types", "bad_values", "unknown_region")
KNOWN_FAULTS: frozenset[str] = frozenset(TRANSPORT_FAULTS + DATA_FAULTS)

_RECORD_LEVEL = {"every": 10, "field": None}
# Each kind's options and their defaults (the default's type is the option's type; None: text).
OPTIONS: dict[str, dict[str, object]] = {
    "server_error": {"status": 503},
    "rate_limit": {"retry_after": 1.0},
    "slow": {"delay": 2.0},
    "truncated": {},
    "duplicates": {"n": 3},
    "renamed_field": {"field": None, "as": None},
    "missing_field": {**_RECORD_LEVEL, "start": 0},
    "wrong_types": {**_RECORD_LEVEL, "start": 1},
    "bad_values": {**_RECORD_LEVEL, "start": 2},
    "unknown_region": {**_RECORD_LEVEL, "start": 3},
}
_MINIMUM = {"status": 500, "retry_after": 0, "delay": 0, "n": 1, "every": 1, "start": 0}
_SPEC = re.compile(r"(?P<name>[^@:]+)(?:@(?P<page>[0-9]+))?(?P<rest>(?::[^:]*)*)")


@dataclass(frozen=True)
class FaultSpec:
    """One parsed ``NAME[@PAGE][:COUNT][:KEY=VALUE...]``; ``str()`` gives it back canonically."""

    name: str
    page: int | None = None
    count: int | None = None
    options: tuple[tuple[str, object], ...] = ()

    def option(self, key: str):
        return dict(self.options).get(key, OPTIONS[self.name][key])

    @property
    def transport(self) -> bool:
        return self.name in TRANSPORT_FAULTS

    def __str__(self) -> str:
        text = self.name + (f"@{self.page}" if self.page is not None else "")
        text += f":{self.count}" if self.count is not None else ""
        return text + "".join(f":{key}={format_option(value)}" for key, value in self.options)


def parse_fault(spec: str | FaultSpec) -> FaultSpec:
    """Parse one spec; raises ValueError naming what is wrong."""
    if isinstance(spec, FaultSpec):
        return spec
    text = str(spec).strip()
    match = _SPEC.fullmatch(text)
    if match is None:
        raise ValueError(f"bad simulator fault spec {text!r}: expected NAME[@PAGE][:COUNT][:KEY=VALUE...]")
    name = match["name"]
    if name not in KNOWN_FAULTS:
        raise ValueError(f"unknown simulator faults: {name} (known: {', '.join(sorted(KNOWN_FAULTS))})")
    page = int(match["page"]) if match["page"] is not None else None
    if page == 0:
        raise ValueError(f"bad simulator fault spec {text!r}: pages count from 1")
    count, options = None, {}
    for part in match["rest"].split(":")[1:]:
        if re.fullmatch(r"[0-9]+", part):
            if name not in TRANSPORT_FAULTS:
                raise ValueError(f"bad simulator fault spec {text!r}: a count only applies to "
                                 f"{', '.join(TRANSPORT_FAULTS)}; data faults are always on")
            if count is not None or int(part) < 1:
                raise ValueError(f"bad simulator fault spec {text!r}: give one count >= 1")
            count = int(part)
            continue
        key, equals, value = part.partition("=")
        if not equals or key not in OPTIONS[name]:
            known = ", ".join(OPTIONS[name]) or "none"
            raise ValueError(f"bad simulator fault spec {text!r}: unknown option {key!r} for {name} "
                             f"(options: {known}; a bare integer is a count)")
        options[key] = _option_value(text, key, value, OPTIONS[name][key])
    return FaultSpec(name, page, count, tuple(sorted(options.items())))


def parse_fault_list(text: str | None) -> tuple[FaultSpec, ...]:
    """Comma-separated specs, as in the header and the query parameter."""
    if not text:
        return ()
    return check_faults(part for part in text.split(",") if part.strip())


def check_faults(faults: Iterable[str | FaultSpec]) -> tuple[FaultSpec, ...]:
    """Parse specs (a typo fails loudly); duplicates are dropped, order kept."""
    parsed: dict[str, FaultSpec] = {}
    for fault in faults:
        spec = parse_fault(fault)
        parsed.setdefault(str(spec), spec)
    return tuple(parsed.values())


def _option_value(text: str, key: str, value: str, default: object) -> object:
    if default is None:
        if not value:
            raise ValueError(f"bad simulator fault spec {text!r}: option {key} needs a value")
        return value
    try:
        number = int(value) if isinstance(default, int) else float(value)
    except ValueError:
        kind = "an integer" if isinstance(default, int) else "a number"
        raise ValueError(f"bad simulator fault spec {text!r}: option {key} must be {kind}, got {value!r}") from None
    if not number >= _MINIMUM[key] or (key == "status" and number > 599):
        raise ValueError(f"bad simulator fault spec {text!r}: option {key} out of range, got {value!r}")
    return number


def format_option(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
