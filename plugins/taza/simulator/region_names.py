"""How some feeds spell and code the regions, beyond the canonical names of ``regions``.

Every spelling, lower-cased, is an alias in the dbt seed ``region_code_aliases``, and so
is Shymkent's legacy KATO code: staging resolves them to the current KATO code. The
ambiguous 'Akmola' (also Astana's name in 1992-98) is left out on purpose.
"""
from __future__ import annotations

import random

NAME_VARIANTS: dict[str, tuple[str, ...]] = {
    "100000000": ("Abai Region", "Abay", "Abai oblysy"),
    "110000000": ("Akmola Region", "Aqmola", "Akmolinskaya oblast"),
    "150000000": ("Aktobe Region", "Aqtobe", "Aktyubinsk"),
    "190000000": ("Almaty Region", "Almaty oblysy", "Almatinskaya oblast"),
    "230000000": ("Atyrau Region", "Atyrau oblysy", "Atyrauskaya oblast"),
    "270000000": ("West Kazakhstan Region", "Batys Qazaqstan", "ZKO"),
    "310000000": ("Jambyl Region", "Zhambyl", "Jambyl"),
    "330000000": ("Jetisu Region", "Zhetisu", "Jetysu", "Zhetysu"),
    "350000000": ("Karaganda Region", "Karagandy", "Qaraghandy"),
    "390000000": ("Kostanay Region", "Qostanay", "Kostanai", "Kustanay"),
    "430000000": ("Kyzylorda Region", "Qyzylorda", "Kzyl-Orda"),
    "470000000": ("Mangystau Region", "Mangistau", "Mangghystau"),
    "550000000": ("Pavlodar Region", "Pavlodar oblysy"),
    "590000000": ("North Kazakhstan Region", "Soltustik Qazaqstan", "SKO"),
    "610000000": ("Turkistan Region", "Turkestan", "Turkistan"),
    "620000000": ("Ulytau Region", "Ulytau"),
    "630000000": ("East Kazakhstan Region", "Shygys Qazaqstan", "VKO"),
    "710000000": ("Astana", "Nur-Sultan"),
    "750000000": ("Almaty",),
    "790000000": ("Shymkent", "Chimkent"),
}

# Shymkent's code before it left South Kazakhstan region; the space-monitoring system still uses it.
LEGACY_KATO = {"790000000": "511010000"}


def spelling(rng: random.Random, kato: str) -> str:
    """One of the region's spellings, the canonical name as likely as any variant."""
    return rng.choice(NAME_VARIANTS[kato])
