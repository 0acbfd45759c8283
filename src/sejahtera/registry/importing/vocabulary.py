"""Code lists in import files: their accepted spellings, and the lookups that parse them.

Each list maps a model value to its spellings; the first spelling is the name shown in the
template's instructions and in error messages. Spellings are matched case-insensitively with
punctuation (``/ - . , ( ) _``) treated as spaces, so "Tamat SD/Sederajat", "TAMAT SD / SEDERAJAT"
and "tamat-sd-sederajat" are one spelling. Numeric codes are listed separately (``*_CODES``).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sejahtera.registry import choices as c
from sejahtera.registry.identity import Issue


class ValueProblem(ValueError):
    """A cell that cannot be imported; ``code`` is stable, ``message`` is for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def issue(self) -> Issue:
        return Issue(self.code, self.message)


# Punctuation that separates words in a spelling. (str.replace: str.translate with a table is ten times slower.)
SEPARATORS = "/-._,()\\:;"


def replace_any(text: str, chars: str, by: str) -> str:
    for ch in chars:
        if ch in text:
            text = text.replace(ch, by)
    return text


def normalize_key(text: str) -> str:
    """The matching key of a spelling: lower case, punctuation as spaces, single spaces (NBSP too)."""
    return " ".join(replace_any(text, SEPARATORS, " ").lower().split())


def cell_text(value: object) -> str | None:
    """A cell as stripped text, or None when blank. Integral floats lose their ``.0``."""
    if value is None:
        return None
    cls = value.__class__
    if cls is str:
        text = value.strip()
    elif cls is float:
        text = str(int(value)) if value.is_integer() else repr(value)
    elif cls is int:
        text = str(value)
    else:
        text = str(value).strip()
    return None if not text or text == "-" else text


class Vocabulary:
    """The accepted spellings of one code list, precomputed for dictionary lookups.

    Calling it with a cell returns the model value, None for a blank cell, or raises ValueProblem.
    """

    def __init__(self, name: str, label, spellings: dict, codes: dict | None = None):
        # Plain str/int values, not the Choices members: cheaper to store and to compare.
        spellings = {getattr(value, "value", value): words for value, words in spellings.items()}
        codes = {code: getattr(value, "value", value) for code, value in (codes or {}).items()}
        self.name = name
        self.label = label
        self.spellings = spellings
        self.codes = codes
        self.keys: dict[str, object] = {}
        compact: dict[str, object] = {}
        for value, words in spellings.items():
            for word in (*words, str(value)):
                key = normalize_key(word)
                if self.keys.setdefault(key, value) != value:
                    raise ValueError(f"{name}: {word!r} is listed for two values")
                squeezed = key.replace(" ", "")
                compact[squeezed] = value if compact.get(squeezed, value) == value else None
        for code, value in self.codes.items():
            if self.keys.setdefault(str(code), value) != value:
                raise ValueError(f"{name}: code {code!r} clashes with a spelling")
        # Spellings without spaces match when unambiguous ("S-1" like "S1", "LakiLaki" like "Laki laki").
        self.compact = {k: v for k, v in compact.items() if v is not None and k not in self.keys}
        # The fast path: the spellings as people usually type them, in their usual cases.
        self.exact: dict[str, object] = {}
        for value, words in spellings.items():
            for word in words:
                for form in (word, word.lower(), word.upper(), word.title(), word.capitalize()):
                    self.exact.setdefault(form, value)
        for code, value in self.codes.items():
            self.exact.setdefault(str(code), value)
            self.exact.setdefault(f"{code:02d}", value)
        self.exact_limit = len(self.exact) + 5000

    def __call__(self, value: object):
        if value.__class__ is str:
            hit = self.exact.get(value)
            if hit is not None:
                return hit
        text = cell_text(value)
        if text is None:
            return None
        key = normalize_key(text)
        if key.isdigit() and key.isascii():  # a code: "01" is 1; "-1" and 2.5 are no code
            key = key.lstrip("0") or "0" if text[0].isdigit() else ""
        hit = self.keys.get(key)
        if hit is None:
            hit = self.compact.get(key.replace(" ", ""))
            if hit is None:
                raise ValueProblem(f"{self.name}_invalid", _(
                    "“%(value)s” is not a valid %(label)s. Accepted: %(accepted)s.")
                    % {"value": text, "label": self.label, "accepted": self.describe()})
        # Files repeat their own spellings: the next "SLTA / SEDERAJAT" is a fast-path hit.
        if value.__class__ is str and len(self.exact) < self.exact_limit:
            self.exact[value] = hit
        return hit

    def describe(self) -> str:
        """The accepted names (and codes), for messages and the template instructions."""
        by_value = {value: code for code, value in self.codes.items()}
        names = []
        for value, words in self.spellings.items():
            code = by_value.get(value)
            names.append(f"{code} {words[0]}" if code is not None else words[0])
        return ", ".join(names)


