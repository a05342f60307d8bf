"""Reading a filled LKE workbook: our export (rows by the codes in column A) or the official
template as units receive it (rows by `workbook_row`, each checked against the indicator)."""

from __future__ import annotations

import difflib
import io
import os
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from assessments.engine import LkeRulebook, validate_answers
from assessments.engine.rulebook import JUMLAH
from assessments.models import RulebookVersion
from assessments.rulebooks import engine_rulebook
from assessments.services import COUNT_MAX, NOTE_MAX
from assessments.workbook.layout import (
    CODE_HEADER,
    HEADERS,
    INFO_SHEET,
    NOTE_HEADER,
    PART_COLS,
    SHEET,
    Layout,
    cell_refs,
    layout_for,
    type_label,
)

# Hidden sheets of the official template as units receive it (with stale sub-weights): ignored.
OFFICIAL_HIDDEN_SHEETS = frozenset({"Utama", "Ctt Eval"})
MAX_ROWS = 5000
MAX_ZIP_ENTRIES = 2000
UNPACKED_FACTOR = 5  # unpacked content may be this many times the upload limit
MAX_ENTRY_RATIO = 100  # compression ratio of one large entry (a real sheet is below 25)
_THOUSANDS = re.compile(r"\d{1,3}([.,]\d{3})+")
Grid = dict[str, tuple[Any, str]]  # cell ref -> (value, openpyxl data_type)


@dataclass(frozen=True, slots=True)
class WorkbookError:
    """`cell`: "K9", "Info!B4", or "" for the file as a whole. `message` is Indonesian."""

    cell: str
    message: str

    def __str__(self) -> str:
        return f"{self.cell}: {self.message}" if self.cell else self.message


@dataclass
class WorkbookRead:
    """What a workbook says. `answers`: code -> stored form ("A", "12", "3.60"; "" = blank, which
    clears the answer) for every answerable item whose cell was valid; `notes`: code -> note for
    the rows whose note column was read (our export: a blank cell clears the note; the official
    template, whose note column comes empty: only the filled cells); `cells`: code -> the answer
    cell. `origin`: what sheet "Info" of our export says about the assessment it was exported
    from ("unit", "unit_code", "year", "target", "assessment_id"; empty for the official
    template); `hidden_rows`: the rows of sheet "LKE ZI" hidden in the file."""

    answers: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    errors: list[WorkbookError] = field(default_factory=list)
    warnings: list[WorkbookError] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)
    source: str = ""  # "zi-portal" (our export) | "resmi" (the official template)
    filename: str = ""
    rulebook_version_id: int | None = None
    origin: dict[str, str] = field(default_factory=dict)
    hidden_rows: list[int] = field(default_factory=list)

    def error(self, cell: str, message: str) -> None:
        self.errors.append(WorkbookError(cell, message))

    def warn(self, cell: str, message: str) -> None:
        self.warnings.append(WorkbookError(cell, message))


class WorkbookRefused(Exception):
    """The file cannot be read at all (size, zip, layout); `error` names the cell if any."""

    def __init__(self, cell: str, message: str) -> None:
        self.error = WorkbookError(cell, message)
        super().__init__(str(self.error))


def _max_bytes() -> int:
    return settings.WORKBOOK_MAX_UPLOAD_MB * 1024 * 1024


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def _kb(size: int) -> str:
    return f"{size / 1024:.1f}".replace(".", ",")


def _int(number: int) -> str:
    """1.250 (Indonesian thousands separator)."""
    return f"{number:,}".replace(",", ".")


def _read_bytes(file: Any) -> tuple[bytes, str]:
    limit = _max_bytes()
    too_big = "Berkas terlalu besar ({size} MB); paling besar {limit} MB."
    if isinstance(file, bytes | bytearray):
        data, name = bytes(file), ""
    elif isinstance(file, str | os.PathLike):
        with open(file, "rb") as handle:
            data, name = handle.read(limit + 1), os.path.basename(file)
    else:
        name = os.path.basename(getattr(file, "name", "") or "")
        size = getattr(file, "size", None)
        if size is not None and size > limit:
            raise WorkbookRefused(
                "", too_big.format(size=_mb(size), limit=settings.WORKBOOK_MAX_UPLOAD_MB)
            )
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise WorkbookRefused(
            "",
            too_big.format(size=f"lebih dari {_mb(limit)}", limit=settings.WORKBOOK_MAX_UPLOAD_MB),
        )
    return data, name


