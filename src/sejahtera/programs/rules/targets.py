"""The built-in targets: persons and families of the registry.

A person rule selects persons still in the registry (not merged into another record) who
belong to a family; a family rule selects families. "member" means a member of the family,
for a person rule the members of the person's own family (the person included).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sejahtera.programs.rules.schema import Schema, Variable, register
from sejahtera.programs.rules.sources import (
    HEAD,
    Age,
    Column,
    ForeignKeyLink,
    Kecamatan,
    MemberCount,
    MemberSet,
    MembersLink,
    Score,
)
from sejahtera.programs.rules.value_types import Boolean, Choice, Integer, RegionCode
from sejahtera.registry import choices as c
from sejahtera.registry.importing import vocabulary as v

# Education as agency staff name the levels; the regency files' spellings ("SMA", "SMK",
# "D4", "Tamat SD/Sederajat", ...) are accepted too, through the import vocabulary.
EDUCATION_NAMES = {
    "tidak sekolah": c.Education.NONE.value,
    "belum tamat SD": c.Education.PRIMARY_INCOMPLETE.value,
    "SD": c.Education.PRIMARY.value,
    "SMP": c.Education.JUNIOR_SECONDARY.value,
    "SLTA": c.Education.SENIOR_SECONDARY.value,
    "D1": c.Education.DIPLOMA_I_II.value,
    "D3": c.Education.DIPLOMA_III.value,
    "S1": c.Education.BACHELOR.value,
    "S2": c.Education.MASTER.value,
    "S3": c.Education.DOCTORATE.value,
    "SLTP": c.Education.JUNIOR_SECONDARY.value,
    "SMA": c.Education.SENIOR_SECONDARY.value,
    "SMK": c.Education.SENIOR_SECONDARY.value,
    "D2": c.Education.DIPLOMA_I_II.value,
    "D4": c.Education.BACHELOR.value,
}


def choice(choices, vocabulary, names: dict | None = None, ordered: bool = False) -> Choice:
    """Text codes are written as stored ("none"), number codes by their English name ("head")."""
    if names is None:
        names = {str(m.value) if isinstance(m.value, str) else m.name.lower(): m.value for m in choices}
    return Choice(names, vocabulary, ordered, labels={m.value: m.label for m in choices})


def region_variables() -> dict[str, Variable]:
    return {
        "kecamatan": Variable("kecamatan", RegionCode(6, "32.01.01"), Kecamatan(),
                              _("kecamatan"), 'kecamatan == "32.01.01"'),
        "desa": Variable("desa", RegionCode(10, "32.01.01.2001"), Column("desa_id", "desa_id"),
                         _("desa/kelurahan"), 'desa == "32.01.01.2001"'),
    }


FAMILY = register(Schema(
    name="family",
    model="registry.Family",
    label=_("families"),
    variables={
        "desil": Variable("desil", Integer(1, 10), Score("desil"), _("desil"), "desil <= 4"),
        "poor": Variable("poor", Boolean(), Score("is_poor"), _("below the poverty line"), "poor"),
        "extremely_poor": Variable("extremely_poor", Boolean(), Score("is_extremely_poor"),
                                   _("below the extreme-poverty line"), "extremely_poor"),
        "per_capita": Variable("per_capita", Integer(0, 1_000_000_000), Score("predicted_per_capita"),
                               _("predicted consumption per capita (Rp)"), "per_capita < 600000"),
        "size": Variable("size", Integer(0, 99), MemberCount(MemberSet()), _("number of members"), "size >= 5"),
        **region_variables(),
    },
    links={"head": MembersLink("head", "person", MemberSet(relationship=HEAD), _("head of the family"))},
    members=MemberSet(),
))

PERSON = register(Schema(
    name="person",
    model="registry.Person",
    label=_("persons"),
    base=Q(merged_into__isnull=True, family__isnull=False),
    variables={
        "age": Variable("age", Integer(0, 150), Age(), _("age"), "age >= 18"),
        "sex": Variable("sex", choice(c.Sex, v.parse_sex), Column("sex", "sex"), _("sex"),
                        'sex == "P"'),
        "education": Variable("education", choice(c.Education, v.parse_education, EDUCATION_NAMES, ordered=True),
                              Column("education", "education"), _("education"), 'education >= "SLTA"'),
        "jkn": Variable("jkn", choice(c.JknStatus, v.parse_jkn_status),
                        Column("jkn_status", "jkn_status"), _("JKN health insurance"), 'jkn == "none"'),
        "employment": Variable("employment", choice(c.EmploymentStatus, v.parse_employment_status),
                               Column("employment_status", "employment_status"), _("employment status"),
                               'employment == "unemployed"'),
        "disability": Variable("disability", choice(c.Disability, v.parse_disability),
                               Column("disability", "disability"), _("disability"), 'disability != "none"'),
        "relationship": Variable("relationship", choice(c.Relationship, v.parse_relationship),
                                 Column("relationship", "relationship"), _("relationship to the head"),
                                 'relationship == "child"'),
        "marital": Variable("marital", choice(c.MaritalStatus, v.parse_marital_status),
                            Column("marital_status", "marital_status"), _("marital status"),
                            'marital == "widowed"'),
        **region_variables(),
    },
    links={"family": ForeignKeyLink("family", "family", "family", _("family"))},
    aliases={
        "desil": ("family", "desil"),
        "poor": ("family", "poor"),
        "extremely_poor": ("family", "extremely_poor"),
        "per_capita": ("family", "per_capita"),
        "head": ("family", "head"),
        "jkn_status": ("jkn",),
        "employment_status": ("employment",),
        "marital_status": ("marital",),
    },
    members_via="family",
))
