"""Roles and what each may do with personal data."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DESA_OPERATOR = "desa_operator", _("Village operator")
    KECAMATAN_VERIFIER = "kecamatan_verifier", _("District verifier")
    AGENCY_OFFICER = "agency_officer", _("Agency officer")
    AGENCY_HEAD = "agency_head", _("Agency head (approver)")
    PLANNER = "planner", _("Planner")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


@dataclass(frozen=True)
class Capabilities:
    personal_data: bool  # may open family and person records at all
    full_nik: bool  # sees NIK and No. KK unmasked
    edit_registry: bool  # may register and correct families and persons


CAPABILITIES = {
    Role.DESA_OPERATOR: Capabilities(personal_data=True, full_nik=True, edit_registry=True),
    Role.KECAMATAN_VERIFIER: Capabilities(personal_data=True, full_nik=True, edit_registry=True),
    Role.AGENCY_OFFICER: Capabilities(personal_data=True, full_nik=False, edit_registry=False),
    Role.AGENCY_HEAD: Capabilities(personal_data=True, full_nik=False, edit_registry=False),
    Role.PLANNER: Capabilities(personal_data=False, full_nik=False, edit_registry=False),
    Role.SYSTEM_ADMIN: Capabilities(personal_data=True, full_nik=True, edit_registry=True),
}
