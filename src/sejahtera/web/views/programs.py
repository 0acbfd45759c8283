"""Programme pages: the catalogue, a programme's page, the eligibility-rule editor with its live
preview, and the what-if comparison of a draft rule with the published one.

Programmes and rule counts carry no personal data: every logged-in user sees the programmes of
the regencies of their memberships and may preview and compare rules (counts within their own
regions). Saving, publishing and changing a programme's settings are for its staff: the services
check, and a refusal is a 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sejahtera.programs import selectors, services, whatif
from sejahtera.programs.models import EligibilityRule, Programme
from sejahtera.programs.rules import RuleError, describe, get_schema, parse_rule
from sejahtera.programs.rules.value_types import Boolean, Choice, Integer, RegionCode
from sejahtera.programs.services.access import require_programme_staff
from sejahtera.programs.services.programmes import creatable_regencies
from sejahtera.programs.whatif import WhatIf, published_rule
from sejahtera.web.presenters import rupiah

MAX_RULE_LENGTH = 4000


# -- shared helpers ------------------------------------------------------------------------------

def _programme(request, code: str) -> Programme:
    return get_object_or_404(selectors.programme_list(request.user), code=code)


def can_manage(user, programme: Programme) -> bool:
    try:
        require_programme_staff(user, programme)
    except PermissionDenied:
        return False
    return True


def url_or_empty(name: str, *args) -> str:
    """The address of a page another part of the application may not have yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def description(text: str, target: str) -> str:
    try:
        return describe(text, target)
    except RuleError:
        return ""


def rule_problem(text: str, target: str) -> RuleError | None:
    """Why ``text`` is not a valid rule for ``target``; None when it is (or is empty)."""
    if not text.strip():
        return None
    try:
        parse_rule(text, target)
    except RuleError as error:
        return error
    return None


def draft_rule(programme: Programme) -> EligibilityRule | None:
    latest = programme.rules.order_by("-version").first()
    return latest if latest is not None and latest.is_draft else None


# -- catalogue and programme page ----------------------------------------------------------------

def _published_rules(programmes: list[Programme]) -> dict[int, EligibilityRule]:
    """The latest published rule of each programme, in one query."""
    rules = {}
    for rule in (EligibilityRule.objects.filter(programme__in=programmes, published_at__isnull=False)
                 .order_by("programme", "-version")):
        rules.setdefault(rule.programme_id, rule)
    return rules


@never_cache
@login_required
@require_GET
def programme_list(request):
    programmes = list(selectors.programme_list(request.user).annotate(cycle_count=Count("cycles")))
    rules = _published_rules(programmes)
    for programme in programmes:
        programme.published_rule = rules.get(programme.pk)
        programme.rule_description = (description(programme.published_rule.text, programme.target)
                                      if programme.published_rule else "")
    return render(request, "web/programs/list.html", {
        "programmes": programmes,
        "create_url": reverse("web:programme_create") if creatable_regencies(request.user) else "",
    })


@dataclass
class CycleLink:
    cycle: object
    url: str


@never_cache
@login_required
@require_GET
def programme_detail(request, code: str):
    programme = _programme(request, code)
    rules = list(programme.rules.select_related("created_by", "published_by").order_by("-version"))
    published = next((rule for rule in rules if not rule.is_draft), None)
    cycles = [CycleLink(cycle, url_or_empty("web:cycle_detail", cycle.pk))
              for cycle in selectors.cycle_list(request.user, programme)]
    manage = can_manage(request.user, programme)
    return render(request, "web/programs/detail.html", {
        "programme": programme,
        "rules": rules,
        "published": published,
        "published_description": description(published.text, programme.target) if published else "",
        "cycles": cycles,
        "can_manage": manage,
        "cycle_create_url": url_or_empty("web:cycle_create", programme.code) if manage else "",
    })


# -- rule editor and preview ---------------------------------------------------------------------

@dataclass
class HelpRow:
    name: str
    label: str
    values: str
    example: str


def _values(value_type) -> str:
    if isinstance(value_type, Choice):
        return ", ".join(f'"{name}"' for name in value_type.shown.values())
    if isinstance(value_type, Integer):
        return f"{value_type.low}–{value_type.high}"
    if isinstance(value_type, Boolean):
        return "true, false"
    if isinstance(value_type, RegionCode):
        return f'"{value_type.example}"'
    return ""


# What the language can say, as rules of each target (tests check that each one is valid).
SYNTAX_EXAMPLES = {
    "person": ['age between 18 and 25', 'employment in ["unemployed", "not_working"]', "any member (age < 5)",
               "count(member where age < 18) >= 2", 'age_on("2026-07-01") >= 18', 'kecamatan == "32.01.01"',
               'family.desil <= 4 and not (jkn == "pbi_national")'],
    "family": ["size between 3 and 6", 'head.employment == "unemployed"', "any member (age < 5)",
               "count(member where age < 18) >= 2", 'desa == "32.01.01.2001"', "desil <= 4 or extremely_poor"],
}


