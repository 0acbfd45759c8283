"""The regency's real kecamatan and desa (from the Region table), and where families live.

``load_geography`` is the only function here that reads the database; everything else works
on the plain ``Geography`` it returns, so the generator can run without Django models.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from sejahtera.demo.synthetic.names import place_name

MIN_FAMILIES_PER_DESA = 3
KELURAHAN_DENSITY = 2.2  # urban wards hold more families than rural desa


@dataclass(frozen=True, slots=True)
class Desa:
    code: str
    name: str
    is_kelurahan: bool

    @property
    def kecamatan_code(self) -> str:
        return self.code[:6]


@dataclass(frozen=True, slots=True)
class Kecamatan:
    code: str
    name: str
    desas: tuple[Desa, ...]


@dataclass(frozen=True, slots=True)
class Geography:
    regency_code: str
    regency_name: str
    kecamatans: tuple[Kecamatan, ...]
    # Other kabupaten/kota of the same province: (place name, kecamatan codes), for people
    # who were born or first registered elsewhere.
    other_regencies: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def home_place(self) -> str:
        return place_name(self.regency_name)

    @property
    def desas(self) -> list[Desa]:
        return [d for k in self.kecamatans for d in k.desas]


@dataclass(slots=True)
class DesaPlan:
    """How many families a desa gets, and its area traits."""

    desa: Desa
    kecamatan: Kecamatan
    families: int
    urbanity: float  # 0..1
    area_effect: float  # shift of the latent welfare of its families


def load_geography(regency_code: str) -> Geography:
    """Read the regency, its kecamatan and desa, and the province's other regencies."""
    from sejahtera.regions.models import Region

    regency = Region.objects.get(code=regency_code, level=Region.Level.KABUPATEN)
    current = Region.objects.filter(is_current=True)
    desa_rows = current.filter(level=Region.Level.DESA, code__startswith=regency_code).order_by("code")
    by_kecamatan: dict[str, list[Desa]] = {}
    for code, name, desa_type in desa_rows.values_list("code", "name", "desa_type"):
        is_kelurahan = desa_type == Region.DesaType.KELURAHAN or (not desa_type and code[6] == "1")
        by_kecamatan.setdefault(code[:6], []).append(Desa(code, name, is_kelurahan))
    kecamatans = tuple(
        Kecamatan(code, name, tuple(by_kecamatan[code]))
        for code, name in current.filter(level=Region.Level.KECAMATAN, parent_id=regency_code)
        .order_by("code").values_list("code", "name")
        if by_kecamatan.get(code)
    )
    if not kecamatans:
        raise ValueError(f"Region {regency_code} has no kecamatan with desa in the region list.")

    province = regency_code[:2]
    kec_by_regency: dict[str, list[str]] = {}
    for code in (current.filter(level=Region.Level.KECAMATAN, code__startswith=province)
                 .exclude(code__startswith=regency_code).order_by("code").values_list("code", flat=True)):
        kec_by_regency.setdefault(code[:4], []).append(code)
    others = tuple(
        (place_name(name), tuple(kec_by_regency[code]))
        for code, name in current.filter(level=Region.Level.KABUPATEN, code__startswith=province)
        .exclude(code=regency_code).order_by("code").values_list("code", "name")
        if kec_by_regency.get(code)
    )
    return Geography(regency_code, regency.name, kecamatans, others)


def _lognormal_weight(rng: random.Random, sigma: float) -> float:
    return math.exp(rng.gauss(0.0, sigma))


def plan_desas(geo: Geography, families: int, rng: random.Random) -> list[DesaPlan]:
    """Spread ``families`` over the desa in proportion to a drawn population weight.

    Each kecamatan draws a lognormal weight, each desa another one (kelurahan denser);
    every desa gets at least ``MIN_FAMILIES_PER_DESA`` families when there are enough.
    Busier kecamatan are more urban, and urban areas are better off.
    """
    rows: list[tuple[Desa, Kecamatan, float, float, float]] = []
    kec_weights = [_lognormal_weight(rng, 0.55) for _ in geo.kecamatans]
    mean_log = sum(math.log(w) for w in kec_weights) / len(kec_weights)
    for kecamatan, kec_weight in zip(geo.kecamatans, kec_weights, strict=True):
        kec_urbanity = min(0.85, max(0.05, 0.35 + 0.45 * (math.log(kec_weight) - mean_log)))
        kec_effect = rng.gauss(0.0, 0.18)
        for desa in kecamatan.desas:
            weight = _lognormal_weight(rng, 0.45) * (KELURAHAN_DENSITY if desa.is_kelurahan else 1.0)
            if desa.is_kelurahan:
                urbanity = min(1.0, 0.75 + 0.25 * rng.random())
            else:
                urbanity = min(0.9, max(0.0, kec_urbanity + rng.gauss(0.0, 0.12)))
            effect = kec_effect + rng.gauss(0.0, 0.1) + 0.35 * (urbanity - 0.4)
            rows.append((desa, kecamatan, kec_weight * weight / len(kecamatan.desas), urbanity, effect))

    counts = _allocate([w for _, _, w, _, _ in rows], families,
                       min(MIN_FAMILIES_PER_DESA, families // len(rows)))
    return [DesaPlan(desa, kec, count, urbanity, effect)
            for (desa, kec, _, urbanity, effect), count in zip(rows, counts, strict=True)]


def _allocate(weights: list[float], total: int, minimum: int) -> list[int]:
    """Integer shares of ``total`` proportional to ``weights`` (largest remainder), each >= minimum."""
    counts = [minimum] * len(weights)
    rest = total - minimum * len(weights)
    if rest <= 0:
        return counts
    scale = rest / sum(weights)
    exact = [w * scale for w in weights]
    floors = [int(x) for x in exact]
    left = rest - sum(floors)
    by_remainder = sorted(range(len(weights)), key=lambda i: (floors[i] - exact[i], i))
    for i in by_remainder[:left]:
        floors[i] += 1
    return [c + f for c, f in zip(counts, floors, strict=True)]
