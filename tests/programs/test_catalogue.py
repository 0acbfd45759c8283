"""The seeded programmes of the regency plan and their rules."""

import pytest

from sejahtera.programs.models import Programme
from sejahtera.programs.rules import RuleError, validate_rule


def test_the_seven_programmes_of_the_plan_are_seeded(db):
    programmes = {p.code: p for p in Programme.objects.select_related("agency")}
    assert set(programmes) == {"pbi-jkn-daerah", "bantuan-pengobatan", "sekolah-gratis", "beasiswa-s1",
                               "pelatihan-blk", "magang", "pembinaan-umkm"}
    scholarship = programmes["beasiswa-s1"]
    assert scholarship.quota == 1200 and scholarship.ranking == "merit" and scholarship.exclusive_group
    assert programmes["pbi-jkn-daerah"].benefit == "premium" and programmes["pbi-jkn-daerah"].amount == 42_000
    assert {p.agency.code for p in programmes.values()} == {"dinkes", "dinsos", "disdik", "disnaker", "diskopumkm"}


@pytest.mark.parametrize("code", ["pbi-jkn-daerah", "bantuan-pengobatan", "sekolah-gratis", "beasiswa-s1",
                                  "pelatihan-blk", "magang", "pembinaan-umkm"])
def test_every_seeded_rule_is_published_and_valid(db, code):
    programme = Programme.objects.get(code=code)
    rule = programme.rules.get()
    assert rule.version == 1 and not rule.is_draft
    validate_rule(rule.text, programme.target)


def test_an_invalid_rule_would_be_refused(db):
    with pytest.raises(RuleError):
        validate_rule("family.desill <= 4", "person")