def _numbered(spellings: dict) -> dict:
    """Codes 1..n in the order of the list (the template's own codes, shown in its instructions)."""
    return {i: value for i, value in enumerate(spellings, start=1)}


SEX = {
    c.Sex.MALE: ("Laki-laki", "L", "Lk", "Laki", "Lakilaki", "Pria", "M", "Male", "Man"),
    c.Sex.FEMALE: ("Perempuan", "P", "Pr", "Pr.", "Wanita", "F", "Female", "W", "Woman"),
}
SEX_CODES = {1: c.Sex.MALE, 2: c.Sex.FEMALE}  # Dukcapil: 1 laki-laki, 2 perempuan

RELATIONSHIP = {
    c.Relationship.HEAD: ("Kepala Keluarga", "KK", "Kepala", "Kepala Rumah Tangga", "KRT", "Head"),
    c.Relationship.HUSBAND: ("Suami",),
    c.Relationship.WIFE: ("Istri", "Isteri"),
    c.Relationship.CHILD: ("Anak", "Anak Kandung", "Anak Angkat", "Anak Tiri", "Anak Asuh"),
    c.Relationship.CHILD_IN_LAW: ("Menantu",),
    c.Relationship.GRANDCHILD: ("Cucu",),
    c.Relationship.PARENT: ("Orang Tua", "Orangtua", "Ortu", "Ayah", "Ibu", "Bapak", "Ayah Kandung",
                            "Ibu Kandung"),
    c.Relationship.PARENT_IN_LAW: ("Mertua", "Bapak Mertua", "Ibu Mertua", "Ayah Mertua"),
    c.Relationship.OTHER_RELATIVE: ("Famili Lain", "Famili", "Saudara", "Keluarga Lain", "Saudara Kandung",
                                    "Kakak", "Adik", "Keponakan", "Paman", "Bibi", "Kakek", "Nenek", "Ipar"),
    c.Relationship.HOUSEHOLD_HELPER: ("Pembantu", "Pembantu Rumah Tangga", "PRT", "Asisten Rumah Tangga"),
    c.Relationship.OTHER: ("Lainnya", "Lain-lain", "Lain", "Lain Lain"),
}

MARITAL_STATUS = {
    c.MaritalStatus.SINGLE: ("Belum Kawin", "Belum Menikah", "Lajang", "Tidak Kawin"),
    c.MaritalStatus.MARRIED: ("Kawin", "Kawin Tercatat", "Kawin Belum Tercatat", "Kawin Tidak Tercatat",
                              "Menikah", "Sudah Menikah", "Sudah Kawin"),
    c.MaritalStatus.DIVORCED: ("Cerai Hidup",),
    c.MaritalStatus.WIDOWED: ("Cerai Mati",),
}

