"""Cycle pages: create, open and close a cycle; the enrolment list in each role's scope with its
filters; bulk and single workflow steps that change exactly the rows they name; approvals that
stop at the quota. Expected rows are counted here with plain ORM queries, not the selectors."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db.models import Count
from django.urls import reverse

from sejahtera.accounts.models import Agency
from sejahtera.accounts.roles import Role
from sejahtera.core.models import AuditEvent
from sejahtera.programs import services
from sejahtera.programs.models import Cycle, Enrolment, Programme
from sejahtera.registry.identity import mask_nik
from sejahtera.registry.models import Person
from sejahtera.welfare.models import WelfareScore
from tests.programs.conftest import REGENCY, scored_once_per_module

pytestmark = pytest.mark.django_db
STARTS, ENDS = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)

registry = scored_once_per_module(150, 11)


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def staff(make_user):
    return {
        "officer": make_user(Role.AGENCY_OFFICER, REGENCY, agency="dinsos", username="officer"),
        "head": make_user(Role.AGENCY_HEAD, REGENCY, agency="dinsos", username="head"),
        "verifier": make_user(Role.KECAMATAN_VERIFIER, REGENCY, username="verifier"),
        "stranger": make_user(Role.AGENCY_OFFICER, REGENCY, agency="disnaker", username="stranger"),
    }


def make_programme(quota=None):
    return Programme.objects.create(
        regency_code=REGENCY, code="uji-bantuan", name="Bantuan Uji", agency=Agency.objects.get(code="dinsos"),
        target="family", benefit="cash", amount=250_000, period="year", quota=quota)


def publish(officer, programme, text="desil <= 5"):
    services.rule_publish(actor=officer, rule=services.rule_draft_save(actor=officer, programme=programme, text=text))


@pytest.fixture
def cycle(staff):
    """An open cycle of a family programme with a quota of 5."""
    programme = make_programme(quota=5)
    publish(staff["officer"], programme)
    cycle = services.cycle_create(actor=staff["officer"], programme=programme, label="2026", starts_on=STARTS,
                                  ends_on=ENDS)
    return services.cycle_open(actor=staff["officer"], cycle=cycle)


def busiest_desa(cycle) -> tuple[str, int]:
    row = (Enrolment.objects.filter(cycle=cycle).values("desa_code").annotate(n=Count("pk"))
           .order_by("-n", "desa_code").first())
    return row["desa_code"], row["n"]


def shown_ids(response) -> list[int]:
    return [e.pk for e in response.context["page"].object_list]


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def statuses(cycle) -> dict[int, str]:
    return dict(Enrolment.objects.filter(cycle=cycle).values_list("pk", "status"))


# -- cycles -------------------------------------------------------------------------------------

def test_officer_creates_opens_and_closes_a_cycle(login, staff):
    programme = make_programme(quota=40)
    publish(staff["officer"], programme)
    client = login(staff["officer"])
    url = reverse("web:cycle_create", args=[programme.code])
    assert client.get(url).status_code == 200

    refused = client.post(url, {"label": "2026", "starts_on": "2026-12-31", "ends_on": "2026-01-01"})
    assert refused.status_code == 200 and "must end on or after" in refused.content.decode()
    assert not Cycle.objects.filter(programme=programme).exists()

    response = client.post(url, {"label": "2026", "starts_on": "2026-01-01", "ends_on": "2026-12-31"})
    cycle = Cycle.objects.get(programme=programme)
    assert response.status_code == 302 and response["Location"] == reverse("web:cycle_detail", args=[cycle.pk])
    assert cycle.status == "draft"

    client.post(reverse("web:cycle_open", args=[cycle.pk]))
    cycle.refresh_from_db()
    expected = WelfareScore.objects.filter(is_current=True, desil__lte=5, family__desa__pk__startswith=REGENCY).count()
    assert cycle.status == "open" and cycle.candidates == expected > 0
    assert Enrolment.objects.filter(cycle=cycle).count() == expected

    page = client.get(reverse("web:cycle_detail", args=[cycle.pk]))
    html = page.content.decode()
    assert "desil &lt;= 5" in html and f'id="cycle-candidates">{expected}<' in html
    assert dict((value, n) for value, _label, n in page.context["statuses"])["candidate"] == expected
    assert page.context["quota_percent"] == 0

    again = client.post(reverse("web:cycle_open", args=[cycle.pk]), follow=True)
    assert any("Only a draft cycle can be opened" in m for m in flashed(again))
    client.post(reverse("web:cycle_close", args=[cycle.pk]))
    cycle.refresh_from_db()
    assert cycle.status == "closed"


def test_only_the_programme_staff_manage_cycles(login, staff, cycle):
    programme = cycle.programme
    stranger = login(staff["stranger"])
    assert stranger.get(reverse("web:cycle_create", args=[programme.code])).status_code == 403
    assert stranger.post(reverse("web:cycle_create", args=[programme.code]),
                         {"label": "2027", "starts_on": "2027-01-01", "ends_on": "2027-12-31"}).status_code == 403
    response = login(staff["verifier"]).post(reverse("web:cycle_close", args=[cycle.pk]), follow=True)
    assert any("Only officers of" in m for m in flashed(response))
    cycle.refresh_from_db()
    assert cycle.status == "open" and Cycle.objects.filter(programme=programme).count() == 1


# -- reading enrolments -------------------------------------------------------------------------

def test_desa_operator_sees_only_their_desa(login, make_user, cycle):
    desa, count = busiest_desa(cycle)
    operator = make_user(Role.DESA_OPERATOR, desa, username="operator")
    response = login(operator).get(reverse("web:enrolment_list", args=[cycle.pk]))
    assert response.status_code == 200
    expected = list(Enrolment.objects.filter(cycle=cycle, desa_code=desa).order_by("priority")
                    .values_list("pk", flat=True))
    assert response.context["paginator"].count == count and shown_ids(response) == expected[:50]

    elsewhere = Enrolment.objects.filter(cycle=cycle).exclude(desa_code=desa).first()
    assert login(operator).get(reverse("web:enrolment_detail", args=[elsewhere.pk])).status_code == 404
    counts = login(operator).get(reverse("web:cycle_detail", args=[cycle.pk])).context["statuses"]
    assert sum(n for _value, _label, n in counts) == count


def test_other_agency_gets_403_and_planner_sees_no_personal_data(login, staff, planner, cycle):
    first = Enrolment.objects.filter(cycle=cycle).order_by("priority").first()
    head = Person.objects.filter(family_id=first.family_id, relationship=1).order_by("id").first()

    stranger = login(staff["stranger"])
    assert stranger.get(reverse("web:enrolment_list", args=[cycle.pk])).status_code == 403
    assert stranger.post(reverse("web:enrolment_bulk", args=[cycle.pk]),
                         {"action": "reject", "scope": "filtered", "reason": "x"}).status_code == 403
    assert stranger.get(reverse("web:enrolment_detail", args=[first.pk])).status_code == 404

    client = login(planner)
    listing = client.get(reverse("web:enrolment_list", args=[cycle.pk]))
    detail = client.get(reverse("web:cycle_detail", args=[cycle.pk]))
    for response in (listing, detail):
        html = response.content.decode()
        assert response.status_code == 200
        assert head.name not in html and head.nik not in html and mask_nik(head.nik) not in html
    assert "page" not in listing.context and detail.context["statuses"] == []
    assert client.get(reverse("web:enrolment_detail", args=[first.pk])).status_code == 404
    assert set(statuses(cycle).values()) == {"candidate"}


def test_nik_is_masked_for_agency_staff_and_whole_for_verifiers(login, staff, cycle):
    first = Enrolment.objects.filter(cycle=cycle).order_by("priority").first()
    head = Person.objects.filter(family_id=first.family_id, relationship=1).order_by("id").first()
    url = reverse("web:enrolment_list", args=[cycle.pk])
    officer_html = login(staff["officer"]).get(url).content.decode()
    assert head.name in officer_html and mask_nik(head.nik) in officer_html and head.nik not in officer_html
    assert reverse("web:family_detail", args=[first.family_id]) in officer_html
    verifier_html = login(staff["verifier"]).get(url).content.decode()
    assert head.nik in verifier_html


def test_filters_by_status_region_and_desil(login, staff, cycle):
    desa, _count = busiest_desa(cycle)
    ids = list(Enrolment.objects.filter(cycle=cycle).order_by("priority").values_list("pk", flat=True))
    services.enrolments_verify(actor=staff["verifier"], cycle=cycle, ids_or_filter=ids[::3])
    client = login(staff["officer"])
    url = reverse("web:enrolment_list", args=[cycle.pk])
    rows = Enrolment.objects.filter(cycle=cycle).order_by("priority", "id")
    for params, expected in [
        ({"status": "verified"}, rows.filter(status="verified")),
        ({"kecamatan": desa[:6]}, rows.filter(desa_code__startswith=desa[:6])),
        ({"kecamatan": desa[:6], "desa": desa}, rows.filter(desa_code=desa)),
        ({"desil": 2}, rows.filter(desil=2)),
        ({"desil": 3, "status": "candidate"}, rows.filter(desil=3, status="candidate")),
    ]:
        response = client.get(url, params)
        assert response.context["paginator"].count == expected.count() > 0, params
        assert shown_ids(response) == list(expected.values_list("pk", flat=True)[:50]), params


def test_enrolment_page_is_logged(login, staff, cycle):
    first = Enrolment.objects.filter(cycle=cycle).order_by("priority").first()
    response = login(staff["officer"]).get(reverse("web:enrolment_detail", args=[first.pk]))
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    assert AuditEvent.objects.filter(actor=staff["officer"], action="view", object_type="registry.family",
                                     object_id=str(first.family_id), region_code=first.desa_code).count() == 1


# -- workflow steps -----------------------------------------------------------------------------

def test_bulk_verify_changes_exactly_the_filtered_rows(login, staff, cycle):
    desa, count = busiest_desa(cycle)
    before = statuses(cycle)
    query = f"?kecamatan={desa[:6]}&desa={desa}"
    response = login(staff["verifier"]).post(reverse("web:enrolment_bulk", args=[cycle.pk]) + query,
                                             {"action": "verify", "scope": "filtered"})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:enrolment_list", args=[cycle.pk]) + query
    after = statuses(cycle)
    changed = {pk for pk in after if after[pk] != before[pk]}
    assert changed == set(Enrolment.objects.filter(cycle=cycle, desa_code=desa).values_list("pk", flat=True))
    assert len(changed) == count and {after[pk] for pk in changed} == {"verified"}
    assert f"{count} of {count} changed" in flashed(response)[0]


def test_bulk_approve_stops_at_the_quota_in_priority_order(login, staff, cycle):
    ids = list(Enrolment.objects.filter(cycle=cycle).order_by("priority").values_list("pk", flat=True))
    verified = ids[2:14]  # twelve verified, the quota is five
    services.enrolments_verify(actor=staff["verifier"], cycle=cycle, ids_or_filter=verified)
    client = login(staff["head"])
    response = client.post(reverse("web:enrolment_bulk", args=[cycle.pk]) + "?status=verified",
                           {"action": "approve", "scope": "filtered"})
    approved = set(Enrolment.objects.filter(cycle=cycle, status="approved").values_list("pk", flat=True))
    assert approved == set(verified[:5])
    message = flashed(response)[0]
    assert "5 of 12 changed" in message and "7 left out" in message

    again = client.post(reverse("web:enrolment_bulk", args=[cycle.pk]), {"action": "approve", "scope": "filtered"})
    assert f"0 of {len(ids)} changed" in flashed(again)[-1] and "7 left out" in flashed(again)[-1]
    cycle.refresh_from_db()
    assert cycle.approved_count == 5 and Enrolment.objects.filter(cycle=cycle, status="approved").count() == 5
    page = client.get(reverse("web:cycle_detail", args=[cycle.pk]))
    assert page.context["quota_percent"] == 100 and 'value="100"' in page.content.decode()


def test_reject_selected_needs_a_reason_and_touches_only_the_selection(login, staff, cycle):
    ids = list(Enrolment.objects.filter(cycle=cycle).order_by("priority").values_list("pk", flat=True))
    client = login(staff["officer"])
    url = reverse("web:enrolment_bulk", args=[cycle.pk])
    refused = client.post(url, {"action": "reject", "scope": "selected", "ids": ids[3:5], "reason": " "})
    assert flashed(refused) == ["Give a reason."]
    assert set(statuses(cycle).values()) == {"candidate"}

    client.post(url, {"action": "reject", "scope": "selected", "ids": ids[3:5], "reason": "Pindah domisili"})
    rejected = Enrolment.objects.filter(cycle=cycle, status="rejected")
    assert set(rejected.values_list("pk", flat=True)) == set(ids[3:5])
    assert set(rejected.values_list("reason", flat=True)) == {"Pindah domisili"}


def test_selected_rows_outside_the_users_desa_are_not_touched(login, make_user, cycle):
    desa, _count = busiest_desa(cycle)
    own = Enrolment.objects.filter(cycle=cycle, desa_code=desa).order_by("priority").first()
    foreign = Enrolment.objects.filter(cycle=cycle).exclude(desa_code=desa).order_by("priority").first()
    operator = make_user(Role.DESA_OPERATOR, desa, username="operator")
    login(operator).post(reverse("web:enrolment_bulk", args=[cycle.pk]),
                         {"action": "verify", "scope": "selected", "ids": [own.pk, foreign.pk]})
    assert {pk for pk, status in statuses(cycle).items() if status == "verified"} == {own.pk}


def test_single_steps_on_the_enrolment_page(login, staff, make_user, cycle):
    first = Enrolment.objects.filter(cycle=cycle).order_by("priority").first()
    operator = make_user(Role.DESA_OPERATOR, first.desa_code, username="operator")

    def step(user, name, **data):
        return login(user).post(reverse("web:enrolment_step", args=[first.pk, name]), data, follow=True)

    page = login(operator).get(reverse("web:enrolment_detail", args=[first.pk]))
    assert [name for name, _label, _reason in page.context["steps"]] == ["verify", "reject"]
    step(operator, "verify")
    first.refresh_from_db()
    assert (first.status, first.verified_by) == ("verified", operator)

    refused = step(operator, "approve")
    assert any("Only the head" in m for m in flashed(refused))
    first.refresh_from_db()
    assert first.status == "verified"
    step(staff["head"], "approve")
    step(staff["officer"], "activate")
    assert any("Give a reason" in m for m in flashed(step(staff["officer"], "exit")))
    step(staff["officer"], "exit", reason="Meninggal dunia")
    first.refresh_from_db()
    cycle.refresh_from_db()
    assert (first.status, first.reason, cycle.approved_count) == ("exited", "Meninggal dunia", 0)
    assert login(staff["officer"]).post(reverse("web:enrolment_step", args=[first.pk, "delete"])).status_code == 404
    assert login(staff["officer"]).get(reverse("web:enrolment_step", args=[first.pk, "verify"])).status_code == 405
