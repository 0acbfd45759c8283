"""Template helpers of the staff application."""

import datetime

from django import template
from django.utils import timezone

from sejahtera.registry.selectors import display_nik
from sejahtera.web import presenters

register = template.Library()


@register.simple_tag(takes_context=True)
def id_number(context, record, value) -> str:
    """A NIK or No. KK as the current user may see it (whole or masked)."""
    return display_nik(context["request"].user, record, value)


@register.filter
def rupiah(value) -> str:
    return presenters.rupiah(value)


@register.filter
def age(birth_date: datetime.date | None) -> int | str:
    if not birth_date:
        return ""
    today = timezone.localdate()
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


@register.filter
def can_edit(user, region_code: str) -> bool:
    return bool(region_code) and user.can_edit_region(region_code)


@register.filter
def role_and_scope(user) -> str:
    """``Operator Desa · Pondok Rajeg`` for the user's first active membership."""
    membership = user.primary_membership
    if membership is None:
        return ""
    label = f"{membership.get_role_display()} · {membership.region.name}"
    if membership.agency_id:
        label = f"{label} ({membership.agency.short_name})"
    return label
