"""Reading real CSV and XLSX files written into tmp_path."""

import codecs
import datetime
import zipfile

import openpyxl
import pytest

from sejahtera.registry.importing.columns import INDIVIDUALS, MissingColumns, RowParser, detect_template, map_header
from sejahtera.registry.importing.readers import UnreadableFile, open_table
from sejahtera.registry.importing.values import ValueProblem, identity_text, parse_date, parse_rt_rw

HEADER = ["no_kk", "nik", "nama", "jenis_kelamin", "tanggal_lahir", "hubungan_keluarga", "kode_desa"]
NAMES = ["Dede Ma'mun", "Siti Ñuraeni", "Iyép", "Ma’ruf Amin", "Çécile Ü"]
ENGINES = ["calamine", "openpyxl"]


def write_text(path, lines, *, encoding="utf-8", delimiter=",", bom=b""):
    data = "".join(delimiter.join(line) + "\r\n" for line in lines)
    path.write_bytes(bom + data.encode(encoding))
    return path


def person(name="Budi", nik="3201011705800001"):
    return ["3201011705800002", nik, name, "L", "17/05/1980", "Kepala Keluarga", "3201011001"]


def read_all(path, **kwargs):
    with open_table(path, **kwargs) as table:
        return table, list(table.rows())


# --- CSV ---------------------------------------------------------------------------------------

def test_csv_utf8_header_and_numbered_rows(tmp_path):
    path = write_text(tmp_path / "a.csv", [HEADER, person("Iyép"), person("Dede")])
    table, rows = read_all(path)
    assert table.format == "csv" and table.encoding == "utf-8" and table.delimiter == ","
    assert table.header == HEADER and table.header_row == 1
    assert [number for number, _ in rows] == [2, 3]
    assert rows[0][1] == person("Iyép")
    assert all(isinstance(cell, str) for _, cells in rows for cell in cells)


def test_csv_with_bom(tmp_path):
    path = write_text(tmp_path / "bom.csv", [HEADER, person("Siti Ñuraeni")], bom=codecs.BOM_UTF8)
    table, rows = read_all(path)
    assert table.encoding == "utf-8-sig"
    assert table.header[0] == "no_kk"
    assert rows[0][1][2] == "Siti Ñuraeni"
    map_header(table.header, INDIVIDUALS)  # the BOM does not hide the first column


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_windows_1252_names(tmp_path, delimiter):
    path = write_text(tmp_path / "win.csv", [HEADER] + [person(name) for name in NAMES], encoding="cp1252",
                      delimiter=delimiter)
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    table, rows = read_all(path)
    assert table.encoding == "cp1252" and table.delimiter == delimiter
    assert [cells[2] for _, cells in rows] == NAMES


def test_utf8_names_are_not_taken_for_windows_1252(tmp_path):
    path = write_text(tmp_path / "utf.csv", [HEADER] + [person(name) for name in NAMES])
    table, rows = read_all(path)
    assert table.encoding == "utf-8"
    assert [cells[2] for _, cells in rows] == NAMES


def test_late_non_utf8_byte_switches_the_whole_file_to_windows_1252(tmp_path):
    filler = [person(f"Orang {i}") for i in range(30000)]  # about 2 MB of ASCII before the accent
    path = write_text(tmp_path / "late.csv", [HEADER, *filler, person("Iyép")], encoding="cp1252")
    assert path.stat().st_size > 2_000_000
    table, rows = read_all(path)
    assert table.encoding == "cp1252"
    assert len(rows) == 30001
    assert rows[-1] == (30002, person("Iyép"))


def test_late_utf8_character_keeps_utf8(tmp_path):
    filler = [person(f"Orang {i}") for i in range(30000)]
    path = write_text(tmp_path / "late.csv", [HEADER, *filler, person("Ma’ruf Ñ")])
    table, rows = read_all(path)
    assert table.encoding == "utf-8"
    assert rows[-1][1][2] == "Ma’ruf Ñ"


