from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sejahtera.accounts.roles import CAPABILITIES, Role


class Agency(models.Model):
    """A perangkat daerah: Bappedalitbang, Dinas Sosial, Disnaker, ..."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=150)
    short_name = models.CharField(_("short name"), max_length=30)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name


class User(AbstractUser):
    """A staff member. What they may see comes from their active memberships."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def active_memberships(self) -> list["Membership"]:
        return list(self.memberships.filter(is_active=True).select_related("agency", "region"))

    def _scopes(self, capability: str) -> list[str]:
        return sorted({m.region_id for m in self.active_memberships if getattr(CAPABILITIES[m.role], capability)})

    @cached_property
    def personal_data_scopes(self) -> list[str]:
        """Region codes (prefixes) whose families and persons this user may read."""
        return self._scopes("personal_data")

    @cached_property
    def edit_scopes(self) -> list[str]:
        return self._scopes("edit_registry")

    @cached_property
    def full_nik_scopes(self) -> list[str]:
        return self._scopes("full_nik")

    def can_edit_region(self, region_code: str) -> bool:
        return any(region_code.startswith(scope) for scope in self.edit_scopes)

    def sees_full_nik_in(self, region_code: str) -> bool:
        return any(region_code.startswith(scope) for scope in self.full_nik_scopes)

    @cached_property
    def roles(self) -> set[str]:
        return {m.role for m in self.active_memberships}

    @cached_property
    def primary_membership(self) -> "Membership | None":
        return self.active_memberships[0] if self.active_memberships else None


class Membership(models.Model):
    """A user's role in an agency, limited to a region (regency, kecamatan or desa)."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region scope"), on_delete=models.PROTECT,
        help_text=_("A regency, district or village: the user works on records inside it."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "agency", "region"], name="unique_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region_id}"

    def clean(self):
        if self.region_id and len(self.region_id) not in (4, 6, 10):
            raise ValidationError({"region": _("The scope must be a regency, a district or a village.")})
        if self.role == Role.DESA_OPERATOR and self.region_id and len(self.region_id) != 10:
            raise ValidationError({"region": _("A village operator works in one village.")})


class ApiToken(models.Model):
    """A bearer token for an integrator's system, acting as ``user``.

    Only the SHA-256 hash of the key is stored; the key is shown once when created.
    ``prefix`` (the key's first characters) tells tokens apart in lists and logs.
    """

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. the calling system."))
    prefix = models.CharField(_("key prefix"), max_length=16)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
