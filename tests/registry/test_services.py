import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sejahtera.core.models import AuditEvent
from sejahtera.registry import services
from sejahtera.registry.identity import nik_for_birth
from sejahtera.registry.models import FamilyMembership, Person
from tests.conftest import DESA_A, DESA_B


def test_family_create_writes_family_head_and_audit(operator_a, make_family):
    family = make_family(operator_a)
    head = family.members.get()
    assert head.desa_id == DESA_A
    assert FamilyMembership.objects.get(person=head).ended_on is None
    events = AuditEvent.objects.filter(action="create").values_list("object_type", flat=True)
    assert sorted(events) == ["registry.family", "registry.person"]
    created = AuditEvent.objects.get(object_type="registry.family")
    assert created.actor == operator_a
    assert created.changes["no_kk"] == [None, family.no_kk]


def test_operator_cannot_register_in_another_desa(operator_a, make_family):
    with pytest.raises(PermissionDenied):
        make_family(operator_a, DESA_B)


def test_invalid_nik_blocks_saving(operator_a, make_family):
    family = make_family(operator_a)
    with pytest.raises(ValidationError) as error:
        services.person_add(actor=operator_a, family=family, nik="320101170580", name="Euis", sex="P",
                            birth_date=datetime.date(1982, 1, 1), relationship=3)
    assert "nik" in error.value.message_dict
    assert family.members.count() == 1


def test_nik_mismatch_is_saved_with_warning(operator_a, make_family):
    family = make_family(operator_a)
    nik = nik_for_birth(DESA_A[:6], datetime.date(1985, 7, 9), "P", 77)
    person = services.person_add(actor=operator_a, family=family, nik=nik, name="Euis Komariah", sex="P",
                                 birth_date=datetime.date(1985, 7, 10), relationship=3)
    assert person.has_warnings
    assert [w["code"] for w in person.warnings] == ["nik_birth_date_mismatch"]


def test_person_without_nik_is_allowed(operator_a, make_family):
    family = make_family(operator_a)
    person = services.person_add(actor=operator_a, family=family, nik="", name="Bayi Ujang", sex="L",
                                 birth_date=datetime.date(2026, 10, 1), relationship=4)
    assert person.nik is None and not person.has_nik


def test_duplicate_nik_rejected(operator_a, make_family):
    family = make_family(operator_a)
    head = family.members.get()
    with pytest.raises(ValidationError):
        services.person_add(actor=operator_a, family=family, nik=head.nik, name="Orang Lain", sex="L",
                            birth_date=head.birth_date, relationship=4)


def test_update_keeps_before_and_after(operator_a, make_family):
    family = make_family(operator_a)
    head = family.members.get()
    services.person_update(actor=operator_a, person=head, name="Asep Sunandar S.", phone="081234567890")
    event = AuditEvent.objects.get(object_type="registry.person", action="update")
    assert event.changes == {"name": ["Asep Sunandar", "Asep Sunandar S."], "phone": ["", "081234567890"]}


def test_move_keeps_nik_and_history(make_user, make_family):
    from sejahtera.accounts.roles import Role

    verifier = make_user(Role.KECAMATAN_VERIFIER, "3201")
    old = make_family(verifier, DESA_A)
    new = make_family(verifier, DESA_B, head_name="Dadang Suparman")
    person = old.members.get()
    nik = person.nik
    with pytest.raises(ValidationError):  # before the person joined the old family
        services.person_move(actor=verifier, person=person, to_family=new, relationship=9,
                             on=datetime.date(2000, 1, 5))
    services.person_move(actor=verifier, person=person, to_family=new, relationship=9)
    person.refresh_from_db()
    assert person.nik == nik and person.family == new and person.desa_id == DESA_B
    history = list(FamilyMembership.objects.filter(person=person).order_by("id"))
    today = history[1].started_on
    assert [(h.family_id, h.ended_on) for h in history] == [(old.pk, today), (new.pk, None)]
    assert Person.objects.filter(nik=nik).count() == 1