def rule_help(target: str) -> list[HelpRow]:
    """The names a rule for ``target`` may use, with their values, linked rows' names one dot deep."""
    schema = get_schema(target)
    rows = [HelpRow(v.name, str(v.label), _values(v.type), v.example) for v in schema.variables.values()]
    for link_name, link in schema.links.items():
        linked = get_schema(link.target)
        rows += [HelpRow(f"{link_name}.{v.name}", f"{v.label} ({link.label})", _values(v.type), "")
                 for v in linked.variables.values()]
    return rows


def run_preview(user, text: str, target: str) -> tuple[selectors.RulePreview | None, RuleError | None]:
    try:
        return selectors.rule_preview(user, text=text, target=target), None
    except RuleError as error:
        return None, error


def _preview_html(request, programme, preview, error) -> str:
    return render_to_string("web/programs/_preview.html",
                            {"programme": programme, "preview": preview, "rule_error": error}, request)


@never_cache
@login_required
@require_GET
def rule_preview(request, code: str):
    """JSON for the editor's live preview: the matches per kecamatan, or where the rule goes wrong."""
    programme = _programme(request, code)
    return preview_json(request, request.GET.get("text", "")[:MAX_RULE_LENGTH], programme.target, programme)


def preview_json(request, text: str, target: str, programme=None) -> JsonResponse:
    """The live preview's answer for ``text`` as a rule on ``target`` ("person" or "family")."""
    if not text.strip():
        return JsonResponse({"ok": False, "empty": True, "html": ""})
    preview, error = run_preview(request.user, text, target)
    html = _preview_html(request, programme or {"target": target}, preview, error)
    if error is not None:
        return JsonResponse({"ok": False, "error": str(error), "message": error.message, "line": error.line,
                             "column": error.column, "token": error.token, "caret": error.caret_line(),
                             "html": html}, status=400)
    return JsonResponse({
        "ok": True, "target": preview.target, "total": preview.total,
        "per_kecamatan": [{"code": c, "name": name, "count": n} for c, name, n in preview.per_kecamatan],
        "description": description(text, target), "html": html,
    })


def _save_or_publish(request, programme: Programme, text: str, note: str, publish: bool) -> list[str]:
    """Save the draft (and publish it); the problems to show, empty when it went through."""
    try:
        rule = services.rule_draft_save(actor=request.user, programme=programme, text=text, note=note)
    except ValidationError as error:
        return error.messages
    if not publish:
        messages.success(request, _("Draft version %(version)d has been saved.") % {"version": rule.version})
        return []
    try:
        services.rule_publish(actor=request.user, rule=rule)
    except ValidationError as error:
        return [_("Draft version %(version)d has been saved but not published.") % {"version": rule.version},
                *error.messages]
    messages.success(request, _("Version %(version)d is published: new cycles use it.") % {"version": rule.version})
    return []


@never_cache
@login_required
def rule_edit(request, code: str):
    programme = _programme(request, code)
    draft, published = draft_rule(programme), published_rule(programme)
    current = draft or published
    text = request.POST.get("text", "")[:MAX_RULE_LENGTH] if request.method == "POST" else \
        (current.text if current else "")
    note = request.POST.get("note", "") if request.method == "POST" else (draft.note if draft else "")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    problems, preview, preview_error = [], None, None
    if action in ("save", "publish"):
        problems = _save_or_publish(request, programme, text, note, publish=action == "publish")
        if not problems:
            return redirect("web:rule_edit", code=programme.code)
    elif action == "preview" and text.strip():
        preview, preview_error = run_preview(request.user, text, programme.target)
    return render(request, "web/programs/rule_edit.html", {
        "programme": programme,
        "draft": draft,
        "published": published,
        "text": text,
        "note": note,
        "problems": problems,
        "rule_error": rule_problem(text, programme.target),
        "text_description": description(text, programme.target) if text.strip() else "",
        "preview_shown": action == "preview",
        "preview": preview,
        "preview_error": preview_error,
        "help_rows": rule_help(programme.target),
        "syntax_examples": SYNTAX_EXAMPLES.get(programme.target, []),
        "can_manage": can_manage(request.user, programme),
    })


# -- what-if -------------------------------------------------------------------------------------

class WhatIfForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Draft rule"), max_length=MAX_RULE_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "class": "mono"}))
    quota = forms.IntegerField(label=gettext_lazy("Quota per cycle"), required=False, min_value=1,
                               help_text=gettext_lazy("Empty: no limit."))
    amount = forms.IntegerField(label=gettext_lazy("Amount per beneficiary and period (Rp)"), min_value=0)
    budget = forms.IntegerField(label=gettext_lazy("Budget per cycle (Rp)"), required=False, min_value=0,
                                help_text=gettext_lazy("Empty: no limit. Saved only when the draft is published."))


