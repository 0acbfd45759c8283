"""Creating a programme: the form with its first eligibility rule and the rule's live preview.

Who may create is the service's test (``programs.services.programmes.can_create_programme``):
agency staff for their own agency with a scope over the whole regency, or a system administrator.
Anyone else gets a 403. The preview endpoint answers like the rule editor's, with the target
as a parameter since the programme does not exist yet (counts only, within the user's regions).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sejahtera.accounts.models import Agency
from sejahtera.programs import services
from sejahtera.programs.models import Programme
from sejahtera.programs.services.programmes import creatable_agencies, creatable_regencies
from sejahtera.regions.models import Region
from sejahtera.web.views.programs import (
    MAX_RULE_LENGTH,
    SYNTAX_EXAMPLES,
    description,
    preview_json,
    rule_help,
    rule_problem,
    run_preview,
)


class ProgrammeCreateForm(forms.Form):
    """Parses the fields; the service checks them (one set of rules and messages)."""

    regency_code = forms.ChoiceField(label=gettext_lazy("Regency"))
    code = forms.CharField(label=gettext_lazy("Code"), max_length=40,
                           help_text=gettext_lazy("Letters, digits and hyphens, e.g. bantuan-lansia. "
                                                  "It is the programme's address and cannot change."))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    agency = forms.ModelChoiceField(label=gettext_lazy("Agency"), queryset=Agency.objects.none())
    description = forms.CharField(label=gettext_lazy("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    target = forms.ChoiceField(label=gettext_lazy("Target"), choices=Programme.Target.choices,
                               help_text=gettext_lazy("Whom the rule selects: persons or families."))
    benefit = forms.ChoiceField(label=gettext_lazy("Benefit"), choices=Programme.Benefit.choices)
    amount = forms.IntegerField(label=gettext_lazy("Amount per beneficiary and period (Rp)"), required=False,
                                initial=0, help_text=gettext_lazy("Above zero for a cash programme."))
    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=Programme.Period.choices)
    quota = forms.IntegerField(label=gettext_lazy("Quota per cycle"), required=False,
                               help_text=gettext_lazy("Empty: no limit."))
    budget = forms.IntegerField(label=gettext_lazy("Budget per cycle (Rp)"), required=False,
                                help_text=gettext_lazy("Empty: no limit."))
    ranking = forms.ChoiceField(label=gettext_lazy("Ranking when over quota"), choices=Programme.Ranking.choices)
    exclusive_group = forms.CharField(
        label=gettext_lazy("Exclusive group"), required=False, max_length=40,
        help_text=gettext_lazy("Optional: a person is approved in only one programme of the same group."))
    rule_text = forms.CharField(
        label=gettext_lazy("Eligibility rule"), max_length=MAX_RULE_LENGTH, required=False,
        widget=forms.Textarea(attrs={"id": "rule-text", "rows": 4, "class": "mono", "spellcheck": "false",
                                     "autocomplete": "off", "aria-describedby": "rule-check rule-words"}))

    def __init__(self, user, regencies: list[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = dict(Region.objects.filter(code__in=regencies).values_list("code", "name"))
        self.fields["regency_code"].choices = [(code, names.get(code, code)) for code in regencies]
        if len(regencies) == 1:
            self.fields["regency_code"].initial = regencies[0]
            self.fields["regency_code"].widget = forms.HiddenInput()
        agencies = set()
        for regency in regencies:
            agencies.update(creatable_agencies(user, regency).values_list("pk", flat=True))
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=agencies)
        if len(agencies) == 1:
            self.fields["agency"].initial = next(iter(agencies))

    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for field, field_messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, field_messages)


def _target(form: ProgrammeCreateForm) -> str:
    value = form["target"].value()
    return value if value in Programme.Target.values else Programme.Target.PERSON


@never_cache
@login_required
def programme_create(request):
    """GET: the empty form. POST ``preview`` counts the rule (nothing saved); POST ``save`` creates
    the programme with its rule as a draft, ``publish`` with its rule published."""
    user = request.user
    regencies = creatable_regencies(user)
    if not regencies:
        raise PermissionDenied
    form = ProgrammeCreateForm(user, regencies, request.POST or None)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    target = _target(form)
    text = (form["rule_text"].value() or "")[:MAX_RULE_LENGTH]
    preview = preview_error = None
    if action == "preview" and text.strip():
        preview, preview_error = run_preview(user, text, target)
    elif action in ("save", "publish") and form.is_valid():
        try:
            programme = services.programme_create(actor=user, publish=action == "publish", **form.cleaned_data)
        except PermissionDenied as error:
            form.add_error("agency", str(error))
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if action == "publish":
                messages.success(request, _("Programme %(name)s is created and its rule published.")
                                 % {"name": programme.name})
            else:
                messages.success(request, _("Programme %(name)s is created; its rule is a draft.")
                                 % {"name": programme.name})
            return redirect("web:programme_detail", code=programme.code)
    return render(request, "web/programs/create.html", {
        "form": form,
        "target": target,
        "rule_error": rule_problem(text, target) if request.method == "POST" else None,
        "text_description": description(text, target) if text.strip() else "",
        "preview_shown": action == "preview",
        "preview": preview,
        "preview_error": preview_error,
        "programme": {"target": target},
        "help_rows": rule_help(target),
        "syntax_examples": SYNTAX_EXAMPLES.get(target, []),
    })


@never_cache
@login_required
@require_GET
def rule_preview_new(request):
    """The live preview of a programme not saved yet: ``?target=person|family&text=…``."""
    target = request.GET.get("target", "")
    if target not in Programme.Target.values:
        return JsonResponse({"ok": False, "error": _("Choose the target: person or family."), "html": ""},
                            status=400)
    return preview_json(request, request.GET.get("text", "")[:MAX_RULE_LENGTH], target)
