"""Reading import files: CSV (any usual encoding and delimiter) and XLSX, row by row.

``open_table(path)`` recognises the format by the file's content, not its name, finds the header
row and returns a Table whose ``rows()`` yields ``(row_number, cells)`` with the row number a
spreadsheet shows (the header is usually row 1, so data starts at 2), skipping empty rows. Cells
keep their types: always ``str`` from CSV; ``str``, ``int``, ``float``, ``bool``, ``date`` or
``datetime`` (or ``None``/``""`` when empty) from XLSX, so that a NIK typed as a number can be told.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence

from django.utils.translation import gettext as _

CHUNK = 1 << 20
HEADER_SEARCH_ROWS = 30  # how many non-empty rows may precede the header (titles above a table)
# Above this much worksheet XML, XLSX files are read by openpyxl in streaming mode: slower, but in
# constant memory. Below it python-calamine reads the sheet into memory (about 1.6 times the XML size)
# and is 15 times faster.
XLSX_IN_MEMORY_LIMIT = 1 << 30
DELIMITERS = (",", ";", "\t")


class UnreadableFile(Exception):
    """The file is not a CSV or XLSX file this importer can read; ``message`` is for people."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _latin1_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    # The five bytes Windows-1252 leaves undefined are kept as their Latin-1 characters.
    return error.object[error.start:error.end].decode("latin-1"), error.end


codecs.register_error("sejahtera_latin1", _latin1_fallback)


def _blank(cell: object) -> bool:
    return cell is None or cell == "" or (cell.__class__ is str and cell.isspace())


def _is_empty(row: Sequence) -> bool:
    if row and not _blank(row[0]):
        return False
    return all(_blank(cell) for cell in row)


class Table:
    """A readable table. Iterate ``rows()`` once; close it (or use ``with``) when done."""

    format: str = ""

    def __init__(self, path: str | os.PathLike, header_test: Callable[[list[str]], bool] | None):
        self.path = os.fspath(path)
        self.size_bytes = os.path.getsize(self.path)
        self.total_rows: int | None = None  # rows in the sheet (header included) when the format tells
        self.last_row = 0  # the row number of the last row read
        self._header_test = header_test
        self._rows: Iterator[tuple[int, list]] | None = None
        self.header: list[str] = []
        self.header_row = 0
        self._find_header(self._numbered_rows())

    # Subclasses yield (row number, cells) for every row, empty ones included.
    def _numbered_rows(self) -> Iterator[tuple[int, list]]:
        raise NotImplementedError

    def _find_header(self, numbered: Iterator[tuple[int, list]]) -> None:
        passed_over: list[tuple[int, list]] = []  # non-empty rows that did not look like the header
        for number, cells in numbered:
            if _is_empty(cells):
                continue
            texts = self._header_texts(cells)
            if self._header_test is None or self._header_test(texts):
                self.header_row, self.header, self._rows = number, texts, numbered
                return
            passed_over.append((number, cells))
            if len(passed_over) >= HEADER_SEARCH_ROWS:
                break
        if not passed_over:
            raise UnreadableFile(_("The file is empty: it has no header row."))
        # No row looks like a header: the first one is taken, so the caller can say which columns lack.
        number, cells = passed_over[0]
        self.header_row, self.header = number, self._header_texts(cells)
        self._rows = itertools.chain(passed_over[1:], numbered)

    @staticmethod
    def _header_texts(cells: Sequence) -> list[str]:
        texts = ["" if _blank(cell) else str(cell).strip().lstrip("\ufeff") for cell in cells]
        while texts and not texts[-1]:
            texts.pop()
        return texts

    def rows(self) -> Iterator[tuple[int, list]]:
        """``(row_number, cells)`` for every non-empty row after the header; ``cells`` is padded to
        the header's width."""
        if self._rows is None:
            raise RuntimeError("rows() can be iterated only once")
        numbered, self._rows = self._rows, None
        width = len(self.header)
        pad = "" if self.format == "csv" else None
        for number, cells in numbered:
            self.last_row = number
            first = cells[0] if cells else None
            if first is None or first == "" or (first.__class__ is str and first.isspace()):
                if all(_blank(cell) for cell in cells):
                    continue
            if len(cells) < width:
                cells.extend([pad] * (width - len(cells)))
            yield number, cells

    @property
    def bytes_read(self) -> int | None:
        return None

    @property
    def progress(self) -> float | None:
        """Share of the file read so far, 0.0-1.0, when it can be told."""
        if self.total_rows:
            return min(1.0, self.last_row / self.total_rows)
        read = self.bytes_read
        if read is not None and self.size_bytes:
            return min(1.0, read / self.size_bytes)
        return None

    def close(self) -> None:
        pass

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# --- CSV ---------------------------------------------------------------------------------------

