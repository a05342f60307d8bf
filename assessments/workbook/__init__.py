"""The LKE as an Excel workbook: export an assessment, and import a filled workbook.

`export_workbook(assessment)` builds, from the rulebook, a sheet "LKE ZI" with the columns and
row structure of the official workbook (Lampiran III PermenPANRB 90/2021; every item sits on its
`workbook_row`), the unit's answers in column K, its notes in column O, and the workbook's own
kind of formulas in columns K (percentages), L (values and scores) and M (percent of weight), so
that it recalculates in Excel or LibreOffice. Where the official copy slips (see
../shared/domain/README.md) the export follows the portal: the LHKASN total is a SUM, the LHK
sub-area adds both halves, zero denominators follow decision 4, and an unanswered indicator
counts 0 (decision 2: a sub-area is SUM(values)/n x weight, where the official AVERAGE skips
blanks). Column A carries the item codes; sheet "Info" names the rulebook version; sheet "Bukti
Dukung" lists the evidence links the caller passes.

`read_workbook(file, version=...)` reads either that export (rows found by the codes in column
A) or the official template as units receive it (rows found by `workbook_row`, each checked
against the indicator's text and answer type), and returns the answers, the notes and every
error, each naming its cell. Nothing is written: `preview_import` lists the changes against the
stored answers, and `apply_import` writes them (all or nothing) through
`services.save_answers`, which checks the unit's right to fill, the state of the assessment and
concurrent edits.
"""

from assessments.workbook.export import export_filename, export_workbook
from assessments.workbook.importing import (
    ImportChange,
    ImportPreview,
    WorkbookImportRefused,
    apply_import,
    preview_import,
)
from assessments.workbook.layout import Layout, build_layout, layout_for, type_label
from assessments.workbook.reading import WorkbookError, WorkbookRead, read_workbook

__all__ = [
    "ImportChange",
    "ImportPreview",
    "Layout",
    "WorkbookError",
    "WorkbookImportRefused",
    "WorkbookRead",
    "apply_import",
    "build_layout",
    "export_filename",
    "export_workbook",
    "layout_for",
    "preview_import",
    "read_workbook",
    "type_label",
]
