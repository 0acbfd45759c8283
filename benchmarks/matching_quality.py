"""Matching quality on generated seekers and vacancies with a known best match (seeded, no database).

    python benchmarks/matching_quality.py [--seekers 1000] [--vacancies 2000] [--seed 7]

Every seeker and every vacancy is drawn from one of 36 occupations of Kabupaten Bogor's labour
market (:data:`OCCUPATIONS`), chosen so that neighbours are easy to confuse: office, warehouse and
bookkeeping clerks; cooks, kitchen helpers and waiters; car, machine and AC mechanics; car, truck
and motorcycle drivers; sewing-machine operators and tailors; nurses, midwives and pharmacy
technicians; and so on. Each occupation has the words job adverts use for it, the words seekers
use for it (often not the same: "Driver Box" against "pernah jadi sopir mobil box"), its tasks and
its skills.

- A **seeker** has a hidden true occupation: it is their desired KBJI code, their summary text
  speaks of it in seekers' words, and they hold 3 to 5 of its skills and 0 to 2 unrelated ones.
  One in three also has a past job in another occupation (code, words and a skill). Education,
  age, experience, home kecamatan and, for some, wanted work areas are drawn at random.
- A **vacancy** has a true occupation: its title is one of the occupation's job-advert titles
  (synonyms, English loanwords, abbreviations), its description two or three of its tasks, often
  one task of another occupation, and filler ("penempatan Cileungsi, gaji UMK"). Its KBJI code is
  the true one, except for 8 % coded wrongly (as a Disnaker officer or the suggester may). It asks
  for 2 to 4 of the occupation's skills, and often a minimum education, an age range or
  experience. Workplaces are spread over 40 kecamatan, most in the industrial ones.

**Graded relevance** of a vacancy to a seeker: 0 when the seeker does not meet its hard
requirements (education, age, experience) or it lies outside their wanted work areas; otherwise
3 for their true occupation with at least half of its skills held, 2 for their true occupation
with fewer, 1 for an occupation of the same KBJI minor group or their past occupation, 0 for the
rest. Precision@10 counts grades >= 2 as relevant; nDCG@10 uses gains 2^grade - 1.

Compared, per seeker over every vacancy:

- **matcher**: ``rank_vacancies`` with the default settings (eligible first, best score first);
- **keyword (BM25)**: plain keyword search, BM25 (k1 = 1.2, b = 0.75) of the seeker's summary
  and the titles of their desired occupations against each vacancy's title and description; no
  KBJI codes, no skills logic, no filters;
- **keyword (BM25) + filters**: the same, after dropping the vacancies whose hard requirements the
  seeker does not meet, to show what the ranking adds beyond the filter.

Measured (1,000 seekers, 2,000 vacancies, seed 7; 998 seekers with a relevant vacancy; about
12 minutes on 2 shared cores)::

                                precision@10   nDCG@10
    matcher                            0.820     0.888
    keyword (BM25)                     0.501     0.500
    keyword (BM25) + filters           0.706     0.719
    ideal                              0.919     1.000
"""

import argparse
import math
import os
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sejahtera.careers import kbji  # noqa: E402
from sejahtera.careers.matching import SeekerProfile, VacancyProfile, rank_vacancies  # noqa: E402
from sejahtera.careers.matching.text import words  # noqa: E402

SMP, SMA, D3, S1 = 4, 5, 7, 8  # registry.choices.Education values


@dataclass(frozen=True)
class Occupation:
    group: str  # 4-digit KBJI unit group
    ad_titles: tuple[str, ...]  # how job adverts title it
    seeker_words: tuple[str, ...]  # how seekers describe it
    tasks: tuple[str, ...]
    skills: tuple[str, ...]
    education: int  # the usual minimum asked

    @property
    def code(self) -> str:
        """The first 6-digit occupation of the unit group, as a vacancy or a seeker carries it."""
        return kbji.children(self.group)[0].code


def _o(group, ad_titles, seeker_words, tasks, skills, education):
    return Occupation(group, tuple(ad_titles.split(";")), tuple(seeker_words.split(";")), tuple(tasks.split(";")),
                      tuple(skills.split(";")), education)