def _csv_encoding(raw: io.BufferedReader) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as UTF-8, else Windows-1252.

    The whole file is checked before the first row is handed out, in 1 MB chunks (ASCII chunks
    skip the decoder), so a file whose first non-UTF-8 byte comes late is still read in one encoding.
    """
    start = raw.read(4)
    raw.seek(0)
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := raw.read(CHUNK):
            if chunk.isascii() and not decoder.getstate()[0]:
                continue
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"
    finally:
        raw.seek(0)


class CsvTable(Table):
    format = "csv"

    def __init__(self, path, header_test=None):
        self._raw = open(path, "rb")  # noqa: SIM115  (closed by close())
        try:
            self.encoding = _csv_encoding(self._raw)
            self._text = io.TextIOWrapper(self._raw, encoding=self.encoding, errors="sejahtera_latin1", newline="")
            self.delimiter = ","
            super().__init__(path, header_test)
        except BaseException:
            self._raw.close()
            raise

    def _numbered_rows(self) -> Iterator[tuple[int, list]]:
        lines = list(itertools.islice(self._text, HEADER_SEARCH_ROWS))
        self.delimiter = self._choose_delimiter(lines)
        reader = csv.reader(itertools.chain(lines, self._text), delimiter=self.delimiter)
        number = 0
        try:
            for number, row in enumerate(reader, start=1):  # noqa: B007  (number is read in the except)
                yield number, row
        except csv.Error as error:
            raise UnreadableFile(_("The CSV file cannot be read after row %(row)d: %(error)s")
                                 % {"row": number, "error": error}) from None

    def _choose_delimiter(self, lines: list[str]) -> str:
        """The delimiter that splits a line into a header ``header_test`` accepts; else the one most
        used (outside quotes) on the first line that has any."""
        if self._header_test is not None:
            for line in lines:
                for delimiter in DELIMITERS:
                    if delimiter in line:
                        cells = next(csv.reader([line], delimiter=delimiter), [])
                        if len(cells) > 1 and self._header_test(self._header_texts(cells)):
                            return delimiter
        for line in lines:
            unquoted = "".join(line.split('"')[::2])
            counts = [unquoted.count(d) for d in DELIMITERS]
            if max(counts) > 0:
                return DELIMITERS[counts.index(max(counts))]
        return ","

    @property
    def bytes_read(self) -> int | None:
        try:
            return self._raw.tell()
        except (OSError, ValueError):
            return None

    def close(self) -> None:
        self._raw.close()


# --- XLSX --------------------------------------------------------------------------------------

def _sheet_name(names: Sequence[str], wanted: Iterable[str]) -> str:
    """The sheet named like one of ``wanted`` (case and spaces ignored), else the first that is not
    an instructions sheet."""
    keys = {"".join(n.lower().split()): n for n in names}
    for name in wanted:
        hit = keys.get("".join(name.lower().split()))
        if hit is not None:
            return hit
    return next((n for n in names if n.strip().lower() != "petunjuk"), names[0])


class XlsxTable(Table):
    format = "xlsx"

    def __init__(self, path, header_test=None, sheet_names: Sequence[str] = (), engine: str | None = None):
        self._sheet_names = sheet_names
        self._workbook = None
        if engine is None:
            with zipfile.ZipFile(path) as archive:
                xml = max((i.file_size for i in archive.infolist() if i.filename.startswith("xl/worksheets/")),
                          default=0)
            engine = "openpyxl" if xml > XLSX_IN_MEMORY_LIMIT else "calamine"
        self.engine = engine
        try:
            super().__init__(path, header_test)
        except BaseException:
            self.close()
            raise

    def _numbered_rows(self) -> Iterator[tuple[int, list]]:
        if self.engine == "calamine":
            from python_calamine import CalamineWorkbook

            try:
                self._workbook = CalamineWorkbook.from_path(self.path)
                self.sheet_name = _sheet_name(self._workbook.sheet_names, self._sheet_names)
                sheet = self._workbook.get_sheet_by_name(self.sheet_name)
            except Exception as error:  # calamine raises its own error types for damaged files
                raise UnreadableFile(_("The Excel file cannot be read: %(error)s") % {"error": error}) from None
            self.total_rows = sheet.end[0] + 1 if sheet.end else None
            # iter_rows starts at the sheet's row 1 (empty leading rows included) and yields lists.
            return enumerate(sheet.iter_rows(), start=1)
        from openpyxl import load_workbook

        try:
            self._workbook = load_workbook(self.path, read_only=True, data_only=True)
            self.sheet_name = _sheet_name(self._workbook.sheetnames, self._sheet_names)
            sheet = self._workbook[self.sheet_name]
        except Exception as error:
            raise UnreadableFile(_("The Excel file cannot be read: %(error)s") % {"error": error}) from None
        self.total_rows = sheet.max_row  # from the file's own dimension record; may be absent
        sheet.reset_dimensions()  # read every cell even when that record is wrong
        return ((number, list(row)) for number, row in enumerate(sheet.iter_rows(values_only=True), start=1))

    def close(self) -> None:
        if self._workbook is not None and hasattr(self._workbook, "close"):
            self._workbook.close()
        self._workbook = None


# --- recognising the format --------------------------------------------------------------------

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _sniff(path: str) -> str:
    """"csv" or "xlsx" from the file's first bytes; raises UnreadableFile for anything else."""
    try:
        with open(path, "rb") as f:
            head = f.read(65536)
    except OSError as error:
        raise UnreadableFile(_("The file cannot be opened: %(error)s") % {"error": error.strerror}) from None
    if not head:
        raise UnreadableFile(_("The file is empty."))
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            raise UnreadableFile(_("The file looks like an Excel file but is damaged.")) from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names:
            raise UnreadableFile(_("This is an OpenDocument (LibreOffice) spreadsheet. Save it as Excel "
                                   "Workbook (.xlsx) or CSV and upload it again."))
        raise UnreadableFile(_("This is a ZIP archive or an Office document, not an Excel workbook or CSV file."))
    if head.startswith(_OLE2):
        if "EncryptionInfo".encode("utf-16-le") in head:
            raise UnreadableFile(_("The Excel file is protected with a password. Remove the password "
                                   "and upload it again."))
        raise UnreadableFile(_("This is an old Excel 97-2003 (.xls) file. Open it in Excel and save it as "
                               "Excel Workbook (.xlsx) or CSV, then upload it again."))
    if head.startswith(b"%PDF"):
        raise UnreadableFile(_("This is a PDF document, not a table. Upload the data as an Excel "
                               "Workbook (.xlsx) or CSV file."))
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv"  # Excel's "Unicode text"
    if b"\x00" in head:
        raise UnreadableFile(_("The file is not a table that can be read: upload an Excel Workbook (.xlsx) "
                               "or CSV file."))
    text = head.lstrip(codecs.BOM_UTF8).lstrip()[:200].lower()
    if text.startswith((b"<html", b"<!doctype", b"<table", b"<?xml")):
        raise UnreadableFile(_("This is a web page or XML file saved with a spreadsheet name (some systems "
                               "export .xls files this way). Open it in Excel and save it as Excel Workbook "
                               "(.xlsx) or CSV, then upload it again."))
    return "csv"


def open_table(path: str | os.PathLike, *, sheet_names: Sequence[str] = (),
               header_test: Callable[[list[str]], bool] | None = None,
               xlsx_engine: str | None = None) -> Table:
    """Open a CSV or XLSX file for reading.

    ``sheet_names``: XLSX sheets to prefer (e.g. ``template.sheet_names``), else the first sheet that
    is not "Petunjuk". ``header_test``: when given, the header is the first non-empty row (of the first
    30) it accepts, e.g. ``lambda h: detect_template(h) is not None``, so title rows above the table are
    skipped; otherwise the first non-empty row. ``xlsx_engine``: "calamine" or "openpyxl" (chosen by
    size when None). Raises UnreadableFile.
    """
    path = os.fspath(path)
    kind = _sniff(path)
    if kind == "xlsx":
        return XlsxTable(path, header_test, sheet_names, xlsx_engine)
    return CsvTable(path, header_test)
