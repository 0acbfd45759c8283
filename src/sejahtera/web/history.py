"""The change history of a family as rows: who, when, what, and each field before → after."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sejahtera.core.models import AuditEvent
from sejahtera.regions.models import Region
from sejahtera.registry.identity import mask_nik
from sejahtera.registry.models import Family, HouseholdSurvey, Person
from sejahtera.web.presenters import format_date

MODELS = {"registry.family": Family, "registry.person": Person, "registry.householdsurvey": HouseholdSurvey}
IDENTITY_NUMBERS = {"nik", "no_kk"}
# A person's family and desa repeat what the page already shows; only a move changes them.
CONTEXT_FIELDS = {"family", "desa"}
EMPTY = "—"


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Entry:
    event: AuditEvent
    subject: str
    changes: list[Change] = field(default_factory=list)

    @property
    def is_creation(self) -> bool:
        return self.event.action == AuditEvent.Action.CREATE


class _Formatter:
    def __init__(self, user, events: list[AuditEvent]):
        self.user = user
        codes, family_ids = set(), set()
        for event in events:
            for name, values in event.changes.items():
                if name == "desa":
                    codes.update(v for v in values if v)
                elif name == "family":
                    family_ids.update(v for v in values if v)
        self.regions = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
        self.families = {f.pk: f for f in Family.objects.filter(pk__in=family_ids).only("no_kk", "desa_id")}

    def number(self, value: str, region_code: str) -> str:
        return value if region_code and self.user.sees_full_nik_in(region_code) else mask_nik(value)

    def value(self, model_field, value, region_code: str) -> str:
        if value is None or value == "":
            return EMPTY
        name = model_field.name if model_field else ""
        if name in IDENTITY_NUMBERS:
            return self.number(str(value), region_code)
        if name == "desa":
            return self.regions.get(value, str(value))
        if name == "family":
            family = self.families.get(value)
            return self.number(family.no_kk, family.desa_id) if family else str(value)
        if model_field is not None and model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(model_field, models.BooleanField):
            return _("Yes") if value else _("No")
        if isinstance(model_field, models.DateField) and isinstance(value, str):
            try:
                return format_date(datetime.date.fromisoformat(value))
            except ValueError:
                return value
        if isinstance(value, int) and not isinstance(value, bool):
            return number_format(value, force_grouping=True)
        return str(value)


def _field(model, name: str):
    try:
        return model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None


def history_entries(user, family: Family, events) -> list[Entry]:
    events = list(events)
    person_ids = [e.object_id for e in events if e.object_type == "registry.person"]
    survey_ids = [e.object_id for e in events if e.object_type == "registry.householdsurvey"]
    names = {str(pk): name for pk, name in Person.objects.filter(pk__in=person_ids).values_list("pk", "name")}
    surveys = {str(pk): day for pk, day in
               HouseholdSurvey.objects.filter(pk__in=survey_ids).values_list("pk", "surveyed_on")}
    formatter = _Formatter(user, events)
    entries = []
    for event in events:
        model = MODELS.get(event.object_type)
        region_code = event.region_code or family.desa_id
        if event.object_type == "registry.person":
            subject = names.get(event.object_id, _("Member"))
        elif event.object_type == "registry.householdsurvey":
            subject = _("Household survey of %(date)s") % {"date": format_date(surveys.get(event.object_id))}
        else:
            subject = _("Family card")
        entry = Entry(event=event, subject=subject)
        for name, (before, after) in event.changes.items():
            if model is Person and name in CONTEXT_FIELDS and event.action != AuditEvent.Action.MOVE:
                continue
            if entry.is_creation and after in (None, "", False):
                continue
            model_field = _field(model, name)
            label = capfirst(model_field.verbose_name) if model_field else name
            entry.changes.append(Change(label=str(label), before=formatter.value(model_field, before, region_code),
                                        after=formatter.value(model_field, after, region_code)))
        entries.append(entry)
    return entries
