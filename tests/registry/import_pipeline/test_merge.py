"""What an import does to the registry: matching by NIK and No. KK, updates, history, conflicts, scope."""

import datetime

import pytest
from django.utils import timezone

from sejahtera.accounts.roles import Role
from sejahtera.core.models import AuditEvent
from sejahtera.registry.models import DuplicateCandidate, Family, FamilyMembership, ImportBatch, Person
from tests.conftest import DESA_A, DESA_B
from tests.registry.import_pipeline.helpers import (
    REQUIRED_HEADER,
    Row,
    command,
    counts,
    kk,
    lines_of,
    messages_of,
    nik,
    outcome_of,
    person_row,
    read_report,
    run,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db
WIFE_BIRTH = datetime.date(1984, 2, 3)
CHILD_BIRTH = datetime.date(2010, 9, 30)
WIFE_NIK, CHILD_NIK = nik(12, birth=WIFE_BIRTH, sex="P"), nik(13, birth=CHILD_BIRTH)  # of family 1


def family(number: int, *, desa: str = DESA_A, kecamatan: str | None = None, **head_values) -> list[Row]:
    """Head, wife and child of family ``number``; their NIK serials are number*10 + 1..3."""
    kec = {"kecamatan": kecamatan} if kecamatan else {}
    return [
        person_row(number * 10 + 1, f"Kepala {number}", family=number, desa=desa, **kec, **head_values),
        person_row(number * 10 + 2, f"Istri {number}", family=number, sex="P", birth=WIFE_BIRTH,
                   relationship="Istri", desa=desa, **kec),
        person_row(number * 10 + 3, f"Anak {number}", family=number, birth=CHILD_BIRTH, relationship="Anak",
                   desa=desa, pekerjaan="Pelajar", status_perkawinan="Belum Kawin", **kec),
    ]


def updates() -> int:
    return AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).count()


def registry_state() -> dict:
    return {
        "persons": sorted(Person.objects.values_list("id", "nik", "name", "family_id", "occupation", "updated_at",
                                                      "warnings")),
        "families": sorted(Family.objects.values_list("id", "no_kk", "desa_id", "address", "rt", "rw",
                                                       "updated_at", "warnings")),
        "memberships": sorted(FamilyMembership.objects.values_list("person_id", "family_id", "relationship",
                                                                    "started_on", "ended_on")),
    }


# --- re-importing the same file -----------------------------------------------------------------

def mixed_rows() -> list[Row]:
    rows = family(1) + family(2)
    rows[4].alamat = "Jl. Lain No. 9"                                       # 6 flagged: address differs
    rows.append(Row(kk(2), "", "Bayi Tanpa NIK", tanggal_lahir="01/01/2024",
                    extra={"hubungan_keluarga": "Anak"}))                    # 8 flagged: no NIK
    rows.append(Row(kk(3), nik(31)[:15], "NIK Pendek"))                      # 9 rejected
    rows.append(person_row(41, "Desa Asing", family=4, desa="3201019999"))  # 10 rejected
    rows.append(person_row(11, "Kepala 1", family=1))                       # 11 rejected: NIK of row 2
    rows.append(Row(kk(5), nik(51, sex="P"), "Kelamin Beda"))               # 12 flagged: NIK says P
    return rows


@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_reimport_of_the_same_file_changes_nothing(tmp_path, writer):
    path = writer(tmp_path / f"individu.{'csv' if writer is write_csv else 'xlsx'}", mixed_rows())
    first = run(path)
    assert counts(first) == {"inserted": 5, "flagged": 3, "rejected": 3}
    assert Person.objects.count() == 8 and Family.objects.count() == 3
    before, audit_before = registry_state(), updates()

    second = run(path)
    assert counts(second) == {"unchanged": 8, "rejected": 3}
    assert {line.outcome for line in second.lines} == {"rejected"}
    assert {line.row for line in second.lines} == {9, 10, 11}
    assert registry_state() == before
    assert updates() == audit_before
    assert ImportBatch.objects.filter(status="done").count() == 2