def _check_zip(data: bytes) -> None:
    """Refuse what openpyxl should not open: not a zip, or a zip that unpacks far beyond
    its size (a zip bomb). The sizes are the declared ones, which zipfile enforces on read."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise WorkbookRefused(
            "",
            "Berkas berformat Excel lama (.xls) atau terkunci kata sandi. Simpan ulang sebagai "
            "Excel Workbook (.xlsx) tanpa kata sandi, lalu unggah lagi.",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise WorkbookRefused(
            "", "Berkas tidak dapat dibaca sebagai Excel (.xlsx): rusak atau bukan berkas xlsx."
        ) from None
    unpacked_limit = _max_bytes() * UNPACKED_FACTOR
    total = sum(e.file_size for e in entries)
    refused = "Berkas ditolak demi keamanan; simpan ulang berkas di Excel lalu unggah lagi."
    if len(entries) > MAX_ZIP_ENTRIES:
        raise WorkbookRefused(
            "",
            f"Isi berkas tidak wajar: berkas terdiri atas {_int(len(entries))} bagian, padahal "
            f"berkas LKE paling banyak {_int(MAX_ZIP_ENTRIES)} bagian. {refused}",
        )
    if total > unpacked_limit:
        raise WorkbookRefused(
            "",
            f"Isi berkas tidak wajar: setelah dibuka menjadi {_mb(total)} MB, padahal paling "
            f"besar {_mb(unpacked_limit)} MB. {refused}",
        )
    for e in entries:
        if e.file_size > 1024 * 1024 and e.file_size > MAX_ENTRY_RATIO * max(e.compress_size, 1):
            ratio = e.file_size // max(e.compress_size, 1)
            raise WorkbookRefused(
                "",
                f"Isi berkas tidak wajar: bagian {e.filename[:80]} membesar {_int(ratio)} kali "
                f"saat dibuka (dari {_kb(e.compress_size)} KB menjadi {_mb(e.file_size)} MB), "
                "padahal bagian berkas Excel biasa membesar kurang dari 25 kali. Pemadatan "
                "setinggi itu ciri berkas yang dibuat untuk membebani server (zip bomb). "
                f"{refused}",
            )


BROKEN = "Berkas Excel rusak dan tidak dapat dibaca"
RESAVE = "Buka berkas di Excel atau LibreOffice, simpan ulang sebagai .xlsx, lalu unggah lagi."


def _open(data: bytes) -> Workbook:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(
                io.BytesIO(data), read_only=True, data_only=False, keep_links=False
            )
    except Exception:  # openpyxl raises many kinds on broken content
        raise WorkbookRefused("", _broken_message(data)) from None


def _broken_message(data: bytes) -> str:
    part = _broken_part(data)
    return f"{BROKEN}: bagian {part} tidak utuh. {RESAVE}" if part else f"{BROKEN}. {RESAVE}"


def _broken_part(data: bytes) -> str:
    """The first XML part of the (size-checked) archive that does not parse, or ""."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        for info in archive.infolist():
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                with archive.open(info) as part:
                    for _event, element in iterparse(part):
                        element.clear()
            except Exception:
                return info.filename
    except Exception:
        return ""
    return ""


def _sheet_broken(name: str) -> WorkbookRefused:
    return WorkbookRefused("", f"{BROKEN}: lembar '{name}' tidak utuh. {RESAVE}")


def _grid(ws: ReadOnlyWorksheet) -> Grid:
    """Every non-empty cell of columns A..O: ref -> (value, data_type)."""
    grid: Grid = {}
    try:
        for row in ws.iter_rows(min_row=1, max_row=MAX_ROWS, max_col=15):
            for cell in row:
                if cell.value is None or not hasattr(cell, "coordinate"):
                    continue
                grid[cell.coordinate] = (cell.value, cell.data_type)
    except Exception:  # broken XML that openpyxl only meets while reading the rows
        raise _sheet_broken(ws.title) from None
    return grid


_ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"


def _hidden_rows(ws: ReadOnlyWorksheet) -> list[int]:
    """The rows hidden in the file (hidden, or of zero height); read-only worksheets do not
    keep row properties, so the sheet's XML is streamed once more for them."""
    hidden: list[int] = []
    number = 0
    try:
        with ws._get_source() as source:  # the worksheet part of the archive
            for _event, element in iterparse(source):
                if element.tag != _ROW_TAG:
                    continue
                attrs = dict(element.attrib)
                element.clear()
                number = int(float(attrs.get("r", number + 1)))
                if number > MAX_ROWS:
                    break
                if attrs.get("hidden") in ("1", "true") or _zero(attrs.get("ht")):
                    hidden.append(number)
    except Exception:
        raise _sheet_broken(ws.title) from None
    return hidden


def _zero(height: str | None) -> bool:
    try:
        return height is not None and float(height) == 0
    except ValueError:
        return False


