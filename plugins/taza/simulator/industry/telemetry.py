"""AMS emission telemetry: the high-volume feed, read incrementally with a cursor.

One reading per stack, pollutant and 20-minute slot, from the day the enterprise was
connected to the ministry's platform on. Nothing is stored: a reading is a pure
function of (series, slot) through a 64-bit mix (splitmix64), so any page is computed
in O(page) from its cursor however long the history, and counts are arithmetic. Pages
are formatted from a per-series string template and returned pre-encoded (RawJson):
building dicts and json.dumps would cost several times more. A page computes a slot's
readings for all its series at once with numpy (uint64 arithmetic wraps like the 64-bit
mix; float64 operations in the same order give the same values); ``_scan``, one reading
at a time, is the reference that ``telemetry_readings`` and ``telemetry_sums`` use.

Order is (reading_at, stack_id, pollutant); the cursor encodes the position (slot,
series index) of the first reading of the next page.

Completeness: a slot is never missing. An analyser that does not measure still
reports, with status 'maintenance' (one hour a week of calibration per stack, value 0)
or 'fault' (about 0.1 % of readings, value unreliable); completeness is the share of
'ok' readings among the expected slots. About 0.3 % of 'ok' readings exceed the limit.
"""
from __future__ import annotations

import base64
import binascii
import math
import re
import time
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

import numpy as np

from taza.simulator.config import SimulatorConfig
from taza.simulator.dataset import SimulatedDataset
from taza.simulator.industry.calibration import (
    AMS_DAILY_AMPLITUDE,
    AMS_EXCEEDANCE_SHARE,
    AMS_FAULT_SHARE,
    AMS_FLOW_M3_H,
    AMS_LEVEL_OF_LIMIT,
    AMS_LIMIT_FACTORS,
    AMS_LIMITS_MG_M3,
    AMS_MAINTENANCE_SLOTS_PER_WEEK,
    AMS_MONTH_FACTOR,
    AMS_POLLUTANTS,
    AMS_READING_NOISE,
    AMS_READING_SECONDS,
)
from taza.simulator.industry.enterprises import enterprise_list
from taza.simulator.routing import ApiError, ApiRequest, RawJson, int_param
from taza.simulator.streams import stream

NAME = "telemetry"
DEFAULT_LIMIT = 5_000
MAX_LIMIT = 20_000

SLOT_US = AMS_READING_SECONDS * 1_000_000
SLOTS_PER_DAY = 86_400 // AMS_READING_SECONDS
SLOTS_PER_WEEK = 7 * SLOTS_PER_DAY
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)
_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_EXCEEDANCE_BELOW = round(AMS_EXCEEDANCE_SHARE * 65_536)
_FAULT_BELOW = _EXCEEDANCE_BELOW + round(AMS_FAULT_SHARE * 65_536)
_CURSOR = re.compile(r"(\d+)\.(\d+)")
# Local time is UTC+5: the daily cycle peaks at 15:00 local, 10:00 UTC.
_DAILY = tuple(1 + AMS_DAILY_AMPLITUDE * math.cos(2 * math.pi * (s / SLOTS_PER_DAY - 10 / 24))
               for s in range(SLOTS_PER_DAY))


@dataclass(frozen=True)
class _Series:
    """One stack and pollutant. ``level`` is the typical value in hundredths of mg/m3."""

    stack_id: str
    pollutant: str
    bin: str
    start: int  # first slot: the enterprise's connection day, 00:00 UTC
    key: int  # 64-bit key mixed with the slot number
    level: float
    limit: int  # mg/m3
    flow: float  # m3/h
    phase: int  # offset of the weekly calibration hour
    template: str  # the reading's JSON, placeholders: epoch, reading_at, value (int, cents), flow, status
    index: int = 0  # position in the feed's series


@dataclass(frozen=True, eq=False)
class _Columns:
    """The series running in one segment (between two connection days), as arrays."""

    index: np.ndarray  # feed index of each series
    key: np.ndarray  # uint64
    level: np.ndarray
    limit: np.ndarray  # float64 of the int limit
    flow: np.ndarray
    phase: np.ndarray  # int64
    template: tuple[str, ...]


@dataclass(frozen=True)
class _Feed:
    series: tuple[_Series, ...]  # in feed order within a slot: (stack_id, pollutant)
    starts: tuple[int, ...]  # distinct first slots, ascending
    active: tuple[tuple[int, ...], ...]  # per start: indices of the series running from then
    columns: tuple[_Columns, ...] = ()  # per start: the active series as arrays