def test_reimport_through_the_command_reports_only_rejections(tmp_path):
    path = write_csv(tmp_path / "individu.csv", mixed_rows(), delimiter=";")
    command(path, "--report", tmp_path / "r1.csv")
    before, audit_before = registry_state(), updates()
    out = command(path, "--report", tmp_path / "r2.csv")
    assert "0 inserted, 0 updated, 8 unchanged, 0 flagged, 3 rejected" in out
    assert {(line["row"], line["outcome"]) for line in read_report(tmp_path / "r2.csv")} == {
        ("9", "rejected"), ("10", "rejected"), ("11", "rejected")}
    assert registry_state() == before and updates() == audit_before


# --- rows of one file ------------------------------------------------------------------------------

def test_same_nik_twice_in_a_file_rejects_the_later_rows_with_the_first_row(tmp_path):
    rows = family(1)
    rows.append(Row(rows[1].no_kk, rows[1].nik, "Istri Lain", jenis_kelamin="P",
                    tanggal_lahir=rows[1].tanggal_lahir, extra={"hubungan_keluarga": "Istri"}))  # 5
    rows.append(rows[0])                                                                   # 6 exact copy
    rows.append(Row(kk(1), "", "Tanpa NIK", extra={"hubungan_keluarga": "Famili Lain"}))    # 7 flagged
    rows.append(Row(kk(1), "", "TANPA NIK", extra={"hubungan_keluarga": "Famili Lain"}))    # 8 same person
    result = run(write_csv(tmp_path / "ganda.csv", rows))
    assert counts(result) == {"inserted": 3, "flagged": 1, "rejected": 3}
    assert outcome_of(result, 5) == "rejected" and lines_of(result, 5)[0].column == "nik"
    assert messages_of(result, 5) == "NIK yang sama sudah ada di baris 3 berkas ini."
    assert messages_of(result, 6) == "NIK yang sama sudah ada di baris 2 berkas ini."
    assert outcome_of(result, 8) == "rejected" and "baris 7" in messages_of(result, 8)
    assert Person.objects.get(nik=rows[1].nik).name == "Istri 1"
    assert Person.objects.filter(nik__isnull=True).get().name == "Tanpa NIK"


def test_person_without_nik_is_flagged_saved_and_found_again_on_reimport(tmp_path):
    rows = [person_row(11, "Kepala", family=1),
            Row(kk(1), "", "Anak Tanpa NIK", tanggal_lahir="2 Januari 2020", extra={"hubungan_keluarga": "Anak"}),
            Row(kk(1), "-", "Cucu Tanpa NIK", tanggal_lahir="2020-03-04", extra={"hubungan_keluarga": "Cucu"})]
    path = write_csv(tmp_path / "tanpa_nik.csv", rows)
    result = run(path)
    assert counts(result) == {"inserted": 1, "flagged": 2}
    assert messages_of(result, 3) == messages_of(result, 4) == "Orang ini tidak memiliki NIK."
    for name in ("Anak Tanpa NIK", "Cucu Tanpa NIK"):
        person = Person.objects.get(name=name)
        assert person.nik is None and person.has_warnings and person.family.no_kk == kk(1)
        assert [w["code"] for w in person.warnings] == ["nik_missing"]
    assert counts(run(path)) == {"unchanged": 3}
    assert Person.objects.count() == 3


def test_family_whose_rows_disagree_on_the_address_takes_the_head_row(tmp_path):
    rows = family(1)
    rows = [rows[2], rows[0], rows[1]]  # the head is not the first row
    rows[0].alamat, rows[0].rt = "Kp. Babakan", "009"   # 2: child, other address
    rows[1].alamat = "Jl. Kenanga No. 3"                 # 3: the head
    rows[2].alamat = "Jl. Kenanga No. 3"                 # 4: agrees with the head
    result = run(write_csv(tmp_path / "alamat.csv", rows))
    assert counts(result) == {"inserted": 2, "flagged": 1}
    assert outcome_of(result, 2) == "flagged" and lines_of(result, 2)[0].column == "alamat"
    assert messages_of(result, 2) == ("Desa/kelurahan atau alamat berbeda dengan baris 3 yang ber-No. KK sama; "
                                      "data baris 3 yang dipakai.")
    saved = Family.objects.get()
    assert (saved.address, saved.rt, saved.rw) == ("Jl. Kenanga No. 3", "001", "002")
    assert saved.members.count() == 3


