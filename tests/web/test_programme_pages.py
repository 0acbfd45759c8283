"""Programme pages: catalogue, programme page, rule editor with its preview, what-if.

Counts are checked against counts made here in plain Python; saving and publishing against the
database and the audit log; permissions by status codes.
"""

import datetime
from collections import Counter

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import escape

from sejahtera.accounts.roles import Role
from sejahtera.core.models import AuditEvent
from sejahtera.programs import services
from sejahtera.programs.models import EligibilityRule, Programme
from sejahtera.programs.rules import describe, parse_rule
from sejahtera.registry.models import Person
from sejahtera.web.presenters import rupiah
from sejahtera.web.views.programs import SYNTAX_EXAMPLES
from sejahtera.welfare.models import WelfareScore
from tests.conftest import KECAMATAN_A, REGENCY
from tests.programs.conftest import scored_once_per_module

registry = scored_once_per_module(300, 41)
pytestmark = pytest.mark.django_db

CODE = "pbi-jkn-daerah"  # persons; run by Dinkes
RULE = 'family.desil <= 3 and sex == "P"'


@pytest.fixture(autouse=True)
def english(client):
    """Pages and the figures computed here in English (the pages' language comes from the cookie)."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def planner(make_user):
    return make_user(Role.PLANNER, REGENCY, agency="bappedalitbang", username="planner")


@pytest.fixture
def staff(make_user):
    return make_user(Role.AGENCY_OFFICER, REGENCY, agency="dinkes", username="dinkes")


@pytest.fixture
def programme():
    return Programme.objects.get(code=CODE)


def url(name: str, *args) -> str:
    return reverse(f"web:{name}", args=args)


def matching_women_per_kecamatan(prefix: str = "") -> Counter:
    """Persons of RULE per kecamatan, counted in Python."""
    desil = dict(WelfareScore.objects.filter(is_current=True).values_list("family_id", "desil"))
    persons = Person.objects.filter(merged_into__isnull=True, family__isnull=False, desa__pk__startswith=prefix)
    return Counter(p.desa_id[:6] for p in persons if p.sex == "P" and desil.get(p.family_id, 99) <= 3)


# -- catalogue ------------------------------------------------------------------------------------

def test_catalogue_lists_the_programmes_with_their_published_rules(login, planner, staff, programme):
    cycle = services.cycle_create(actor=staff, programme=programme, label="2026", starts_on=datetime.date(2026, 1, 1),
                                  ends_on=datetime.date(2026, 12, 31))
    response = login(planner).get(url("programme_list"))
    assert response.status_code == 200
    html = response.content.decode()
    programmes = Programme.objects.filter(regency_code=REGENCY)
    assert programmes.count() == 7
    for each in programmes:
        assert url("programme_detail", each.code) in html
        rule = each.rules.filter(published_at__isnull=False).order_by("-version").first()
        assert escape(rule.text) in html
        assert escape(describe(rule.text, each.target)) in html
    assert rupiah(6_000_000) in html and rupiah(7_200_000_000) in html  # the scholarship's amount and budget
    row = html[html.index(f'id="programme-{CODE}"'):]
    row = row[:row.index("</tr>")]
    assert f'<td class="num">{cycle.programme.cycles.count()}</td>' in row
    assert f'href="{url("programme_list")}"' in html  # the menu link


def test_catalogue_needs_a_login_and_shows_only_the_users_regency(client, make_user):
    response = client.get(url("programme_list"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    elsewhere = make_user(Role.PLANNER, "3202", username="planner-sukabumi")
    client.force_login(elsewhere)
    response = client.get(url("programme_list"))
    assert response.status_code == 200 and url("programme_detail", CODE) not in response.content.decode()
    assert client.get(url("programme_detail", CODE)).status_code == 404
    assert client.get(url("rule_preview", CODE), {"text": "age >= 1"}).status_code == 404


# -- programme page -------------------------------------------------------------------------------

def test_programme_page_shows_versions_and_cycles(login, planner, staff, programme):
    draft = services.rule_draft_save(actor=staff, programme=programme, text="family.desil <= 2", note="lebih sempit")
    cycle = services.cycle_create(actor=staff, programme=programme, label="2026-07",
                                  starts_on=datetime.date(2026, 7, 1), ends_on=datetime.date(2026, 7, 31))
    html = login(planner).get(url("programme_detail", CODE)).content.decode()
    assert html.count('class="rule-version"') == programme.rules.count() == 2
    assert escape(draft.text) in html and "lebih sempit" in html and "dinkes" in html  # the draft's author
    assert "2026-07" in html
    try:
        assert f'href="{reverse("web:cycle_detail", args=[cycle.pk])}"' in html
    except NoReverseMatch:
        pass  # the cycle pages are not there yet: the label is shown without a link
    assert url("rule_edit", CODE) in html and url("programme_whatif", CODE) in html


# -- rule editor ----------------------------------------------------------------------------------

def test_editor_shows_the_published_rule_and_the_names_of_the_target(login, planner, programme):
    html = login(planner).get(url("rule_edit", CODE)).content.decode()
    published = programme.rules.get(published_at__isnull=False)
    assert f">{escape(published.text)}</textarea>" in html
    assert "<code>family.desil</code>" in html and "<code>education</code>" in html and escape('"SLTA"') in html
    assert 'value="publish"' not in html  # a planner may preview, not publish
    assert 'src="/static/web/rule_editor.js"' in html


def test_syntax_examples_are_valid_rules():
    for target, examples in SYNTAX_EXAMPLES.items():
        for example in examples:
            parse_rule(example, target)


def test_staff_save_a_draft_then_publish_it(login, staff, programme):
    client = login(staff)
    assert 'value="publish"' in client.get(url("rule_edit", CODE)).content.decode()
    response = client.post(url("rule_edit", CODE), {"text": RULE, "note": "uji", "action": "save"})
    assert response.status_code == 302
    draft = programme.rules.order_by("-version").first()
    assert (draft.version, draft.text, draft.note, draft.is_draft) == (2, RULE, "uji", True)
    assert AuditEvent.objects.filter(object_type="programs.eligibilityrule", object_id=str(draft.pk),
                                     actor=staff).exists()
    assert f">{escape(RULE)}</textarea>" in client.get(url("rule_edit", CODE)).content.decode()

    response = client.post(url("rule_edit", CODE), {"text": RULE, "note": "uji", "action": "publish"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.is_draft and draft.published_by == staff
    assert programme.rules.count() == 2  # the draft itself was published


def test_an_invalid_rule_is_saved_as_draft_but_not_published_and_the_error_points_at_it(login, staff, programme):
    response = login(staff).post(url("rule_edit", CODE), {"text": "age >= 18 and desill <= 4", "action": "publish"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-column="15"' in html and "line 1, column 15" in html
    assert "Did you mean" in html and "desil" in html
    assert "age &gt;= 18 and desill &lt;= 4\n              ^" in html  # the caret under the unknown name
    latest = programme.rules.order_by("-version").first()
    assert latest.is_draft and latest.text == "age >= 18 and desill <= 4"
    assert programme.rules.filter(published_at__isnull=False).count() == 1


def test_only_the_programme_staff_save_or_publish(login, planner, make_user, programme):
    other_agency = make_user(Role.AGENCY_OFFICER, REGENCY, agency="dinsos", username="dinsos")
    for user in (planner, other_agency):
        client = login(user)
        for action in ("save", "publish"):
            response = client.post(url("rule_edit", CODE), {"text": RULE, "action": action})
            assert response.status_code == 403
    assert programme.rules.count() == 1


# -- preview --------------------------------------------------------------------------------------

def test_preview_json_counts_per_kecamatan(login, planner):
    response = login(planner).get(url("rule_preview", CODE), {"text": RULE})
    assert response.status_code == 200
    data = response.json()
    expected = matching_women_per_kecamatan()
    assert data["ok"] and data["total"] == sum(expected.values()) > 0
    assert {row["code"]: row["count"] for row in data["per_kecamatan"]} == dict(expected)
    assert data["description"] == describe(RULE, "person")
    assert f'data-total="{data["total"]}"' in data["html"]


def test_preview_stays_within_the_users_regions(login, make_user):
    verifier = make_user(Role.KECAMATAN_VERIFIER, KECAMATAN_A)
    data = login(verifier).get(url("rule_preview", CODE), {"text": RULE}).json()
    expected = matching_women_per_kecamatan(KECAMATAN_A)
    assert data["total"] == sum(expected.values()) > 0
    assert [row["code"] for row in data["per_kecamatan"]] == [KECAMATAN_A]


def test_preview_of_an_invalid_rule_says_where(login, planner):
    client = login(planner)
    response = client.get(url("rule_preview", CODE), {"text": 'sex == "P" and jkn == "nothing"'})
    assert response.status_code == 400
    data = response.json()
    assert not data["ok"] and (data["line"], data["column"]) == (1, 23)
    assert "nothing" in data["message"] and '"none"' in data["message"]
    assert data["caret"].endswith("\n" + " " * 22 + "^")
    assert 'data-column="23"' in data["html"]
    assert client.get(url("rule_preview", CODE), {"text": "  "}).json() == {"ok": False, "empty": True, "html": ""}


def test_preview_button_without_javascript(login, planner):
    response = login(planner).post(url("rule_edit", CODE), {"text": RULE, "action": "preview"})
    assert response.status_code == 200
    html = response.content.decode()
    expected = matching_women_per_kecamatan()
    assert f'data-total="{sum(expected.values())}"' in html
    for code, count in expected.items():
        assert f'<tr data-kecamatan="{code}"><td>' in html
        row = html[html.index(f'<tr data-kecamatan="{code}">'):]
        assert f'<td class="num">{count}</td></tr>' in row[:row.index("</tr>") + 5]
    assert EligibilityRule.objects.filter(text=RULE).count() == 0  # a preview saves nothing


# -- what-if --------------------------------------------------------------------------------------

def whatif_rows(html: str) -> dict[str, tuple[str, str, str]]:
    """The per-kecamatan table: code -> (published, draft, change) as shown."""
    rows = {}
    for part in html.split('<tr data-kecamatan="')[1:]:
        code, rest = part.split('"', 1)
        cells = [cell.split("</td>")[0].strip() for cell in rest.split('<td class="num">')[1:4]]
        rows[code] = tuple(cells)
    return rows


def test_whatif_compares_the_draft_with_the_published_rule(login, planner, programme):
    published = programme.rules.get(published_at__isnull=False)
    response = login(planner).post(url("programme_whatif", CODE),
                                   {"text": RULE, "quota": "20", "amount": "50000", "action": "compare"})
    assert response.status_code == 200
    html = response.content.decode()
    draft = matching_women_per_kecamatan()
    desil = dict(WelfareScore.objects.filter(is_current=True).values_list("family_id", "desil"))
    before = Counter(p.desa_id[:6] for p in Person.objects.filter(merged_into__isnull=True, family__isnull=False)
                     if desil.get(p.family_id, 99) <= 4 and p.jkn_status == "none")
    assert published.text == 'family.desil <= 4 and jkn == "none"'
    shown = whatif_rows(html)
    assert set(shown) == set(draft) | set(before)
    for code, (old, new, change) in shown.items():
        assert (int(old), int(new), int(change.lstrip("+"))) == (before[code], draft[code], draft[code] - before[code])
    # PBI pays 12 months a year; the draft's quota of 20 is filled
    assert sum(draft.values()) > 20
    assert rupiah(20 * 50_000 * 12) in html and rupiah(sum(before.values()) * 42_000 * 12) in html
    assert programme.rules.count() == 1  # nothing saved


def test_rule_editor_sends_its_text_to_the_whatif(login, planner, programme):
    response = login(planner).post(url("programme_whatif", CODE), {"text": RULE, "action": "compare"})
    assert response.status_code == 200
    html = response.content.decode()
    matches = sum(matching_women_per_kecamatan().values())
    assert rupiah(matches * 42_000 * 12) in html  # the programme's amount, no quota
    assert 'value="publish"' not in html  # planners compare, they do not publish


def test_staff_publish_the_draft_with_its_quota_and_amount(login, staff, programme):
    response = login(staff).post(url("programme_whatif", CODE),
                                 {"text": RULE, "quota": "250", "amount": "45000", "budget": "", "action": "publish"})
    assert response.status_code == 302 and response["Location"] == url("programme_detail", CODE)
    programme.refresh_from_db()
    assert (programme.quota, programme.amount, programme.budget) == (250, 45_000, None)
    rule = programme.rules.order_by("-version").first()
    assert rule.text == RULE and not rule.is_draft
    assert AuditEvent.objects.filter(object_type="programs.programme", object_id=str(programme.pk), actor=staff,
                                     changes__amount=[42_000, 45_000]).exists()


def test_whatif_publish_of_an_invalid_rule_changes_nothing(login, staff, programme):
    response = login(staff).post(url("programme_whatif", CODE),
                                 {"text": "desill <= 4", "quota": "250", "amount": "45000", "action": "publish"})
    assert response.status_code == 200
    assert 'data-column="1"' in response.content.decode()
    programme.refresh_from_db()
    assert (programme.quota, programme.amount) == (None, 42_000)
    assert programme.rules.count() == 1


def test_only_staff_publish_from_the_whatif(login, planner, programme):
    response = login(planner).post(url("programme_whatif", CODE),
                                   {"text": RULE, "quota": "1", "amount": "1", "action": "publish"})
    assert response.status_code == 403
    programme.refresh_from_db()
    assert (programme.quota, programme.amount, programme.rules.count()) == (None, 42_000, 1)
    assert not AuditEvent.objects.filter(object_type="programs.programme").exists()
