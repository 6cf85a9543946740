"""The figures the simulated planting reports are calibrated to.

(O) official figures from the brief (DOMAIN.md, forestry_observations.csv); (E)
estimates chosen for the simulator. National totals per programme and year are exact:
the regional and district breakdowns are allocated so that they add up to them.
"""
from __future__ import annotations

from dataclasses import dataclass

FIRST_YEAR = 2021

# State forest fund seedlings per year. (O): 2021 138 M; cumulative 2021-23 839.5 M,
# 2021-24 1.15 bn, 2021-25 1.5 bn; 2026 plan 208 M. (E): the 2022/2023 split of 701.5 M
# (2022 plan 278.8 M, slightly exceeded), and 2027-2029 (2027 closes the 2 bn target).
SFF_TREES = {
    2021: 138_000_000,
    2022: 281_500_000,
    2023: 420_000_000,
    2024: 310_500_000,
    2025: 350_000_000,
    2026: 208_000_000,
    2027: 292_000_000,
    2028: 200_000_000,
    2029: 200_000_000,
}
# (O) 2021 planting area; other years follow from the regional planting densities.
SFF_AREA_HA = {2021: 66_000}

# Urban planting in settlements. (O) cumulative 10.3 M 2021-23, 14.3 M 2021-24,
# 18.1 M 2021-25; (E) the 2021-2023 split and the years after 2025.
SETTLEMENT_TREES = {
    2021: 3_000_000,
    2022: 3_400_000,
    2023: 3_900_000,
    2024: 4_000_000,
    2025: 3_800_000,
    2026: 3_600_000,
    2027: 3_500_000,
    2028: 3_500_000,
    2029: 3_500_000,
}

# Trees planted by the Taza Kazakhstan campaign. (O) 2024 about 1.6 M, and 2024 plus
# the first half of 2025 above 2.4 M; (E) the other years (no campaign before 2023).
CAMPAIGN_TREES = {
    2021: 0,
    2022: 0,
    2023: 900_000,
    2024: 1_600_000,
    2025: 2_100_000,
    2026: 2_300_000,
    2027: 2_500_000,
    2028: 2_500_000,
    2029: 2_500_000,
}

# Programme name -> (report id code, trees per year).
PROGRAMMES = {
    "state_forest_fund": ("SFF", SFF_TREES),
    "settlements": ("SET", SETTLEMENT_TREES),
    "taza_campaign": ("TZC", CAMPAIGN_TREES),
}


def annual_trees(programme: str, year: int) -> int:
    """Trees for ``programme`` in ``year``; years past the table repeat its last year."""
    table = PROGRAMMES[programme][1]
    return table[min(year, max(table))]


@dataclass(frozen=True)
class ForestProfile:
    """A region's state-forest-fund planting: relative share and seedlings per hectare."""

    weight: float
    density_per_ha: int


# (E) guided by the regional observations: the Aral seabed saxaul regions lead (low
# density), then the northern forest-steppe (Akmola 22.2 M and Abai 17.8 M in spring
# 2022 at about 3,800/ha); cities plant little forest-fund stock.
FOREST_PROFILES = {
    "100000000": ForestProfile(9.0, 3_600),  # Abai
    "110000000": ForestProfile(12.0, 3_600),  # Akmola
    "150000000": ForestProfile(3.0, 2_000),  # Aktobe (2022 spring: 5.54 M on 2,737 ha)
    "190000000": ForestProfile(1.0, 3_000),  # Almaty Region
    "230000000": ForestProfile(0.8, 2_400),  # Atyrau (2022 spring: 0.96 M on 403 ha)
    "270000000": ForestProfile(3.0, 3_600),  # West Kazakhstan
    "310000000": ForestProfile(8.0, 1_900),  # Jambyl (2026 plan: 16 M on 8,900 ha)
    "330000000": ForestProfile(3.0, 2_800),  # Jetisu
    "350000000": ForestProfile(4.0, 3_000),  # Karaganda
    "390000000": ForestProfile(5.0, 3_500),  # Kostanay
    "430000000": ForestProfile(25.0, 1_400),  # Kyzylorda: Aral seabed saxaul
    "470000000": ForestProfile(1.5, 1_500),  # Mangystau
    "550000000": ForestProfile(4.0, 3_200),  # Pavlodar
    "590000000": ForestProfile(3.0, 3_600),  # North Kazakhstan
    "610000000": ForestProfile(10.0, 1_500),  # Turkistan (2021-23: 78 M on 51.6 k ha)
    "620000000": ForestProfile(1.5, 2_500),  # Ulytau
    "630000000": ForestProfile(5.0, 3_500),  # East Kazakhstan
    "710000000": ForestProfile(1.5, 2_500),  # Astana green belt
    "750000000": ForestProfile(0.4, 2_000),  # Almaty
    "790000000": ForestProfile(0.4, 2_000),  # Shymkent
}


@dataclass(frozen=True)
class RegionalFigure:
    trees: int
    area_ha: int


# Region-years pinned to observed figures (O), state forest fund only. Turkistan's
# 2021-23 total (78 M on 51.6 k ha) is split over the years (E); Jambyl 2026 and West
# Kazakhstan 2025 are plans, taken as done.
FOREST_ANCHORS = {
    ("270000000", 2021): RegionalFigure(3_500_000, 900),
    ("270000000", 2022): RegionalFigure(7_100_000, 1_943),
    ("270000000", 2023): RegionalFigure(11_900_000, 3_220),
    ("270000000", 2024): RegionalFigure(8_200_000, 2_087),
    ("270000000", 2025): RegionalFigure(8_260_000, 2_220),
    ("590000000", 2021): RegionalFigure(3_500_000, 869),
    ("610000000", 2021): RegionalFigure(18_000_000, 11_900),
    ("610000000", 2022): RegionalFigure(25_000_000, 16_550),
    ("610000000", 2023): RegionalFigure(35_000_000, 23_150),
    ("310000000", 2026): RegionalFigure(16_000_000, 8_900),
}

# (E) Street and park planting uses larger stock, spaced wider than forest seedlings.
URBAN_DENSITY_PER_HA = 1_200

# (E) Urban and campaign planting follows people: population, cities weighted up.
CITY_WEIGHT = {"settlements": 2.5, "taza_campaign": 1.5}

# (E) Percent of a year's planting per month: spring about 60 % (March in the south,
# April-May in the north), autumn about 40 % (September-November).
SEASON_PERCENT = {
    "south": {3: 35, 4: 20, 5: 5, 9: 5, 10: 20, 11: 15},
    "central": {3: 10, 4: 30, 5: 20, 9: 10, 10: 20, 11: 10},
    "north": {4: 25, 5: 35, 9: 15, 10: 20, 11: 5},
}
