"""Sundanese and Indonesian names, kampung and street names for the synthetic regency.

Older residents carry traditional Sundanese names (often a single name); residents born
from the 1990s on mostly carry modern Indonesian/Arabic two-part names.
"""

from __future__ import annotations

import random

MALE = "L"
FEMALE = "P"

TRADITIONAL_MALE = (
    "Asep", "Ujang", "Dadang", "Cecep", "Yayan", "Deden", "Entis", "Iwan", "Ade", "Agus", "Dede",
    "Ihsan", "Muhamad", "Aceng", "Adang", "Atang", "Maman", "Mamat", "Nana", "Usep", "Endang",
    "Engkos", "Enjang", "Dodi", "Dudung", "Jajang", "Jaja", "Didin", "Dedi", "Tatang", "Rahmat",
    "Odang", "Oman", "Komar", "Karna", "Kardi", "Sarip", "Saepul", "Encep", "Ayi", "Ruhiyat",
    "Dayat", "Jujun", "Cucun", "Udin", "Uus", "Obay", "Emen", "Heri", "Hendra", "Yadi", "Yana",
    "Yusuf", "Wawan", "Wahyu", "Rudi", "Rohmat", "Ahmad", "Abdul", "Ajat", "Ading", "Aan", "Oding",
    "Ukat", "Otong", "Acep", "Eman", "Engkus", "Ujang", "Aep", "Dadan", "Lili", "Mumuh", "Apip",
)
MODERN_MALE = (
    "Rizky", "Fajar", "Dimas", "Raka", "Fadil", "Rafi", "Alfarizi", "Arka", "Daffa", "Fikri",
    "Ilham", "Gilang", "Reza", "Raihan", "Zaky", "Farhan", "Azka", "Alif", "Naufal", "Akbar",
    "Bagas", "Rendi", "Yoga", "Aditya", "Rangga", "Haikal", "Arsyad", "Rizal", "Galih", "Dzaky",
    "Aldi", "Rizwan", "Athar", "Abizar", "Arkan", "Zidan", "Habibi", "Fauzan", "Irfan", "Ridwan",
    "Syahrul", "Rafka", "Kenzie", "Faris", "Hafiz", "Ihsan", "Rizki", "Angga", "Randi", "Firman",
)
TRADITIONAL_FEMALE = (
    "Euis", "Siti", "Neng", "Imas", "Yati", "Cucu", "Nining", "Ai", "Enok", "Lilis", "Dewi", "Rina",
    "Nurhayati", "Iis", "Tati", "Eti", "Ela", "Enung", "Titin", "Kokom", "Onih", "Ipah", "Iyah",
    "Entin", "Aas", "Enah", "Engkom", "Oom", "Ani", "Yuyun", "Yeni", "Neneng", "Heni", "Eni",
    "Dedeh", "Ecin", "Emah", "Atikah", "Nani", "Nunung", "Cicih", "Tuti", "Sri", "Wati", "Yanti",
    "Popon", "Iin", "Iah", "Eem", "Erna", "Rohimah", "Aisah", "Mimin", "Mumun", "Ucu", "Onah",
    "Rukmini", "Elis", "Ratna", "Yayah", "Nenah", "Ijah", "Eneng", "Lina", "Yuli", "Leni", "Dede",
    "Ade", "Imas", "Enden", "Tita", "Eulis",
)
MODERN_FEMALE = (
    "Nabila", "Aulia", "Putri", "Salsabila", "Zahra", "Nayla", "Aisyah", "Syifa", "Alya", "Keysha",
    "Citra", "Anisa", "Rahma", "Fitri", "Intan", "Dinda", "Shofia", "Khanza", "Azzahra", "Naura",
    "Kayla", "Adinda", "Amelia", "Nurul", "Tiara", "Salma", "Hilya", "Safa", "Zaskia", "Rania",
    "Aqila", "Mikayla", "Naswa", "Hana", "Sabrina", "Raisa", "Marsya", "Cantika", "Rizka", "Nadia",
    "Sinta", "Wulan", "Gita", "Indah", "Mega", "Novi", "Rini", "Desi", "Ayu", "Lutfiah",
)
SECOND_MALE = (
    "Sunandar", "Suparman", "Hidayat", "Rahmat", "Kurniawan", "Setiawan", "Saepudin", "Sopandi",
    "Permana", "Gunawan", "Hermawan", "Firmansyah", "Maulana", "Ramdani", "Nugraha", "Mulyana",
    "Sudrajat", "Suherman", "Sukmana", "Supriatna", "Kusnadi", "Saputra", "Priatna", "Sumarna",
    "Jaelani", "Sobari", "Mukhtar", "Rustandi", "Taufik", "Wijaya", "Hamdani", "Iskandar",
    "Syarifudin", "Komarudin", "Nurdin", "Sutisna", "Tarmana", "Darmawan", "Kosasih", "Rukmana",
    "Mulyadi", "Abdullah", "Hakim", "Fauzi", "Hidayatullah", "Suryana", "Sofyan", "Ruslan",
)
SECOND_FEMALE = (
    "Nurhaliza", "Komariah", "Rohaeni", "Rosita", "Maryani", "Fitriani", "Aisyah", "Nurjanah",
    "Rahmawati", "Hasanah", "Hayati", "Kurniasih", "Mulyani", "Nurlela", "Rohimah", "Sumiati",
    "Suryani", "Sutini", "Wulandari", "Yuliani", "Herawati", "Lestari", "Handayani", "Sopiah",
    "Rukoyah", "Juariah", "Hodijah", "Maemunah", "Jubaedah", "Julaeha", "Nurhasanah", "Kartika",
    "Permatasari", "Anggraeni", "Oktaviani", "Safitri", "Pratiwi", "Ramadhani", "Sari", "Rosmiati",
)
SECOND_MODERN_MALE = (
    "Pratama", "Ramadhan", "Saputra", "Maulana", "Alfarizi", "Firmansyah", "Nugraha", "Hidayat",
    "Akbar", "Fadillah", "Wijaya", "Kurniawan", "Permana", "Setiawan", "Ramdani", "Syahputra",
    "Al Fatih", "Hakim", "Prasetyo", "Mubarok",
)
SECOND_MODERN_FEMALE = (
    "Putri", "Azzahra", "Ramadhani", "Aulia", "Khairunnisa", "Nuraini", "Salsabila", "Fitriani",
    "Anggraini", "Maharani", "Lestari", "Safitri", "Rahmawati", "Nurhaliza", "Zahira", "Aprilia",
    "Septiani", "Febriani", "Oktaviani", "Amalia",
)

