"""The cluster's anonymised results as CSV and XLSX: the same suppression as the page (no
practice named, "too few" below the minimum group size), and no practice's own figures.

Cells a spreadsheet would read as a formula (=, +, -, @) get a leading apostrophe: an
indicator named ``=HYPERLINK(...)`` by an editor stays text.
"""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from content.blocks.audit import COUNT

from .models import AuditRound
from .selectors import Figure, RoundResults

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if isinstance(value, int | float):
        return value
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def _figure(figure: Figure | None) -> list:
    if figure is None:
        return [0, ""]
    if not figure.reportable:
        return [figure.practices, _("too few")]
    value = figure.value
    return [figure.practices, "" if value is None else round(value, 1)]


def _header() -> list[str]:
    return [
        _("Indicator"),
        _("Measure"),
        _("Target"),
        _("Practices in the cluster"),
        _("Cluster"),
        _("Practices in the area"),
        _("Area"),
    ]


def _rows(results: RoundResults) -> list[list]:
    rows = []
    for row in results.rows:
        indicator = row.indicator
        measure = _("mean count per practice") if indicator["measure"] == COUNT else _("per cent")
        rows.append(
            [indicator["name"], measure, indicator["target"], *_figure(row.cluster), *_figure(row.area)]
        )
    return rows


def results_csv(audit_round: AuditRound, results: RoundResults) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_cell(audit_round.kit_title), _cell(audit_round.cluster.name)])
    writer.writerow(_header())
    for row in _rows(results):
        writer.writerow([_cell(value) for value in row])
    # With a byte order mark, so that Excel opens the Danish letters as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def results_xlsx(audit_round: AuditRound, results: RoundResults) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Results")[:31]
    sheet.append([_cell(audit_round.kit_title), _cell(audit_round.cluster.name)])
    sheet.append(_header())
    for row in _rows(results):
        sheet.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
