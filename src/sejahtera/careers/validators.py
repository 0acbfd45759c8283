"""Field validators of the career center: KBJI and KBLI codes, NIB, kecamatan codes.

KBJI codes are checked against ``sejahtera.careers.kbji`` (the shipped KBJI 2014 list) when that
module is installed, and by their shape otherwise: 1 to 4 digits, or a 6-digit occupation written
``NNNN.NN`` as in the classification.
"""

import importlib
import importlib.util
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sejahtera.careers import kbli

KBJI_SHAPE = re.compile(r"^[0-9]{1,4}(\.[0-9]{2})?$")
NIB_SHAPE = re.compile(r"^[0-9]{13}$")
KECAMATAN_SHAPE = re.compile(r"^[0-9]{6}$")
DESA_SHAPE = re.compile(r"^[0-9]{10}$")


def _kbji_module():
    if importlib.util.find_spec("sejahtera.careers.kbji") is None:
        return None
    return importlib.import_module("sejahtera.careers.kbji")


def is_kbji_code(code: str) -> bool:
    kbji = _kbji_module()
    if kbji is not None:
        return kbji.is_valid_code(code)
    return bool(KBJI_SHAPE.match(code or ""))


def validate_kbji_code(value: str) -> None:
    if not is_kbji_code(value):
        raise ValidationError(_("%(code)s is not a KBJI 2014 occupation code (e.g. 7212 or 7212.01)."),
                              code="kbji", params={"code": value})


def validate_kbli_code(value: str) -> None:
    if not kbli.is_valid_code(value) or value != kbli.normalize_code(value):
        raise ValidationError(_("%(code)s is not a KBLI 2020 industry code (e.g. 10710)."),
                              code="kbli", params={"code": value})


def validate_nib(value: str) -> None:
    """A Nomor Induk Berusaha (OSS business identification number): exactly 13 digits."""
    if not NIB_SHAPE.match(value or ""):
        raise ValidationError(_("The NIB (Nomor Induk Berusaha) must be exactly 13 digits."), code="nib")


def validate_kecamatan_code(value: str) -> None:
    if not KECAMATAN_SHAPE.match(value or ""):
        raise ValidationError(_("A kecamatan code has 6 digits (e.g. 320101)."), code="kecamatan")


def validate_desa_code(value: str) -> None:
    if not DESA_SHAPE.match(value or ""):
        raise ValidationError(_("A desa/kelurahan code has 10 digits (e.g. 3201011001)."), code="desa")