EDUCATION = {
    c.Education.NONE: ("Tidak/Belum Sekolah", "Tidak Sekolah", "Belum Sekolah", "Tidak Pernah Sekolah",
                       "Tidak Belum Sekolah"),
    c.Education.PRIMARY_INCOMPLETE: ("Belum Tamat SD/Sederajat", "Belum Tamat SD", "Tidak Tamat SD",
                                     "Tidak Tamat SD/Sederajat"),
    c.Education.PRIMARY: ("Tamat SD/Sederajat", "SD", "Tamat SD", "SD/Sederajat", "SD/MI", "MI"),
    c.Education.JUNIOR_SECONDARY: ("SLTP/Sederajat", "SLTP", "SMP", "MTs", "SMP/MTs", "SMP/Sederajat",
                                   "Tamat SLTP", "Tamat SMP"),
    c.Education.SENIOR_SECONDARY: ("SLTA/Sederajat", "SLTA", "SMA", "SMK", "MA", "SMU", "STM", "SMEA", "SMA/SMK",
                                   "SMA/Sederajat", "Tamat SLTA", "Tamat SMA", "Paket C"),
    c.Education.DIPLOMA_I_II: ("Diploma I/II", "D1", "D2", "D-1", "D-2", "D I", "D II", "Diploma I", "Diploma II",
                               "D1/D2", "DI/DII"),
    c.Education.DIPLOMA_III: ("Akademi/Diploma III/Sarjana Muda", "D3", "D-3", "D III", "Diploma III", "Akademi",
                              "Sarjana Muda", "Akademi/Diploma III/S.Muda"),
    c.Education.BACHELOR: ("Diploma IV/Strata I", "S1", "S-1", "D4", "D-4", "D IV", "Diploma IV", "Strata I",
                           "Strata 1", "Sarjana", "S1/D4", "D4/S1"),
    c.Education.MASTER: ("Strata II", "S2", "S-2", "Strata 2", "Magister", "Master"),
    c.Education.DOCTORATE: ("Strata III", "S3", "S-3", "Strata 3", "Doktor", "Doktoral"),
}

EMPLOYMENT_STATUS = {
    c.EmploymentStatus.WORKING: ("Bekerja", "Sedang Bekerja", "Kerja", "Working"),
    c.EmploymentStatus.UNEMPLOYED: ("Mencari Kerja", "Mencari Pekerjaan", "Menganggur", "Pengangguran",
                                    "Tidak Bekerja dan Mencari Kerja", "Unemployed"),
    c.EmploymentStatus.IN_SCHOOL: ("Sekolah", "Masih Sekolah", "Pelajar", "Mahasiswa", "Pelajar/Mahasiswa",
                                   "School"),
    c.EmploymentStatus.HOUSEKEEPING: ("Mengurus Rumah Tangga", "Ibu Rumah Tangga", "IRT", "Housekeeping"),
    c.EmploymentStatus.NOT_WORKING: ("Tidak Bekerja", "Belum/Tidak Bekerja", "Belum Bekerja", "Pensiunan",
                                     "Not Working", "Not_working"),
}

DISABILITY = {
    c.Disability.NONE: ("Tidak Ada", "Tidak", "Bukan Penyandang Disabilitas", "Non Disabilitas", "None"),
    c.Disability.PHYSICAL: ("Fisik", "Disabilitas Fisik", "Tuna Daksa", "Tunadaksa", "Daksa", "Physical"),
    c.Disability.INTELLECTUAL: ("Intelektual", "Disabilitas Intelektual", "Tuna Grahita", "Tunagrahita",
                                "Grahita", "Intellectual"),
    c.Disability.MENTAL: ("Mental", "Disabilitas Mental", "Psikososial", "Disabilitas Psikososial"),
    c.Disability.SENSORY: ("Sensorik", "Disabilitas Sensorik", "Tuna Netra", "Tunanetra", "Netra", "Tuna Rungu",
                           "Tunarungu", "Rungu", "Tuna Wicara", "Tunawicara", "Wicara", "Tuna Rungu Wicara",
                           "Sensory"),
    c.Disability.MULTIPLE: ("Ganda", "Disabilitas Ganda", "Multi", "Disabilitas Ganda/Multi", "Multiple"),
}

