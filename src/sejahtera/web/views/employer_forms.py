"""Forms of the employer pages. They parse input; the career-center services validate and save."""

from functools import cache

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sejahtera.careers import kbji, kbli
from sejahtera.careers.models import Placement, Vacancy
from sejahtera.careers.validators import validate_kbji_code, validate_kbli_code, validate_nib
from sejahtera.regions.models import Region
from sejahtera.web.forms import DateInput

KBLI_RESULTS = 30


def regency_desa_choices() -> list:
    """The desa/kelurahan of the configured regency, grouped by kecamatan (one query)."""
    regency = settings.SEJAHTERA_REGENCY
    villages = (Region.objects.filter(level=Region.Level.DESA, is_current=True, code__startswith=regency)
                .select_related("parent").order_by("parent__name", "name"))
    groups: dict[str, list] = {}
    for village in villages:
        groups.setdefault(village.parent.name if village.parent_id else "", []).append((village.code, village.name))
    return [("", _("- Select a village -"))] + list(groups.items())


def kbli_matches(text: str, limit: int = KBLI_RESULTS) -> list[kbli.Industry]:
    """5-digit KBLI industries whose code starts with ``text`` or whose title holds each of its words."""
    query = text.strip().lower()
    if not query:
        return []
    code = kbli.normalize_code(query)
    if code.isdigit():
        return [i for i in _kbli_5()[0] if i.code.startswith(code)][:limit]
    words = query.split()
    industries, titles = _kbli_5()
    return [i for i, t in zip(industries, titles, strict=True) if all(w in t for w in words)][:limit]


@cache
def _kbli_5() -> tuple[list[kbli.Industry], list[str]]:
    industries = kbli.all_industries(5)
    return industries, [i.title.lower() for i in industries]


def split_list(text: str) -> list[str]:
    """``"las listrik, K3 ,, "`` -> ``["las listrik", "K3"]``."""
    return [part.strip() for part in (text or "").replace(";", ",").split(",") if part.strip()]


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's error next to its field, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class EmployerRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=150)
    nib = forms.CharField(label=_("NIB (Nomor Induk Berusaha)"), help_text=_("13 digits, from OSS."),
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    kbli_search = forms.CharField(label=_("Search the sector (KBLI 2020)"), required=False,
                                  help_text=_("A word of the business field or the start of its code."))
    kbli_code = forms.CharField(label=_("Sector (KBLI 2020)"), widget=forms.Select)
    address = forms.CharField(label=_("Address"), max_length=250)
    desa_code = forms.ChoiceField(label=_("Village (desa/kelurahan)"))
    contact_name = forms.CharField(label=_("Contact person"), max_length=120)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20,
                                    widget=forms.TextInput(attrs={"type": "tel"}))
    contact_email = forms.EmailField(label=_("Contact email"), help_text=_("The contact person logs in with it."))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False,
                               help_text=_("At least 10 characters."))
    consent = forms.BooleanField(label=_("I have read the privacy notice and agree that the career center "
                                         "processes these data."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desa_code"].choices = regency_desa_choices()
        chosen = kbli.normalize_code(self.data.get("kbli_code", "")) if self.is_bound else ""
        options = kbli_matches(self.data.get("kbli_search", "")) if self.is_bound else []
        if chosen and kbli.lookup(chosen) and all(i.code != chosen for i in options):
            options.insert(0, kbli.lookup(chosen))
        self.fields["kbli_code"].widget.choices = [("", _("- Search, then select -"))] + [
            (i.code, f"{i.code} {i.title}") for i in options]

    def clean_nib(self):
        nib = "".join(self.cleaned_data["nib"].split())
        validate_nib(nib)
        return nib

    def clean_kbli_code(self):
        code = kbli.normalize_code(self.cleaned_data["kbli_code"])
        validate_kbli_code(code)
        return code


class VacancyForm(forms.Form):
    title = forms.CharField(label=_("Job title"), max_length=150)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}))
    kbji_code = forms.CharField(label=_("Occupation (KBJI 2014)"), max_length=7, validators=[validate_kbji_code],
                                error_messages={"required": _("Ask for suggestions and choose an occupation.")})
    min_education = forms.TypedChoiceField(label=_("Minimum education"), required=False, coerce=int,
                                           empty_value=None)
    majors = forms.CharField(label=_("Majors"), required=False, max_length=250,
                             help_text=_("Separated by commas; empty: any major."))
    skills = forms.CharField(label=_("Skills"), required=False,
                             help_text=_("Separated by commas, e.g. welding, reading drawings."))
    age_min = forms.IntegerField(label=_("Minimum age"), required=False, min_value=15, max_value=99)
    age_max = forms.IntegerField(label=_("Maximum age"), required=False, min_value=15, max_value=99)
    min_experience_months = forms.IntegerField(label=_("Minimum experience (months)"), min_value=0,
                                               max_value=600, initial=0)
    desa_code = forms.ChoiceField(label=_("Workplace village (desa/kelurahan)"))
    wage_min = forms.IntegerField(label=_("Minimum wage (Rp/month)"), required=False, min_value=0)
    wage_max = forms.IntegerField(label=_("Maximum wage (Rp/month)"), required=False, min_value=0)
    openings = forms.IntegerField(label=_("Openings"), min_value=1, max_value=10000, initial=1)
    deadline = forms.DateField(label=_("Application deadline"), widget=DateInput())
    employment_type = forms.ChoiceField(label=_("Employment type"), choices=Vacancy.EmploymentType.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from sejahtera.registry.choices import Education

        self.fields["min_education"].choices = [("", _("Any education"))] + list(Education.choices)
        self.fields["desa_code"].choices = regency_desa_choices()

    @classmethod
    def initial_of(cls, vacancy: Vacancy) -> dict:
        initial = {name: getattr(vacancy, name) for name in cls.base_fields if name != "skills"}
        initial["skills"] = ", ".join(vacancy.skills.values_list("name", flat=True))
        return initial

    def service_fields(self) -> dict:
        """The cleaned data as the vacancy services take them."""
        data = dict(self.cleaned_data)
        data["skills"] = split_list(data["skills"])
        data["majors"] = ", ".join(split_list(data["majors"]))
        data["kbji_code"] = kbji.normalize_code(data["kbji_code"])
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255,
                             error_messages={"required": _("Give the reason, so the applicant knows.")})


class InviteForm(forms.Form):
    interview_at = forms.DateTimeField(label=_("Interview at"), required=False,
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                  format="%Y-%m-%dT%H:%M"))


class HireForm(forms.Form):
    contract_type = forms.ChoiceField(label=_("Contract type"), choices=Placement.ContractType.choices)
    wage = forms.IntegerField(label=_("Wage (Rp/month)"), required=False, min_value=0)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    position = forms.CharField(label=_("Position"), required=False, max_length=150,
                               help_text=_("Empty: the vacancy's title."))


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

