"""xlsx, csv and ics exports of a known roster: labels, colours, hours, staffing, holidays, rule sheets, the
xlsx round trip (same score from `turnus check`), and the coded errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from api.export import ExportError, ExportOptions, export_roster, filename
from api.export.calendar import public_holidays
from api.export.grid import COLOURS, build_grid, demand_minimum
from api.export.xlsx import FIRST_DAY_COL, HEADER_ROWS, GridFormatError, read_roster
from models import Roster
from solver.checker import check


def xlsx(inst, roster, **kw):
    return load_workbook(io.BytesIO(export_roster(inst, roster, "xlsx", ExportOptions(**kw))))


def row_of(ws, staff: str) -> int:
    for r in range(HEADER_ROWS + 1, ws.max_row + 1):
        if ws.cell(r, 1).value == staff:
            return r
    raise AssertionError(staff)


def col_of(ws, day: dt.date) -> int:
    for c in range(FIRST_DAY_COL, ws.max_column + 1):
        v = ws.cell(3, c).value
        if isinstance(v, dt.datetime) and v.date() == day:
            return c
    raise AssertionError(day)


def test_holidays_of_may_2027():
    got = public_holidays(dt.date(2027, 5, 10), dt.date(2027, 5, 23))
    assert list(got) == [dt.date(2027, 5, 16), dt.date(2027, 5, 17)]
    assert "Grunnlovsdag" in got[dt.date(2027, 5, 17)]
    assert "Constitution Day" in public_holidays(dt.date(2027, 5, 17), dt.date(2027, 5, 17), "en")[dt.date(2027, 5, 17)]


def test_grid_model(inst, roster):
    grid = build_grid(inst, roster)
    s1 = next(r for r in grid.rows if r.staff == "s1")
    assert [c.text for c in s1.cells[2:5]] == ["Fe", "Fe", "Fe"] and s1.cells[2].kind == "ferie"
    s4 = next(r for r in grid.rows if r.staff == "s4")
    assert s4.cells[0].pinned and s4.cells[0].text == "D"
    assert s4.hours == pytest.approx(9 * 7.5)  # nine weekdays but 17 May
    # 100 % of 35.5 h/week over 14 days, no absence
    assert next(r for r in grid.rows if r.staff == "s1").target == pytest.approx(35.5 * 2 * 11 / 14)
    assert s4.target == pytest.approx(0.75 * 35.5 * 2)
    may17 = grid.dates.index(dt.date(2027, 5, 17))
    assert grid.staffing["D"][may17].assigned == 0 and grid.staffing["D"][may17].minimum == 2
    assert grid.staffing["D"][may17].missing == 2
    assert demand_minimum(inst, dt.date(2027, 5, 17), "D") == 2
    assert grid.absence_kinds == ["ferie", "sick", "course"]


def test_xlsx_grid_sheets(inst, roster):
    wb = xlsx(inst, roster)
    assert wb.sheetnames[:2] == ["Uke 1-2", "Poeng"]
    violated = [rs.rule for rs in roster.score.rules if rs.violations]
    assert violated and wb.sheetnames[2:] == violated
    ws = wb["Uke 1-2"]
    weekdays = [ws.cell(2, FIRST_DAY_COL + j).value for j in range(7)]
    assert weekdays == ["ma", "ti", "on", "to", "fr", "lø", "sø"]
    assert ws.cell(3, FIRST_DAY_COL).value.date() == dt.date(2027, 5, 10)
    # colours: shift kinds, absences, the holiday column and the unfilled staffing cell
    r4, r1, c10 = row_of(ws, "s4"), row_of(ws, "s1"), col_of(ws, dt.date(2027, 5, 10))
    assert ws.cell(r4, c10).value == "D" and ws.cell(r4, c10).fill.start_color.rgb.endswith(COLOURS["day"])
    assert ws.cell(r4, c10).comment.text == "låst"
    assert ws.cell(row_of(ws, "s7"), c10).fill.start_color.rgb.endswith(COLOURS["night"])
    c12 = col_of(ws, dt.date(2027, 5, 12))
    assert ws.cell(r1, c12).value == "Fe" and ws.cell(r1, c12).fill.start_color.rgb.endswith(COLOURS["ferie"])
    c17 = col_of(ws, dt.date(2027, 5, 17))
    assert "Grunnlovsdag" in ws.cell(3, c17).comment.text
    assert ws.cell(3, c17).fill.start_color.rgb.endswith(COLOURS["holiday"])
    staffing = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("bem")}
    assert set(staffing) == {"bemanning D", "bemanning A", "bemanning N"}
    gap = ws.cell(staffing["bemanning D"], c17)
    assert gap.value == "0/2" and gap.fill.start_color.rgb.endswith(COLOURS["unfilled"])
    ok = ws.cell(staffing["bemanning D"], c10)
    assert ok.value == "2/2" and ok.fill.fill_type is None
    # hours per person against target (period), deviation
    last = FIRST_DAY_COL + 13
    assert [ws.cell(2, last + k).value for k in (2, 3, 4)] == ["timer", "mål", "avvik"]
    assert ws.cell(r4, last + 2).value == pytest.approx(67.5)
    assert ws.cell(r4, last + 3).value == pytest.approx(53.25)
    assert ws.cell(r4, last + 4).value == pytest.approx(14.25)
    legend = [ws.cell(r, 2).value for r in range(1, ws.max_row + 1)]
    assert any(v and v.startswith("Dagvakt 07:30–15:00") for v in legend)
    assert {"ferie", "sykefravær", "kurs", "helg", "helligdag", "ubemannet (under minimum)", "låst"} <= set(legend)


def test_xlsx_rule_sheets_and_score(inst, roster):
    wb = xlsx(inst, roster)
    for rs in roster.score.rules:
        if rs.violations:
            ws = wb[rs.rule]
            assert ws.max_row - 1 == rs.violations
            assert sum(ws.cell(r, 4).value for r in range(2, ws.max_row + 1)) == rs.penalty
    score = wb["Poeng"]
    assert score.cell(score.max_row, 4).value == roster.score.total


def test_xlsx_blocks_and_english(inst, roster):
    wb = xlsx(inst, roster, block_weeks=1, lang="en")
    assert wb.sheetnames[:3] == ["Week 1", "Week 2", "Score"]
    assert wb["Week 2"].cell(2, FIRST_DAY_COL).value == "Mo"
    assert wb["Week 2"].cell(3, FIRST_DAY_COL).value.date() == dt.date(2027, 5, 17)


def test_xlsx_round_trip_same_score(inst, roster):
    data = export_roster(inst, roster, "xlsx")
    back = read_roster(io.BytesIO(data), inst)
    key = sorted((a.staff, a.date, a.shift, a.pinned) for a in roster.assignments)
    assert sorted((a.staff, a.date, a.shift, a.pinned) for a in back.assignments) == key
    assert check(inst, back).score == roster.score


def test_xlsx_planner_edit_reads_back(inst, roster):
    """A planner types a shift into an empty cell in Excel: the roster read back has it, and scores as such."""
    wb = xlsx(inst, roster)
    ws = wb["Uke 1-2"]
    ws.cell(row_of(ws, "s8"), col_of(ws, dt.date(2027, 5, 17))).value = "D"
    buf = io.BytesIO()
    wb.save(buf)
    back = read_roster(io.BytesIO(buf.getvalue()), inst)
    assert ("s8", dt.date(2027, 5, 17), "D") in {(a.staff, a.date, a.shift) for a in back.assignments}
    assert check(inst, back).score.unfilled == roster.score.unfilled - 10_000
    ws.cell(row_of(ws, "s8"), col_of(ws, dt.date(2027, 5, 18))).value = "X"
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(GridFormatError) as err:
        read_roster(io.BytesIO(buf.getvalue()), inst)
    assert err.value.code == "unknown_shift" and err.value.loc.startswith("Uke 1-2!")


def test_xlsx_bad_workbooks(inst):
    with pytest.raises(GridFormatError) as err:
        read_roster(io.BytesIO(b"not a zip"), inst)
    assert err.value.code == "malformed_xlsx"
    from openpyxl import Workbook

    buf = io.BytesIO()
    Workbook().save(buf)
    with pytest.raises(GridFormatError) as err:
        read_roster(io.BytesIO(buf.getvalue()), inst)
    assert err.value.code == "no_grid"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_xlsx_opens_in_libreoffice(inst, roster, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(export_roster(inst, roster, "xlsx"))
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "roster.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr[-500:]
    assert pdf.read_bytes().startswith(b"%PDF")


def test_csv_for_norwegian_excel(inst, roster):
    data = export_roster(inst, roster, "csv")
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    head = rows[0]
    assert (
        head[:4] == ["ansatt", "navn", "gruppe", "stilling %"]
        and head[4] == "ma 10.05"
        and head[-3:] == ["timer", "mål", "avvik"]
    )
    s4 = next(r for r in rows if r[0] == "s4")
    assert s4[4] == "D" and s4[-3:] == ["67,5", "53,25", "14,25"]
    s1 = next(r for r in rows if r[0] == "s1")
    assert s1[6:9] == ["Fe", "Fe", "Fe"]
    staffing = next(r for r in rows if r[0] == "bemanning D")
    assert staffing[4 + 7] == "0/2 !" and staffing[4] == "2/2"
    holiday = next(r for r in rows if r[0] == "helligdag")
    assert "Grunnlovsdag" in holiday[4 + 7]
    assert all(len(r) in (len(head), len(head) - 3) for r in rows)


def test_csv_decimal_point_and_shift_rows(inst, roster):
    data = export_roster(inst, roster, "csv", ExportOptions(decimal_comma=False, layout="shifts", lang="en"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=","))
    assert rows[0] == ["staff", "name", "date", "weekday", "shift", "start", "end", "hours", "pinned"]
    assert len(rows) == 1 + len(roster.assignments)
    first = next(r for r in rows if r[0] == "s4")
    assert first == ["s4", "Person 4", "2027-05-10", "Mo", "D", "07:30", "15:00", "7.5", "1"]


def test_ics_one_person(inst, roster):
    cal = Calendar.from_ical(export_roster(inst, roster, "ics", ExportOptions(staff="s7")))
    events = list(cal.walk("VEVENT"))
    nights = [e for e in events if str(e["SUMMARY"]).startswith("N")]
    assert len(nights) == sum(1 for a in roster.assignments if a.staff == "s7")
    first = min(nights, key=lambda e: e["DTSTART"].dt)
    assert first["DTSTART"].dt == dt.datetime(2027, 5, 10, 22, 0, tzinfo=first["DTSTART"].dt.tzinfo)
    assert str(first["DTSTART"].dt.tzinfo) == "Europe/Oslo" and first["DTSTART"].dt.utcoffset() == dt.timedelta(hours=2)
    assert first["DTEND"].dt.date() == dt.date(2027, 5, 11)
    assert [c["TZID"] for c in cal.walk("VTIMEZONE")] == ["Europe/Oslo"]
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_ics_everyone_with_absences(inst, roster):
    cal = Calendar.from_ical(export_roster(inst, roster, "ics"))
    events = list(cal.walk("VEVENT"))
    shifts = [e for e in events if e.get("TRANSP") == "OPAQUE"]
    assert len(shifts) == len(roster.assignments)
    assert {str(e["SUMMARY"]).split(":")[0] for e in shifts} == {"s4", "s5", "s6", "s7"}
    ferie = next(e for e in events if str(e["SUMMARY"]) == "s1: ferie")
    assert ferie["DTSTART"].dt == dt.date(2027, 5, 12) and ferie["DTEND"].dt == dt.date(2027, 5, 15)


def test_export_errors_and_names(inst, roster):
    with pytest.raises(ExportError) as err:
        export_roster(inst, roster, "pdf")
    assert err.value.code == "unknown_format"
    with pytest.raises(ExportError) as err:
        export_roster(inst, roster, "ics", ExportOptions(staff="nobody"))
    assert err.value.code == "unknown_staff"
    with pytest.raises(ExportError) as err:
        export_roster(inst, roster, "xlsx", ExportOptions(block_weeks=0))
    assert err.value.code == "out_of_range"
    assert filename(inst, "xlsx") == "mai-unit.xlsx" and filename(inst, "ics", "s/1") == "mai-unit-s-1.ics"


def test_export_rechecks_a_roster_without_score(inst, roster):
    """A hand-made roster (assignments only) gets the checker's rule sheets, not empty ones."""
    bare = Roster(instance_id=inst.id, assignments=roster.assignments)
    wb = load_workbook(io.BytesIO(export_roster(inst, bare, "xlsx")))
    assert wb["Poeng"].cell(wb["Poeng"].max_row, 4).value == roster.score.total