def test_family_rows_in_two_desa_are_saved_in_the_head_desa(tmp_path):
    rows = family(1)
    rows[2].kode_desa = DESA_B
    result = run(write_csv(tmp_path / "desa.csv", rows))
    assert outcome_of(result, 4) == "flagged"
    assert set(Person.objects.values_list("desa_id", flat=True)) == {DESA_A}


def test_unknown_and_malformed_desa_codes_are_rejected(tmp_path):
    rows = [person_row(11, "Kode Asing", family=1, desa="3201019999"),
            person_row(21, "Kode Rusak", family=2, desa="32.01.01"),
            person_row(31, "Kode Kecamatan", family=3, desa="3201010000"),
            person_row(41, "Bertitik", family=4, desa="32.01.01.1001")]
    result = run(write_csv(tmp_path / "desa.csv", rows))
    assert counts(result) == {"inserted": 1, "rejected": 3}
    for row in (2, 3, 4):
        assert outcome_of(result, row) == "rejected" and lines_of(result, row)[0].column == "kode_desa"
    assert "Kemendagri" in messages_of(result, 2) and "32.01.01.2001" in messages_of(result, 3)
    assert Person.objects.get().name == "Bertitik" and Family.objects.get().desa_id == DESA_A


# --- rows against the registry -------------------------------------------------------------------

def test_registered_nik_with_another_name_or_birth_date_is_held_and_not_applied(tmp_path):
    run(write_csv(tmp_path / "awal.csv", family(1)))
    before, audit_before = registry_state(), updates()
    head, wife, child = family(1)
    head.nama = "Orang Lain Sama Sekali"                                    # 2: other name
    wife.tanggal_lahir = "04/02/1984"                                        # 3: other birth date
    child.no_kk, child.nama, child.hubungan_keluarga = kk(7), "Nama Lain", "Kepala Keluarga"  # 4: new KK too
    newcomer = person_row(12, "Pendatang", family=7, relationship="Anak")   # 5: new person of the new KK
    result = run(write_csv(tmp_path / "konflik.csv", [head, wife, child, newcomer]))
    assert counts(result) == {"flagged": 3, "inserted": 1}
    for row, registered in ((2, "Kepala 1"), (3, "Istri 1"), (4, "Anak 1")):
        assert outcome_of(result, row) == "flagged" and lines_of(result, row)[0].column == "nik"
        assert lines_of(result, row)[0].message == (
            f"NIK ini terdaftar atas {registered} dengan nama atau tanggal lahir yang berbeda; baris ini tidak "
            "diterapkan dan menunggu pemeriksaan verifikator.")
    assert Person.objects.get(nik=head.nik).name == "Kepala 1"
    assert Person.objects.get(nik=wife.nik).birth_date == WIFE_BIRTH
    assert "1984-02-04" in messages_of(result, 3)  # the row's own warnings are reported too
    assert Person.objects.get(nik=child.nik).family.no_kk == kk(1)
    state = registry_state()
    assert [p for p in state["persons"] if p[1] != newcomer.nik] == before["persons"]
    new_family = Family.objects.get(no_kk=kk(7))
    assert list(new_family.members.values_list("name", flat=True)) == ["Pendatang"]
    assert updates() == audit_before
    # The held rows wait for a verifier, each once, however often the file comes again.
    queued = DuplicateCandidate.objects.filter(source=DuplicateCandidate.Source.NIK_CONFLICT)
    assert sorted(queued.values_list("person_a__name", flat=True)) == ["Anak 1", "Istri 1", "Kepala 1"]
    again = run(write_csv(tmp_path / "konflik2.csv", [head, wife, child, newcomer]))
    assert counts(again) == {"flagged": 3, "unchanged": 1}
    assert queued.count() == 3 and updates() == audit_before