KAMPUNG = (
    "Cibeureum", "Cikaret", "Cimanggu", "Cipayung", "Cisalada", "Ciherang", "Cinangka", "Cilember",
    "Cijambu", "Cibodas", "Cikupa", "Cigadog", "Babakan", "Babakan Sirna", "Sukamaju", "Sukasari",
    "Sukamulya", "Pasir Angin", "Pasir Muncang", "Pasir Kuda", "Legok Nyenang", "Tegal Waru",
    "Kebon Kopi", "Lebak Sari", "Bojong", "Bojong Honje", "Cangkuang", "Kaum", "Pabuaran",
    "Leuwi Nanggung", "Sindang Sari", "Neglasari", "Gunung Batu", "Parung Jaya", "Kampung Sawah",
    "Mekarsari", "Warung Loa", "Kadusirung", "Lio", "Bantar Jati", "Rawa Kalong", "Sawah Baru",
    "Pondok", "Kebon Pedes", "Cukang Galih", "Sirnagalih", "Cihideung", "Pangkalan", "Jati",
    "Ranca Bungur", "Lewi Sadeng", "Muara", "Girang", "Hilir", "Tengah", "Sindang Barang",
)
STREETS = (
    "Mawar", "Melati", "Kenanga", "Anggrek", "Dahlia", "Flamboyan", "Pahlawan", "Merdeka", "Masjid",
    "Siliwangi", "Pajajaran", "Padjadjaran", "Pramuka", "Kartini", "Veteran", "Kamboja", "Cempaka",
    "Nangka", "Mangga", "Rambutan", "Durian", "Pendidikan", "Swadaya", "Gotong Royong", "Lapangan",
)
HOUSING_ESTATES = ("Griya", "Villa", "Bumi", "Taman", "Permata", "Puri", "Graha")
ESTATE_WORDS = ("Asri", "Indah", "Lestari", "Mas", "Sejahtera", "Harapan", "Mutiara", "Kencana")


