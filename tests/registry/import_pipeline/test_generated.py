"""The synthetic regency's dirty files against their ground truth."""

import csv
import io

import pytest
from django.core.management import call_command

from sejahtera.core.models import AuditEvent
from sejahtera.registry.models import Family, FamilyMembership, HouseholdSurvey, Person
from tests.registry.import_pipeline.helpers import counts, run

pytestmark = pytest.mark.django_db

TRUTH_COLUMNS = {"nik_short": "nik", "nik_scientific": "nik", "impossible_date": "tanggal_lahir",
                 "unknown_desa": "kode_desa", "missing_name": "nama"}


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_dirty_generated_files_reject_exactly_what_the_truth_says(tmp_path):
    call_command("generate_registry", "--persons", "3000", "--dirty", "0.04", "--seed", "7", "--out", str(tmp_path),
                 stdout=io.StringIO())
    rows = read_csv(tmp_path / "individu.csv")
    truth = read_csv(tmp_path / "kebenaran_baris.csv")
    assert len(rows) > 2900 and len(truth) > 20
    assert {t["outcome"] for t in truth} == {"rejected"}
    assert {t["error"] for t in truth} == set(TRUTH_COLUMNS)

    result = run(tmp_path / "individu.csv")
    batch = result.batch
    assert batch.rows_total == len(rows)
    assert batch.inserted + batch.updated + batch.unchanged + batch.flagged + batch.rejected == len(rows)
    assert batch.updated == batch.unchanged == 0
    rejected = {line.row for line in result.lines if line.outcome == "rejected"}
    flagged = {line.row for line in result.lines if line.outcome == "flagged"}
    assert not rejected & flagged and len(rejected) == batch.rejected and len(flagged) == batch.flagged
    for damaged in truth:
        row = int(damaged["row"])
        assert row in rejected, damaged
        assert TRUTH_COLUMNS[damaged["error"]] in {line.column for line in result.lines if line.row == row}, damaged
    assert batch.inserted + batch.flagged == len(rows) - batch.rejected
    assert Person.objects.count() == len(rows) - batch.rejected
    assert FamilyMembership.objects.filter(ended_on__isnull=True).count() == Person.objects.count()
    # Every rejected row has a reason in Indonesian; rows rejected for damage are not the only ones
    # (near-duplicates with the same NIK lose to their first row).
    assert all(line.message for line in result.lines)
    assert len(rejected) >= len(truth)

    surveys = read_csv(tmp_path / "survei.csv")
    survey_result = run(tmp_path / "survei.csv")
    registered = set(Family.objects.values_list("no_kk", flat=True))
    expected = sum(1 for s in surveys if s["no_kk"] in registered)
    assert survey_result.batch.inserted == expected == HouseholdSurvey.objects.count()
    assert survey_result.batch.rejected == len(surveys) - expected

    # Importing both files again changes nothing.
    audit_updates = AuditEvent.objects.filter(action="update").count()
    again = run(tmp_path / "individu.csv")
    assert counts(again) == {"unchanged": len(rows) - batch.rejected, "rejected": batch.rejected}
    assert counts(run(tmp_path / "survei.csv")) == {k: v for k, v in
                                                    {"unchanged": expected, "rejected": len(surveys) - expected}.items()
                                                    if v}
    assert AuditEvent.objects.filter(action="update").count() == audit_updates