def _plain(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value if value is not None else "")).strip()


def _label_key(value: Any) -> str:
    key = re.sub(r"\s+", "", str(value or "")).lower()
    # The official copy's J8 reads "Ya" where "Ya/Tidak" is meant (domain README).
    return {"ya": "ya/tidak"}.get(key, key)


def read_workbook(file: Any, *, version: RulebookVersion) -> WorkbookRead:
    """Read a filled workbook (our export or the official template) for an assessment on
    `version`. Never raises for bad input: every problem is in `errors`, naming its cell."""
    read = WorkbookRead(rulebook_version_id=version.pk)
    try:
        data, read.filename = _read_bytes(file)
        _check_zip(data)
        wb = _open(data)
    except WorkbookRefused as refused:
        read.errors.append(refused.error)
        return read
    except OSError as exc:
        read.error("", f"Berkas tidak dapat dibaca ({exc.strerror or exc}).")
        return read
    try:
        _read_open_workbook(wb, version, read)
    except WorkbookRefused as refused:
        read.errors.append(refused.error)
    except Exception:  # a broken part that openpyxl only meets while reading rows
        read.error("", _broken_message(data))
    finally:
        wb.close()
    return read


def _read_open_workbook(wb: Workbook, version: RulebookVersion, read: WorkbookRead) -> None:
    names = wb.sheetnames
    if SHEET not in names:
        raise WorkbookRefused(
            "",
            f"Lembar '{SHEET}' tidak ditemukan (lembar yang ada: {', '.join(names)}). Gunakan "
            "berkas unduhan LKE dari ZI Portal atau templat LKE resmi.",
        )
    ws = wb[SHEET]
    grid = _grid(ws)
    read.hidden_rows = _hidden_rows(ws)
    ours = _plain(grid.get("A2", ("", ""))[0]).lower() == CODE_HEADER.lower()
    allowed_hidden = set() if ours else OFFICIAL_HIDDEN_SHEETS
    hidden = [
        s.title
        for s in wb.worksheets
        if getattr(s, "sheet_state", "visible") != "visible" and s.title not in allowed_hidden
    ]
    hidden += [s.title for s in getattr(wb, "chartsheets", []) if s.sheet_state != "visible"]
    if hidden:
        raise WorkbookRefused(
            "",
            f"Berkas memuat lembar tersembunyi: {', '.join(hidden)}. Tampilkan (unhide) atau "
            "hapus lembar itu, lalu unggah lagi.",
        )
    for col, label in HEADERS.items():
        found = _plain(grid.get(f"{col}2", ("", ""))[0])
        if found.lower() != label.lower():
            raise WorkbookRefused(
                f"{col}2",
                f"kepala kolom seharusnya '{label}', berisi '{found or '(kosong)'}'. Susunan "
                f"lembar '{SHEET}' berbeda dari LKE resmi.",
            )
    rb = engine_rulebook(version)
    layout = layout_for(version)
    if ours:
        read.source = "zi-portal"
        _check_info(wb, rb, read)
        rows = _rows_by_code(grid, rb, read)
    else:
        read.source = "resmi"
        rows = _rows_official(grid, rb, layout, read)
    if rows is None:
        return
    notes = _plain(grid.get("O2", ("", ""))[0]).lower().startswith("catatan")
    if not notes:
        read.warn("O2", f"kolom O tanpa kepala '{NOTE_HEADER}': catatan tidak dibaca.")
    # The official template comes with an empty note column: a blank cell there keeps the saved
    # note (and a blank answer cell the saved answer). Our export writes the saved answers and
    # notes, so a blank cell is a deliberate clear.
    _read_values(grid, rb, rows, read, read_notes=notes, blank_note_clears=ours)
    if not ours and layout.official:
        _check_sums(grid, layout, read)


def _check_info(wb: Workbook, rb: LkeRulebook, read: WorkbookRead) -> None:
    if INFO_SHEET not in wb.sheetnames:
        raise WorkbookRefused(
            "",
            f"Lembar '{INFO_SHEET}' tidak ditemukan, sehingga versi buku aturan berkas ini tidak "
            "diketahui. Unduh lagi berkas LKE dari penilaian ini.",
        )
    info = {}
    try:
        for row in wb[INFO_SHEET].iter_rows(min_row=1, max_row=60, max_col=2):
            cells = [c for c in row if hasattr(c, "coordinate")]
            if len(cells) == 2 and cells[0].value is not None:
                info[_plain(cells[0].value).lower()] = (_plain(cells[1].value), cells[1].coordinate)
    except Exception:
        raise _sheet_broken(INFO_SHEET) from None
    for key, label in ORIGIN_LABELS.items():
        value = info.get(label, ("", ""))[0][:200]
        if value:
            read.origin[key] = value
    code, code_cell = info.get("kode buku aturan", ("", "B3"))
    number, number_cell = info.get("versi buku aturan", ("", "B4"))
    if (code, number) != (rb.code, rb.version):
        cell = code_cell if code != rb.code else number_cell
        raise WorkbookRefused(
            f"{INFO_SHEET}!{cell}",
            f"berkas ini untuk buku aturan {code or '(tidak diketahui)'} versi "
            f"{number or '(tidak diketahui)'}, sedangkan penilaian ini memakai {rb.code} versi "
            f"{rb.version}. Unduh berkas LKE dari penilaian ini lalu isi ulang.",
        )


