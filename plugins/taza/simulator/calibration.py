"""The figures the simulated sources are calibrated to.

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


def yearly(table: dict, year: int):
    """``table``'s figure for ``year``; years past the table repeat its last year."""
    return table[min(year, max(table))]


# --- Taza Kazakhstan campaign reports -----------------------------------------------


@dataclass(frozen=True)
class CampaignFigures:
    """National campaign totals of a year; field names are the report fields."""

    events: int
    participants: int
    volunteers: int
    waste_collected_t: int
    area_cleaned_ha: int
    dumps_eliminated: int


# (O) 2024: 183 events, 6.2 M participants, 229 k volunteers, 1.1 M t of waste. (E) the
# first campaign year 2023 (smaller), the whole of 2025 (its first half is official, see
# below), the years after 2025, and every year's cleaned area and eliminated dumps.
CAMPAIGN_YEARS = {
    2023: CampaignFigures(120, 3_500_000, 150_000, 700_000, 40_000, 1_500),
    2024: CampaignFigures(183, 6_200_000, 229_000, 1_100_000, 60_000, 2_100),
    2025: CampaignFigures(900, 6_400_000, 339_000, 814_000, 58_000, 1_800),
    2026: CampaignFigures(650, 6_500_000, 320_000, 850_000, 60_000, 1_600),
}
CAMPAIGN_FIRST_YEAR = min(CAMPAIGN_YEARS)

# (O) 2024 plus January-June 2025: 874 events, 1.414 M t of waste, about 9 M participants,
# 448 k volunteers; January-June 2025 is that minus 2024. Pinned per half year.
CAMPAIGN_FIRST_HALF = {
    2025: {"events": 691, "participants": 2_800_000, "volunteers": 219_000, "waste_collected_t": 314_000},
}

# (E) Relative campaign activity per month: clean-ups peak in April-May (ecological
# month) and September (World Cleanup Day); nothing from December to February.
CAMPAIGN_MONTH_WEIGHT = {3: 4, 4: 22, 5: 20, 6: 6, 7: 4, 8: 4, 9: 24, 10: 11, 11: 5}


# --- Regional annual indicators -------------------------------------------------------

# (E) Municipal solid waste generated, tonnes: more than 4.5 M t a year (O), about 220 kg
# per person at 20.5 M people, within the 205-225 kg range.
MSW_GENERATED_T = {
    2021: 4_440_000, 2022: 4_480_000, 2023: 4_520_000, 2024: 4_560_000, 2025: 4_600_000, 2026: 4_640_000,
}
# Share of MSW processed. (O) 2022-2025; (E) 2021, and 2026 on towards the 38 % target of 2029.
MSW_PROCESSED_SHARE = {
    2021: 0.211, 2022: 0.254, 2023: 0.239, 2024: 0.258, 2025: 0.286,
    2026: 0.310, 2027: 0.333, 2028: 0.356, 2029: 0.380,
}
# (E) Waste per person: urban x1.3, rural x0.6 of the base rate.
MSW_URBAN_FACTOR = 1.3
MSW_RURAL_FACTOR = 0.6
# (E) Urban share of each region's population (cities of republican significance are
# all urban); about 13.0 M of 20.5 M people are urban nationally (O).
URBAN_SHARE = {
    "100000000": 0.55, "110000000": 0.55, "150000000": 0.63, "190000000": 0.35, "230000000": 0.52,
    "270000000": 0.52, "310000000": 0.45, "330000000": 0.42, "350000000": 0.85, "390000000": 0.56,
    "430000000": 0.45, "470000000": 0.55, "550000000": 0.72, "590000000": 0.45, "610000000": 0.25,
    "620000000": 0.80, "630000000": 0.64, "710000000": 1.0, "750000000": 1.0, "790000000": 1.0,
}

# (E) Pupils, about 17 % of the population.
PUPILS_TOTAL = {
    2021: 3_350_000, 2022: 3_420_000, 2023: 3_480_000, 2024: 3_540_000, 2025: 3_600_000, 2026: 3_650_000,
}
# Share of pupils in environmental-education events. (O) 15 % in 2024, target 40 % in
# 2029; (E) the other years. After 2024 the estimates deliberately leave the target's
# straight path (slower at first, short of 40 % in 2029): a simulated actual equal to the
# interpolated target would make every status on_track by construction.
ECO_EDUCATION_SHARE = {
    2021: 0.08, 2022: 0.10, 2023: 0.12, 2024: 0.15, 2025: 0.185, 2026: 0.23, 2027: 0.28, 2028: 0.33, 2029: 0.38,
}
# Citizens satisfied with the environmental quality of life, population-weighted mean.
# (O) 55.8 % in 2024, target 64.7 % in 2029; (E) the other years, off the target's path
# for the same reason.
SATISFACTION_SHARE = {
    2021: 0.520, 2022: 0.530, 2023: 0.545, 2024: 0.558, 2025: 0.569, 2026: 0.583, 2027: 0.598, 2028: 0.613,
    2029: 0.628,
}


# --- Space monitoring of illegal dumps ------------------------------------------------

