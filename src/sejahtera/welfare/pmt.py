"""PMT variables as SQL expressions over a family's latest survey and its members.

Every variable is an expression on three row sources joined in ``scoring.features_sql``:
``hs`` (the family's latest household survey), ``m`` (member aggregates: ``n`` members,
``kids`` under 15, ``head_edu``) and ``f`` (the family). Dummies are ``CASE WHEN``; the SQL is
the same on PostgreSQL and SQLite (SQLite 3.35+ has ``ln``/``exp`` built in). Arithmetic is in
``DOUBLE PRECISION``: a bare ``1.0`` would make PostgreSQL compute in ``numeric``, several times slower.
"""

from __future__ import annotations


def _in(column: str, values: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{v}'" for v in values)
    return f"CASE WHEN {column} IN ({listed}) THEN 1 ELSE 0 END"


def _bool(column: str) -> str:
    return f"CASE WHEN {column} THEN 1 ELSE 0 END"


VARIABLES: dict[str, str] = {
    "log_household_size": "ln(m.n)",
    "child_share": "(CAST(m.kids AS DOUBLE PRECISION) / m.n)",
    "head_education": "COALESCE(m.head_edu, 1)",
    "urban": "CASE WHEN substr(f.desa_id, 7, 1) = '1' THEN 1 ELSE 0 END",
    "log_floor_area_per_capita": "ln(CAST(hs.floor_area_m2 AS DOUBLE PRECISION) / m.n)",
    "floor_fine": _in("hs.floor_material", ("marble", "ceramic", "parquet")),
    "floor_tile": _in("hs.floor_material", ("tile",)),
    "floor_earth_bamboo": _in("hs.floor_material", ("earth", "bamboo")),
    "wall_masonry": _in("hs.wall_material", ("masonry",)),
    "wall_bamboo": _in("hs.wall_material", ("woven_bamboo", "bamboo", "logs")),
    "roof_concrete": _in("hs.roof_material", ("concrete",)),
    "roof_sheet": _in("hs.roof_material", ("zinc", "asbestos")),
    "roof_poor": _in("hs.roof_material", ("wood_shingle", "bamboo", "thatch")),
    "water_bought_piped": _in("hs.drinking_water", ("bottled", "refill", "piped")),
    "water_unprotected": _in("hs.drinking_water", ("unprotected_well", "unprotected_spring", "surface", "rain")),
    "toilet_own_septic": _in("hs.toilet", ("own_septic",)),
    "toilet_none_public": _in("hs.toilet", ("none", "public")),
    "lighting_not_metered": _in("hs.lighting", ("pln_shared", "non_pln", "none")),
    "power_900": "CASE WHEN hs.installed_power_va = 900 THEN 1 ELSE 0 END",
    "power_1300_plus": "CASE WHEN hs.installed_power_va >= 1300 THEN 1 ELSE 0 END",
    "power_2200_plus": "CASE WHEN hs.installed_power_va >= 2200 THEN 1 ELSE 0 END",
    "fuel_large_lpg_electric": _in("hs.cooking_fuel", ("lpg_large", "electricity", "city_gas")),
    "fuel_solid": _in("hs.cooking_fuel", ("firewood", "charcoal", "kerosene")),
    "home_rent": _in("hs.home_ownership", ("rent",)),
    "home_rent_free": _in("hs.home_ownership", ("rent_free",)),
    "owns_land": _bool("hs.owns_land"),
    "owns_other_house": _bool("hs.owns_other_house"),
    "has_refrigerator": _bool("hs.has_refrigerator"),
    "has_air_conditioner": _bool("hs.has_air_conditioner"),
    "has_television": _bool("hs.has_television"),
    "has_computer": _bool("hs.has_computer"),
    "has_gold": _bool("hs.has_gold"),
    "has_motorbike": _bool("hs.has_motorbike"),
    "has_car": _bool("hs.has_car"),
    "large_livestock": "hs.large_livestock",
    "small_livestock": "hs.small_livestock",
}