def test_held_row_alone_does_not_create_or_change_its_family(tmp_path):
    run(write_csv(tmp_path / "awal.csv", family(1)))
    head = family(1)[0]
    moved = Row(kk(8), head.nik, "Nama Berbeda", alamat="Alamat Baru")   # a new KK, only in a held row
    other = Row(kk(1), family(1)[1].nik, "Istri Beda Nama", jenis_kelamin="P",
                tanggal_lahir="03/02/1984", alamat="Alamat Diubah", extra={"hubungan_keluarga": "Istri"})
    result = run(write_csv(tmp_path / "konflik.csv", [moved, other]))
    assert counts(result) == {"flagged": 2}
    assert not Family.objects.filter(no_kk=kk(8)).exists()
    assert Family.objects.get(no_kk=kk(1)).address == "Jl. Melati No. 1"


def test_changed_occupation_and_name_spelling_update_with_audit(tmp_path, make_user):
    run(write_csv(tmp_path / "awal.csv", family(1)))
    head_before = Person.objects.get(nik=nik(11))
    operator = make_user(Role.DESA_OPERATOR, DESA_A, username="operator-a")
    rows = family(1)
    rows[0].pekerjaan, rows[0].nama = "Pedagang", "KEPALA 1"
    rows[2].pendidikan = "SLTP"
    out = command(write_csv(tmp_path / "ubah.csv", rows), "--user", "operator-a")
    assert "0 inserted, 2 updated, 1 unchanged, 0 flagged, 0 rejected" in out
    head = Person.objects.get(nik=nik(11))
    assert (head.name, head.occupation) == ("KEPALA 1", "Pedagang") and head.updated_at > head_before.updated_at
    event = AuditEvent.objects.get(action="update", object_type="registry.person", object_id=str(head.pk))
    assert event.changes == {"name": ["Kepala 1", "KEPALA 1"], "occupation": ["Petani", "Pedagang"]}
    assert (event.actor_id, event.channel, event.region_code) == (operator.pk, "import", DESA_A)
    child = Person.objects.get(nik=CHILD_NIK)
    assert AuditEvent.objects.get(action="update", object_id=str(child.pk)).changes == {"education": [5, 4]}
    assert not AuditEvent.objects.filter(action="update", object_id=str(Person.objects.get(nik=WIFE_NIK).pk))
    batch = ImportBatch.objects.get(file_name="ubah.csv")
    assert batch.created_by == operator and batch.updated == 2 and batch.scope_code == DESA_A


def test_person_moved_to_another_kk_keeps_the_membership_history(tmp_path):
    run(write_csv(tmp_path / "awal.csv", family(1) + family(2)))
    child = Person.objects.get(nik=CHILD_NIK)
    old_family, new_family = Family.objects.get(no_kk=kk(1)), Family.objects.get(no_kk=kk(2))
    rows = family(1) + family(2)
    rows[2].no_kk, rows[2].hubungan_keluarga = kk(2), "Famili Lain"
    result = run(write_csv(tmp_path / "pindah.csv", rows))
    assert counts(result) == {"updated": 1, "unchanged": 5}
    child.refresh_from_db()
    assert child.family == new_family and child.relationship == 9
    history = list(FamilyMembership.objects.filter(person=child).order_by("id"))
    assert [(m.family_id, m.relationship, m.ended_on) for m in history] == [
        (old_family.pk, 4, timezone.localdate()), (new_family.pk, 9, None)]
    assert history[1].started_on == timezone.localdate()
    event = AuditEvent.objects.get(action="update", object_id=str(child.pk))
    assert event.changes == {"family": [old_family.pk, new_family.pk], "relationship": [4, 9]}
    assert sorted(old_family.members.values_list("name", flat=True)) == ["Istri 1", "Kepala 1"]
    # A re-import of the new state changes nothing.
    assert counts(run(write_csv(tmp_path / "pindah2.csv", rows))) == {"unchanged": 6}
    assert FamilyMembership.objects.filter(person=child).count() == 2


