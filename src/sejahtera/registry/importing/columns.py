"""The import templates: their columns, how headers are recognised, and how a row becomes values.

Two templates: ``INDIVIDUALS`` (one row per person, families grouped by ``no_kk``) and ``SURVEYS``
(one row per household survey, keyed by ``no_kk``). Header texts are matched case-insensitively,
ignoring spaces, underscores, dots, dashes, slashes and a trailing ``(…)`` hint, with common aliases.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sejahtera.registry import choices as c
from sejahtera.registry.identity import Issue
from sejahtera.registry.importing import values as v
from sejahtera.registry.models import SURVEY_FIELDS, Family, HouseholdSurvey, Person


@dataclass(frozen=True, slots=True)
class Column:
    name: str  # canonical header
    model: str  # "family", "person" or "survey"
    field: str  # the model field it fills
    parse: Callable[[object], object]  # a values.py parser: cell -> value, None when blank
    required: bool = False
    aliases: tuple[str, ...] = ()
    default: object = None  # the value of a blank optional cell
    help: str = ""  # Indonesian, for the template's instructions sheet
    accepted: str = ""  # Indonesian: the accepted values, for the instructions sheet
    identity: bool = False  # NIK / No. KK: ``parse`` returns (text, warning)


def header_key(text: object) -> str:
    """How a header text is compared: lower case letters and digits only, without a "(…)" hint."""
    text = "" if text is None else str(text)
    if "(" in text:
        text = text[: text.index("(")]
    return "".join(ch for ch in text.lower() if ch.isalnum())


class Template:
    def __init__(self, name: str, title: str, columns: Sequence[Column], sheet_names: Sequence[str] = ()):
        self.name = name
        self.title = title  # Indonesian sheet name in the downloadable template
        self.columns = tuple(columns)
        self.by_name = {col.name: col for col in self.columns}
        self.sheet_names = (title, name, *sheet_names)
        self.required = tuple(col.name for col in self.columns if col.required)
        self.lookup: dict[str, str] = {}
        for col in self.columns:
            for alias in (col.name, *col.aliases):
                key = header_key(alias)
                if self.lookup.setdefault(key, col.name) != col.name:
                    raise ValueError(f"{name}: header {alias!r} is an alias of two columns")

    def __repr__(self) -> str:
        return f"<Template {self.name}>"


class HeaderProblem(ValueError):
    """The header row cannot be used; ``message`` is for people."""

    code = "header"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class MissingColumns(HeaderProblem):
    code = "missing_columns"

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(_("The file lacks required columns: %(columns)s.") % {"columns": ", ".join(missing)})


class DuplicateColumns(HeaderProblem):
    code = "duplicate_columns"

    def __init__(self, duplicates: dict[str, list[str]]):
        self.duplicates = duplicates
        parts = [_("%(headers)s (all mean %(column)s)") % {"headers": ", ".join(f"“{h}”" for h in headers),
                                                           "column": name}
                 for name, headers in duplicates.items()]
        super().__init__(_("Several columns hold the same field; keep one of each: %(columns)s.")
                         % {"columns": "; ".join(parts)})


@dataclass(frozen=True)
class HeaderMap:
    template: Template
    index: dict[str, int]  # canonical column name -> position in the row
    unknown: list[str]  # headers that match no column: ignored, worth reporting as information

    def __contains__(self, name: str) -> bool:
        return name in self.index

    def get(self, name: str) -> int | None:
        return self.index.get(name)


def map_header(header: list[str], template: Template) -> HeaderMap:
    """Where each column of ``template`` is in ``header``; raises DuplicateColumns or MissingColumns."""
    index: dict[str, int] = {}
    seen: dict[str, list[str]] = {}
    unknown: list[str] = []
    for position, text in enumerate(header):
        key = header_key(text)
        if not key:
            continue
        name = template.lookup.get(key)
        if name is None:
            unknown.append(str(text).strip())
            continue
        seen.setdefault(name, []).append(str(text).strip())
        index.setdefault(name, position)
    duplicates = {name: headers for name, headers in seen.items() if len(headers) > 1}
    if duplicates:
        raise DuplicateColumns(duplicates)
    missing = [name for name in template.required if name not in index]
    if missing:
        raise MissingColumns(missing)
    return HeaderMap(template, index, unknown)


def detect_template(header: list[str]) -> Template | None:
    """INDIVIDUALS when the header has a name or NIK column, SURVEYS when it has survey columns, else None."""
    keys = {header_key(text) for text in header}
    found = {INDIVIDUALS.lookup[k] for k in keys if k in INDIVIDUALS.lookup}
    if found & {"nama", "nik"}:
        return INDIVIDUALS
    survey = {SURVEYS.lookup[k] for k in keys if k in SURVEYS.lookup} - {"no_kk"}
    return SURVEYS if survey else None


class RowParser:
    """Turns the raw cells of one row into values keyed by canonical column name.

    ``parse(cells)`` returns ``(values, problems, warnings)``: ``values`` has every column of the
    template (absent and blank optional ones get their default), ``problems`` is None or a list of
    ``(column, ValueProblem)`` (the row cannot be imported as it is), ``warnings`` None or a list of
    ``(column, Issue)`` to store with the record (a NIK stored as a number, a person without NIK).
    """

    def __init__(self, header_map: HeaderMap):
        columns = header_map.template.columns
        self.plan = tuple((col.name, header_map.index[col.name], col.parse, col.required, col.default, col.identity)
                          for col in columns if col.name in header_map.index)
        self.absent = {col.name: col.default for col in columns if col.name not in header_map.index}

    def __call__(self, cells: list) -> tuple[dict, list | None, list | None]:
        values = self.absent.copy()
        problems = warnings = None
        for name, index, parse, required, default, identity in self.plan:
            try:
                value = parse(cells[index])
            except v.ValueProblem as problem:
                if problems is None:
                    problems = []
                problems.append((name, problem))
                continue
            if identity:
                value, warning = value
                if warning is None and not value and name == "nik":
                    warning = Issue("nik_missing", _("The person has no NIK."))
                if warning is not None:
                    if warnings is None:
                        warnings = []
                    warnings.append((name, warning))
                value = value or None
            if value is None:
                if required:
                    if problems is None:
                        problems = []
                    problems.append((name, v.ValueProblem("required", _("%(column)s is required.")
                                                          % {"column": name})))
                    continue
                value = default
            values[name] = value
        return values, problems, warnings


def _text(model, field: str) -> Callable[[object], str | None]:
    return functools.partial(v.parse_text, max_length=model._meta.get_field(field).max_length)


def _choices(parser: v.Vocabulary) -> str:
    return parser.describe()


_nik = functools.partial(v.identity_text, column="nik")
_no_kk = functools.partial(v.identity_text, column="no_kk")
_DATE_HELP = "Tanggal hari/bulan/tahun: 17/08/1980, 17-08-1980, 17.08.1980, 17 Agustus 1980 atau 1980-08-17."
_ID_HELP = ("16 angka. Format kolom sebagai Teks: Excel hanya menyimpan 15 angka dari sebuah bilangan, "
            "sehingga angka terakhir hilang.")
_NO_KK = Column("no_kk", "family", "no_kk", _no_kk, True,
                ("no kk", "nokk", "nomor kk", "no. kk", "kk", "nkk", "no kartu keluarga", "nomor kartu keluarga",
                 "kartu keluarga"), None, "Nomor Kartu Keluarga.", _ID_HELP, identity=True)

INDIVIDUALS = Template("individuals", "Individu", [
    _NO_KK,
    Column("nik", "person", "nik", _nik, False,
           ("no nik", "nomor nik", "nomor induk kependudukan", "no ktp", "nomor ktp", "ktp"), None,
           "Nomor Induk Kependudukan. Boleh kosong bila belum punya NIK (akan ditandai).", _ID_HELP, identity=True),
    Column("nama", "person", "name", _text(Person, "name"), True,
           ("nama lengkap", "name", "nama anggota", "nama art", "full name", "nama penduduk"), None,
           "Nama lengkap sesuai KK.", "Teks, paling banyak 120 huruf."),
    Column("jenis_kelamin", "person", "sex", v.parse_sex, True,
           ("jk", "jenis kelamin", "sex", "l/p", "kelamin", "gender", "jns kelamin", "jenkel", "jns kel"), None,
           "Jenis kelamin.",
           "L atau P; juga Laki-laki/Pria/Perempuan/Wanita, atau kode 1 (laki-laki) / 2 (perempuan)."),
    Column("tempat_lahir", "person", "birth_place", _text(Person, "birth_place"), False,
           ("tempat lahir", "tmp lahir", "tmpt lahir", "tpt lahir", "place of birth", "birth place"), "",
           "Tempat lahir.", "Teks, paling banyak 80 huruf."),
    Column("tanggal_lahir", "person", "birth_date", v.parse_date, True,
           ("tgl lahir", "tanggal lahir", "tgl lhr", "tanggal lhr", "date of birth", "dob", "birth date"), None,
           "Tanggal lahir.", _DATE_HELP + " Tidak boleh di masa depan atau sebelum 1900."),
    Column("hubungan_keluarga", "person", "relationship", v.parse_relationship, True,
           ("shdk", "hubungan", "status hubungan dalam keluarga", "hub keluarga", "hubungan dengan kepala keluarga",
            "hub kel", "status dalam keluarga", "hubungan dalam keluarga", "stat hbkel", "relationship"), None,
           "Status hubungan dalam keluarga (SHDK).", _choices(v.parse_relationship)),
    Column("status_perkawinan", "person", "marital_status", v.parse_marital_status, False,
           ("status kawin", "perkawinan", "kawin", "stat kwn", "status nikah", "marital status"),
           c.MaritalStatus.SINGLE, "Status perkawinan. Kosong berarti Belum Kawin.",
           _choices(v.parse_marital_status) + " (juga Kawin Tercatat / Kawin Belum Tercatat)."),
    Column("pendidikan", "person", "education", v.parse_education, False,
           ("pendidikan terakhir", "pddk akh", "pddk akhir", "pendidikan akhir", "education"), c.Education.NONE,
           "Pendidikan terakhir (10 jenjang Dukcapil). Kosong berarti Tidak/Belum Sekolah.",
           _choices(v.parse_education) + " (juga SD, SMP, SMA, SMK, D1-D4, S1-S3)."),
    Column("pekerjaan", "person", "occupation", _text(Person, "occupation"), False,
           ("jenis pekerjaan", "pekerjaan utama", "jenis pkrjn", "occupation"), "",
           "Pekerjaan.", "Teks, paling banyak 100 huruf."),
    Column("kode_desa", "person", "desa", v.parse_desa_code, True,
           ("kode wilayah", "kode kelurahan", "kd desa", "kode desa kelurahan", "kode kel", "kd kel", "kode desa",
            "kodedesa", "kd wilayah", "village code"), None,
           "Kode desa/kelurahan Kemendagri tempat keluarga tinggal.", "10 angka, boleh bertitik: 32.01.01.2001."),
    Column("alamat", "family", "address", _text(Family, "address"), False,
           ("alamat rumah", "alamat lengkap", "address", "jalan"), "", "Alamat rumah keluarga.",
           "Teks, paling banyak 200 huruf."),
    Column("rt", "family", "rt", v.parse_rt_rw, False, ("no rt", "nomor rt"), "", "Nomor RT.",
           "1-3 angka: 3, 03 atau 003."),
    Column("rw", "family", "rw", v.parse_rt_rw, False, ("no rw", "nomor rw"), "", "Nomor RW.",
           "1-3 angka: 5, 05 atau 005."),
    Column("status_pekerjaan", "person", "employment_status", v.parse_employment_status, False,
           ("status bekerja", "status kerja", "employment status"), c.EmploymentStatus.NOT_WORKING,
           "Kegiatan utama (boleh tidak ada kolomnya).", _choices(v.parse_employment_status)),
    Column("disabilitas", "person", "disability", v.parse_disability, False,
           ("penyandang disabilitas", "jenis disabilitas", "difabel", "disability"), c.Disability.NONE,
           "Jenis disabilitas (UU 8/2016).", _choices(v.parse_disability)),
    Column("status_jkn", "person", "jkn_status", v.parse_jkn_status, False,
           ("jkn", "status bpjs", "bpjs kesehatan", "kepesertaan jkn", "jkn kis"), c.JknStatus.NONE,
           "Kepesertaan JKN-KIS.", _choices(v.parse_jkn_status)),
    Column("no_hp", "person", "phone", v.parse_phone, False,
           ("nomor hp", "hp", "telepon", "no telp", "no telepon", "nomor telepon", "phone", "no handphone", "no wa"),
           "", "Nomor HP/telepon.", "Diawali 0, 62 atau +62; 8-15 angka."),
], sheet_names=("individuals", "penduduk", "anggota keluarga", "data individu"))

_BOOL_HELP = "Ya/Tidak, Y/T, 1/0, Ada/Tidak Ada."


def _asset(name: str, field: str, aliases: tuple[str, ...], help: str) -> Column:
    return Column(name, "survey", field, v.parse_bool, False, aliases, False, help, _BOOL_HELP)


SURVEYS = Template("surveys", "Survei Rumah Tangga", [
    _NO_KK,
    Column("tanggal_survei", "survey", "surveyed_on", v.parse_date, True,
           ("tgl survei", "tanggal survey", "tgl survey", "tanggal pendataan", "tgl pendataan", "tanggal"), None,
           "Tanggal survei.", _DATE_HELP),
    Column("enumerator", "survey", "enumerator", _text(HouseholdSurvey, "enumerator"), False,
           ("petugas", "pencacah", "nama petugas", "nama pencacah", "surveyor"), "", "Nama petugas pendata.",
           "Teks, paling banyak 100 huruf."),
    Column("luas_lantai", "survey", "floor_area_m2", v.parse_area, True,
           ("luas lantai m2", "luas bangunan", "luas rumah"), None, "Luas lantai rumah dalam m².",
           "Bilangan bulat, misalnya 36."),
    Column("jenis_lantai", "survey", "floor_material", v.parse_floor_material, True,
           ("lantai", "jenis lantai terluas", "bahan lantai"), None, "Jenis lantai terluas.",
           _choices(v.parse_floor_material)),
    Column("jenis_dinding", "survey", "wall_material", v.parse_wall_material, True,
           ("dinding", "jenis dinding terluas", "bahan dinding"), None, "Jenis dinding terluas.",
           _choices(v.parse_wall_material)),
    Column("jenis_atap", "survey", "roof_material", v.parse_roof_material, True,
           ("atap", "jenis atap terluas", "bahan atap"), None, "Jenis atap terluas.", _choices(v.parse_roof_material)),
    Column("sumber_air_minum", "survey", "drinking_water", v.parse_drinking_water, True,
           ("air minum", "sumber air"), None, "Sumber air minum utama.", _choices(v.parse_drinking_water)),
    Column("fasilitas_bab", "survey", "toilet", v.parse_toilet, True,
           ("fasilitas buang air besar", "jamban", "toilet", "kepemilikan jamban", "fasilitas jamban"), None,
           "Fasilitas tempat buang air besar.", _choices(v.parse_toilet)),
    Column("sumber_penerangan", "survey", "lighting", v.parse_lighting, True,
           ("penerangan", "sumber penerangan utama", "listrik"), None, "Sumber penerangan utama.",
           _choices(v.parse_lighting)),
    Column("daya_listrik", "survey", "installed_power_va", v.parse_installed_power, False,
           ("daya", "daya terpasang", "daya listrik terpasang", "daya va"), 0, "Daya listrik terpasang (VA).",
           "450, 900, 1300, 2200, >2200, atau 0/Tidak Ada."),
    Column("bahan_bakar_memasak", "survey", "cooking_fuel", v.parse_cooking_fuel, True,
           ("bahan bakar", "bahan bakar utama memasak", "energi memasak"), None,
           "Bahan bakar/energi utama untuk memasak.", _choices(v.parse_cooking_fuel)),
    Column("status_kepemilikan_rumah", "survey", "home_ownership", v.parse_home_ownership, True,
           ("kepemilikan rumah", "status rumah", "status kepemilikan bangunan", "status bangunan"), None,
           "Status kepemilikan bangunan tempat tinggal.", _choices(v.parse_home_ownership)),
    _asset("memiliki_lahan", "owns_land", ("lahan", "punya lahan", "kepemilikan lahan"), "Memiliki lahan."),
    _asset("memiliki_rumah_lain", "owns_other_house", ("rumah lain", "punya rumah lain"),
           "Memiliki rumah di tempat lain."),
    _asset("kulkas", "has_refrigerator", ("lemari es", "kulkas lemari es"), "Memiliki lemari es/kulkas."),
    _asset("ac", "has_air_conditioner", ("pendingin ruangan",), "Memiliki AC."),
    _asset("televisi", "has_television", ("tv", "tv layar datar", "televisi layar datar"),
           "Memiliki televisi layar datar."),
    _asset("komputer", "has_computer", ("komputer laptop", "laptop"), "Memiliki komputer/laptop."),
    _asset("emas", "has_gold", ("emas perhiasan", "perhiasan"), "Memiliki emas/perhiasan minimal 10 gram."),
    _asset("sepeda_motor", "has_motorbike", ("motor",), "Memiliki sepeda motor."),
    _asset("mobil", "has_car", (), "Memiliki mobil."),
    Column("ternak_besar", "survey", "large_livestock", v.parse_count, False, ("sapi kerbau kuda",), 0,
           "Jumlah sapi, kerbau, kuda.", "Bilangan bulat, 0 bila tidak ada."),
    Column("ternak_kecil", "survey", "small_livestock", v.parse_count, False, ("kambing domba babi",), 0,
           "Jumlah kambing, domba, babi.", "Bilangan bulat, 0 bila tidak ada."),
    Column("pengeluaran_per_kapita", "survey", "consumption_per_capita", v.parse_rupiah, False,
           ("pengeluaran", "pengeluaran perkapita", "konsumsi per kapita"), None,
           "Pengeluaran per kapita sebulan, hanya bila diukur.", "Rupiah: 1250000, 1.250.000 atau Rp1.250.000."),
], sheet_names=("surveys", "survei", "survey", "survei rumah tangga"))

TEMPLATES = (INDIVIDUALS, SURVEYS)
assert [col.field for col in SURVEYS.columns[1:]] == SURVEY_FIELDS, "SURVEYS must cover HouseholdSurvey"