# Sheet "Info" of our export (export._write_info): origin key -> label (lower case).
ORIGIN_LABELS = {
    "instansi": "instansi",
    "unit": "unit kerja",
    "unit_code": "kode unit kerja",
    "year": "tahun",
    "target": "target predikat",
    "assessment_id": "id penilaian",
}


def _answerable(rb: LkeRulebook) -> dict[str, str]:
    """code -> spec kind, for every row that holds an answer or a note (PERSEN: note only)."""
    return {code: spec.kind for code, spec in rb.plan.specs.items()}


def _structure_codes(rb: LkeRulebook) -> set[str]:
    codes = {rb.pengungkit_code, rb.hasil_code}
    for part in rb.parts:
        codes.add(part.code)
        for pa in part.areas:
            codes.add(pa.code)
            for sa in pa.sub_areas:
                codes.add(sa.code)
                codes.update(g.code for g in sa.groups)
    codes.update(c.code for c in rb.hasil_components)
    return codes


def _rows_by_code(grid: Grid, rb: LkeRulebook, read: WorkbookRead) -> dict[str, int] | None:
    known = _answerable(rb)
    structure = _structure_codes(rb)
    rows: dict[str, int] = {}
    for ref, (value, _type) in grid.items():
        if not ref.startswith("A") or not ref[1:].isdigit() or int(ref[1:]) < 4:
            continue
        code = _plain(value)
        if not code or code in structure:
            continue
        if code not in known:
            read.error(
                ref, f"kode '{code}' tidak dikenal dalam buku aturan {rb.code} versi {rb.version}."
            )
        elif code in rows:
            read.error(ref, f"kode {code} muncul dua kali (juga di A{rows[code]}).")
        else:
            rows[code] = int(ref[1:])
    missing = [c for c in known if c not in rows]
    for code in missing:
        read.error(
            "A", f"baris butir {code} tidak ditemukan di kolom A; baris butir tidak boleh dihapus."
        )
    return rows


def _rows_official(
    grid: Grid, rb: LkeRulebook, layout: Layout, read: WorkbookRead
) -> dict[str, int] | None:
    if not layout.official:
        raise WorkbookRefused(
            "",
            f"Buku aturan {rb.code} versi {rb.version} tidak memetakan baris LKE resmi; impor "
            "hanya dari berkas unduhan ZI Portal untuk penilaian ini.",
        )
    rows: dict[str, int] = {}
    mismatches = 0
    for code, r in layout.by_code.items():
        if r.kind not in ("indicator", "input", "hasil_indicator"):
            continue
        _label, text_col = PART_COLS[r.kind]
        type_ = JUMLAH if r.kind == "input" else r.obj.type
        want_label = type_label(rb, type_, getattr(r.obj, "scale_max", None))
        found_label = grid.get(f"J{r.row}", ("", ""))[0]
        found_text = grid.get(f"{text_col}{r.row}", ("", ""))[0]
        problem = None
        if _label_key(found_label) != _label_key(want_label):
            problem = (f"J{r.row}", f"jenis jawaban '{_plain(found_label) or '(kosong)'}'; "
                       f"butir {code} seharusnya '{want_label}'")  # fmt: skip
        elif not _same_text(r.obj.text, found_text):
            problem = (f"{text_col}{r.row}", f"berisi '{_plain(found_text)[:80] or '(kosong)'}'; "
                       f"seharusnya butir {code} '{r.obj.text[:80]}'")  # fmt: skip
        if problem:
            mismatches += 1
            read.error(problem[0], problem[1] + ". Susunan baris tidak sesuai LKE resmi.")
            if mismatches >= 5:
                read.error("", "Terlalu banyak baris yang tidak sesuai; pembacaan dihentikan.")
                return None
        rows[code] = r.row
    return rows if not mismatches else None


