"""Forms of the staff application. They parse input; the registry services validate and save."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from sejahtera.registry.models import SURVEY_FIELDS, Family, HouseholdSurvey, Person
from sejahtera.registry.selectors import FLAG_FILTERS, WELFARE_FILTERS, FamilyFilters
from sejahtera.web.regions import desa_editable, desa_in_scope, kecamatan_in_scope

# The label Django 6.1 gives the empty choice of a select. Django has no Indonesian
# translation of it yet; naming it here puts it in this project's catalog, which wins.
gettext_noop("- Select an option -")

FLAG_LABELS = {
    "warnings": _("With warnings"),
    "no_nik": _("Member without NIK"),
    "no_survey": _("No household survey"),
}
WELFARE_LABELS = {
    "scored": _("Ranked"),
    "poor": _("Below the poverty line"),
    "extreme": _("Below the extreme-poverty line"),
    "unscored": _("Not ranked"),
}


class FamilyFilterForm(forms.Form):
    """The GET filters of the family list. Invalid values are dropped, not reported."""

    kecamatan = forms.ChoiceField(label=_("District (kecamatan)"), required=False)
    desa = forms.ChoiceField(label=_("Village (desa/kelurahan)"), required=False)
    flag = forms.ChoiceField(label=_("Data check"), required=False,
                             choices=[("", _("All families"))] + [(f, FLAG_LABELS[f]) for f in FLAG_FILTERS])
    name = forms.CharField(label=_("Member name"), required=False, max_length=100)
    desil = forms.TypedChoiceField(label=_("Desil"), required=False, coerce=int, empty_value=None,
                                   choices=[("", _("All desil"))] + [(d, str(d)) for d in range(1, 11)])
    welfare = forms.ChoiceField(label=_("Welfare ranking"), required=False,
                                choices=[("", _("All families"))] + [(w, WELFARE_LABELS[w]) for w in WELFARE_FILTERS])

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kecamatan = list(kecamatan_in_scope(user))
        self.kecamatan_codes = {k.code for k in kecamatan}
        self.fields["kecamatan"].choices = [("", _("All districts"))] + [(k.code, k.name) for k in kecamatan]
        chosen = self.data.get("kecamatan", "")
        if chosen not in self.kecamatan_codes:
            chosen = kecamatan[0].code if len(kecamatan) == 1 else ""
        self.fields["desa"].choices = [("", _("All villages"))] + [
            (d.code, d.name) for d in desa_in_scope(user, chosen)
        ]
        # Only offer a choice where there is one.
        scopes = user.personal_data_scopes
        self.show_kecamatan = len(kecamatan) > 1
        self.show_desa = not (len(scopes) == 1 and len(scopes[0]) == 10)

    def filters(self) -> FamilyFilters:
        self.is_valid()
        data = self.cleaned_data
        return FamilyFilters(kecamatan=data.get("kecamatan", ""), desa=data.get("desa", ""),
                             name=data.get("name", "").strip(), flag=data.get("flag", ""),
                             desil=data.get("desil"), welfare=data.get("welfare", ""))


class IdentitySearchForm(forms.Form):
    """Exact search by NIK or No. KK; sent by POST so the number never enters a URL."""

    number = forms.RegexField(
        label=_("NIK or No. KK"), regex=r"^[0-9]{16}$", strip=True,
        error_messages={"invalid": _("Enter the 16 digits of a NIK or No. KK.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                      "placeholder": _("16 digits")}),
    )


class ParseOnlyModelForm(forms.ModelForm):
    """A ModelForm that only parses input.

    The registry services run the model validation when they save; running it here too would
    repeat their checks with less helpful messages (e.g. a length error instead of the identity
    module's explanation of a bad NIK).
    """

    def _post_clean(self):
        pass

    def add_service_error(self, error: ValidationError) -> None:
        """Show an error raised by a service next to its field, or above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


def _number_field(label, **kwargs) -> forms.CharField:
    # No max_length: a wrong length gets the identity module's message, not a generic one.
    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    return forms.CharField(label=label, widget=widget, **kwargs)


class DesaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.parent.name}" if obj.parent_id else obj.name


class FamilyForm(ParseOnlyModelForm):
    no_kk = _number_field(Family._meta.get_field("no_kk").verbose_name)
    desa = DesaChoiceField(label=Family._meta.get_field("desa").verbose_name, queryset=None)

    class Meta:
        model = Family
        fields = ["no_kk", "desa", "address", "rt", "rw"]

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desa"].queryset = desa_editable(user)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")  # what <input type="date"> expects


class PersonForm(ParseOnlyModelForm):
    nik = _number_field(Person._meta.get_field("nik").verbose_name, required=False,
                        help_text=_("16 digits. Leave empty if the person has no NIK yet."))

    class Meta:
        model = Person
        fields = ["nik", "name", "sex", "birth_place", "birth_date", "relationship", "marital_status",
                  "education", "occupation", "employment_status", "disability", "jkn_status", "phone"]
        widgets = {"birth_date": DateInput(), "phone": forms.TextInput(attrs={"type": "tel"})}


class SurveyForm(ParseOnlyModelForm):
    fieldsets = [
        (_("Survey"), ["surveyed_on", "enumerator"]),
        (_("Dwelling"), ["floor_area_m2", "floor_material", "wall_material", "roof_material",
                         "drinking_water", "toilet", "lighting", "installed_power_va", "cooking_fuel",
                         "home_ownership"]),
        (_("Assets"), ["owns_land", "owns_other_house", "has_refrigerator", "has_air_conditioner",
                       "has_television", "has_computer", "has_gold", "has_motorbike", "has_car",
                       "large_livestock", "small_livestock"]),
        (_("Consumption"), ["consumption_per_capita"]),
    ]

    class Meta:
        model = HouseholdSurvey
        fields = SURVEY_FIELDS
        widgets = {"surveyed_on": DateInput()}

    def groups(self):
        return [(title, [self[name] for name in names]) for title, names in self.fieldsets]