@dataclass(frozen=True)
class _Window:
    since: datetime
    until: datetime
    first: int  # first slot after since
    end: int  # first slot at or after until


def telemetry_count(config: SimulatorConfig, since: str | datetime, until: str | datetime | None = None) -> int:
    """Readings in (since, until), computed without generating them."""
    window = _window(config, _instant(since), None if until is None else _instant(until))
    return sum(max(0, window.end - max(window.first, s.start)) for s in _feed(config.seed, config.scale).series)


def telemetry_readings(config: SimulatorConfig, since: str | datetime,
                       until: str | datetime | None = None) -> list[dict]:
    """Every reading in (since, until) as dicts, in feed order: small windows only."""
    feed = _feed(config.seed, config.scale)
    window = _window(config, _instant(since), None if until is None else _instant(until))
    return [
        {
            "reading_id": f"{s.stack_id}:{s.pollutant}:{epoch}",
            "bin": s.bin,
            "stack_id": s.stack_id,
            "pollutant": s.pollutant,
            "reading_at": reading_at,
            "value_mg_m3": value / 100,
            "limit_mg_m3": s.limit,
            "flow_m3_h": flow,
            "status": status,
        }
        for s, epoch, reading_at, value, flow, status in _scan(feed, window.first, 0, window.end)
    ]


def telemetry_sums(config: SimulatorConfig, since: str | datetime,
                   until: str | datetime | None = None) -> dict[str, float]:
    """Sum of value_mg_m3 per pollutant over (since, until), exact to 0.01 (generates)."""
    feed = _feed(config.seed, config.scale)
    window = _window(config, _instant(since), None if until is None else _instant(until))
    cents = dict.fromkeys(AMS_POLLUTANTS, 0)
    for s, _, _, value, _, _ in _scan(feed, window.first, 0, window.end):
        cents[s.pollutant] += value
    return {pollutant: total / 100 for pollutant, total in cents.items()}


