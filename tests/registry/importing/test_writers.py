"""The downloadable templates, read back with openpyxl and with the importer's own reader."""

import codecs
import io

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from sejahtera.registry.importing.columns import INDIVIDUALS, SURVEYS, detect_template, map_header
from sejahtera.registry.importing.readers import open_table
from sejahtera.registry.importing.writers import template_bytes, write_template_csv, write_template_xlsx

TEMPLATES = [INDIVIDUALS, SURVEYS]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.name)
def test_xlsx_template_header_and_text_columns(tmp_path, template):
    path = tmp_path / f"{template.name}.xlsx"
    write_template_xlsx(template, path)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [template.title, "Petunjuk"]
    sheet = workbook[template.title]
    names = [col.name for col in template.columns]
    assert [cell.value for cell in sheet[1]] == names
    assert sheet.max_row == 1  # no example rows that would be imported
    for position in range(1, len(names) + 1):
        assert sheet.column_dimensions[get_column_letter(position)].number_format == "@"
        assert sheet.cell(row=1, column=position).number_format == "@"
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.name)
def test_xlsx_template_instructions_explain_every_column(tmp_path, template):
    path = tmp_path / "t.xlsx"
    write_template_xlsx(template, path)
    notes = openpyxl.load_workbook(path)["Petunjuk"]
    rows = [[cell.value for cell in row] for row in notes.iter_rows()]
    table_start = next(i for i, row in enumerate(rows) if row[0] == "Kolom")
    assert rows[table_start][:4] == ["Kolom", "Wajib", "Keterangan", "Nilai yang diterima"]
    described = {row[0]: row for row in rows[table_start + 1:]}
    assert list(described) == [col.name for col in template.columns]
    for col in template.columns:
        name, required, help_text, accepted, aliases = described[col.name]
        assert required == ("Ya" if col.required else "Tidak")
        assert help_text == col.help and accepted == col.accepted
    text = " ".join(str(row[0]) for row in rows[:table_start])
    assert "Teks" in text and "15 angka" in text  # why the columns must stay Text


def test_instructions_list_the_codes_of_categorical_columns(tmp_path):
    path = tmp_path / "t.xlsx"
    write_template_xlsx(INDIVIDUALS, path)
    rows = {row[0].value: row for row in openpyxl.load_workbook(path)["Petunjuk"].iter_rows()}
    assert "1 Kepala Keluarga" in rows["hubungan_keluarga"][3].value
    assert "10 Strata III" in rows["pendidikan"][3].value
    assert "L atau P" in rows["jenis_kelamin"][3].value


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.name)
def test_templates_are_read_back_by_the_importer(tmp_path, template):
    for path, writer in ((tmp_path / "t.xlsx", write_template_xlsx), (tmp_path / "t.csv", write_template_csv)):
        writer(template, path)
        with open_table(path, sheet_names=template.sheet_names) as table:
            assert table.header == [col.name for col in template.columns]
            assert detect_template(table.header) is template
            assert map_header(table.header, template).unknown == []
            assert list(table.rows()) == []


def test_csv_template_is_utf8_with_bom(tmp_path):
    path = tmp_path / "t.csv"
    write_template_csv(INDIVIDUALS, path)
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    assert data[3:].decode("utf-8") == ",".join(col.name for col in INDIVIDUALS.columns) + "\r\n"


def test_writers_accept_file_objects():
    buffer = io.BytesIO()
    write_template_xlsx(SURVEYS, buffer)
    assert buffer.getvalue().startswith(b"PK\x03\x04")
    assert template_bytes(SURVEYS, "csv").startswith(codecs.BOM_UTF8 + b"no_kk,tanggal_survei,")
    workbook = openpyxl.load_workbook(io.BytesIO(template_bytes(INDIVIDUALS)))
    assert workbook.sheetnames == ["Individu", "Petunjuk"]
