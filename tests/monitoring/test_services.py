"""Entering realisations and setting targets: who may, what is checked, what is kept."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sejahtera.accounts.roles import Role
from sejahtera.core.models import AuditEvent
from sejahtera.monitoring import services
from sejahtera.monitoring.models import Indicator, PlanPeriod, Realisation
from tests.conftest import DESA_A, DESA_B, KECAMATAN_A, REGENCY

pytestmark = pytest.mark.django_db
JAN = datetime.date(2025, 1, 1)


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    settings.SEJAHTERA_EVIDENCE_DIR = tmp_path
    return tmp_path


def indicator(code):
    return Indicator.objects.get(code=code)


def enter(actor, code, *, region=REGENCY, kind="year", start=JAN, value="7.01", source="BPS", **extra):
    return services.realisation_enter(actor=actor, indicator=indicator(code), region_code=region, period_kind=kind,
                                      period_start=start, value=value, source=source, **extra)


def test_a_planner_enters_a_figure_with_its_source_and_evidence(planner, evidence_dir):
    pdf = SimpleUploadedFile("berita-resmi-bps.pdf", b"%PDF-1.4 bukti", content_type="application/pdf")
    row = enter(planner, "p0", evidence=pdf, source="BPS Kabupaten Bogor, Berita Resmi Statistik 2025")
    row.refresh_from_db()
    assert (row.value, row.computed, row.entered_by, row.source) == \
        (Decimal("7.01"), False, planner, "BPS Kabupaten Bogor, Berita Resmi Statistik 2025")
    assert (evidence_dir / row.evidence.name).read_bytes() == b"%PDF-1.4 bukti"
    event = AuditEvent.objects.get(object_type="monitoring.realisation", object_id=str(row.pk))
    assert event.action == "create" and event.changes["evidence"][1] == row.evidence.name
    again = enter(planner, "p0", value="6.95", source="BPS, revised")
    assert again.pk == row.pk and again.value == Decimal("6.95") and again.evidence.name == row.evidence.name
    assert AuditEvent.objects.get(object_id=str(row.pk), action="update").changes["value"] == ["7.0100", "6.95"]


def test_only_the_owner_agency_and_planners_report(make_user):
    disnaker = make_user(Role.AGENCY_OFFICER, REGENCY, agency="disnaker", username="disnaker")
    disdik_head = make_user(Role.AGENCY_HEAD, REGENCY, agency="disdik", username="disdik")
    verifier = make_user(Role.KECAMATAN_VERIFIER, KECAMATAN_A, username="verifier")
    disnaker_a = make_user(Role.AGENCY_OFFICER, KECAMATAN_A, agency="disnaker", username="disnaker-a")
    assert enter(disnaker, "tpt", value="7.2").value == Decimal("7.2")
    for actor, code in ((disnaker, "p0"), (disdik_head, "seekers-placed"), (verifier, "seekers-placed")):
        with pytest.raises(PermissionDenied):
            enter(actor, code, value="1")
    # A Disnaker officer of a kecamatan reports for its desa, not for another kecamatan's or the regency.
    assert enter(disnaker_a, "seekers-placed", region=DESA_A, kind="month", start=datetime.date(2025, 3, 1),
                 value=3).region_code == DESA_A
    for region in (DESA_B, REGENCY):
        with pytest.raises(PermissionDenied):
            enter(disnaker_a, "seekers-placed", region=region, value=3)


@pytest.mark.parametrize(("fields", "error"), [
    ({"kind": "quarter", "start": datetime.date(2025, 2, 1)}, "period_start"),
    ({"kind": "month", "start": datetime.date(2025, 3, 15)}, "period_start"),
    ({"kind": "week"}, "period_kind"),
    ({"region": KECAMATAN_A}, "region_code"),  # P0 is measured for the regency only
    ({"region": "3202"}, "region_code"),  # another regency
    ({"value": "-1"}, "value"),
    ({"value": "banyak"}, "value"),
    ({"source": "  "}, "source"),
    ({"start": datetime.date(2099, 1, 1)}, "period_start"),
])
def test_a_figure_is_refused_with_the_field_at_fault(planner, fields, error):
    with pytest.raises(ValidationError) as refused:
        enter(planner, "p0", **fields)
    assert error in refused.value.message_dict
    assert not Realisation.objects.filter(indicator__code="p0", period_start__year__gte=2025).exists()


def test_a_hand_entered_figure_replaces_the_computed_one(planner):
    placed = indicator("seekers-placed")
    computed = Realisation.objects.create(indicator=placed, region_code=DESA_A, period_kind="month",
                                          period_start=datetime.date(2025, 5, 1), value=4, source="computed",
                                          computed=True, entered_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC))
    row = enter(planner, "seekers-placed", region=DESA_A, kind="month", start=datetime.date(2025, 5, 1), value=6,
                source="Laporan Disnaker Mei")
    assert row.pk == computed.pk and (row.value, row.computed) == (6, False)


def test_targets_are_set_by_planners_within_the_plan_period(planner, agency_officer):
    plan = PlanPeriod.objects.get(name="RPJMD 2025-2029")
    target = services.target_set(actor=planner, indicator=indicator("p0"), plan_period=plan, year=2027,
                                 region_code=REGENCY, value="6.4", source="RPJMD 2025-2029 (Perda)")
    assert (target.value, target.source, target.set_by) == (Decimal("6.4"), "RPJMD 2025-2029 (Perda)", planner)
    assert indicator("p0").targets.filter(year=2027).count() == 1
    with pytest.raises(PermissionDenied):
        services.target_set(actor=agency_officer, indicator=indicator("p0"), plan_period=plan, year=2027,
                            region_code=REGENCY, value="1")
    with pytest.raises(ValidationError):
        services.target_set(actor=planner, indicator=indicator("p0"), plan_period=plan, year=2030,
                            region_code=REGENCY, value="6")
    with pytest.raises(ValidationError):
        services.thresholds_set(actor=planner, regency_code=REGENCY, green_from=50, yellow_from=60)
