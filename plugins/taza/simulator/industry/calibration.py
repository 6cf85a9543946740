"""The figures the simulated industry API is calibrated to.

(O) official figures from the brief (DOMAIN.md, emissions_stationary_2022_kt.csv,
sources-notes.md); (E) estimates chosen for the simulator. Enterprise names are real
companies and plants; every number attached to them is simulated.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

SECTORS = (
    "metallurgy", "energy", "oil_gas", "mining", "chemicals", "cement", "utilities",
    "construction_materials", "food_processing", "machinery",
)

# --- automated emission monitoring (AMS) ---------------------------------------------

# (O) Mandatory since 1 Jan 2023 for category I sources; status about 2025: 91 obliged,
# 62 installed, 34 of them connected to the ministry's platform (28 connecting), 12
# installing by year end, 17 deferred to 2026-2029: 12 utilities and 5 energy companies.
AMS_MANDATORY_FROM = date(2023, 1, 1)
AMS_INSTALLED = 62
AMS_CONNECTED = 34
AMS_DEFERRED = {"utilities": 12, "energy": 5}
AMS_DEFERRED_YEARS = (2026, 2029)
# (E) Installation dates, and the lag from installation to the platform connection.
AMS_INSTALLED_BETWEEN = (date(2022, 3, 1), date(2025, 6, 30))
AMS_CONNECTION_LAG_DAYS = (20, 300)
AMS_CONNECTED_BETWEEN = (date(2023, 1, 9), date(2025, 9, 30))


@dataclass(frozen=True)
class ObligedSite:
    """A category I enterprise obliged to run AMS. ``size`` (1-10) weighs its share of
    the region's emissions and its number of monitored stacks."""

    name: str
    holding: str | None
    region_kato: str
    sector: str
    size: int


