"""Household-survey files: insert, unchanged re-import, updates with audit, unknown families."""

import datetime

import pytest

from sejahtera.accounts.roles import Role
from sejahtera.core.models import AuditEvent
from sejahtera.registry.models import HouseholdSurvey, ImportBatch
from tests.conftest import DESA_A, DESA_B
from tests.registry.import_pipeline.helpers import (
    SURVEY_HEADER,
    command,
    counts,
    kk,
    lines_of,
    messages_of,
    outcome_of,
    person_row,
    read_report,
    run,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def families(tmp_path):
    rows = [person_row(1, "Kepala Satu", family=1), person_row(2, "Kepala Dua", family=2),
            person_row(3, "Kepala Tiga", family=3, desa=DESA_B, kecamatan=DESA_B[:6])]
    result = run(write_csv(tmp_path / "individu.csv", rows))
    assert counts(result) == {"inserted": 3}
    return [rows[0].no_kk, rows[1].no_kk, rows[2].no_kk]


def survey(no_kk, surveyed_on="01/02/2024", **changes) -> list:
    values = {
        "no_kk": no_kk, "tanggal_survei": surveyed_on, "enumerator": "Petugas Desa", "luas_lantai": "36",
        "jenis_lantai": "Keramik", "jenis_dinding": "Tembok", "jenis_atap": "Genteng", "sumber_air_minum": "Leding",
        "fasilitas_bab": "Sendiri dengan Tangki Septik", "sumber_penerangan": "PLN dengan Meteran",
        "daya_listrik": "900", "bahan_bakar_memasak": "LPG 3 kg", "status_kepemilikan_rumah": "Milik Sendiri",
        "memiliki_lahan": "Tidak", "kulkas": "Ya", "sepeda_motor": "Ya", "ternak_kecil": "2",
        "pengeluaran_per_kapita": "Rp1.250.000",
    }
    values.update(changes)
    return [values[name] for name in SURVEY_HEADER]


def stored(no_kk):
    return HouseholdSurvey.objects.get(family__no_kk=no_kk)


def test_insert_then_unchanged_then_updated(tmp_path, families):
    first, second, _other = families
    path = write_csv(tmp_path / "survei.csv", [survey(first), survey(second, "15/03/2024", luas_lantai="21")],
                     SURVEY_HEADER)
    result = run(path)
    assert counts(result) == {"inserted": 2} and result.lines == []
    saved = stored(first)
    assert (saved.surveyed_on, saved.floor_area_m2, saved.floor_material, saved.installed_power_va,
            saved.has_refrigerator, saved.has_motorbike, saved.owns_land, saved.small_livestock,
            saved.consumption_per_capita) == (datetime.date(2024, 2, 1), 36, "ceramic", 900, True, True, False, 2,
                                              1_250_000)
    assert ImportBatch.objects.get(file_name="survei.csv").kind == "surveys"

    audit_before, updated_at = AuditEvent.objects.filter(action="update").count(), saved.updated_at
    again = run(path)
    assert counts(again) == {"unchanged": 2} and again.lines == []
    assert AuditEvent.objects.filter(action="update").count() == audit_before
    assert stored(first).updated_at == updated_at

    changed = write_xlsx(tmp_path / "survei2.xlsx", [
        survey(first, jenis_lantai="Tanah", kulkas="Tidak", pengeluaran_per_kapita=""),
        survey(second, "15/03/2024", luas_lantai="21"),
    ], SURVEY_HEADER, title="Survei Rumah Tangga")
    result = run(changed)
    assert counts(result) == {"updated": 1, "unchanged": 1}
    saved = stored(first)
    assert (saved.floor_material, saved.has_refrigerator, saved.consumption_per_capita) == ("earth", False, None)
    assert saved.updated_at > updated_at
    event = AuditEvent.objects.get(action="update", object_type="registry.householdsurvey")
    assert event.object_id == str(saved.pk) and event.channel == "import"
    assert event.changes == {"floor_material": ["ceramic", "earth"], "has_refrigerator": [True, False],
                             "consumption_per_capita": [1250000, None]}
    assert HouseholdSurvey.objects.count() == 2


def test_a_new_survey_date_adds_a_survey(tmp_path, families):
    run(write_csv(tmp_path / "s1.csv", [survey(families[0])], SURVEY_HEADER))
    result = run(write_csv(tmp_path / "s2.csv", [survey(families[0], "01/02/2025", luas_lantai="40")], SURVEY_HEADER))
    assert counts(result) == {"inserted": 1}
    assert list(HouseholdSurvey.objects.filter(family__no_kk=families[0]).values_list("floor_area_m2", flat=True)) \
        == [40, 36]


def test_unknown_no_kk_and_bad_rows_are_rejected(tmp_path, families):
    rows = [
        survey(families[0]),                                 # 2 inserted
        survey(kk(99)),                                      # 3 rejected: no such family
        survey("3.20101E+15"),                               # 4 rejected: scientific notation
        survey(families[1], jenis_lantai="Emas"),            # 5 rejected: unknown floor material
        survey(families[0], luas_lantai="40"),               # 6 rejected: same family and date as row 2
        survey(families[1], tanggal_survei="31/02/2024"),    # 7 rejected: impossible date
    ]
    report = tmp_path / "laporan.xlsx"
    out = command(write_csv(tmp_path / "survei.csv", rows, SURVEY_HEADER, delimiter=";"), "--report", report)
    assert "6 rows: 1 inserted, 0 updated, 0 unchanged, 0 flagged, 5 rejected" in out
    lines = {line["row"]: line for line in read_report(report)}
    assert set(lines) == {3, 4, 5, 6, 7}
    assert {line["outcome"] for line in lines.values()} == {"rejected"}
    assert (lines[3]["column"], lines[4]["column"], lines[5]["column"]) == ("no_kk", "no_kk", "jenis_lantai")
    assert lines[3]["message"].startswith("Belum ada keluarga terdaftar dengan No. KK ini")
    assert "notasi ilmiah" in lines[4]["message"]
    assert "baris 2" in lines[6]["message"] and lines[6]["column"] == "tanggal_survei"
    assert lines[7]["column"] == "tanggal_survei"
    assert HouseholdSurvey.objects.count() == 1 and stored(families[0]).floor_area_m2 == 36


def test_survey_file_without_optional_columns_keeps_their_values(tmp_path, families):
    run(write_csv(tmp_path / "s1.csv", [survey(families[0])], SURVEY_HEADER))
    required = [name for name in SURVEY_HEADER
                if name not in ("enumerator", "daya_listrik", "kulkas", "sepeda_motor", "ternak_kecil",
                                "memiliki_lahan", "pengeluaran_per_kapita")]
    full = dict(zip(SURVEY_HEADER, survey(families[0], luas_lantai="50"), strict=True))
    result = run(write_csv(tmp_path / "s2.csv", [[full[name] for name in required]], required))
    assert counts(result) == {"updated": 1}
    saved = stored(families[0])
    assert (saved.floor_area_m2, saved.enumerator, saved.installed_power_va, saved.has_refrigerator,
            saved.consumption_per_capita) == (50, "Petugas Desa", 900, True, 1_250_000)
    assert AuditEvent.objects.get(action="update").changes == {"floor_area_m2": [36, 50]}


def test_survey_of_a_family_outside_the_importer_area_is_rejected(tmp_path, families, make_user):
    operator = make_user(Role.DESA_OPERATOR, DESA_A, username="operator-a")
    path = write_csv(tmp_path / "survei.csv", [survey(families[0]), survey(families[2])], SURVEY_HEADER)
    result = run(path, actor=operator)
    assert counts(result) == {"inserted": 1, "rejected": 1}
    assert outcome_of(result, 3) == "rejected" and lines_of(result, 3)[0].column == "no_kk"
    assert messages_of(result, 3) == "No. KK ini terdaftar di desa/kelurahan di luar wilayah kerja Anda."
    assert not HouseholdSurvey.objects.filter(family__desa_id=DESA_B).exists()


def test_survey_dry_run_writes_nothing(tmp_path, families):
    out = command(write_csv(tmp_path / "survei.csv", [survey(families[0])], SURVEY_HEADER), "--dry-run")
    assert "1 inserted" in out and not HouseholdSurvey.objects.exists()
    assert ImportBatch.objects.get(file_name="survei.csv").dry_run


def test_full_survey_template_with_every_column(tmp_path, families):
    from sejahtera.registry.importing.columns import SURVEYS

    header = [column.name for column in SURVEYS.columns]
    values = dict(zip(SURVEY_HEADER, survey(families[0]), strict=True))
    values.update(memiliki_rumah_lain="Ya", ac="Tidak", televisi="1", komputer="0", emas="Tidak", mobil="T",
                  ternak_besar="3")
    path = write_xlsx(tmp_path / "lengkap.xlsx", [[values[name] for name in header]], header, title="Survei")
    assert counts(run(path)) == {"inserted": 1}
    saved = stored(families[0])
    assert (saved.owns_other_house, saved.has_air_conditioner, saved.has_television, saved.has_computer,
            saved.has_car, saved.large_livestock) == (True, False, True, False, False, 3)
    assert counts(run(path)) == {"unchanged": 1}