OCCUPATIONS = (
    _o("4110", "Staff Admin;Admin Kantor;Staf Administrasi Umum;Admin Office",
       "staf administrasi kantor;admin kantor;bagian administrasi",
       "mengelola surat masuk dan keluar;membuat laporan harian kantor;filing dokumen;menginput data ke komputer",
       "microsoft excel;microsoft word;administrasi;arsip;komunikasi;mengetik cepat", SMA),
    _o("4321", "Admin Gudang;Staff Admin Gudang;Warehouse Admin;Checker Gudang",
       "admin gudang;pencatat stok barang;checker di gudang",
       "mencatat barang masuk dan keluar;membuat laporan stok;stock opname bulanan;membuat surat jalan",
       "microsoft excel;stock opname;gudang;administrasi;teliti;sistem inventory", SMA),
    _o("4311", "Admin Pembukuan;Staff Pembukuan;Admin Keuangan;Bookkeeper",
       "tenaga pembukuan;admin keuangan toko;mencatat pembukuan",
       "mencatat transaksi kas harian;membuat jurnal pembukuan;rekonsiliasi kas;menyusun laporan keuangan sederhana",
       "akuntansi;microsoft excel;myob;pembukuan;pajak;jurnal", SMA),
    _o("4226", "Resepsionis;Receptionist;Front Desk Kantor;Penerima Tamu",
       "resepsionis;penerima tamu kantor;front desk",
       "menerima tamu;menjawab telepon masuk;mengatur jadwal pertemuan;memberi informasi kepada pengunjung",
       "komunikasi;bahasa inggris;pelayanan pelanggan;microsoft office;penampilan menarik", SMA),
    _o("5230", "Kasir;Kasir Minimarket;Kasir Toko;Cashier",
       "kasir;penjaga kasir minimarket;kasir toko",
       "melayani pembayaran pelanggan;menghitung uang kas;mengoperasikan mesin kasir;membuat laporan penjualan harian",
       "kasir;mesin kasir;menghitung uang;pelayanan pelanggan;jujur", SMA),
    _o("5223", "Pramuniaga;Crew Store;Penjaga Toko;Shop Assistant",
       "pramuniaga;pelayan toko;jaga toko",
       "melayani pembeli di toko;menata barang di rak;mengecek stok barang;menawarkan produk kepada pembeli",
       "pelayanan pelanggan;penjualan;display produk;komunikasi;stok barang", SMA),
    _o("5242", "SPG;Sales Promotion Girl;SPB;Promotor Produk",
       "sales promotion girl;spg event;promotor produk",
       "mempromosikan produk di supermarket;membagikan sampel produk;mencapai target penjualan;mengikuti event promosi",
       "penjualan;komunikasi;negosiasi;penampilan menarik;presentasi produk", SMA),
    _o("3322", "Sales Kanvas;Sales Canvasser;Sales Representative;Sales Lapangan",
       "sales lapangan;sales kanvas;salesman",
       "menawarkan produk ke toko dan warung;membuka outlet baru;menagih pembayaran toko;mencapai target penjualan bulanan",
       "penjualan;negosiasi;sim c;komunikasi;target penjualan;mengemudi motor", SMA),
    _o("4214", "Debt Collector;Collector Lapangan;Penagih Kredit;Desk Collection",
       "penagih hutang;collector leasing;juru tagih",
       "menagih angsuran kredit nasabah;mengunjungi nasabah yang menunggak;membuat laporan penagihan;negosiasi pembayaran",
       "negosiasi;sim c;komunikasi;penagihan;mengemudi motor", SMA),
    _o("5131", "Waiter;Waitress;Pramusaji;Server Restoran",
       "pelayan restoran;pramusaji;waiter cafe",
       "mengantar pesanan ke meja tamu;mencatat pesanan;membersihkan meja;melayani tamu restoran",
       "pelayanan pelanggan;komunikasi;kebersihan;bahasa inggris dasar;tata hidang", SMA),
    _o("5120", "Cook;Juru Masak;Koki;Cook Restoran",
       "juru masak;koki;tukang masak",
       "memasak menu restoran;menyiapkan bumbu dan bahan masakan;menjaga kebersihan dapur;mengatur stok bahan makanan",
       "memasak;tata boga;masakan indonesia;kebersihan dapur;food cost", SMA),
    _o("9412", "Helper Dapur;Cook Helper;Kitchen Helper;Steward",
       "pembantu dapur;tukang cuci piring;helper dapur",
       "mencuci piring dan peralatan masak;membantu koki memotong bahan;membersihkan dapur;membuang sampah dapur",
       "kebersihan dapur;mencuci piring;memotong bahan;kerja cepat", SMP),
    _o("5132", "Barista;Barista Coffee Shop;Bartender;Barista Cafe",
       "barista;peracik kopi;bartender",
       "membuat kopi espresso dan minuman;melayani pesanan minuman;merawat mesin kopi;menjaga kebersihan bar",
       "kopi;espresso;latte art;pelayanan pelanggan;mesin kopi", SMA),
    _o("9112", "Office Boy;Cleaning Service;OB;Petugas Kebersihan",
       "office boy;cleaning service;petugas kebersihan kantor",
       "membersihkan ruangan kantor;membuatkan minuman untuk karyawan;membersihkan toilet;membuang sampah",
       "kebersihan;mengepel;jujur;disiplin;kerja tim", SMP),
    _o("9111", "Asisten Rumah Tangga;ART;Pembantu Rumah Tangga;ART Menginap",
       "asisten rumah tangga;pembantu rumah tangga;art",
       "membersihkan rumah;mencuci dan menyetrika pakaian;memasak untuk keluarga;merawat rumah",
       "kebersihan;mencuci;menyetrika;memasak rumahan;jujur", SMP),
    _o("5311", "Baby Sitter;Pengasuh Anak;Nanny;Pengasuh Bayi",
       "pengasuh anak;baby sitter;suster anak",
       "mengasuh dan menjaga anak;memandikan dan menyuapi bayi;menemani anak bermain;menjaga kebersihan anak",
       "mengasuh anak;perawatan bayi;sabar;kebersihan;pertolongan pertama", SMP),
    _o("5414", "Satpam;Security;Petugas Keamanan;Security Pabrik",
       "satpam;security;penjaga keamanan",
       "menjaga keamanan lingkungan kerja;patroli area;memeriksa tamu dan kendaraan;mencatat buku mutasi",
       "keamanan;bela diri;gada pratama;disiplin;patroli", SMA),
    _o("8322", "Driver;Sopir Pribadi;Driver Box;Driver Operasional",
       "sopir mobil;supir pribadi;pengemudi mobil box",
       "mengemudikan mobil operasional;mengantar barang dan karyawan;merawat kebersihan kendaraan;mengecek kondisi mobil",
       "mengemudi;sim a;hafal jalan;perawatan kendaraan;disiplin", SMP),
    _o("8332", "Sopir Truk;Driver Truk;Sopir Truk Tronton;Driver CDD",
       "sopir truk;supir tronton;pengemudi truk",
       "mengemudikan truk pengiriman antar kota;mengantar barang ke gudang pelanggan;mengecek muatan truk;merawat truk",
       "mengemudi;sim b1;sim b2;truk;perawatan kendaraan", SMP),
    _o("9621", "Kurir;Kurir Paket;Kurir Ekspedisi;Courier",
       "kurir;pengantar paket;kurir motor",
       "mengantar paket ke alamat pelanggan;menerima pembayaran cod;memindai resi paket;membuat laporan pengiriman",
       "sim c;mengemudi motor;hafal jalan;aplikasi android;jujur", SMP),
    _o("8344", "Operator Forklift;Forklift Driver;Operator Reach Truck;Forklift Operator",
       "operator forklift;pengemudi forklift",
       "mengoperasikan forklift di gudang;memindahkan palet barang;menyusun barang di rak tinggi;merawat forklift",
       "forklift;sio forklift;k3;gudang;teliti", SMA),
    _o("9333", "Helper Gudang;Kuli Bongkar Muat;Staff Bongkar Muat;Kenek Truk",
       "kuli angkut;buruh bongkar muat;helper gudang",
       "menurunkan dan menaikkan barang dari truk;mengangkat karung;menyusun barang di gudang;membantu pengiriman",
       "kuat fisik;bongkar muat;kerja tim;gudang", SMP),
    _o("9321", "Packer;Helper Packing;Buruh Pengemasan;Staff Packing",
       "tukang packing;buruh pengemasan;packing barang",
       "mengemas produk ke dalam kardus;menimbang dan melabeli kemasan;menyegel paket;menghitung jumlah kemasan",
       "packing;teliti;kerja cepat;kerja tim", SMP),
    _o("8153", "Operator Jahit;Operator Mesin Jahit;Penjahit Konveksi;Sewing Operator",
       "operator jahit garmen;penjahit pabrik;menjahit di konveksi",
       "menjahit bagian pakaian dengan mesin jahit industri;mengoperasikan mesin obras;mencapai target produksi jahit",
       "menjahit;mesin jahit high speed;obras;garmen;target produksi", SMP),
    _o("7533", "Penjahit;Tukang Jahit;Penjahit Butik;Tailor",
       "penjahit;tukang jahit;penjahit rumahan",
       "menjahit pakaian pesanan pelanggan;mengukur badan pelanggan;memperbaiki pakaian;membuat pola sederhana",
       "menjahit;pola;obras;mengukur badan;permak", SMP),
    _o("7212", "Welder;Tukang Las;Juru Las;Welder SMAW",
       "tukang las;welder;juru las",
       "mengelas rangka besi dan baja;membaca gambar kerja;memotong plat besi;mengelas pipa",
       "las listrik;las mig;las argon;membaca gambar teknik;k3", SMP),
    _o("7223", "Operator CNC;Operator Bubut;Machinist;Operator Mesin Milling",
       "operator cnc;tukang bubut;operator mesin bubut",
       "mengoperasikan mesin cnc dan bubut;membuat komponen logam sesuai gambar;mengukur hasil dengan jangka sorong;setting mesin",
       "cnc;bubut;milling;membaca gambar teknik;jangka sorong", SMA),
    _o("7231", "Mekanik Mobil;Montir;Mekanik Motor;Teknisi Otomotif",
       "montir bengkel;mekanik mobil;tukang servis motor",
       "memperbaiki mesin mobil dan motor;servis berkala kendaraan;mengganti oli dan rem;mendiagnosa kerusakan kendaraan",
       "otomotif;mesin bensin;mesin diesel;kelistrikan otomotif;servis berkala", SMA),
    _o("7233", "Teknisi Maintenance;Mekanik Mesin Produksi;Teknisi Mesin Industri;Maintenance Mesin",
       "teknisi maintenance pabrik;mekanik mesin produksi",
       "merawat dan memperbaiki mesin produksi pabrik;preventive maintenance;mengganti sparepart mesin;membuat laporan kerusakan",
       "maintenance mesin;mekanik;pneumatik;hidrolik;k3", SMA),
    _o("7127", "Teknisi AC;Teknisi AC Split;Teknisi Kulkas;Teknisi Pendingin",
       "teknisi ac;tukang servis ac;tukang kulkas",
       "memasang dan mencuci ac split;mengisi freon;memperbaiki kulkas dan freezer;memeriksa kebocoran pipa ac",
       "ac;refrigerasi;freon;kelistrikan;pipa ac", SMA),
    _o("7411", "Teknisi Listrik;Tukang Listrik;Instalatir Listrik;Electrician",
       "tukang listrik;teknisi listrik bangunan;instalatir",
       "memasang instalasi listrik gedung dan rumah;memperbaiki panel listrik;mengecek kabel dan stop kontak;membaca gambar instalasi",
       "listrik;instalasi listrik;panel listrik;k3 listrik;membaca gambar teknik", SMA),
    _o("3512", "IT Support;Helpdesk IT;Staff IT;Technical Support",
       "it support;teknisi komputer kantor;helpdesk",
       "membantu pengguna mengatasi masalah komputer;menginstal aplikasi dan printer;merawat jaringan kantor;mencatat tiket keluhan",
       "jaringan komputer;windows;troubleshooting;hardware;printer", D3),
    _o("2514", "Programmer;Web Developer;Backend Developer;Software Engineer",
       "programmer;pengembang aplikasi;web developer",
       "membuat aplikasi web dan mobile;menulis kode program;memperbaiki bug aplikasi;membuat database",
       "pemrograman;python;php;javascript;sql;git", S1),
    _o("2166", "Desainer Grafis;Graphic Designer;Desain Grafis;Designer Konten",
       "desainer grafis;tukang desain;graphic designer",
       "membuat desain poster dan banner;mendesain konten media sosial;membuat desain kemasan produk;mengedit foto",
       "desain grafis;photoshop;illustrator;corel draw;canva", D3),
    _o("2221", "Perawat;Perawat Klinik;Perawat Rumah Sakit;Nurse",
       "perawat;ners;perawat klinik",
       "memberikan asuhan keperawatan kepada pasien;mengukur tanda vital pasien;memberikan obat sesuai resep dokter;membuat catatan keperawatan",
       "asuhan keperawatan;str perawat;btcls;perawatan pasien;infus", D3),
    _o("2222", "Bidan;Bidan Klinik;Bidan Praktik;Midwife",
       "bidan;bidan desa",
       "memeriksa kehamilan;menolong persalinan normal;merawat ibu nifas dan bayi;memberikan layanan kb",
       "kebidanan;persalinan;str bidan;apn;perawatan bayi", D3),
    _o("3213", "Asisten Apoteker;Tenaga Teknis Kefarmasian;TTK;Asisten Apotek",
       "asisten apoteker;tenaga kefarmasian;bekerja di apotek",
       "melayani resep obat;menyiapkan dan meracik obat;mengecek stok obat di apotek;memberikan informasi obat",
       "farmasi;resep obat;stok obat;pelayanan pelanggan;str ttk", D3),
)