JKN_STATUS = {
    c.JknStatus.NONE: ("Tidak Ada", "Tidak", "Belum Ada", "Tidak Punya", "Bukan Peserta", "None"),
    c.JknStatus.PBI_NATIONAL: ("PBI APBN", "PBI", "PBI Nasional", "PBI JK", "KIS PBI", "Pbi_national"),
    c.JknStatus.PBI_DAERAH: ("PBI APBD", "PBI Daerah", "PBID", "Jamkesda", "Pbi_daerah"),
    c.JknStatus.PAID: ("Mandiri", "Bukan PBI", "Non PBI", "Non-PBI", "PBPU", "PPU", "Berbayar",
                       "Peserta Mandiri", "Paid"),
}

FLOOR_MATERIAL = {
    c.FloorMaterial.MARBLE: ("Marmer/Granit", "Marmer", "Granit"),
    c.FloorMaterial.CERAMIC: ("Keramik",),
    c.FloorMaterial.PARQUET: ("Parket/Vinil/Karpet", "Parket", "Vinil", "Vinyl", "Karpet"),
    c.FloorMaterial.TILE: ("Ubin/Tegel/Teraso", "Ubin", "Tegel", "Teraso"),
    c.FloorMaterial.WOOD: ("Kayu/Papan", "Kayu", "Papan"),
    c.FloorMaterial.CEMENT: ("Semen/Bata Merah", "Semen", "Bata Merah", "Plester", "Semen/Bata"),
    c.FloorMaterial.BAMBOO: ("Bambu",),
    c.FloorMaterial.EARTH: ("Tanah",),
    c.FloorMaterial.OTHER: ("Lainnya", "Lain-lain"),
}

WALL_MATERIAL = {
    c.WallMaterial.MASONRY: ("Tembok", "Batu Bata", "Bata", "Beton", "Tembok/Bata"),
    c.WallMaterial.PLASTERED_BAMBOO: ("Plesteran Anyaman Bambu/Kawat", "Plesteran Anyaman Bambu",
                                      "Plesteran Bambu", "Plesteran Kawat"),
    c.WallMaterial.WOOD: ("Kayu/Papan", "Kayu", "Papan", "Kayu/Papan/Gypsum/GRC/Calciboard"),
    c.WallMaterial.WOVEN_BAMBOO: ("Anyaman Bambu", "Bilik", "Gedek"),
    c.WallMaterial.LOGS: ("Batang Kayu",),
    c.WallMaterial.BAMBOO: ("Bambu",),
    c.WallMaterial.OTHER: ("Lainnya", "Lain-lain"),
}

ROOF_MATERIAL = {
    c.RoofMaterial.CONCRETE: ("Beton", "Dak", "Beton/Dak"),
    c.RoofMaterial.ROOF_TILE: ("Genteng", "Genteng Tanah Liat", "Genteng Keramik", "Genteng Metal",
                               "Genteng Beton", "Genteng Keramik/Metal/Tanah Liat"),
    c.RoofMaterial.ZINC: ("Seng",),
    c.RoofMaterial.ASBESTOS: ("Asbes",),
    c.RoofMaterial.WOOD_SHINGLE: ("Kayu/Sirap", "Sirap", "Kayu"),
    c.RoofMaterial.BAMBOO: ("Bambu",),
    c.RoofMaterial.THATCH: ("Jerami/Ijuk/Daun-daunan/Rumbia", "Jerami", "Ijuk", "Rumbia", "Daun", "Daun-daunan",
                            "Alang-alang"),
    c.RoofMaterial.OTHER: ("Lainnya", "Lain-lain"),
}

