"""Rows of cells as the CSV and XLSX files that the portal's reports offer for download.

A cell that a spreadsheet would read as a formula (=, +, -, @, tab, return) gets a leading
apostrophe: a name typed as ``=HYPERLINK(...)`` stays text. CSV is separated by semicolons,
which Danish spreadsheets read, and starts with a BOM so that æøå come through.
"""

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def safe_cell(value) -> str | int | float:
    if isinstance(value, int | float):
        return value
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def rows_csv(rows: Iterable[Iterable]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return "\ufeff" + out.getvalue()


def rows_xlsx(rows: Iterable[Iterable], *, title: str, freeze_header: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit on sheet names
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    if freeze_header:
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
