"""Fixtures of the duplicate tests: generated registries (plain records or database rows) and verifiers."""

import datetime
import itertools

import duckdb
import pytest

from sejahtera.accounts.roles import Role
from sejahtera.demo.synthetic.generator import generate
from sejahtera.demo.synthetic.geography import load_geography
from sejahtera.registry.dedup import linkage
from sejahtera.registry.models import DuplicateCandidate, Family, Person
from tests.conftest import DESA_A, DESA_B, KECAMATAN_A, REGENCY

REFERENCE_DATE = datetime.date(2025, 6, 1)
COLUMNS = ("id", "nik", "name", "sex", "birth_date", "desa", "no_kk")


@pytest.fixture(autouse=True)
def small_u_sample(monkeypatch):
    """A smaller random sample for the u probabilities keeps each run at a few seconds."""
    monkeypatch.setattr(linkage, "U_SAMPLE_PAIRS", 300_000)


@pytest.fixture
def synthetic_records(db):
    """``make(persons, seed)``: plain person records of the synthetic regency (ids from 1)."""
    geography = load_geography(REGENCY)

    def make(persons: int, seed: int = 1) -> list[dict]:
        regency = generate(geography, families=max(1, persons // 3), seed=seed, reference_date=REFERENCE_DATE)
        records = []
        for family in regency.families:
            for member in family.members:
                records.append({"id": len(records) + 1, "nik": member.nik, "name": member.name,
                                "sex": member.sex, "birth_date": member.birth_date, "desa": family.desa_code,
                                "no_kk": family.no_kk, "relationship": member.relationship})
                if len(records) == persons:
                    return records
        return records

    return make


def run_engine(records: list[dict], *, threshold: float = linkage.DEFAULT_THRESHOLD) -> set[tuple[int, int]]:
    """Run the engine over plain records in an in-memory DuckDB; the pairs found."""
    import pyarrow as pa

    con = duckdb.connect()
    types = (pa.int64(), pa.string(), pa.string(), pa.string(), pa.date32(), pa.string(), pa.string())
    table = pa.table({c: pa.array([r.get(c) for r in records], t) for c, t in zip(COLUMNS, types, strict=True)})
    con.register("arrow_persons", table)
    con.execute("CREATE TABLE persons_raw AS SELECT * FROM arrow_persons")
    linkage.build_features(con, "persons_raw")
    result = linkage.find_pairs(con, threshold=threshold)
    pairs = {(a, b) for a, b in con.execute(f"SELECT id_l, id_r FROM {result.pairs_table}").fetchall()}
    con.close()
    return pairs


@pytest.fixture
def insert_registry(db):
    """``insert(records)``: families and persons in the database; returns {record id: Person}."""
    serials = itertools.count(1)

    def insert(records: list[dict]) -> dict[int, Person]:
        families = {}
        for record in records:
            no_kk = record.get("no_kk") or f"{record['desa'][:6]}0101209{next(serials):03d}"
            record["no_kk"] = no_kk
            if no_kk not in families:
                families[no_kk] = Family(no_kk=no_kk, desa_id=record["desa"], rt="001", rw="001")
        Family.objects.bulk_create(families.values(), batch_size=2000)
        by_kk = dict(Family.objects.filter(no_kk__in=list(families)).values_list("no_kk", "pk"))
        persons = [Person(nik=r.get("nik") or None, name=r["name"], sex=r["sex"], birth_date=r["birth_date"],
                          desa_id=r["desa"], family_id=by_kk[r["no_kk"]], relationship=r.get("relationship", 4))
                   for r in records]
        Person.objects.bulk_create(persons, batch_size=2000)
        if persons[0].pk is None:  # a backend that does not return ids
            created = Person.objects.order_by("-pk")[: len(persons)]
            persons = sorted(created, key=lambda p: p.pk)
        return {r["id"]: p for r, p in zip(records, persons, strict=True)}

    return insert


@pytest.fixture
def verifier_a(make_user):
    """Kecamatan verifier of KECAMATAN_A (Cibinong)."""
    return make_user(Role.KECAMATAN_VERIFIER, KECAMATAN_A)


@pytest.fixture
def verifier_b(make_user):
    return make_user(Role.KECAMATAN_VERIFIER, DESA_B[:6])


@pytest.fixture
def admin(make_user):
    return make_user(Role.SYSTEM_ADMIN, REGENCY)


@pytest.fixture
def make_pair(make_family, operator_a):
    """``make(second_desa=DESA_A, **overrides)``: a registered head and a second record of the same
    person in another family (no NIK, ``Muhammad`` spelled otherwise), and the queued pair."""
    from sejahtera.regions.models import Region
    from sejahtera.registry import services

    def make(second_desa: str = DESA_A, *, actor=None, **overrides) -> DuplicateCandidate:
        first_family = make_family(operator_a, head_name="Muhammad Rizky Pratama",
                                   head_birth=datetime.date(1990, 3, 7))
        first = first_family.members.get()
        second_actor = actor or operator_a
        no_kk = f"{second_desa[:6]}0203159{Family.objects.count():03d}"
        family = services.family_create(actor=second_actor, no_kk=no_kk, desa=Region.objects.get(code=second_desa))
        fields = {"name": "Muhamad Rizki Pratama", "sex": "L", "birth_date": datetime.date(1990, 3, 7),
                  "relationship": 1, "birth_place": "", "occupation": "Petani", "phone": "081234567890"}
        fields.update(overrides)
        second = services.person_add(actor=second_actor, family=family, **fields)
        a, b = sorted((first, second), key=lambda p: p.pk)
        return DuplicateCandidate.objects.create(person_a=a, person_b=b, desa_code=a.desa_id, probability=0.97,
                                                 score=12.0, reasons={"name": "one_edit", "birth_date": "same",
                                                                      "sex": "same", "place": "same_desa",
                                                                      "nik": "missing"})

    return make