KECAMATAN = [f"3201{n:02d}" for n in range(1, 41)]
INDUSTRIAL = KECAMATAN[:10]  # most workplaces are here
FILLER = (
    "penempatan cibinong;gaji umk;shift pagi dan malam;bersedia lembur;jujur dan disiplin;mampu bekerja dalam tim;"
    "diutamakan berdomisili dekat lokasi;usia maksimal 35 tahun;lulusan baru dipersilakan;dapat bpjs;"
    "penempatan cileungsi;penempatan gunung putri;kontrak 1 tahun;mess disediakan"
).split(";")
SEEKER_FILLER = (
    "jujur;disiplin;rajin;siap kerja shift;cepat belajar;bisa kerja tim;siap ditempatkan di mana saja;"
    "bertanggung jawab;tidak merokok;sehat jasmani"
).split(";")
OTHER_SKILLS = "microsoft excel;bahasa inggris;sim c;komunikasi;kerja tim;canva;mengemudi".split(";")
MISCODED = 0.08


@dataclass
class World:
    seekers: list[SeekerProfile]
    vacancies: list[VacancyProfile]
    seeker_truth: dict[int, tuple[int, int | None]]  # seeker id -> (true occupation, past occupation)
    vacancy_truth: dict[int, int]  # vacancy id -> true occupation