DRINKING_WATER = {
    c.DrinkingWater.BOTTLED: ("Air Kemasan Bermerk", "Air Kemasan", "Air Mineral", "Kemasan"),
    c.DrinkingWater.REFILL: ("Air Isi Ulang", "Isi Ulang", "Air Galon Isi Ulang"),
    c.DrinkingWater.PIPED: ("Leding", "Ledeng", "PAM", "PDAM", "Air Leding", "Air Ledeng", "Air PAM"),
    c.DrinkingWater.BOREHOLE: ("Sumur Bor/Pompa", "Sumur Bor", "Pompa", "Sumur Pompa"),
    c.DrinkingWater.PROTECTED_WELL: ("Sumur Terlindung",),
    c.DrinkingWater.UNPROTECTED_WELL: ("Sumur Tak Terlindung", "Sumur Tidak Terlindung"),
    c.DrinkingWater.PROTECTED_SPRING: ("Mata Air Terlindung",),
    c.DrinkingWater.UNPROTECTED_SPRING: ("Mata Air Tak Terlindung", "Mata Air Tidak Terlindung"),
    c.DrinkingWater.SURFACE: ("Air Permukaan", "Sungai", "Danau", "Waduk", "Sungai/Danau/Waduk",
                              "Air Sungai/Danau/Waduk", "Sungai/Danau/Waduk/Kolam/Irigasi"),
    c.DrinkingWater.RAIN: ("Air Hujan", "Hujan"),
    c.DrinkingWater.OTHER: ("Lainnya", "Lain-lain"),
}

TOILET = {
    c.Toilet.OWN_SEPTIC: ("Sendiri dengan Tangki Septik", "Sendiri dengan Septic Tank", "Sendiri dengan Septik Tank",
                          "Milik Sendiri dengan Tangki Septik", "Jamban Sendiri dengan Septic Tank"),
    c.Toilet.OWN_NO_SEPTIC: ("Sendiri tanpa Tangki Septik", "Sendiri tanpa Septic Tank", "Sendiri tanpa Septik Tank",
                             "Milik Sendiri tanpa Tangki Septik", "Jamban Sendiri tanpa Septic Tank"),
    c.Toilet.SHARED: ("Bersama", "Milik Bersama", "Jamban Bersama", "MCK Bersama"),
    c.Toilet.PUBLIC: ("Umum", "MCK Umum", "Jamban Umum", "Toilet Umum", "MCK Komunal"),
    c.Toilet.NONE: ("Tidak Ada", "Tidak Punya", "Tidak Memiliki", "Tidak Ada Fasilitas"),
}

LIGHTING = {
    c.Lighting.PLN_METERED: ("Listrik PLN dengan Meteran", "PLN dengan Meteran", "Listrik PLN Meteran Sendiri",
                             "PLN Meteran Sendiri", "PLN Meteran"),
    c.Lighting.PLN_SHARED: ("Listrik PLN tanpa Meteran", "PLN tanpa Meteran", "PLN Menumpang",
                            "Listrik PLN Menumpang", "PLN Numpang"),
    c.Lighting.NON_PLN: ("Listrik Non-PLN", "Non PLN", "Non-PLN", "Genset", "Tenaga Surya", "Panel Surya"),
    c.Lighting.NONE: ("Bukan Listrik", "Tidak Ada Listrik", "Tanpa Listrik", "Pelita", "Lampu Minyak",
                      "Petromak", "Obor", "Tidak Ada"),
}

COOKING_FUEL = {
    c.CookingFuel.ELECTRICITY: ("Listrik",),
    c.CookingFuel.LPG_LARGE: ("LPG 5,5 kg atau Lebih", "LPG 5,5 kg", "LPG 5.5 kg", "LPG 12 kg", "Elpiji 5,5 kg",
                              "Elpiji 12 kg", "Gas 5,5 kg", "Gas 12 kg", "Bright Gas", "Elpiji 5,5 kg/12 kg"),
    c.CookingFuel.LPG_3KG: ("LPG 3 kg", "Elpiji 3 kg", "Gas 3 kg", "Gas Melon"),
    c.CookingFuel.CITY_GAS: ("Gas Kota/Biogas", "Gas Kota", "Biogas", "Jargas"),
    c.CookingFuel.KEROSENE: ("Minyak Tanah",),
    c.CookingFuel.CHARCOAL: ("Arang/Briket", "Arang", "Briket"),
    c.CookingFuel.FIREWOOD: ("Kayu Bakar",),
    c.CookingFuel.NONE: ("Tidak Memasak", "Tidak Masak", "Tidak Memasak di Rumah"),
}

