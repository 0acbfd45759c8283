"""The seven programmes of Kabupaten Bogor's plan, seeded for regency 3201 with their first rules.

Amounts and quotas are the demo's defaults, to be set by each agency: the PBI premium is the
national PBI JKN contribution (Rp42,000 per person per month); the S1 scholarship quota of 1,200
is the plan's figure; the other amounts are placeholders.
"""

REGENCY = "3201"

# code, name, agency, target, benefit, amount, period, quota, budget, ranking, exclusive group, rule, description
PROGRAMMES = [
    ("pbi-jkn-daerah", "PBI JKN Daerah", "dinkes", "person", "premium", 42_000, "month", None, None, "neediest", "",
     'family.desil <= 4 and jkn == "none"',
     "Iuran JKN warga miskin yang belum memiliki jaminan kesehatan dibayar oleh APBD."),
    ("bantuan-pengobatan", "Bantuan Biaya Pengobatan", "dinsos", "person", "cash", 1_000_000, "once", None, None,
     "neediest", "", "family.extremely_poor == true",
     "Bantuan tunai biaya pengobatan bagi warga miskin ekstrem."),
    ("sekolah-gratis", "Sekolah Gratis", "disdik", "person", "fee_waiver", 0, "semester", None, None, "neediest", "",
     'age between 7 and 18 and employment == "school" and family.desil <= 4',
     "Pembebasan biaya sekolah bagi anak dari keluarga miskin."),
    ("beasiswa-s1", "Beasiswa S1", "disdik", "person", "cash", 6_000_000, "year", 1_200, 7_200_000_000, "merit",
     "beasiswa", 'age between 18 and 25 and education >= "SLTA" and family.desil <= 5',
     "Beasiswa kuliah S1 bagi lulusan SLTA dari keluarga kurang mampu."),
    ("pelatihan-blk", "Pelatihan BLK", "disnaker", "person", "service", 0, "once", 1_000, None, "registration", "",
     'age between 18 and 45 and employment in ["unemployed", "not_working"]',
     "Pelatihan berbasis kompetensi di Balai Latihan Kerja bagi pencari kerja."),
    ("magang", "Magang", "disnaker", "person", "service", 0, "once", 500, None, "registration", "",
     'age between 18 and 29 and education >= "SLTA" and employment != "working"',
     "Pemagangan di perusahaan bagi pencari kerja muda."),
    ("pembinaan-umkm", "Pembinaan Usaha Mikro", "diskopumkm", "person", "service", 0, "year", 2_000, None,
     "neediest", "", "age between 18 and 60 and family.desil <= 6",
     "Pendampingan dan pelatihan usaha mikro bagi warga kurang mampu."),
]