def generate(n_seekers: int, n_vacancies: int, seed: int) -> World:
    """Seekers and vacancies with their hidden true occupations (indexes into :data:`OCCUPATIONS`)."""
    rng = random.Random(seed)
    seekers, seeker_truth = [], {}
    for sid in range(1, n_seekers + 1):
        true = rng.randrange(len(OCCUPATIONS))
        occupation = OCCUPATIONS[true]
        past = rng.choice([i for i in range(len(OCCUPATIONS)) if i != true]) if rng.random() < 1 / 3 else None
        skills = set(rng.sample(occupation.skills, rng.randint(3, min(5, len(occupation.skills)))))
        skills |= set(rng.sample(OTHER_SKILLS, rng.randint(0, 2)))
        codes = {occupation.code}
        sentences = [f"Pengalaman {rng.randint(1, 8)} tahun sebagai {rng.choice(occupation.seeker_words)}",
                     f"Biasa {rng.choice(occupation.tasks)}"]
        if past is not None:
            skills.add(rng.choice(OCCUPATIONS[past].skills))
            codes.add(OCCUPATIONS[past].code)
            sentences.append(f"Pernah bekerja sebagai {rng.choice(OCCUPATIONS[past].seeker_words)}")
        sentences.append(", ".join(rng.sample(SEEKER_FILLER, 2)))
        home = rng.choice(KECAMATAN)
        areas = frozenset({home, *rng.sample(INDUSTRIAL, 3)}) if rng.random() < 0.3 else frozenset()
        education = max(SMP, min(S1, occupation.education + rng.choice((-1, 0, 0, 0, 1, 2))))
        seekers.append(SeekerProfile(
            id=sid, education=education, major="", skills=frozenset(skills), kbji_codes=frozenset(codes),
            work_areas=areas, home_kecamatan=home, age=rng.randint(18, 45),
            experience_months=rng.choice((0, 6, 12, 24, 36, 60)), expected_wage=None,
            text=". ".join(sentences), desil=None,
        ))
        seeker_truth[sid] = (true, past)

    vacancies, vacancy_truth = [], {}
    for vid in range(1, n_vacancies + 1):
        true = rng.randrange(len(OCCUPATIONS))
        occupation = OCCUPATIONS[true]
        tasks = rng.sample(occupation.tasks, rng.randint(2, 3))
        if rng.random() < 0.4:  # a task of another occupation, as adverts often add
            tasks.append(rng.choice(OCCUPATIONS[rng.randrange(len(OCCUPATIONS))].tasks))
        description = ". ".join(tasks + rng.sample(FILLER, 2))
        code = occupation.code if rng.random() >= MISCODED else rng.choice(OCCUPATIONS).code
        age = rng.choice(((18, 35), (20, 40), (18, 45))) if rng.random() < 0.5 else (None, None)
        vacancies.append(VacancyProfile(
            id=vid, title=rng.choice(occupation.ad_titles), description=description, kbji_code=code,
            min_education=occupation.education if rng.random() < 0.7 else None, majors=frozenset(),
            skills=frozenset(rng.sample(occupation.skills, rng.randint(2, 4))), age_min=age[0], age_max=age[1],
            min_experience_months=rng.choice((0, 0, 0, 12, 24)),
            kecamatan=rng.choice(INDUSTRIAL) if rng.random() < 0.7 else rng.choice(KECAMATAN),
            wage_min=None, wage_max=None,
        ))
        vacancy_truth[vid] = true
    return World(seekers, vacancies, seeker_truth, vacancy_truth)