def test_person_moved_to_a_new_kk_opens_the_new_family(tmp_path):
    run(write_csv(tmp_path / "awal.csv", family(1)))
    rows = family(1)
    rows[2].no_kk, rows[2].hubungan_keluarga, rows[2].alamat = kk(5), "Kepala Keluarga", "Kp. Pisah"
    result = run(write_csv(tmp_path / "pisah.csv", rows))
    assert counts(result) == {"updated": 1, "unchanged": 2}
    split = Family.objects.get(no_kk=kk(5))
    assert split.address == "Kp. Pisah" and list(split.members.values_list("name", flat=True)) == ["Anak 1"]
    history = FamilyMembership.objects.filter(person__nik=CHILD_NIK).order_by("id")
    assert [(m.family.no_kk, m.relationship, m.ended_on is None) for m in history] == [
        (kk(1), 4, False), (kk(5), 1, True)]


def test_changed_relationship_updates_the_open_membership(tmp_path):
    run(write_csv(tmp_path / "awal.csv", family(1)))
    rows = family(1)
    rows[2].hubungan_keluarga = "Cucu"
    assert counts(run(write_csv(tmp_path / "ubah.csv", rows))) == {"updated": 1, "unchanged": 2}
    membership = FamilyMembership.objects.get(person__nik=CHILD_NIK)
    assert (membership.relationship, membership.ended_on) == (6, None)


def test_family_moving_to_another_desa_takes_its_members(tmp_path):
    run(write_csv(tmp_path / "awal.csv", family(1)))
    rows = family(1, desa=DESA_B)
    for row in rows:
        row.alamat = "Kp. Baru"
    result = run(write_csv(tmp_path / "pindah.csv", rows))
    moved = Family.objects.get()
    assert (moved.desa_id, moved.address) == (DESA_B, "Kp. Baru")
    assert set(Person.objects.values_list("desa_id", flat=True)) == {DESA_B}
    event = AuditEvent.objects.get(action="update", object_type="registry.family")
    assert event.changes == {"desa": [DESA_A, DESA_B], "address": ["Jl. Melati No. 1", "Kp. Baru"]}
    # The rows changed the registry: they are not "unchanged".
    assert counts(result) == {"updated": 3}
    assert counts(run(write_csv(tmp_path / "pindah.csv", rows))) == {"unchanged": 3}


def test_changed_address_alone_counts_as_an_update(tmp_path):
    run(write_csv(tmp_path / "awal.csv", family(1)))
    rows = family(1)
    for row in rows:
        row.rt = "007"
    assert counts(run(write_csv(tmp_path / "rt.csv", rows))) == {"updated": 3}
    assert Family.objects.get().rt == "007"
    assert AuditEvent.objects.get(action="update").changes == {"rt": ["001", "007"]}


def test_file_without_optional_columns_does_not_blank_existing_values(tmp_path):
    run(write_csv(tmp_path / "lengkap.csv", family(1)))
    before, audit_before = registry_state(), updates()
    head = Person.objects.get(nik=nik(11))
    assert (head.occupation, head.birth_place, head.education, head.marital_status) == ("Petani", "Bogor", 5, 2)

    result = run(write_xlsx(tmp_path / "wajib.xlsx", family(1), REQUIRED_HEADER))
    assert counts(result) == {"unchanged": 3}
    assert registry_state() == before and updates() == audit_before
    head.refresh_from_db()
    assert (head.occupation, head.birth_place, head.education, head.marital_status) == ("Petani", "Bogor", 5, 2)
    assert Family.objects.get().address == "Jl. Melati No. 1"

    # A required-columns file still updates what it carries, and only that.
    rows = family(1)
    rows[0].tanggal_lahir, rows[0].nama = "17-05-1980", "Kepala Satu"
    rows[1].hubungan_keluarga = "Famili Lain"
    result = run(write_csv(tmp_path / "wajib2.csv", rows, REQUIRED_HEADER))
    assert counts(result) == {"flagged": 1, "updated": 1, "unchanged": 1}  # a new name is held
    wife = Person.objects.get(nik=WIFE_NIK)
    assert (wife.relationship, wife.occupation, wife.birth_place) == (9, "Petani", "Bogor")


