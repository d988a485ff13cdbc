"""The cluster's and the area's figures as CSV and XLSX, with the same "too few" as the page.

One block: per metric, the whole period and then each month; a column for the cluster, the area
and each of the viewer's own practices. Counts of cases are not exported: a suppressed cell's
count would tell what the suppression hides.
"""

from django.utils.translation import gettext as _

from portal.core.spreadsheets import rows_csv, rows_xlsx

from .figures import Cell, Figures


def cell_text(cell: Cell | None):
    if cell is None or (cell.value is None and not cell.suppressed):
        return ""
    if cell.suppressed:
        return str(_("too few"))
    return cell.value


def figure_rows(figures: Figures, *, with_cluster: bool) -> list[list]:
    own = [practice for practice, _cell in figures.rows[0].practices] if figures.rows else []
    header = [_("Figure"), _("Month")]
    if with_cluster:
        header.append(_("Cluster"))
    header.append(_("Health council area"))
    header += [practice.name for practice in own]
    rows: list[list] = [header]
    for row in figures.rows:
        whole = [str(row.metric.label), _("Whole period")]
        if with_cluster:
            whole.append(cell_text(row.cluster))
        whole.append(cell_text(row.area))
        whole += [cell_text(cell) for _practice, cell in row.practices]
        rows.append(whole)
        for month, cluster_cell, area_cell in row.months:
            line = [str(row.metric.label), month.strftime("%Y-%m")]
            if with_cluster:
                line.append(cell_text(cluster_cell))
            line.append(cell_text(area_cell))
            rows.append(line)
    return rows


def figures_csv(figures: Figures, *, with_cluster: bool) -> str:
    return rows_csv(figure_rows(figures, with_cluster=with_cluster))


def figures_xlsx(figures: Figures, *, with_cluster: bool, title: str) -> bytes:
    return rows_xlsx(figure_rows(figures, with_cluster=with_cluster), title=title, freeze_header=True)
