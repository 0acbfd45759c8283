"""Hidden per-capita consumption of a family, and household-survey answers that follow it.

Monthly consumption per capita is lognormal, around Rp1.2 million on average in West Java,
lower in rural desa and in large families; about 7-8 % of persons fall below a poverty line of
about Rp550,000 and a few below the extreme-poverty line of Rp322,170. Every survey answer
is drawn from the family's consumption index plus its own noise, so the dwelling and assets
predict welfare the way a proxy-means test expects, but not perfectly.
"""

from __future__ import annotations

import datetime
import math
import random

from sejahtera.demo.synthetic.population import sigmoid
from sejahtera.demo.synthetic.records import SurveyRecord
from sejahtera.registry.choices import (
    CookingFuel,
    DrinkingWater,
    FloorMaterial,
    HomeOwnership,
    Lighting,
    RoofMaterial,
    Toilet,
    WallMaterial,
)

POVERTY_LINE = 550_000
EXTREME_POVERTY_LINE = 322_170
LOG_MEDIAN = math.log(1_105_000)  # median of a 3-4 person family in a semi-urban desa
LOG_SPREAD = 0.47  # standard deviation of log consumption across families
MEASURED_SHARE = 0.15  # surveys that also measured consumption
MEASUREMENT_NOISE = 0.15  # log-scale noise of measured consumption


def consumption_per_capita(rng: random.Random, *, welfare: float, size: int, head_education: int,
                           urbanity: float) -> int:
    """The hidden true monthly consumption per capita (Rp) of a family."""
    log_c = (LOG_MEDIAN + 0.37 * welfare - 0.08 * (size - 3.4) + 0.05 * (head_education - 4)
             + 0.10 * (urbanity - 0.4) + rng.gauss(0.0, 0.17))
    return int(round(math.exp(log_c), -3))


def consumption_index(consumption: int) -> float:
    """Standardised log consumption: 0 at the median, -1.4 near the poverty line."""
    return (math.log(consumption) - LOG_MEDIAN) / LOG_SPREAD


def _ordinal(score: float, cuts: tuple[float, ...], values: tuple):
    for cut, value in zip(cuts, values, strict=False):
        if score < cut:
            return value
    return values[-1]


def _chance(rng: random.Random, logit: float) -> bool:
    return rng.random() < sigmoid(logit)


def _floor(rng, z, urb):
    score = z + rng.gauss(0, 0.9) + 0.3 * urb
    if score < -2.3:
        return FloorMaterial.EARTH if rng.random() < 0.8 or urb > 0.7 else FloorMaterial.BAMBOO
    return _ordinal(score, (-2.05, -0.45, -0.15, 2.55, 2.85),
                    (FloorMaterial.WOOD, FloorMaterial.CEMENT, FloorMaterial.TILE, FloorMaterial.CERAMIC,
                     FloorMaterial.PARQUET, FloorMaterial.MARBLE))


def _wall(rng, z, urb):
    score = z + rng.gauss(0, 0.9) + 0.4 * urb
    return _ordinal(score, (-2.0, -1.85, -1.55, -1.2),
                    (WallMaterial.WOVEN_BAMBOO, WallMaterial.BAMBOO, WallMaterial.WOOD,
                     WallMaterial.PLASTERED_BAMBOO, WallMaterial.MASONRY))


def _roof(rng, z, urb):
    score = z + rng.gauss(0, 1.0)
    if score < -2.7:
        return RoofMaterial.THATCH if rng.random() < 0.5 else RoofMaterial.WOOD_SHINGLE
    if score < -1.3:
        return RoofMaterial.ASBESTOS if rng.random() < 0.3 + 0.4 * urb else RoofMaterial.ZINC
    if score > 2.3 and rng.random() < urb:
        return RoofMaterial.CONCRETE
    return RoofMaterial.ROOF_TILE


def _water(rng, z, urb):
    score = z + rng.gauss(0, 1.0)
    rural = rng.random() > urb
    if score < -1.8:
        if rural:
            return rng.choice((DrinkingWater.UNPROTECTED_WELL, DrinkingWater.UNPROTECTED_SPRING,
                               DrinkingWater.SURFACE, DrinkingWater.UNPROTECTED_WELL))
        return DrinkingWater.UNPROTECTED_WELL
    if score < -0.5:
        if rural:
            return rng.choice((DrinkingWater.PROTECTED_WELL, DrinkingWater.PROTECTED_SPRING, DrinkingWater.BOREHOLE))
        return rng.choice((DrinkingWater.PROTECTED_WELL, DrinkingWater.BOREHOLE))
    if score < 1.2:
        if rural:
            return rng.choice((DrinkingWater.BOREHOLE, DrinkingWater.BOREHOLE, DrinkingWater.PROTECTED_WELL,
                               DrinkingWater.REFILL))
        return rng.choice((DrinkingWater.REFILL, DrinkingWater.PIPED, DrinkingWater.BOREHOLE))
    return rng.choice((DrinkingWater.REFILL, DrinkingWater.BOTTLED, DrinkingWater.PIPED))