# (O) the enterprise names and holdings; (E) region placement where a plant spans
# borders, sector and size.
OBLIGED_SITES = (
    ObligedSite("Aksu Ferroalloy Plant", "ERG", "550000000", "metallurgy", 9),
    ObligedSite("Aluminium of Kazakhstan", "ERG", "550000000", "metallurgy", 8),
    ObligedSite("Kazakhstan Electrolysis Plant", "ERG", "550000000", "metallurgy", 6),
    ObligedSite("Eurasian Energy Corporation", "ERG", "550000000", "energy", 10),
    ObligedSite("Vostochny Coal Mine", "ERG", "550000000", "mining", 3),
    ObligedSite("Aktobe Ferroalloy Plant", "ERG", "150000000", "metallurgy", 8),
    ObligedSite("Donskoy Ore Mining and Processing Plant", "ERG", "150000000", "mining", 4),
    ObligedSite("Sokolov-Sarybai Mining Production Association", "ERG", "390000000", "mining", 8),
    ObligedSite("Shubarkol Komir", "ERG", "620000000", "mining", 4),
    ObligedSite("Qarmet Temirtau Steel Works", "Qarmet", "350000000", "metallurgy", 10),
    ObligedSite("Qarmet Coal Division", "Qarmet", "350000000", "mining", 5),
    ObligedSite("Qarmet Temirtau CHP", "Qarmet", "350000000", "energy", 6),
    ObligedSite("Solidcore Varvarinskoye", "Solidcore Resources", "390000000", "mining", 3),
    ObligedSite("Solidcore Kyzyl Mine", "Solidcore Resources", "100000000", "mining", 3),
    ObligedSite("Kazzinc Ust-Kamenogorsk Metallurgical Complex", "Kazzinc", "630000000", "metallurgy", 9),
    ObligedSite("Kazzinc Ridder Metallurgical Complex", "Kazzinc", "630000000", "metallurgy", 6),
    ObligedSite("Kazzinc Ridder CHP", "Kazzinc", "630000000", "energy", 4),
    ObligedSite("Kazzinc Zhairem Mining and Processing Plant", "Kazzinc", "620000000", "mining", 4),
    ObligedSite("Kazakhmys Balkhash Copper Smelter", "Kazakhmys", "350000000", "metallurgy", 9),
    ObligedSite("Kazakhmys Zhezkazgan Copper Smelter", "Kazakhmys", "620000000", "metallurgy", 9),
    ObligedSite("Kazakhmys Energy Balkhash CHP", "Kazakhmys", "350000000", "energy", 5),
    ObligedSite("Kazakhmys Energy Zhezkazgan CHP", "Kazakhmys", "620000000", "energy", 6),
    ObligedSite("Kazakhmys Energy Karaganda GRES-2", "Kazakhmys", "350000000", "energy", 7),
    ObligedSite("Kazakhmys Coal Borly", "Kazakhmys", "350000000", "mining", 3),
    ObligedSite("Ekibastuz GRES-1", "Samruk-Energy", "550000000", "energy", 10),
    ObligedSite("Ekibastuz GRES-2 Station", "Samruk-Energy", "550000000", "energy", 8),
    ObligedSite("Bogatyr Komir", "Samruk-Energy", "550000000", "mining", 5),
    ObligedSite("Almaty CHP-2", "Samruk-Energy", "750000000", "energy", 8),
    ObligedSite("Almaty CHP-3", "Samruk-Energy", "190000000", "energy", 6),
    ObligedSite("Almaty CHP-1", "Samruk-Energy", "750000000", "utilities", 4),
    ObligedSite("Pavlodar CHP-2", None, "550000000", "utilities", 5),
    ObligedSite("Pavlodar CHP-3", None, "550000000", "utilities", 6),
    ObligedSite("Ekibastuz CHP", None, "550000000", "utilities", 4),
    ObligedSite("Pavlodar Oil Chemical Refinery", "KazMunayGas", "550000000", "oil_gas", 6),
    ObligedSite("Karaganda CHP-3", None, "350000000", "utilities", 6),
    ObligedSite("Karaganda CHP-1", None, "350000000", "utilities", 3),
    ObligedSite("Central Asia Cement", None, "350000000", "cement", 4),
    ObligedSite("Temirtau Electrometallurgical Plant", None, "350000000", "metallurgy", 5),
    ObligedSite("Temirtau Chemical-Metallurgical Plant", None, "350000000", "chemicals", 3),
    ObligedSite("Astana CHP-1", "Astana-Energy", "710000000", "utilities", 5),
    ObligedSite("Astana CHP-2", "Astana-Energy", "710000000", "utilities", 8),
    ObligedSite("Shymkent CHP-3", None, "790000000", "utilities", 5),
    ObligedSite("PetroKazakhstan Oil Products", None, "790000000", "oil_gas", 6),
    ObligedSite("Shymkentcement", None, "790000000", "cement", 4),
    ObligedSite("Atyrau Refinery", "KazMunayGas", "230000000", "oil_gas", 7),
    ObligedSite("Tengizchevroil", None, "230000000", "oil_gas", 10),
    ObligedSite("North Caspian Operating Company", None, "230000000", "oil_gas", 7),
    ObligedSite("Kazakhstan Petrochemical Industries", None, "230000000", "chemicals", 3),
    ObligedSite("Embamunaigas", "KazMunayGas", "230000000", "oil_gas", 4),
    ObligedSite("Atyrau CHP", None, "230000000", "utilities", 4),
    ObligedSite("Mangistau Atomic Energy Complex", None, "470000000", "energy", 8),
    ObligedSite("Ozenmunaigas", "KazMunayGas", "470000000", "oil_gas", 6),
    ObligedSite("Mangistaumunaigaz", None, "470000000", "oil_gas", 5),
    ObligedSite("Karazhanbasmunai", "KazMunayGas", "470000000", "oil_gas", 4),
    ObligedSite("Zhanaozen Gas Processing Plant", "KazMunayGas", "470000000", "oil_gas", 3),
    ObligedSite("KazAzot", None, "470000000", "chemicals", 3),
    ObligedSite("Karachaganak Petroleum Operating", None, "270000000", "oil_gas", 8),
    ObligedSite("Zhaikmunai", None, "270000000", "oil_gas", 4),
    ObligedSite("Condensate JSC", None, "270000000", "oil_gas", 3),
    ObligedSite("Oral Gas Turbine Power Plant", None, "270000000", "utilities", 3),
    ObligedSite("CNPC-Aktobemunaigas", None, "150000000", "oil_gas", 6),
    ObligedSite("Aktobe CHP", None, "150000000", "utilities", 4),
    ObligedSite("Aktobe Chromium Compounds Plant", None, "150000000", "chemicals", 3),
    ObligedSite("Aktobe Copper Company", None, "150000000", "mining", 3),
    ObligedSite("PetroKazakhstan Kumkol Resources", None, "430000000", "oil_gas", 6),
    ObligedSite("Turgai Petroleum", None, "430000000", "oil_gas", 3),
    ObligedSite("Kyzylorda CHP-6", None, "430000000", "utilities", 3),
    ObligedSite("Kazphosphate Novodzhambul Phosphorus Plant", "Kazphosphate", "310000000", "chemicals", 7),
    ObligedSite("Kazphosphate Karatau Mining Complex", "Kazphosphate", "310000000", "mining", 3),
    ObligedSite("Zhambyl GRES", None, "310000000", "energy", 5),
    ObligedSite("Taraz CHP", None, "310000000", "utilities", 3),
    ObligedSite("Standard Cement", None, "610000000", "cement", 4),
    ObligedSite("Turkistan CHP", None, "610000000", "utilities", 3),
    ObligedSite("Rudny CHP", None, "390000000", "utilities", 4),
    ObligedSite("Kostanay CHP", None, "390000000", "utilities", 3),
    ObligedSite("Kostanay Minerals", None, "390000000", "mining", 3),
    ObligedSite("Petropavl CHP-2", None, "590000000", "utilities", 6),
    ObligedSite("Kokshetau CHP", None, "110000000", "utilities", 4),
    ObligedSite("Stepnogorsk CHP", None, "110000000", "utilities", 4),
    ObligedSite("Kazakhaltyn Mining-Metallurgical Concern", None, "110000000", "mining", 3),
    ObligedSite("RG Gold", None, "110000000", "mining", 3),
    ObligedSite("Semey CHP-1", None, "100000000", "utilities", 4),
    ObligedSite("Semey CHP-2", None, "100000000", "utilities", 3),
    ObligedSite("Semey Cement Plant", None, "100000000", "cement", 3),
    ObligedSite("Ust-Kamenogorsk CHP", None, "630000000", "utilities", 5),
    ObligedSite("Sogrinskaya CHP", None, "630000000", "utilities", 4),
    ObligedSite("Ulba Metallurgical Plant", "Kazatomprom", "630000000", "metallurgy", 3),
    ObligedSite("Ust-Kamenogorsk Titanium-Magnesium Plant", None, "630000000", "metallurgy", 5),
    ObligedSite("Taldykorgan CHP", None, "330000000", "utilities", 3),
    ObligedSite("Koksu Cement Plant", None, "330000000", "cement", 3),
    ObligedSite("Konaev Heat Supply", None, "190000000", "utilities", 3),
)


