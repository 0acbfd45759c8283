"""The scan over the database: persons in, pairs into the review queue, decisions left alone."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from sejahtera.registry.dedup.scan import find_duplicates, load_persons
from sejahtera.registry.models import DuplicateCandidate, Person

D = datetime.date


def _crafted():
    """Two persons registered twice: Muhamad/Muhammad (no NIK the second time), and a swapped date."""
    return [
        {"id": 90001, "nik": "3201012104880001", "name": "Muhamad Fajar Hidayat", "sex": "L",
         "birth_date": D(1988, 4, 21), "desa": "3201011003", "no_kk": "3201010203150901"},
        {"id": 90002, "nik": None, "name": "Muhammad Fajar Hidayat", "sex": "L",
         "birth_date": D(1988, 4, 21), "desa": "3201011003", "no_kk": "3201010203150902"},
        {"id": 90003, "nik": "3201015003700001", "name": "Siti Nurhaliza", "sex": "P",
         "birth_date": D(1970, 3, 10), "desa": "3201022001", "no_kk": "3201020203150903"},
        {"id": 90004, "nik": None, "name": "Siti Nur Haliza", "sex": "P",
         "birth_date": D(1970, 10, 3), "desa": "3201022001", "no_kk": "3201020203150903"},
    ]


@pytest.fixture
def registry(synthetic_records, insert_registry):
    records = synthetic_records(1500, seed=5) + _crafted()
    return insert_registry(records)


def _pair(persons, i, j):
    a, b = sorted((persons[i].pk, persons[j].pk))
    return DuplicateCandidate.objects.filter(person_a_id=a, person_b_id=b)


def test_scan_queues_the_duplicates(registry):
    result = find_duplicates()
    assert result.persons == 1504
    assert result.created == result.pairs >= 2
    for i, j in ((90001, 90002), (90003, 90004)):
        candidate = _pair(registry, i, j).get()
        assert candidate.status == "open" and candidate.source == "scan"
        assert candidate.probability >= 0.9
        assert candidate.desa_code == candidate.person_a.desa_id
        assert set(candidate.reasons) == {"name", "birth_date", "sex", "place", "nik"}
    assert _pair(registry, 90003, 90004).get().reasons["birth_date"] == "day_month_swapped"
    assert "load" in result.timings and "total" in result.timings


def test_a_new_scan_never_reopens_or_repeats_a_pair(registry, admin):
    find_duplicates()
    count = DuplicateCandidate.objects.count()
    decided = _pair(registry, 90001, 90002).get()
    decided.status = DuplicateCandidate.Status.DISTINCT
    decided.save()
    again = find_duplicates()
    assert again.created == 0 and again.known == again.pairs
    assert DuplicateCandidate.objects.count() == count
    assert _pair(registry, 90001, 90002).get().status == "distinct"


def test_merged_persons_are_left_out(registry):
    merged = registry[90002]
    Person.objects.filter(pk=merged.pk).update(merged_into=registry[90001])
    find_duplicates()
    assert not _pair(registry, 90001, 90002).exists()
    assert _pair(registry, 90003, 90004).exists()


def test_region_and_limit(registry):
    import duckdb

    con = duckdb.connect()
    in_desa = load_persons(con, region="3201022001")
    assert in_desa == Person.objects.filter(desa_id="3201022001").count()
    result = find_duplicates(region="320102", limit_pairs=1)
    assert result.persons == Person.objects.filter(desa__pk__startswith="320102").count()
    assert result.created == 1
    assert not _pair(registry, 90001, 90002).exists()  # another kecamatan
    with pytest.raises(ValueError):
        load_persons(con, region="32'; DROP TABLE x; --")


def test_find_duplicates_command(registry):
    out = io.StringIO()
    call_command("find_duplicates", "--threshold", "0.95", "--region", "32.01", stdout=out)
    text = out.getvalue()
    assert "Persons scanned: 1504" in text
    assert "New in the review queue:" in text
    with pytest.raises(CommandError):
        call_command("find_duplicates", "--region", "abc", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("find_duplicates", "--threshold", "1.5", stdout=io.StringIO())