def test_utf8_character_split_across_read_chunks(tmp_path):
    data = (",".join(HEADER) + "\r\n").encode() + b"1,abcdefgh\r\n" * 80_000
    data += b"2," + b"x" * ((1 << 20) - len(data) - 3)  # the 2-byte "é" straddles the 1 MB chunk boundary
    data += "é\r\n".encode()
    assert data.index("é".encode()) == (1 << 20) - 1
    path = tmp_path / "split.csv"
    path.write_bytes(data)
    table, rows = read_all(path)
    assert table.encoding == "utf-8"
    assert rows[-1][1][1].endswith("xé")


def test_windows_1252_undefined_bytes_do_not_crash(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\r\n3201011705800002,,Nama\x81\x8d,L\r\n")
    table, rows = read_all(path)
    assert table.encoding == "cp1252"
    assert rows[0][1][2] == "Nama\x81\x8d"


def test_semicolon_file_with_decimal_commas(tmp_path):
    path = write_text(tmp_path / "semi.csv", [["no_kk", "luas_lantai", "pengeluaran"],
                                              ["3201011705800002", "36,5", "1.250.000,00"]], delimiter=";")
    table, rows = read_all(path)
    assert table.delimiter == ";"
    assert rows == [(2, ["3201011705800002", "36,5", "1.250.000,00"])]


def test_delimiter_inside_quoted_headers_is_not_counted(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('"Nama, Lengkap";"Alamat, RT, RW";NIK\n"Siti";"Jl. A, 1";3201011705800001\n', encoding="utf-8")
    table, rows = read_all(path)
    assert table.delimiter == ";"
    assert table.header == ["Nama, Lengkap", "Alamat, RT, RW", "NIK"]
    assert rows == [(2, ["Siti", "Jl. A, 1", "3201011705800001"])]


def test_quoted_fields_with_delimiters_quotes_and_newlines(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_text('no_kk,nama,alamat\r\n'
                    '3201011705800002,"Dede ""Ujang"" Ma\'mun","Jl. Raya, No. 1\r\nRT 03"\r\n'
                    '3201011705800003,Siti,"Kp. Cibinong"\r\n', encoding="utf-8", newline="")
    table, rows = read_all(path)
    assert rows[0] == (2, ["3201011705800002", 'Dede "Ujang" Ma\'mun', "Jl. Raya, No. 1\r\nRT 03"])
    assert rows[1] == (3, ["3201011705800003", "Siti", "Kp. Cibinong"])  # one spreadsheet row per record


def test_empty_rows_are_skipped_but_counted(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("no_kk,nama,rt\n3201011705800002,A,1\n\n,,\n  , ,\n3201011705800003,B\n,C,\n",
                    encoding="utf-8")
    table, rows = read_all(path)
    assert rows == [(2, ["3201011705800002", "A", "1"]), (6, ["3201011705800003", "B", ""]), (7, ["", "C", ""])]


def test_title_rows_above_the_header_with_header_test(tmp_path):
    path = write_text(tmp_path / "title.csv", [["DATA PENDUDUK DESA PONDOK RAJEG"], [], HEADER, person()],
                      delimiter=";")
    table, rows = read_all(path, header_test=lambda header: detect_template(header) is not None)
    assert table.delimiter == ";"
    assert table.header == HEADER and table.header_row == 3
    assert rows == [(4, person())]


def test_title_with_commas_does_not_decide_the_delimiter(tmp_path):
    lines = [["DATA PENDUDUK, DESA PONDOK RAJEG, KEC. CIBINONG"], HEADER, person(), person("Dede, S.Pd.")]
    path = write_text(tmp_path / "title.csv", lines, delimiter=";")
    table, rows = read_all(path, header_test=lambda header: detect_template(header) is not None)
    assert table.delimiter == ";" and table.header == HEADER and table.header_row == 2
    assert rows == [(3, person()), (4, person("Dede, S.Pd."))]


def test_without_header_test_the_first_row_is_the_header(tmp_path):
    path = write_text(tmp_path / "title.csv", [["DATA PENDUDUK"], HEADER, person()])
    with open_table(path) as table:
        assert table.header == ["DATA PENDUDUK"]
        with pytest.raises(MissingColumns):
            map_header(table.header, INDIVIDUALS)


def test_header_test_that_accepts_nothing_falls_back_to_the_first_row(tmp_path):
    path = write_text(tmp_path / "x.csv", [["a", "b"], ["1", "2"], ["3", "4"]])
    table, rows = read_all(path, header_test=lambda header: False)
    assert table.header == ["a", "b"] and table.header_row == 1
    assert rows == [(2, ["1", "2"]), (3, ["3", "4"])]


def test_trailing_empty_header_cells_are_dropped(tmp_path):
    path = write_text(tmp_path / "x.csv", [["no_kk", " nama ", "", ""], ["1", "2", "", ""]])
    table, rows = read_all(path)
    assert table.header == ["no_kk", "nama"]
    assert rows == [(2, ["1", "2", "", ""])]


def test_utf16_unicode_text_from_excel(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + ("\t".join(HEADER) + "\r\n" + "\t".join(person("Iyép")) + "\r\n")
                     .encode("utf-16-le"))
    table, rows = read_all(path)
    assert table.encoding == "utf-16" and table.delimiter == "\t"
    assert table.header == HEADER and rows == [(2, person("Iyép"))]


def test_csv_progress(tmp_path):
    path = write_text(tmp_path / "p.csv", [HEADER] + [person(f"N{i}") for i in range(5000)])
    with open_table(path) as table:
        assert table.size_bytes == path.stat().st_size and table.total_rows is None
        rows = table.rows()
        next(rows)
        assert 0 < table.progress < 1
        assert table.bytes_read > 0
        for _ in rows:
            pass
        assert table.progress == 1.0
        assert table.last_row == 5001


def test_rows_can_be_read_once(tmp_path):
    path = write_text(tmp_path / "a.csv", [HEADER, person()])
    with open_table(path) as table:
        list(table.rows())
        with pytest.raises(RuntimeError):
            list(table.rows())


def test_csv_field_too_large_is_unreadable(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("no_kk,nama\n1,2\n1," + "x" * 200_000 + "\n", encoding="utf-8")
    with open_table(path) as table, pytest.raises(UnreadableFile) as info:
        list(table.rows())
    assert "row 2" in info.value.message


def test_scientific_notation_nik_in_csv_is_refused(tmp_path):
    path = write_text(tmp_path / "sci.csv", [HEADER, person(nik="3.20101E+15"), person(nik="3,20101E+15")],
                      delimiter=";")
    _, rows = read_all(path)
    for _, cells in rows:
        with pytest.raises(ValueProblem) as info:
            identity_text(cells[1], column="nik")
        assert info.value.code == "nik_scientific"


def test_csv_rows_through_the_row_parser(tmp_path):
    header = ["No. KK", "NIK", "Nama Lengkap", "JK", "Tgl Lahir", "SHDK", "Kode Wilayah", "RT", "Catatan"]
    lines = [header,
             ["'3201011705800002", "3201 0117 0580 0001", "Dede Ma'mun", "Laki-laki", "17 Mei 1980",
              "Kepala Keluarga", "32.01.01.1001", "3", "x"],
             ["3201011705800002", "", "Siti Ñuraeni", "P", "1985-02-03", "ISTRI", "3201011001", "03", ""]]
    path = write_text(tmp_path / "people.csv", lines, encoding="cp1252", delimiter=";")
    with open_table(path) as table:
        mapping = map_header(table.header, INDIVIDUALS)
        assert mapping.unknown == ["Catatan"]
        parse = RowParser(mapping)
        parsed = [(number, *parse(cells)) for number, cells in table.rows()]
    (n1, head, p1, w1), (n2, wife, p2, w2) = parsed
    assert (n1, n2) == (2, 3) and p1 is None and p2 is None
    assert head["no_kk"] == "3201011705800002" and head["nik"] == "3201011705800001"
    assert head["tanggal_lahir"] == datetime.date(1980, 5, 17) and head["rt"] == "003"
    assert wife["nama"] == "Siti Ñuraeni" and wife["nik"] is None and wife["rt"] == "003"
    assert w1 is None and [issue.code for _, issue in w2] == ["nik_missing"]


# --- XLSX --------------------------------------------------------------------------------------

def write_xlsx(path, rows, *, title="Sheet", extra_sheets=(), first_sheet=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if first_sheet:
        sheet.title = first_sheet
        sheet.append(["Petunjuk pengisian"])
        sheet = workbook.create_sheet(title)
    else:
        sheet.title = title
    for row in rows:
        sheet.append(row)
    for name in extra_sheets:
        workbook.create_sheet(name).append(["lain"])
    workbook.save(path)
    return path


NUMERIC_NIKS = [
    # (cell as written, expected text or the refusal code)
    (3201011705800001, "3201011705800001"),
    (3201011705800001.0, "3201011705800001"),
    (320101170580001, "nik_numeric_length"),  # 15 digits
    (3201011705800000, "nik_numeric_rounded"),  # 16 digits ending in 0
    (3201011705800000.0, "nik_numeric_rounded"),
    ("3201011705800001", "3201011705800001"),  # a text cell
    ("'3201011705800001", "3201011705800001"),
    ("3.20101E+15", "nik_scientific"),
]


@pytest.mark.parametrize("engine", ENGINES)
def test_xlsx_numeric_nik_cells(tmp_path, engine):
    rows = [HEADER] + [person(nik=nik) for nik, _ in NUMERIC_NIKS]
    path = write_xlsx(tmp_path / "nik.xlsx", rows)
    table, read = read_all(path, xlsx_engine=engine)
    assert table.format == "xlsx" and table.engine == engine
    assert table.header == HEADER
    assert [number for number, _ in read] == list(range(2, 2 + len(NUMERIC_NIKS)))
    for (written, expected), (_, cells) in zip(NUMERIC_NIKS, read, strict=True):
        cell = cells[1]
        assert isinstance(cell, type(written)) or isinstance(written, int | float) and isinstance(cell, int | float)
        if expected.isdigit():
            text, warning = identity_text(cell, column="nik")
            assert text == expected
            assert (warning is not None) == (not isinstance(written, str))
        else:
            with pytest.raises(ValueProblem) as info:
                identity_text(cell, column="nik")
            assert info.value.code == expected


@pytest.mark.parametrize("engine", ENGINES)
def test_xlsx_date_cells_and_serial_numbers(tmp_path, engine):
    rows = [["tanggal_lahir", "rt"], [datetime.date(1980, 8, 17), 3], [datetime.datetime(1975, 1, 2, 0, 0), 3.0],
            [29450, "03"], [29450.0, 12], ["17/08/1980", "RT 3"], ["17 Agustus 1980", 5]]
    path = write_xlsx(tmp_path / "dates.xlsx", rows)
    _, read = read_all(path, xlsx_engine=engine)
    assert [parse_date(cells[0]) for _, cells in read] == [
        datetime.date(1980, 8, 17), datetime.date(1975, 1, 2), datetime.date(1980, 8, 17), datetime.date(1980, 8, 17),
        datetime.date(1980, 8, 17), datetime.date(1980, 8, 17)]
    assert isinstance(read[0][1][0], datetime.date)
    assert [parse_rt_rw(cells[1]) for _, cells in read] == ["003", "003", "003", "012", "003", "005"]


@pytest.mark.parametrize("engine", ENGINES)
def test_xlsx_empty_rows_skipped_numbers_kept_and_short_rows_padded(tmp_path, engine):
    path = write_xlsx(tmp_path / "gaps.xlsx", [["TITLE"], [], HEADER, person(), [], [None, "", "  "], ["x"]])
    table, read = read_all(path, xlsx_engine=engine, header_test=lambda h: detect_template(h) is not None)
    assert table.header_row == 3 and table.header == HEADER
    assert [number for number, _ in read] == [4, 7]
    assert read[1][1][0] == "x" and len(read[1][1]) == len(HEADER)
    assert all(cell in (None, "") for cell in read[1][1][1:])


@pytest.mark.parametrize("engine", ENGINES)
def test_xlsx_sheet_named_like_the_template_is_preferred(tmp_path, engine):
    path = write_xlsx(tmp_path / "sheets.xlsx", [HEADER, person()], title="Individu", first_sheet="Lain")
    table, read = read_all(path, xlsx_engine=engine, sheet_names=INDIVIDUALS.sheet_names)
    assert table.sheet_name == "Individu" and read == [(2, person())]


@pytest.mark.parametrize("engine", ENGINES)
def test_xlsx_instructions_sheet_first_is_passed_over(tmp_path, engine):
    path = write_xlsx(tmp_path / "sheets.xlsx", [HEADER, person()], title="Data", first_sheet="Petunjuk")
    table, read = read_all(path, xlsx_engine=engine)
    assert table.sheet_name == "Data" and table.header == HEADER


@pytest.mark.parametrize("engine", ENGINES)
def test_xlsx_cp_names_and_progress(tmp_path, engine):
    path = write_xlsx(tmp_path / "names.xlsx", [HEADER] + [person(name) for name in NAMES])
    with open_table(path, xlsx_engine=engine) as table:
        names = [cells[2] for _, cells in table.rows()]
        assert table.progress == 1.0
    assert names == NAMES


def test_xlsx_engine_is_chosen_by_size(tmp_path):
    path = write_xlsx(tmp_path / "small.xlsx", [HEADER, person()])
    with open_table(path) as table:
        assert table.engine == "calamine"
        assert table.total_rows == 2


def test_format_is_recognised_by_content_not_name(tmp_path):
    xlsx_named_csv = write_xlsx(tmp_path / "really-xlsx.csv", [HEADER, person()])
    csv_named_xlsx = write_text(tmp_path / "really-csv.xlsx", [HEADER, person()])
    assert read_all(xlsx_named_csv)[0].format == "xlsx"
    assert read_all(csv_named_xlsx)[0].format == "csv"
    assert read_all(xlsx_named_csv)[1] == read_all(csv_named_xlsx)[1] == [(2, person())]


# --- unreadable files --------------------------------------------------------------------------

def ods(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return path


def plain_zip(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data.csv", "a,b\n")
    return path


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize(("name", "make", "words"), [
    ("empty.csv", lambda p: p.write_bytes(b""), "empty"),
    ("blank.csv", lambda p: p.write_bytes(b"\r\n\r\n , ,\r\n"), "empty"),
    ("doc.pdf.xlsx", lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "PDF"),
    ("old.xlsx", lambda p: p.write_bytes(OLE2 + b"\x00" * 600), "97-2003"),
    ("old-renamed.csv", lambda p: p.write_bytes(OLE2 + b"\x00" * 600), "97-2003"),
    ("locked.xlsx", lambda p: p.write_bytes(OLE2 + b"\x00" * 100 + "EncryptionInfo".encode("utf-16-le")), "password"),
    ("sheet.ods", ods, "OpenDocument"),
    ("archive.xlsx", plain_zip, "not an Excel workbook"),
    ("broken.xlsx", lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 50), "damaged"),
    ("siak.xls", lambda p: p.write_bytes(b"<html><body><table><tr><td>NIK</td></tr></table>"), "web page"),
    ("spreadsheet2003.xml", lambda p: p.write_bytes(b'<?xml version="1.0"?><Workbook/>'), "web page or XML"),
    ("image.csv", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "not a table"),
])
def test_unreadable_files(tmp_path, name, make, words):
    path = tmp_path / name
    make(path)
    with pytest.raises(UnreadableFile) as info:
        open_table(path)
    assert words in info.value.message


def test_missing_file_is_unreadable(tmp_path):
    with pytest.raises(UnreadableFile) as info:
        open_table(tmp_path / "nowhere.csv")
    assert "cannot be opened" in info.value.message


def test_xlsx_without_sheet_xml_is_unreadable(tmp_path):
    path = tmp_path / "hollow.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UnreadableFile):
        open_table(path)