@dataclass(frozen=True)
class PinnedAms:
    installed_at: date
    connected_at: date
    stacks: int


# (O) Kazzinc runs AMS stations at 7 sources in Ust-Kamenogorsk, public online since Q3
# 2023; (E) the exact dates.
PINNED_AMS = {
    "Kazzinc Ust-Kamenogorsk Metallurgical Complex": PinnedAms(date(2023, 7, 17), date(2023, 9, 1), 7),
}

# (E) Enterprises outside the AMS obligation at scale 1 (the scale multiplies them).
NON_OBLIGED_PER_SCALE = 250
# (E) Their sectors, with relative frequency, and the noun used in their names.
NON_OBLIGED_SECTORS = {
    "construction_materials": (5, "Brick Works"),
    "food_processing": (5, "Food Processing Plant"),
    "machinery": (3, "Machine Works"),
    "utilities": (4, "Boiler House"),
    "mining": (3, "Quarry"),
    "oil_gas": (2, "Oil Field Services"),
    "chemicals": (1, "Chemical Plant"),
    "metallurgy": (1, "Foundry"),
}
# (E) Hazard categories II-IV of the Ecological Code for the non-obliged (I is obliged).
NON_OBLIGED_HAZARD_WEIGHTS = {2: 2, 3: 5, 4: 3}
# (E) Emissions of a non-obliged enterprise stay below the 500 t/yr threshold, and all
# of them together take at most this share of their region's stationary emissions.
NON_OBLIGED_TONNES = (20, 450)
NON_OBLIGED_MAX_SHARE = 0.25