def eligible(seeker: SeekerProfile, vacancy: VacancyProfile) -> bool:
    """The hard requirements the generator sets: education, age range, experience."""
    if vacancy.min_education is not None and (seeker.education is None or seeker.education < vacancy.min_education):
        return False
    if vacancy.age_min is not None and (seeker.age is None or seeker.age < vacancy.age_min):
        return False
    if vacancy.age_max is not None and (seeker.age is None or seeker.age > vacancy.age_max):
        return False
    return seeker.experience_months >= vacancy.min_experience_months


def grade(world: World, seeker: SeekerProfile, vacancy: VacancyProfile) -> int:
    """Graded relevance 0-3 of ``vacancy`` to ``seeker`` from the hidden truth (see the module docstring)."""
    if not eligible(seeker, vacancy):
        return 0
    if seeker.work_areas and vacancy.kecamatan not in seeker.work_areas and vacancy.kecamatan != seeker.home_kecamatan:
        return 0
    true, past = world.seeker_truth[seeker.id]
    actual = world.vacancy_truth[vacancy.id]
    if actual == true:
        held = len(vacancy.skills & seeker.skills)
        return 3 if held * 2 >= len(vacancy.skills) else 2
    if actual == past or OCCUPATIONS[actual].group[:3] == OCCUPATIONS[true].group[:3]:
        return 1
    return 0


