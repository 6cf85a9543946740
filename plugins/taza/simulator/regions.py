"""The 20 first-level units (borders since 8 June 2022) and their district-level units.

Derived from the project brief's regions table (KATO code, English name, type,
population: latest figure, else 1 Jan 2023). The simulator reports all periods on the
current borders, as if older reports had been restated (Abai, Jetisu and Ulytau exist
from 2021 on).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    kato: str  # 9-digit KATO code
    name: str
    type: str  # 'region' or 'city_republican'
    population: int
    climate: str  # 'south', 'central' or 'north': decides the planting months
    district_units: tuple[str, ...]  # real district names; cities keep their 'City' suffix

    def districts(self, scale: float) -> list[str]:
        """District names at ``scale`` (at least one).

        Scale 1 gives the real units; smaller scales keep a prefix of them, larger
        scales add numbered copies ("Burabay District 2"), so a district keeps its name
        and position whatever the scale.
        """
        count = max(1, round(len(self.district_units) * scale))
        names = [unit if unit.endswith(" City") else f"{unit} District" for unit in self.district_units]
        return [names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else "") for i in range(count)]


REGIONS: tuple[Region, ...] = (
    Region("100000000", "Abai Region", "region", 596_000, "central", (
        "Semey City", "Kurchatov City", "Abai", "Aksuat", "Ayagoz", "Beskaragay", "Borodulikha",
        "Zharma", "Kokpekty", "Urzhar", "Zhanasemey")),
    Region("110000000", "Akmola Region", "region", 787_971, "north", (
        "Kokshetau City", "Stepnogorsk City", "Akkol", "Arshaly", "Astrakhan", "Atbasar",
        "Birzhan Sal", "Bulandy", "Burabay", "Egindykol", "Ereymentau", "Esil", "Zhaksy",
        "Zharkain", "Zerendi", "Korgalzhyn", "Sandyktau", "Tselinograd", "Shortandy")),
    Region("150000000", "Aktobe Region", "region", 928_185, "central", (
        "Aktobe City", "Alga", "Aitekebi", "Bayganin", "Kargaly", "Khobda", "Martuk", "Mugalzhar",
        "Oiyl", "Temir", "Khromtau", "Shalkar", "Yrgyz")),
    Region("190000000", "Almaty Region", "region", 1_596_331, "south", (
        "Konaev City", "Balkhash", "Enbekshikazakh", "Zhambyl", "Ile", "Karasay", "Kegen",
        "Raiymbek", "Talgar", "Uygur")),
    Region("230000000", "Atyrau Region", "region", 693_040, "central", (
        "Atyrau City", "Zhylyoi", "Inder", "Isatay", "Kurmangazy", "Kyzylkoga", "Makat", "Makhambet")),
    Region("270000000", "West Kazakhstan Region", "region", 688_091, "central", (
        "Oral City", "Akzhaik", "Baiterek", "Bokey Orda", "Burlin", "Zhangala", "Zhanibek",
        "Kaztalov", "Karatobe", "Syrym", "Taskala", "Terekti", "Shyngyrlau")),
    Region("310000000", "Jambyl Region", "region", 1_215_373, "south", (
        "Taraz City", "Baizak", "Zhambyl", "Zhualy", "Kordai", "Merki", "Moiynkum", "Sarysu",
        "Talas", "Shu", "Turar Ryskulov")),
    Region("330000000", "Jetisu Region", "region", 698_675, "south", (
        "Taldykorgan City", "Tekeli City", "Aksu", "Alakol", "Eskeldi", "Karatal", "Kerbulak",
        "Koksu", "Panfilov", "Sarkand")),
    Region("350000000", "Karaganda Region", "region", 1_131_287, "central", (
        "Karaganda City", "Temirtau City", "Balkhash City", "Saran City", "Shakhtinsk City", "Abai",
        "Aktogay", "Bukhar-Zhyrau", "Karkaraly", "Nura", "Osakarov", "Shet")),
    Region("390000000", "Kostanay Region", "region", 832_110, "north", (
        "Kostanay City", "Rudny City", "Altynsarin", "Amangeldy", "Auliekol", "Beimbet Mailin",
        "Denisov", "Zhangeldy", "Zhitikara", "Kamysty", "Karabalyk", "Karasu", "Kostanay",
        "Mendykara", "Naurzum", "Sarykol", "Uzunkol", "Fedorov")),
    Region("430000000", "Kyzylorda Region", "region", 833_531, "south", (
        "Kyzylorda City", "Aral", "Zhalagash", "Zhanakorgan", "Kazaly", "Karmakshy", "Syrdarya",
        "Shieli")),
    Region("470000000", "Mangystau Region", "region", 766_956, "south", (
        "Aktau City", "Zhanaozen City", "Beineu", "Karakiyak", "Mangystau", "Munaily", "Tupkaragan")),
    Region("550000000", "Pavlodar Region", "region", 754_903, "north", (
        "Pavlodar City", "Ekibastuz City", "Aksu City", "Aktogay", "Bayanaul", "Zhelezin", "Irtysh",
        "Terenkol", "Akkuly", "May", "Pavlodar", "Uspen", "Sharbakty")),
    Region("590000000", "North Kazakhstan Region", "region", 514_732, "north", (
        "Petropavl City", "Aiyrtau", "Akzhar", "Akkayin", "Esil", "Zhambyl", "Magzhan Zhumabayev",
        "Kyzylzhar", "Mamlyut", "Gabit Musrepov", "Taiynsha", "Timiryazev", "Ualikhanov", "Shal Akyn")),
    Region("610000000", "Turkistan Region", "region", 2_148_658, "south", (
        "Turkistan City", "Kentau City", "Arys City", "Baidibek", "Zhetysai", "Kazygurt", "Keles",
        "Maktaaral", "Ordabasy", "Otyrar", "Saryagash", "Sauran", "Sayram", "Sozak", "Tolebi",
        "Tulkibas", "Shardara")),
    Region("620000000", "Ulytau Region", "region", 218_993, "central", (
        "Zhezkazgan City", "Satpayev City", "Karazhal City", "Ulytau", "Zhanaarka")),
    Region("630000000", "East Kazakhstan Region", "region", 730_172, "north", (
        "Oskemen City", "Ridder City", "Altai", "Glubokoye", "Zaisan", "Katon-Karagay", "Kurchum",
        "Samar", "Tarbagatai", "Ulan", "Shemonaikha", "Markakol")),
    Region("710000000", "Astana", "city_republican", 1_638_233, "north", (
        "Almaty", "Baikonyr", "Yesil", "Saryarka", "Nura")),
    Region("750000000", "Almaty", "city_republican", 2_347_924, "south", (
        "Alatau", "Almaly", "Auezov", "Bostandyk", "Zhetysu", "Medeu", "Nauryzbay", "Turksib")),
    Region("790000000", "Shymkent", "city_republican", 1_293_648, "south", (
        "Abai", "Al-Farabi", "Enbekshi", "Karatau", "Turan")),
)