# Dumps detected per year (March-September). (O) 2022-2025; (E) 2021 and from 2026 on,
# falling 10-20 % a year.
DUMP_DETECTIONS = {
    2021: 6_600, 2022: 5_738, 2023: 5_552, 2024: 4_800, 2025: 3_827, 2026: 3_300, 2027: 2_900, 2028: 2_550,
    2029: 2_250,
}
# Of those, eliminated. (O) 2024 93 % (4,464), 2025 3,464; (E) 85-90 % in the other years.
DUMPS_ELIMINATED = {
    2021: 5_610, 2022: 5_049, 2023: 4_997, 2024: 4_464, 2025: 3_464, 2026: 2_970, 2027: 2_610, 2028: 2_295,
    2029: 2_025,
}
# (O) 2023 by region: Akmola 800, Kostanay 458, Turkistan 418.
DUMP_ANCHORS = {("110000000", 2023): 800, ("390000000", 2023): 458, ("610000000", 2023): 418}
# (E) Relative dumps per region, shaped as 2023 (the anchors, and the other 3,876 of that
# year split by population, territory and monitoring coverage).
DUMP_WEIGHTS = {
    "100000000": 260, "110000000": 800, "150000000": 300, "190000000": 330, "230000000": 180,
    "270000000": 220, "310000000": 260, "330000000": 200, "350000000": 380, "390000000": 458,
    "430000000": 170, "470000000": 210, "550000000": 250, "590000000": 240, "610000000": 418,
    "620000000": 90, "630000000": 240, "710000000": 150, "750000000": 126, "790000000": 270,
}
# (E) Detections per month: the snow melt uncovers most dumps in spring.
DUMP_MONTH_WEIGHT = {3: 8, 4: 20, 5: 20, 6: 16, 7: 13, 8: 12, 9: 11}


# --- Nurseries --------------------------------------------------------------------------

# (O) 251 forest nurseries on 3,178 ha (2025); scale multiplies both.
NURSERIES = 251
NURSERY_AREA_HA = 3_178
# (E) Output per hectare and year.
NURSERY_OUTPUT_PER_HA = (60_000, 90_000)
# (O) Six closed-root seedling complexes from 2026, about 6 M seedlings a year each. (E)
# where: the regions short of seedlings (O: Kostanay, North Kazakhstan, Pavlodar, Akmola),
# then Abai and East Kazakhstan.
CLOSED_ROOT_FROM = 2026
CLOSED_ROOT_REGIONS = ("390000000", "590000000", "550000000", "110000000", "100000000", "630000000")
CLOSED_ROOT_OUTPUT = 6_000_000
# Seedlings held by the nurseries per season. (O) more than 280 M in 2025; (E) the other years.
SEEDLING_STOCK = {
    2021: 150_000_000, 2022: 190_000_000, 2023: 230_000_000, 2024: 260_000_000, 2025: 281_000_000,
    2026: 300_000_000,
}


@dataclass(frozen=True)
class SurvivalProfile:
    """A region's growing zone and mean year-1 survival of state-forest-fund planting."""

    zone: str  # 'forest_steppe', 'dry_steppe' or 'desert'
    year1_mean: float


# (E) Survival as Beta distributions by zone: northern forest-steppe 0.65-0.75, dry steppe
# 0.55-0.62, desert and Aral saxaul about 0.30 (O: lowest in Mangystau, Kyzylorda, Zhambyl).
SURVIVAL_PROFILES = {
    "100000000": SurvivalProfile("forest_steppe", 0.70),
    "110000000": SurvivalProfile("forest_steppe", 0.66),
    "150000000": SurvivalProfile("dry_steppe", 0.57),
    "190000000": SurvivalProfile("dry_steppe", 0.61),
    "230000000": SurvivalProfile("desert", 0.34),
    "270000000": SurvivalProfile("dry_steppe", 0.58),
    "310000000": SurvivalProfile("desert", 0.36),
    "330000000": SurvivalProfile("dry_steppe", 0.60),
    "350000000": SurvivalProfile("dry_steppe", 0.56),
    "390000000": SurvivalProfile("forest_steppe", 0.69),
    "430000000": SurvivalProfile("desert", 0.30),
    "470000000": SurvivalProfile("desert", 0.28),
    "550000000": SurvivalProfile("forest_steppe", 0.67),
    "590000000": SurvivalProfile("forest_steppe", 0.72),
    "610000000": SurvivalProfile("dry_steppe", 0.55),
    "620000000": SurvivalProfile("dry_steppe", 0.55),
    "630000000": SurvivalProfile("forest_steppe", 0.74),
    "710000000": SurvivalProfile("forest_steppe", 0.68),
    "750000000": SurvivalProfile("dry_steppe", 0.62),
    "790000000": SurvivalProfile("dry_steppe", 0.60),
}
# (E) Spread of site survival around the mean (Beta concentration a + b).
SURVIVAL_CONCENTRATION = 30
# (E) Year-3 survival lies 5-15 points below year 1; (O) at most 60 % in Akmola and Jetisu.
YEAR3_DROP = (0.05, 0.15)
YEAR3_CAP = {"110000000": 0.60, "330000000": 0.60}
# (E) Inspected sites per region and planting year (times scale), and the share of the
# region's state-forest-fund planting they hold.
SURVIVAL_SITES = 8
SURVIVAL_SAMPLE_SHARE = (0.05, 0.15)

# (E) Species grown per zone, the zone's staple first.
ZONE_SPECIES = {
    "forest_steppe": ("pine", "birch", "poplar", "elm", "maple", "larch"),
    "dry_steppe": ("elm", "poplar", "ash", "maple", "pine"),
    "desert": ("saxaul", "elm", "tamarisk", "poplar"),
}