def _toilet(rng, z, urb):
    score = z + 0.5 * urb + rng.gauss(0, 0.9)
    return _ordinal(score, (-2.6, -2.25, -1.6, -0.75),
                    (Toilet.NONE, Toilet.PUBLIC, Toilet.SHARED, Toilet.OWN_NO_SEPTIC, Toilet.OWN_SEPTIC))


def _power(rng, z):
    score = z + rng.gauss(0, 0.8)
    lighting = _ordinal(score, (-3.4, -3.0, -1.7),
                        (Lighting.NONE, Lighting.NON_PLN, Lighting.PLN_SHARED, Lighting.PLN_METERED))
    if lighting != Lighting.PLN_METERED:
        return lighting, 0
    va = _ordinal(z + rng.gauss(0, 0.7), (-0.55, 0.95, 1.8, 2.6), (450, 900, 1300, 2200, 3500))
    return lighting, va


def _fuel(rng, z, urb, size):
    if size == 1 and rng.random() < 0.06:
        return CookingFuel.NONE
    score = z + 0.6 * urb + rng.gauss(0, 0.9)
    if score < -1.95:
        return CookingFuel.FIREWOOD if rng.random() > 0.5 * urb else CookingFuel.KEROSENE
    if score < -1.8:
        return CookingFuel.CHARCOAL if rng.random() < 0.5 else CookingFuel.FIREWOOD
    return _ordinal(score, (1.9, 2.8), (CookingFuel.LPG_3KG, CookingFuel.LPG_LARGE, CookingFuel.ELECTRICITY))


def _ownership(rng, z, urb, head_age, civil_servant):
    if civil_servant and rng.random() < 0.05:
        return HomeOwnership.OFFICIAL
    rent = sigmoid(-2.6 + 1.6 * urb + 0.04 * (35 - head_age) + 0.2 * z)
    rent_free = sigmoid(-2.8 - 0.6 * z + 0.03 * (32 - head_age))
    roll = rng.random()
    if roll < rent:
        return HomeOwnership.RENT
    if roll < rent + rent_free:
        return HomeOwnership.RENT_FREE
    if roll < rent + rent_free + 0.005:
        return HomeOwnership.OTHER
    return HomeOwnership.OWN


def draw_survey(rng: random.Random, *, consumption: int, urbanity: float, size: int, head_age: float,
                civil_servant: bool, surveyed_on: datetime.date, enumerator: str) -> SurveyRecord:
    """One household survey whose answers follow the family's hidden consumption."""
    z = consumption_index(consumption)
    urb = urbanity
    lighting, va = _power(rng, z)
    rural = 1.0 - urb
    area = math.exp(math.log(36) + 0.28 * z + 0.4 * math.log(size / 3.4) + 0.2 * rural + rng.gauss(0, 0.3))
    large = rng.choice((1, 1, 2, 2, 3, 4)) if rng.random() < 0.05 * rural * sigmoid(z + 1) * 2 else 0
    small = rng.randint(1, 8) if rng.random() < 0.14 * rural else 0
    measured = None
    if rng.random() < MEASURED_SHARE:
        measured = int(round(consumption * math.exp(rng.gauss(0.0, MEASUREMENT_NOISE)), -3))
    return SurveyRecord(
        surveyed_on=surveyed_on,
        enumerator=enumerator,
        floor_area_m2=int(min(600, max(9, round(area)))),
        floor_material=_floor(rng, z, urb),
        wall_material=_wall(rng, z, urb),
        roof_material=_roof(rng, z, urb),
        drinking_water=_water(rng, z, urb),
        toilet=_toilet(rng, z, urb),
        lighting=lighting,
        installed_power_va=va,
        cooking_fuel=_fuel(rng, z, urb, size),
        home_ownership=_ownership(rng, z, urb, head_age, civil_servant),
        owns_land=_chance(rng, -0.4 + 0.9 * z + 0.6 * rural),
        owns_other_house=_chance(rng, -3.3 + 1.2 * z),
        has_refrigerator=_chance(rng, 0.2 + 1.4 * z + 0.5 * urb),
        has_air_conditioner=_chance(rng, -3.6 + 1.5 * z + 0.8 * urb),
        has_television=_chance(rng, 0.4 + 1.2 * z),
        has_computer=_chance(rng, -2.2 + 1.4 * z + 0.5 * urb),
        has_gold=_chance(rng, -1.8 + 1.1 * z),
        has_motorbike=_chance(rng, 1.0 + 1.2 * z),
        has_car=_chance(rng, -3.1 + 1.6 * z),
        large_livestock=large,
        small_livestock=small,
        consumption_per_capita=measured,
    )