# --- stationary-source emissions --------------------------------------------------------

# (O) Stationary-source emissions 2022 by region, thousand tonnes (BNS). Their sum,
# 2,314.78 kt, is the national 2022 total (published rounded: 2,314.8).
EMISSIONS_2022_KT = {
    "100000000": 39.0, "110000000": 69.5, "150000000": 136.5, "190000000": 28.8,
    "230000000": 132.1, "270000000": 25.8, "310000000": 52.9, "330000000": 13.08,
    "350000000": 469.0, "390000000": 121.4, "430000000": 23.4, "470000000": 78.7,
    "550000000": 724.2, "590000000": 52.7, "610000000": 25.2, "620000000": 105.0,
    "630000000": 83.3, "710000000": 57.7, "750000000": 41.5, "790000000": 35.0,
}
# (O) National totals of other years, thousand tonnes.
EMISSIONS_NATIONAL_KT = {2021: 2_407.5}
EMISSIONS_FIRST_YEAR = 2021
# (E) After 2022 national emissions fall by these fractions a year (the regulatory
# plan is -7.2 % for the largest emitters 2022-2025), then by the default.
EMISSIONS_DECLINE = {2023: 0.020, 2024: 0.030, 2025: 0.025}
EMISSIONS_DEFAULT_DECLINE = 0.025
# (E) A region's share of the national total moves +-5 % around its 2022 share.
EMISSIONS_REGIONAL_JITTER = 0.05

POLLUTANTS = ("so2", "nox", "co", "pm", "other")
# (E) Percent of an enterprise's emissions per pollutant, by sector ('other' is mostly
# volatile organic compounds and hydrogen sulphide in oil and gas).
POLLUTANT_PROFILES = {
    "metallurgy": (35, 10, 30, 20, 5),
    "energy": (45, 25, 5, 22, 3),
    "utilities": (40, 25, 10, 22, 3),
    "oil_gas": (20, 20, 25, 5, 30),
    "mining": (10, 15, 15, 55, 5),
    "chemicals": (25, 25, 10, 15, 25),
    "cement": (10, 35, 10, 40, 5),
    "construction_materials": (10, 30, 15, 40, 5),
    "food_processing": (20, 30, 30, 15, 5),
    "machinery": (10, 20, 30, 20, 20),
}

# --- corporate tree planting --------------------------------------------------------------


@dataclass(frozen=True)
class HoldingPlan:
    """A holding's yearly tree commitments and, where known, what it planted.

    ``region`` restricts the planting to the holding's sites in one region.
    ``area_committed_ha`` replaces the area derived from tree density.
    """

    trees_committed: dict[int, int]
    trees_planted: dict[int, int]
    area_committed_ha: dict[int, int] | None = None
    region: str | None = None


