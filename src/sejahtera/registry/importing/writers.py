"""The downloadable import templates: an XLSX with an instructions sheet, and a CSV header.

The templates are for Indonesian operators, so their text is Indonesian; the column names are the
canonical ones that ``columns.map_header`` recognises.
"""

from __future__ import annotations

import io
import os
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sejahtera.registry.importing.columns import INDIVIDUALS, Template

TEXT_FORMAT = "@"
INSTRUCTIONS_SHEET = "Petunjuk"

_GENERAL_NOTES = {
    INDIVIDUALS.name: [
        "Satu baris untuk setiap anggota keluarga; anggota satu keluarga memakai No. KK yang sama.",
        "Alamat, RT, RW dan kode desa diisi sama untuk semua anggota satu keluarga.",
    ],
}
_COMMON_NOTES = [
    "Baris pertama berisi nama kolom; jangan diubah. Urutan kolom boleh berbeda, kolom tambahan diabaikan.",
    "Semua kolom sudah berformat Teks. Jangan ubah menjadi Angka: Excel hanya menyimpan 15 angka, "
    "sehingga NIK dan No. KK (16 angka) menjadi rusak, misalnya 3.20101E+15.",
    "Tanggal ditulis hari/bulan/tahun (17/08/1980 atau 17 Agustus 1980), atau 1980-08-17; "
    "hari dan bulan tidak pernah ditukar.",
    "Kolom kategori boleh diisi nama atau kodenya (lihat kolom 'Nilai yang diterima'); huruf besar/kecil bebas.",
    "Sel kosong atau berisi '-' dianggap tidak diisi.",
    "Simpan sebagai Excel Workbook (.xlsx) atau CSV (pemisah koma, titik koma atau tab).",
]


def _target(path_or_file: str | os.PathLike | BinaryIO):
    return os.fspath(path_or_file) if isinstance(path_or_file, (str, os.PathLike)) else path_or_file


def write_template_xlsx(template: Template, path_or_file: str | os.PathLike | BinaryIO) -> None:
    """An XLSX with the header row on the first sheet (every column formatted as Text) and a
    "Petunjuk" sheet explaining each column and its accepted values."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = template.title
    bold, required_fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    for position, column in enumerate(template.columns, start=1):
        letter = get_column_letter(position)
        dimension = sheet.column_dimensions[letter]
        dimension.number_format = TEXT_FORMAT  # every cell typed later in this column is Text
        dimension.width = max(12, len(column.name) + 4)
        cell = sheet.cell(row=1, column=position, value=column.name)
        cell.number_format = TEXT_FORMAT
        cell.font = bold
        if column.required:
            cell.fill = required_fill
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(INSTRUCTIONS_SHEET)
    notes.append([f"Petunjuk pengisian: {template.title}"])
    notes["A1"].font = Font(bold=True, size=13)
    for line in _GENERAL_NOTES.get(template.name, []) + _COMMON_NOTES:
        notes.append([f"• {line}"])
    notes.append([])
    notes.append(["Kolom", "Wajib", "Keterangan", "Nilai yang diterima", "Nama kolom lain yang dikenali"])
    for cell in notes[notes.max_row]:
        cell.font = bold
    wrap = Alignment(wrap_text=True, vertical="top")
    for column in template.columns:
        notes.append([column.name, "Ya" if column.required else "Tidak", column.help, column.accepted,
                      ", ".join(column.aliases)])
        for cell in notes[notes.max_row]:
            cell.alignment = wrap
    for letter, width in zip("ABCDE", (24, 8, 50, 70, 45), strict=True):
        notes.column_dimensions[letter].width = width
    workbook.save(_target(path_or_file))


def write_template_csv(template: Template, path_or_file: str | os.PathLike | BinaryIO) -> None:
    """The header line, comma-separated, UTF-8 with a byte-order mark so that Excel shows it right."""
    data = ("\ufeff" + ",".join(column.name for column in template.columns) + "\r\n").encode("utf-8")
    target = _target(path_or_file)
    if isinstance(target, str):
        with open(target, "wb") as f:
            f.write(data)
    else:
        target.write(data)


def template_bytes(template: Template, fmt: str = "xlsx") -> bytes:
    """The template as bytes, for a download response."""
    buffer = io.BytesIO()
    (write_template_xlsx if fmt == "xlsx" else write_template_csv)(template, buffer)
    return buffer.getvalue()
