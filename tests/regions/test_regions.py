import pytest

from sejahtera.regions.codes import InvalidRegionCode, format_code, level_of, normalize_code, parent_code
from sejahtera.regions.models import Region


@pytest.mark.parametrize("raw, expected", [
    ("32.01.01.2001", "3201012001"), ("3201012001", "3201012001"), (" 32.01 ", "3201"), ("32", "32"),
    ("320101", "320101"),
])
def test_codes_with_or_without_dots(raw, expected):
    assert normalize_code(raw) == expected


@pytest.mark.parametrize("raw", ["", "3", "32.0", "32.01.01.201", "32-01", "abcd", "32.01.01.2001.1"])
def test_malformed_codes_rejected(raw):
    with pytest.raises(InvalidRegionCode):
        normalize_code(raw)


def test_format_level_parent():
    assert format_code("3201012001") == "32.01.01.2001"
    assert level_of("3201012001") == "desa" and level_of("3201") == "kabupaten"
    assert parent_code("3201012001") == "320101" and parent_code("32") is None


@pytest.mark.django_db
def test_shipped_region_list_is_loaded():
    assert Region.objects.count() == 91599
    bogor = Region.objects.get(code="3201")
    assert bogor.name == "Kabupaten Bogor" and bogor.parent_id == "32"
    assert Region.objects.filter(parent=bogor).count() == 40
    assert Region.objects.filter(level="desa", code__startswith="3201").count() == 435
    pondok_rajeg = Region.objects.get(code="3201011001")
    assert pondok_rajeg.desa_type == "kelurahan" and pondok_rajeg.parent.name == "Cibinong"
    assert Region.objects.filter(level="provinsi").count() == 38


@pytest.mark.django_db
def test_older_region_list_adds_codes_without_overwriting(tmp_path):
    from django.core.management import call_command

    older = tmp_path / "wilayah-lama.csv"
    older.write_text("code,name,level,desa_type\n32.01.99,Kecamatan Lama,kecamatan,\n"
                     "32.01.01,Nama Lama Cibinong,kecamatan,\n", encoding="utf-8")
    call_command("load_regions", str(older), "--older")
    retired = Region.objects.get(code="320199")
    assert not retired.is_current and retired.parent_id == "3201"
    assert Region.objects.get(code="320101").name == "Cibinong"