@dataclass
class ComparisonRow:
    label: str
    published: str
    draft: str
    difference: str = ""


def _count(value: int | None) -> str:
    return "—" if value is None else number_format(value, 0, force_grouping=True)


def _signed(value: int | float, digits: int = 0) -> str:
    text = number_format(round(abs(value), digits), digits, force_grouping=True)
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else "0")


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{number_format(round(100 * share, 1), 1)} %"


def comparison_rows(result: WhatIf, draft_budget: int | None) -> list[ComparisonRow]:
    """The figures of both sides as the what-if table shows them, with the draft's change."""
    before, after = result.published, result.draft

    def row(label: str, figure, show=_count, change=_signed) -> ComparisonRow:
        old, new = (figure(before) if before else None), figure(after)
        difference = change(new - old) if isinstance(old, int | float) and isinstance(new, int | float) else ""
        return ComparisonRow(label, show(old) if before else "—", show(new), difference)

    unit = _("Matching persons") if result.programme.target == Programme.Target.PERSON else _("Matching families")
    rows = [row(unit, lambda s: s.matches)]
    if result.programme.target == Programme.Target.PERSON:
        rows.append(row(_("Families with a matching member"), lambda s: s.families))
    rows += [
        row(_("Quota per cycle"), lambda s: s.quota, show=lambda v: _("no limit") if v is None else _count(v)),
        row(_("Beneficiaries (matches up to the quota)"), lambda s: s.beneficiaries),
        row(_("Amount per beneficiary and period"), lambda s: s.amount, show=rupiah,
            change=_signed_rupiah),
        row(_("Cost per cycle"), lambda s: s.cost, show=rupiah, change=_signed_rupiah),
        ComparisonRow(_("Budget per cycle"), _limit_rupiah(result.programme.budget) if before else "—",
                      _limit_rupiah(draft_budget)),
        row(_("Coverage: desil 1-4 families with a match"), lambda s: s.coverage, show=_percent,
            change=lambda d: _("%(points)s points") % {"points": _signed(100 * d, 1)}),
        row(_("Matches in desil 7-10 (inclusion)"), lambda s: s.richest_matches),
    ]
    return rows


def _limit_rupiah(value: int | None) -> str:
    return _("no limit") if value is None else rupiah(value)


def _signed_rupiah(value: int) -> str:
    return "0" if value == 0 else ("+" if value > 0 else "−") + rupiah(abs(value))


def _whatif_initial(programme: Programme) -> dict:
    current = draft_rule(programme) or published_rule(programme)
    return {"text": current.text if current else "", "quota": programme.quota, "amount": programme.amount,
            "budget": programme.budget}


def _publish_whatif(request, programme: Programme, data: dict) -> list[str]:
    """Save the settings and publish the rule together, or neither; the problems, empty on success."""
    try:
        with transaction.atomic():
            services.programme_settings_update(actor=request.user, programme=programme, quota=data["quota"],
                                               amount=data["amount"], budget=data["budget"])
            rule = services.rule_draft_save(actor=request.user, programme=programme, text=data["text"])
            services.rule_publish(actor=request.user, rule=rule)
    except ValidationError as error:
        return error.messages
    messages.success(request, _("Version %(version)d is published with the quota and amount compared.")
                     % {"version": rule.version})
    return []


@never_cache
@login_required
def programme_whatif(request, code: str):
    """GET: the form with the current draft (or published rule), quota and amount. POST ``compare``
    counts both sides (nothing is saved; the rule editor posts its text here); POST ``publish``
    saves the settings and publishes the rule (programme staff only)."""
    programme = _programme(request, code)
    initial = _whatif_initial(programme)
    if request.method == "POST":  # fields not posted (the rule editor sends only the text) keep their values
        form = WhatIfForm({**initial, **request.POST.dict()})
    else:
        form = WhatIfForm(initial=initial)
    result, problems = None, []
    if form.is_bound and form.is_valid():
        values = form.cleaned_data
        if request.POST.get("action") == "publish":
            problems = _publish_whatif(request, programme, values)
            if not problems:
                return redirect("web:programme_detail", code=programme.code)
        result = whatif.programme_whatif(request.user, programme, text=values["text"], quota=values["quota"],
                                  amount=values["amount"])
    return render(request, "web/programs/whatif.html", {
        "programme": programme,
        "form": form,
        "result": result,
        "comparison": comparison_rows(result, form.cleaned_data.get("budget")) if result else [],
        "problems": problems,
        "can_manage": can_manage(request.user, programme),
    })
