"""The regency's agencies (perangkat daerah) that work in Sejahtera, seeded on migrate."""

AGENCIES = [
    ("bappedalitbang", "Bappedalitbang",
     "Badan Perencanaan Pembangunan Daerah, Penelitian dan Pengembangan"),
    ("dinsos", "Dinas Sosial", "Dinas Sosial"),
    ("disnaker", "Disnaker", "Dinas Tenaga Kerja"),
    ("disdik", "Disdik", "Dinas Pendidikan"),
    ("dinkes", "Dinkes", "Dinas Kesehatan"),
    ("diskopumkm", "Diskopumkm", "Dinas Koperasi dan Usaha Mikro"),
]