# (O) ERG plans about 1.8 M trees in 2025 and planted about 3 M that year; Qarmet has
# planted more than 1 M seedlings since 2022; Solidcore Resources plants a 500 ha pilot
# forest in Kostanay region from 2024, growing to 1,500 ha. (E) every other figure.
HOLDING_PLANS = {
    "ERG": HoldingPlan(
        trees_committed={2021: 600_000, 2022: 900_000, 2023: 1_200_000, 2024: 1_500_000, 2025: 1_800_000,
                         2026: 2_000_000},
        trees_planted={2021: 560_000, 2022: 960_000, 2023: 1_450_000, 2024: 2_100_000, 2025: 3_000_000,
                       2026: 2_200_000},
    ),
    "Qarmet": HoldingPlan(
        trees_committed={2022: 250_000, 2023: 300_000, 2024: 300_000, 2025: 320_000, 2026: 300_000},
        trees_planted={2022: 240_000, 2023: 285_000, 2024: 310_000, 2025: 330_000, 2026: 300_000},
    ),
    "Solidcore Resources": HoldingPlan(
        trees_committed={2024: 500_000, 2025: 500_000, 2026: 500_000},
        trees_planted={2024: 500_000, 2025: 470_000, 2026: 530_000},
        area_committed_ha={2024: 500, 2025: 500, 2026: 500},
        region="390000000",
    ),
    "Kazzinc": HoldingPlan(trees_committed={year: 120_000 for year in range(2021, 2027)}, trees_planted={}),
    "Kazakhmys": HoldingPlan(trees_committed={year: 150_000 for year in range(2022, 2027)}, trees_planted={}),
}

# (E) Other enterprises with a yearly greening commitment: the chance that one has a
# commitment, its first year, and the size of its yearly commitment in trees.
OTHER_COMMITMENT_CHANCE = {True: 0.35, False: 0.08}  # by ams_obliged
OTHER_COMMITMENT_FIRST_YEARS = (2021, 2022, 2023, 2024)
OTHER_COMMITMENT_TREES = {True: (5_000, 80_000), False: (500, 8_000)}
# (E) Planted / committed, per company and year, where not known.
FULFILMENT_RANGE = (0.55, 1.35)
# (E) Other enterprises' commitments revised after the annual audit (March-May of the
# next year): the share revised and how far the first figure lay from the revised one.
REVISED_COMMITMENT_SHARE = 0.10
REVISION_DEVIATION = (0.10, 0.30)  # relative, either way

# --- AMS telemetry ---------------------------------------------------------------------

# (E) The brief has no message format: 20-minute averages are the common practice of
# continuous emission monitoring. Every connected stack reports these pollutants.
AMS_READING_SECONDS = 20 * 60
AMS_POLLUTANTS = ("co", "nox", "pm", "so2")  # in feed order
# (E) Permitted concentrations, mg/m3, and the per-stack factor on them (older plants
# hold looser permits); readings sit at 30-70 % of the limit, +-30 % per reading.
AMS_LIMITS_MG_M3 = {"co": 1_000, "nox": 700, "pm": 150, "so2": 2_000}
AMS_LIMIT_FACTORS = (0.5, 0.75, 1.0, 1.25)
AMS_LEVEL_OF_LIMIT = (0.3, 0.7)
AMS_READING_NOISE = 0.3
# (E) Stack gas flow, m3/h, +-5 % per reading.
AMS_FLOW_M3_H = (80_000, 1_500_000)
# (E) Heating season (November-March) runs higher, summer lower; a mild daily cycle
# peaking mid-afternoon (UTC+5) for both concentrations and flow.
AMS_MONTH_FACTOR = {1: 1.12, 2: 1.12, 3: 1.05, 4: 1.0, 5: 0.95, 6: 0.9, 7: 0.9, 8: 0.9, 9: 0.95, 10: 1.0,
                    11: 1.05, 12: 1.12}
AMS_DAILY_AMPLITUDE = 0.06
# (E) Shares of readings: above the limit (status ok), analyser faults; plus one hour a
# week of calibration per stack (status maintenance).
AMS_EXCEEDANCE_SHARE = 0.003
AMS_FAULT_SHARE = 0.001
AMS_MAINTENANCE_SLOTS_PER_WEEK = 3