def _telemetry_route(request: ApiRequest) -> RawJson:
    since = _instant_param(request, "since")
    if since is None:
        raise ApiError(400, "query parameter since is required (ISO 8601 timestamp with offset)")
    until = _instant_param(request, "until")
    if until is not None and until <= since:
        raise ApiError(400, f"query parameter until ({until.isoformat()}) must be after since ({since.isoformat()})")
    limit = int_param(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    window = _window(request.config, since, until)
    slot, index = _cursor_param(request, window)
    readings, next_position = _page(_feed(request.config.seed, request.config.scale), slot, index, window.end, limit)
    next_cursor = "null" if next_position is None else f'"{_encode_cursor(*next_position)}"'
    return RawJson(
        f'{{"dataset":"{NAME}","since":"{_iso(window.since)}","until":"{_iso(window.until)}",'
        f'"limit":{limit},"data":[{readings}],"next_cursor":{next_cursor}}}'.encode()
    )


DATASET = SimulatedDataset(name=NAME, path="/industry/v1/telemetry", request="watermark",
                           generate=telemetry_readings, serve=_telemetry_route)


_STATUSES = ("ok", "fault", "maintenance")


def _page(feed: _Feed, slot: int, index: int, end: int, limit: int) -> tuple[str, tuple[int, int] | None]:
    """Up to ``limit`` readings from position (slot, index) as comma-joined JSON, and the
    position of the reading after them (None at the end of the window). Same readings as
    ``_scan``, computed a slot at a time."""
    parts: list[str] = []
    starts = feed.starts
    segment = bisect_right(starts, slot) - 1
    if segment < 0:  # nothing connected yet: jump to the first connection
        if not starts:
            return "", None
        slot, index, segment = starts[0], 0, 0
    while slot < end:
        segment_end = min(end, starts[segment + 1]) if segment + 1 < len(starts) else end
        columns = feed.columns[segment]
        skip = bisect_left(feed.active[segment], index)
        while slot < segment_end:
            room = limit - len(parts)
            if room == 0:
                return ",".join(parts), (slot, int(columns.index[skip]))
            take = slice(skip, skip + room)
            _format_slot(parts, columns, take, slot)
            if skip + room < len(columns.template):  # the page filled inside this slot
                return ",".join(parts), (slot, int(columns.index[skip + room]))
            skip = 0
            slot += 1
        segment += 1
        index = 0
    return ",".join(parts), None


def _format_slot(parts: list[str], c: _Columns, take: slice, slot: int) -> None:
    """Append the readings of slot ``slot`` of the series ``c[take]`` (see ``_scan``)."""
    epoch = slot * AMS_READING_SECONDS
    reading_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
    factor = AMS_MONTH_FACTOR[int(reading_at[5:7])] * _DAILY[slot % SLOTS_PER_DAY]
    z = c.key[take] + np.uint64((slot * _GOLDEN) & _MASK)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    noise = (z & np.uint64(0xFFFF)).astype(np.float64)
    event = ((z >> np.uint64(16)) & np.uint64(0xFFFF)).astype(np.int64)
    flow = c.flow[take] * factor * (0.95 + ((z >> np.uint64(32)) & np.uint64(0xFF)).astype(np.float64) / 2_560)
    maintenance = (slot + c.phase[take]) % SLOTS_PER_WEEK < AMS_MAINTENANCE_SLOTS_PER_WEEK
    exceeds = event < _EXCEEDANCE_BELOW
    value = np.where(
        maintenance, 0,
        np.where(exceeds, np.trunc(c.limit[take] * (101 + noise / 1_310.72)),
                 np.trunc(c.level[take] * factor * (1 - AMS_READING_NOISE + noise * AMS_READING_NOISE / 32_768))),
    ).astype(np.int64)
    status = np.where(maintenance, 2, np.where(~exceeds & (event < _FAULT_BELOW), 1, 0))
    parts.extend(
        template % (epoch, reading_at, whole, cents, f, _STATUSES[code])
        for template, whole, cents, f, code in zip(
            c.template[take], (value // 100).tolist(), (value % 100).tolist(),
            np.trunc(flow).astype(np.int64).tolist(), status.tolist())
    )


def _scan(feed: _Feed, slot: int, index: int, end: int) -> Iterator[tuple[_Series, int, str, int, int, str]]:
    """Readings in feed order from position (slot, series index) up to slot ``end``:
    (series, epoch seconds, reading_at, value in hundredths of mg/m3, flow, status)."""
    starts = feed.starts
    segment = bisect_right(starts, slot) - 1
    if segment < 0:  # nothing connected yet: jump to the first connection
        if not starts:
            return
        slot, index, segment = starts[0], 0, 0
    while slot < end:
        segment_end = min(end, starts[segment + 1]) if segment + 1 < len(starts) else end
        active = [feed.series[i] for i in feed.active[segment]]
        skip = bisect_left(feed.active[segment], index)
        while slot < segment_end:
            epoch = slot * AMS_READING_SECONDS
            reading_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
            factor = AMS_MONTH_FACTOR[int(reading_at[5:7])] * _DAILY[slot % SLOTS_PER_DAY]
            mixed_slot = slot * _GOLDEN
            for s in active[skip:] if skip else active:
                z = (mixed_slot + s.key) & _MASK
                z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
                z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
                z ^= z >> 31
                noise = z & 0xFFFF
                event = (z >> 16) & 0xFFFF
                flow = int(s.flow * factor * (0.95 + ((z >> 32) & 0xFF) / 2_560))  # +-5 %
                if (slot + s.phase) % SLOTS_PER_WEEK < AMS_MAINTENANCE_SLOTS_PER_WEEK:
                    yield s, epoch, reading_at, 0, flow, "maintenance"
                elif event < _EXCEEDANCE_BELOW:  # 1.01-1.51 x the limit, in hundredths
                    yield s, epoch, reading_at, int(s.limit * (101 + noise / 1_310.72)), flow, "ok"
                else:
                    value = int(s.level * factor * (1 - AMS_READING_NOISE + noise * AMS_READING_NOISE / 32_768))
                    yield s, epoch, reading_at, value, flow, "fault" if event < _FAULT_BELOW else "ok"
            skip = 0
            slot += 1
        segment += 1
        index = 0


@lru_cache(maxsize=8)
def _feed(seed: int, scale: float) -> _Feed:
    """Every series of the connected enterprises' stacks, at ``scale``."""
    series = []
    for e in enterprise_list(seed, scale):
        if e.connected_at is None:
            continue
        start = _slot_of_day(e.connected_at)
        for number in range(1, e.stack_count(scale) + 1):
            stack_id = f"{e.bin}-S{number:02d}"
            rng = stream(seed, "ams-stack", stack_id)
            flow = rng.uniform(*AMS_FLOW_M3_H)
            phase = rng.randrange(SLOTS_PER_WEEK)
            for pollutant in AMS_POLLUTANTS:
                limit = round(AMS_LIMITS_MG_M3[pollutant] * rng.choice(AMS_LIMIT_FACTORS))
                series.append(_Series(
                    stack_id=stack_id, pollutant=pollutant, bin=e.bin, start=start,
                    key=rng.getrandbits(64), level=limit * 100 * rng.uniform(*AMS_LEVEL_OF_LIMIT), limit=limit,
                    flow=flow, phase=phase, template=_template(e.bin, stack_id, pollutant, limit),
                ))
    series = [replace(s, index=i) for i, s in enumerate(sorted(series, key=lambda s: (s.stack_id, s.pollutant)))]
    starts = tuple(sorted({s.start for s in series}))
    active = tuple(tuple(i for i, s in enumerate(series) if s.start <= first) for first in starts)
    return _Feed(tuple(series), starts, active, tuple(_columns([series[i] for i in a]) for a in active))


def _columns(series: list[_Series]) -> _Columns:
    return _Columns(
        index=np.array([s.index for s in series], dtype=np.int64),
        key=np.array([s.key for s in series], dtype=np.uint64),
        level=np.array([s.level for s in series], dtype=np.float64),
        limit=np.array([s.limit for s in series], dtype=np.float64),
        flow=np.array([s.flow for s in series], dtype=np.float64),
        phase=np.array([s.phase for s in series], dtype=np.int64),
        template=tuple(s.template for s in series),
    )


def _template(bin_: str, stack_id: str, pollutant: str, limit: int) -> str:
    """The reading's JSON in the dataset's field order, constants baked in."""
    return (
        f'{{"reading_id":"{stack_id}:{pollutant}:%d","bin":"{bin_}","stack_id":"{stack_id}",'
        f'"pollutant":"{pollutant}","reading_at":"%s","value_mg_m3":%d.%02d,"limit_mg_m3":{limit},'
        f'"flow_m3_h":%d,"status":"%s"}}'
    )


def _slot_of_day(day: date) -> int:
    return (day - _EPOCH.date()).days * SLOTS_PER_DAY


def _feed_end(config: SimulatorConfig) -> datetime:
    """Readings exist up to the end of the last complete month."""
    return datetime(config.today.year, config.today.month, 1, tzinfo=timezone.utc)


def _window(config: SimulatorConfig, since: datetime, until: datetime | None) -> _Window:
    """(since, until) with until defaulting to, and capped at, the end of the feed."""
    end_of_feed = _feed_end(config)
    until = end_of_feed if until is None else min(until, end_of_feed)
    since_us = (since - _EPOCH) // _MICROSECOND
    until_us = (until - _EPOCH) // _MICROSECOND
    return _Window(since, until, since_us // SLOT_US + 1, -(-until_us // SLOT_US))


def _instant(value: str | datetime) -> datetime:
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"timestamp {value!r} has no UTC offset")
    return parsed


def _instant_param(request: ApiRequest, name: str) -> datetime | None:
    value = request.params.get(name)
    if value is None:
        return None
    try:
        return _instant(value)
    except ValueError:
        raise ApiError(400, f"query parameter {name} must be an ISO 8601 timestamp with offset "
                            f"(e.g. 2024-01-01T00:00:00Z), got {value!r}") from None


def _cursor_param(request: ApiRequest, window: _Window) -> tuple[int, int]:
    """The position a cursor encodes; no cursor: the window's first slot."""
    value = request.params.get("cursor")
    if value is None:
        return window.first, 0
    try:
        match = _CURSOR.fullmatch(base64.urlsafe_b64decode(value.encode() + b"=" * (-len(value) % 4)).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError):
        match = None
    if match is None:
        raise ApiError(400, f"query parameter cursor is not a cursor of this feed: {value!r}")
    slot, index = int(match[1]), int(match[2])
    if not window.first <= slot < window.end:
        raise ApiError(400, "query parameter cursor lies outside the since/until window")
    return slot, index


def _encode_cursor(slot: int, index: int) -> str:
    return base64.urlsafe_b64encode(f"{slot}.{index}".encode()).decode().rstrip("=")


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
