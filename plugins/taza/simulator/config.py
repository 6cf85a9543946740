"""The settings that fully determine what the simulator serves."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, kw_only=True)
class SimulatorConfig:
    """Same config => byte-identical responses.

    ``seed`` varies the split below the national level (regions, districts, months),
    never the calibrated national totals. ``scale`` multiplies the number of districts
    per region, i.e. the number of records, not the totals. ``today`` decides how much
    history exists: data is served up to the last complete month before it.
    """

    seed: int = 42
    scale: float = 1.0
    api_key: str
    today: date = field(default_factory=date.today)

    def __post_init__(self) -> None:
        if not self.scale > 0:
            raise ValueError(f"scale must be positive, got {self.scale!r}")
        if not self.api_key:
            raise ValueError("api_key must not be empty")

    @property
    def last_complete_month(self) -> str:
        """'YYYY-MM' of the month before ``today``'s month."""
        year, month = (self.today.year, self.today.month - 1) if self.today.month > 1 else (self.today.year - 1, 12)
        return f"{year:04d}-{month:02d}"

    @property
    def last_complete_year(self) -> int:
        """Annual data exists for whole years only: the year before ``today``'s."""
        return self.today.year - 1
