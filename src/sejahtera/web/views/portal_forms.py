"""Forms of the career-center portal. They parse input; the careers services validate and save."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sejahtera.careers import kbji
from sejahtera.careers.models import Vacancy
from sejahtera.careers.selectors import VacancyFilters
from sejahtera.careers.services.accounts import login_name
from sejahtera.regions.models import Region
from sejahtera.registry.choices import Education, Sex

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def kecamatan_choices() -> list[tuple[str, str]]:
    regions = Region.objects.filter(level=Region.Level.KECAMATAN, is_current=True,
                                    code__startswith=settings.SEJAHTERA_REGENCY).order_by("name")
    return [(r.code, r.name) for r in regions]


def desa_choices() -> list:
    """Desa of the regency grouped by kecamatan, for one plain <select> that works without JavaScript."""
    groups: dict[str, list] = {}
    villages = (Region.objects.filter(level=Region.Level.DESA, is_current=True,
                                      code__startswith=settings.SEJAHTERA_REGENCY)
                .select_related("parent").order_by("parent__name", "name"))
    for village in villages:
        groups.setdefault(village.parent.name, []).append((village.code, village.name))
    return [("", "---------"), *groups.items()]


def major_group_choices() -> list[tuple[str, str]]:
    return [(o.code, f"{o.code} {o.title}") for o in kbji.major_groups()]


class KbjiCodeField(forms.CharField):
    """A KBJI 2014 code picked from the search select; any valid code of the classification."""

    def clean(self, value):
        value = super().clean(value)
        if value and not kbji.is_valid_code(value):
            raise ValidationError(_("Choose an occupation from the KBJI 2014 list."))
        return value


class VacancySearchForm(forms.Form):
    """The GET filters of the public vacancy search. Invalid values are dropped, not reported."""

    q = forms.CharField(label=_("Job title, skill or company"), required=False, max_length=100)
    kbji = forms.ChoiceField(label=_("Occupation group"), required=False)
    education = forms.TypedChoiceField(label=_("My education"), required=False, coerce=int, empty_value=None,
                                       choices=[("", _("Any"))] + list(Education.choices))
    kecamatan = forms.ChoiceField(label=_("District (kecamatan)"), required=False)
    wage = forms.IntegerField(label=_("Wage at least (Rp/month)"), required=False, min_value=0,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 100000}))
    employment_type = forms.ChoiceField(label=_("Employment type"), required=False,
                                        choices=[("", _("Any"))] + list(Vacancy.EmploymentType.choices))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kbji"].choices = [("", _("All occupations"))] + major_group_choices()
        self.fields["kecamatan"].choices = [("", _("All districts"))] + kecamatan_choices()

    def filters(self) -> VacancyFilters:
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return VacancyFilters(q=data.get("q", "").strip(), kbji=data.get("kbji", ""),
                              education=data.get("education"), kecamatan=data.get("kecamatan", ""),
                              wage=data.get("wage"), employment_type=data.get("employment_type", ""))

    @property
    def active(self) -> bool:
        return any(self.data.get(name) for name in self.fields if name != "q")


class SeekerRegistrationForm(forms.Form):
    nik = forms.CharField(label=_("NIK"), max_length=40, help_text=_("The 16 digits on your KTP."),
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    name = forms.CharField(label=_("Full name"), max_length=150)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DATE)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    desa_code = forms.ChoiceField(label=_("Village (desa/kelurahan) where you live"))
    phone = forms.CharField(label=_("Mobile phone"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    email = forms.EmailField(label=_("E-mail"), required=False,
                             help_text=_("You sign in with your e-mail, or with your phone number if you leave "
                                         "it empty."))
    education = forms.TypedChoiceField(label=_("Education"), coerce=int, choices=Education.choices)
    major = forms.CharField(label=_("Major"), max_length=120, required=False)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Password again"),
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    consent = forms.BooleanField(label=_("I have read the privacy notice and agree that Disnaker processes my data "
                                         "to help me find work."), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desa_code"].choices = desa_choices()

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class PortalLoginForm(AuthenticationForm):
    """Seekers sign in with their e-mail or phone number; staff and employers with their username."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail, phone number or username")

    def clean_username(self):
        return login_name(self.cleaned_data["username"])


class SeekerProfileForm(forms.Form):
    education = forms.TypedChoiceField(label=_("Education"), coerce=int, choices=Education.choices)
    major = forms.CharField(label=_("Major"), max_length=120, required=False)
    skills = forms.CharField(label=_("Skills"), required=False, max_length=1000,
                             help_text=_("Separate skills with commas, e.g. welding, forklift, Microsoft Excel."))
    desired = forms.MultipleChoiceField(label=_("Occupations you are looking for"), required=False,
                                        widget=forms.CheckboxSelectMultiple)
    add_kbji = KbjiCodeField(label=_("Add an occupation"), required=False)
    work_areas = forms.MultipleChoiceField(label=_("Districts where you want to work"), required=False,
                                           help_text=_("None chosen: anywhere."))
    expected_wage = forms.IntegerField(label=_("Expected wage (Rp/month)"), required=False, min_value=0)
    available_from = forms.DateField(label=_("Available from"), required=False, widget=DATE)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args, desired_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desired"].choices = [(code, kbji.label(code)) for code in desired_codes]
        self.fields["work_areas"].choices = kecamatan_choices()
        self.fields["work_areas"].widget.attrs["size"] = 6

    def desired_kbji(self) -> list[str]:
        codes = list(self.cleaned_data["desired"])
        if self.cleaned_data.get("add_kbji"):
            codes.append(self.cleaned_data["add_kbji"])
        return codes


class CertificateForm(forms.Form):
    name = forms.CharField(label=_("Certificate"), max_length=150)
    issuer = forms.CharField(label=_("Issued by"), max_length=150, required=False)
    number = forms.CharField(label=_("Certificate number"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)


class ExperienceForm(forms.Form):
    employer_name = forms.CharField(label=_("Employer"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=120)
    kbji_code = KbjiCodeField(label=_("Occupation (KBJI 2014)"), required=False)
    started_on = forms.DateField(label=_("From"), widget=DATE)
    ended_on = forms.DateField(label=_("Until"), required=False, widget=DATE,
                               help_text=_("Empty: still working there."))


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ApplyForm(forms.Form):
    cover_letter = forms.CharField(label=_("Short note to the employer (optional)"), required=False, max_length=4000,
                                   widget=forms.Textarea(attrs={"rows": 3}))