def _same_text(rule_text: str, found: Any) -> bool:
    """The official sheet often shortens the rulebook's text ("- Lainnya" for "Jumlah
    Lainnya"): its words within the rulebook's words, or nearly the same sentence."""
    ours = re.sub(r"[^a-z0-9]+", " ", rule_text.lower()).split()
    theirs = re.sub(r"[^a-z0-9]+", " ", str(found or "").lower()).split()
    if not theirs:
        return False
    if set(theirs) <= set(ours):
        return True
    return difflib.SequenceMatcher(None, " ".join(ours), " ".join(theirs)).ratio() >= 0.85


def _read_values(
    grid: Grid,
    rb: LkeRulebook,
    rows: dict[str, int],
    read: WorkbookRead,
    *,
    read_notes: bool,
    blank_note_clears: bool,
) -> None:
    kinds = _answerable(rb)
    raw: dict[str, Any] = {}
    for code, row in rows.items():
        ref = f"K{row}"
        value, data_type = grid.get(ref, (None, "n"))
        read.cells[code] = ref
        if read_notes:
            note, note_type = grid.get(f"O{row}", (None, "n"))
            if note_type == "f":
                read.error(f"O{row}", "catatan berisi rumus; tulis catatan sebagai teks biasa.")
            else:
                text = clean_note(note)
                if len(text) > NOTE_MAX:
                    read.error(
                        f"O{row}",
                        f"catatan terlalu panjang ({len(text)} huruf; paling banyak {NOTE_MAX}).",
                    )
                elif text or blank_note_clears:
                    read.notes[code] = text
        if kinds[code] == "persen":
            if value is not None and data_type != "f":
                read.warn(
                    ref,
                    f"persentase butir {code} dihitung dari jumlah di bawahnya; isian langsung diabaikan.",
                )
            continue
        problem = _cell_problem(value, data_type, kinds[code])
        if problem:
            read.error(ref, f"butir {code}: {problem}")
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            # Like the note column: in the official template a blank answer cell keeps the
            # saved answer (a unit may fill only part of it); in our export it clears it.
            if blank_note_clears:
                read.answers[code] = ""
            continue
        raw[code] = value
    answers, problems = validate_answers(rb, raw)
    for problem in problems:
        code, _sep, message = problem.partition(": ")
        read.error(read.cells.get(code, ""), f"butir {code}: {message}")
    for code, value in answers.items():
        if isinstance(value, int) and value > COUNT_MAX:
            read.error(
                read.cells[code], f"butir {code}: jumlah terlalu besar (paling banyak {COUNT_MAX})."
            )
            continue
        read.answers[code] = str(value)


def clean_note(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").strip()


def _cell_problem(value: Any, data_type: str, kind: str) -> str | None:
    if data_type == "f" or type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
        shown = value if isinstance(value, str) else getattr(value, "text", "") or "rumus"
        return f"berisi rumus ({str(shown)[:40]}); isi jawaban sebagai nilai, bukan rumus."
    if data_type == "e":
        return f"berisi nilai galat {value}; isi jawaban sebagai nilai."
    if isinstance(value, datetime | date | time):
        return "berisi tanggal/waktu; isi jawaban sebagai angka atau pilihan (format sel: General/Teks)."
    if isinstance(value, bool):
        return f"berisi nilai logika {'TRUE' if value else 'FALSE'}; isi jawaban sebagai angka atau pilihan."
    if kind == "count" and isinstance(value, str) and _THOUSANDS.fullmatch(value.strip()):
        return f"tulis jumlah tanpa titik atau koma pemisah ribuan, mis. 1250 (diisi '{value.strip()}')."
    return None


def _check_sums(grid: Grid, layout: Layout, read: WorkbookRead) -> None:
    """The official copy types the LHKASN total (K185) where a SUM is meant: the portal uses
    the sum of the detail rows, and says so when the typed total disagrees."""
    for r in layout.rows:
        if r.kind != "sum":
            continue
        value, data_type = grid.get(f"K{r.row}", (None, "n"))
        if data_type == "f" or not isinstance(value, int | float) or isinstance(value, bool):
            continue
        inputs = [i for i in r.extra["inputs"] if i.code in r.obj.formula.denominator]
        parts = [read.answers.get(i.code) for i in inputs]
        if all(p not in (None, "") for p in parts):
            total = sum(int(p) for p in parts)
            if total != value:
                shown = int(value) if float(value).is_integer() else value
                read.warn(
                    f"K{r.row}",
                    f"jumlah yang diketik ({shown}) berbeda dengan jumlah rinciannya "
                    f"{cell_refs(inputs, 'K')} ({total}); portal memakai jumlah rinciannya.",
                )
