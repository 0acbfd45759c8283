from django.db import models
from django.utils.translation import gettext_lazy as _

from sejahtera.regions.codes import format_code


class Region(models.Model):
    """A Kemendagri administrative region. The code is stored without dots."""

    class Level(models.TextChoices):
        PROVINSI = "provinsi", _("province")
        KABUPATEN = "kabupaten", _("regency/city")
        KECAMATAN = "kecamatan", _("district")
        DESA = "desa", _("village/ward")

    class DesaType(models.TextChoices):
        DESA = "desa", _("desa")
        KELURAHAN = "kelurahan", _("kelurahan")

    code = models.CharField(_("code"), max_length=10, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    desa_type = models.CharField(_("desa type"), max_length=10, choices=DesaType.choices, blank=True)
    is_current = models.BooleanField(
        _("in the current list"), default=True, help_text=_("False for codes of an older region list.")
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return self.name

    @property
    def dotted_code(self) -> str:
        return format_code(self.code)