class Bm25:
    """Plain keyword search: Okapi BM25 over the words of each vacancy's title and description."""

    def __init__(self, vacancies: list[VacancyProfile], k1: float = 1.2, b: float = 0.75):
        self.ids = [v.id for v in vacancies]
        self.k1, self.b = k1, b
        self.documents = [Counter(words(f"{v.title}\n{v.description}")) for v in vacancies]
        self.lengths = [sum(doc.values()) for doc in self.documents]
        self.average = sum(self.lengths) / len(self.lengths)
        df = Counter(word for doc in self.documents for word in doc)
        n = len(self.documents)
        self.idf = {word: math.log(1 + (n - f + 0.5) / (f + 0.5)) for word, f in df.items()}
        self.postings: dict[str, list[int]] = {}
        for number, doc in enumerate(self.documents):
            for word in doc:
                self.postings.setdefault(word, []).append(number)

    def scores(self, query: str) -> list[float]:
        scores = [0.0] * len(self.documents)
        for word in set(words(query)):
            idf = self.idf.get(word)
            if idf is None:
                continue
            for number in self.postings[word]:
                tf = self.documents[number][word]
                norm = self.k1 * (1 - self.b + self.b * self.lengths[number] / self.average)
                scores[number] += idf * tf * (self.k1 + 1) / (tf + norm)
        return scores