def place_name(region_name: str) -> str:
    """``Kabupaten Bogor`` -> ``Bogor``; ``Kota Adm. Jakarta Selatan`` -> ``Jakarta Selatan``."""
    for prefix in ("Kabupaten Administrasi ", "Kota Administrasi ", "Kota Adm. ", "Kabupaten ", "Kab. ", "Kota "):
        if region_name.startswith(prefix):
            return region_name[len(prefix):]
    return region_name


def _modern_share(birth_year: int) -> float:
    """Share of modern names among people born in ``birth_year``."""
    return min(0.92, max(0.03, (birth_year - 1978) / 26))


def given_name(rng: random.Random, sex: str, birth_year: int) -> str:
    modern = rng.random() < _modern_share(birth_year)
    if sex == MALE:
        return rng.choice(MODERN_MALE if modern else TRADITIONAL_MALE)
    return rng.choice(MODERN_FEMALE if modern else TRADITIONAL_FEMALE)


def second_name(rng: random.Random, sex: str, birth_year: int) -> str:
    modern = rng.random() < _modern_share(birth_year)
    if sex == MALE:
        return rng.choice(SECOND_MODERN_MALE if modern else SECOND_MALE)
    return rng.choice(SECOND_MODERN_FEMALE if modern else SECOND_FEMALE)


def full_name(rng: random.Random, sex: str, birth_year: int, *, father_second: str | None = None) -> str:
    """A person's name; a child sometimes carries the father's second name."""
    first = given_name(rng, sex, birth_year)
    share = _modern_share(birth_year)
    roll = rng.random()
    if roll < 0.45 * (1 - share) + 0.08 * share:
        return first  # a single name, common among older Sundanese
    if sex == MALE and first not in ("Muhamad", "Ahmad", "Abdul") and rng.random() < 0.08:
        first = f"{rng.choice(('Muhamad', 'Muhammad', 'Moch.'))} {first}"
    elif sex == FEMALE and first != "Siti" and rng.random() < 0.06:
        first = f"Siti {first}"
    if father_second and rng.random() < 0.2:
        return f"{first} {father_second}"
    second = second_name(rng, sex, birth_year)
    if second == first:
        return first
    return f"{first} {second}"


def last_part(name: str) -> str | None:
    parts = name.split(" ")
    return parts[-1] if len(parts) > 1 else None


def kampung_names(rng: random.Random, count: int) -> list[str]:
    return rng.sample(KAMPUNG, min(count, len(KAMPUNG)))


def urban_address(rng: random.Random, desa_name: str) -> str:
    roll = rng.random()
    if roll < 0.25:
        estate = f"Perum {rng.choice(HOUSING_ESTATES)} {desa_name} {rng.choice(ESTATE_WORDS)}"
        return f"{estate} Blok {rng.choice('ABCDEFGH')}{rng.randint(1, 12)} No. {rng.randint(1, 40)}"
    if roll < 0.45:
        return f"Jl. Raya {desa_name} No. {rng.randint(1, 250)}"
    if roll < 0.7:
        return f"Gg. {rng.choice(STREETS)} No. {rng.randint(1, 60)}"
    return f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 120)}"


def rural_address(rng: random.Random, kampung: str) -> str:
    if rng.random() < 0.15:
        return f"Kp. {kampung} No. {rng.randint(1, 90)}"
    return f"Kp. {kampung}"