def test_blank_optional_cells_in_a_present_column_do_not_make_a_new_person_invalid(tmp_path):
    rows = family(1)
    rows[0].pekerjaan = rows[0].tempat_lahir = ""
    for row in rows:
        row.alamat = row.rt = ""
    assert counts(run(write_csv(tmp_path / "kosong.csv", rows))) == {"inserted": 3}
    head = Person.objects.get(nik=nik(11))
    assert (head.occupation, head.birth_place) == ("", "")
    assert (Family.objects.get().address, Family.objects.get().rt, Family.objects.get().rw) == ("", "", "002")


# --- the importer's region ------------------------------------------------------------------------

def test_desa_operator_cannot_import_rows_of_another_desa(tmp_path, make_user):
    make_user(Role.DESA_OPERATOR, DESA_A, username="operator-a")
    rows = family(1) + family(2, desa=DESA_B, kecamatan=DESA_B[:6])
    report = tmp_path / "laporan.csv"
    out = command(write_csv(tmp_path / "campur.csv", rows), "--user", "operator-a", "--report", report)
    assert "3 inserted, 0 updated, 0 unchanged, 0 flagged, 3 rejected" in out
    lines = read_report(report)
    assert {line["row"] for line in lines} == {"5", "6", "7"}
    assert {(line["column"], line["outcome"], line["message"]) for line in lines} == {
        ("kode_desa", "rejected", "Desa/kelurahan ini berada di luar wilayah kerja Anda.")}
    assert set(Person.objects.values_list("desa_id", flat=True)) == {DESA_A}
    assert not Family.objects.filter(desa_id=DESA_B).exists()


def test_desa_operator_cannot_change_persons_or_families_registered_elsewhere(tmp_path, make_user):
    make_user(Role.DESA_OPERATOR, DESA_A, username="operator-a")
    kecamatan_b = DESA_B[:6]
    command(write_csv(tmp_path / "awal.csv", family(2, desa=DESA_B, kecamatan=kecamatan_b)))
    before = registry_state()
    b_head = family(2, desa=DESA_B, kecamatan=kecamatan_b)[0]
    # The person of desa B claimed by a new KK of desa A, and a new person of desa A under desa B's KK.
    b_head.no_kk, b_head.kode_desa, b_head.alamat = kk(60), DESA_A, "Alamat Desa A"
    newcomer = person_row(29, "Pendatang", family=2, kecamatan=kecamatan_b, relationship="Famili Lain")
    report = tmp_path / "laporan.csv"
    out = command(write_csv(tmp_path / "rebut.csv", [b_head, newcomer]), "--user", "operator-a", "--report", report)
    assert "0 inserted, 0 updated, 0 unchanged, 0 flagged, 2 rejected" in out
    messages = {line["row"]: line["message"] for line in read_report(report)}
    assert messages == {"2": "NIK ini terdaftar di desa/kelurahan di luar wilayah kerja Anda.",
                        "3": "No. KK ini terdaftar di desa/kelurahan di luar wilayah kerja Anda."}
    assert registry_state() == before
    assert not Family.objects.filter(no_kk=kk(60)).exists()


def test_user_without_registry_rights_has_every_row_rejected(tmp_path, planner):
    report = tmp_path / "laporan.csv"
    out = command(write_csv(tmp_path / "individu.csv", family(1)), "--user", planner.username, "--report", report)
    assert "0 inserted, 0 updated, 0 unchanged, 0 flagged, 3 rejected" in out
    assert {line["column"] for line in read_report(report)} == {"kode_desa"}
    assert not Person.objects.exists() and not Family.objects.exists()


def test_dry_run_of_changes_writes_nothing(tmp_path):
    run(write_csv(tmp_path / "awal.csv", family(1)))
    before, audit_before = registry_state(), AuditEvent.objects.count()
    rows = family(1) + family(2)
    rows[0].pekerjaan = "Pedagang"
    rows[2].no_kk = kk(2)
    out = command(write_csv(tmp_path / "ubah.csv", rows), "--dry-run")
    assert "3 inserted, 2 updated, 1 unchanged, 0 flagged, 0 rejected" in out
    assert registry_state() == before and AuditEvent.objects.count() == audit_before
    batch = ImportBatch.objects.get(file_name="ubah.csv")
    assert batch.dry_run and (batch.inserted, batch.updated) == (3, 2)