def keyword_query(seeker: SeekerProfile) -> str:
    """The seeker's summary and the KBJI titles of their desired and past occupations."""
    return " ".join([seeker.text, *(kbji.title(code) for code in sorted(seeker.kbji_codes))])


def precision_at(grades: list[int], k: int = 10) -> float:
    return sum(g >= 2 for g in grades[:k]) / k


def dcg(grades: list[int], k: int = 10) -> float:
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades[:k]))


def evaluate(world: World, *, k: int = 10) -> dict[str, dict[str, float]]:
    """Mean precision@k and nDCG@k of the matcher, BM25 and BM25 with the hard filters; also the ideal."""
    bm25 = Bm25(world.vacancies)
    by_id = {v.id: v for v in world.vacancies}
    results: dict[str, tuple[list[float], list[float]]] = {
        name: ([], []) for name in ("matcher", "keyword (BM25)", "keyword (BM25) + filters", "ideal")
    }
    for seeker in world.seekers:
        grades = {v.id: grade(world, seeker, v) for v in world.vacancies}
        ideal = sorted(grades.values(), reverse=True)
        best = dcg(ideal, k)
        if best == 0:
            continue  # no relevant vacancy at all for this seeker
        scores = bm25.scores(keyword_query(seeker))
        keyword = sorted(range(len(scores)), key=lambda n: (-scores[n], bm25.ids[n]))
        keyword_ids = [bm25.ids[n] for n in keyword]
        filtered_ids = [vid for vid in keyword_ids if eligible(seeker, by_id[vid])]
        matched_ids = [m.vacancy_id for m in rank_vacancies(seeker, world.vacancies, limit=k)]
        for name, ranked in (("matcher", matched_ids), ("keyword (BM25)", keyword_ids),
                             ("keyword (BM25) + filters", filtered_ids)):
            top = [grades[vid] for vid in ranked[:k]]
            results[name][0].append(precision_at(top, k))
            results[name][1].append(dcg(top, k) / best)
        results["ideal"][0].append(precision_at(ideal, k))
        results["ideal"][1].append(1.0)
    return {
        name: {"precision": statistics.fmean(p), "ndcg": statistics.fmean(n), "seekers": len(p)}
        for name, (p, n) in results.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=1000)
    parser.add_argument("--vacancies", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sejahtera.settings")
    os.environ.setdefault("DEBUG", "1")
    import django
    from django.utils import translation

    django.setup()
    started = time.perf_counter()
    world = generate(args.seekers, args.vacancies, args.seed)
    with translation.override("en"):
        results = evaluate(world)
    elapsed = time.perf_counter() - started
    print(f"{args.seekers} seekers, {args.vacancies} vacancies, {len(OCCUPATIONS)} occupations, seed {args.seed}; "
          f"{results['matcher']['seekers']} seekers with a relevant vacancy; {elapsed:.0f} s "
          f"(load average {os.getloadavg()[0]:.2f})")
    print(f"{'':28}{'precision@10':>14}{'nDCG@10':>10}")
    for name, figures in results.items():
        print(f"{name:28}{figures['precision']:>14.3f}{figures['ndcg']:>10.3f}")


if __name__ == "__main__":
    main()