HOME_OWNERSHIP = {
    c.HomeOwnership.OWN: ("Milik Sendiri", "Sendiri"),
    c.HomeOwnership.RENT: ("Kontrak/Sewa", "Kontrak", "Sewa", "Kontrakan", "Kos", "Kost"),
    c.HomeOwnership.RENT_FREE: ("Bebas Sewa", "Menumpang", "Numpang", "Milik Orang Tua/Saudara"),
    c.HomeOwnership.OFFICIAL: ("Dinas", "Rumah Dinas"),
    c.HomeOwnership.OTHER: ("Lainnya", "Lain-lain"),
}

TRUE_WORDS = ("Ya", "Y", "1", "Ada", "Punya", "Memiliki", "True", "Yes", "Benar", "V")
FALSE_WORDS = ("Tidak", "T", "0", "Tidak Ada", "Tidak Punya", "Tidak Memiliki", "False", "No", "Bukan", "N")

# Month names and abbreviations, Indonesian and English, lower case.
MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "agst": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}


# --- the parsers ------------------------------------------------------------------------------

parse_sex = Vocabulary("sex", gettext_lazy("sex"), SEX, SEX_CODES)
parse_relationship = Vocabulary("relationship", gettext_lazy("relationship to the head"), RELATIONSHIP,
                                {int(v): v for v in RELATIONSHIP})
parse_marital_status = Vocabulary("marital_status", gettext_lazy("marital status"), MARITAL_STATUS,
                                  {int(v): v for v in MARITAL_STATUS})
parse_education = Vocabulary("education", gettext_lazy("education"), EDUCATION,
                             {int(v): v for v in EDUCATION})
parse_employment_status = Vocabulary("employment_status", gettext_lazy("employment status"),
                                     EMPLOYMENT_STATUS, _numbered(EMPLOYMENT_STATUS))
parse_disability = Vocabulary("disability", gettext_lazy("disability"), DISABILITY,
                              _numbered(DISABILITY))
parse_jkn_status = Vocabulary("jkn_status", gettext_lazy("JKN status"), JKN_STATUS,
                              _numbered(JKN_STATUS))
parse_floor_material = Vocabulary("floor_material", gettext_lazy("floor material"), FLOOR_MATERIAL,
                                  _numbered(FLOOR_MATERIAL))
parse_wall_material = Vocabulary("wall_material", gettext_lazy("wall material"), WALL_MATERIAL,
                                 _numbered(WALL_MATERIAL))
parse_roof_material = Vocabulary("roof_material", gettext_lazy("roof material"), ROOF_MATERIAL,
                                 _numbered(ROOF_MATERIAL))
parse_drinking_water = Vocabulary("drinking_water", gettext_lazy("drinking water source"), DRINKING_WATER,
                                  _numbered(DRINKING_WATER))
parse_toilet = Vocabulary("toilet", gettext_lazy("toilet facility"), TOILET, _numbered(TOILET))
parse_lighting = Vocabulary("lighting", gettext_lazy("lighting source"), LIGHTING, _numbered(LIGHTING))
parse_cooking_fuel = Vocabulary("cooking_fuel", gettext_lazy("cooking fuel"), COOKING_FUEL,
                                _numbered(COOKING_FUEL))
parse_home_ownership = Vocabulary("home_ownership", gettext_lazy("home ownership"), HOME_OWNERSHIP,
                                  _numbered(HOME_OWNERSHIP))
_BOOL_WORDS = Vocabulary("bool", gettext_lazy("yes/no value"),
                         {True: TRUE_WORDS, False: FALSE_WORDS})


def parse_bool(value: object) -> bool | None:
    """Ya/Tidak, Y/T, 1/0, Ada/Tidak Ada, true/false; a count of 2 or more also means yes."""
    if value is True or value is False:
        return value
    if (value.__class__ is int or value.__class__ is float) and value >= 0 and float(value).is_integer():
        return value > 0
    return _BOOL_WORDS(value)
