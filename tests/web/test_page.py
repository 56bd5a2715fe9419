"""The planner page in headless chromium against a live service: load the demo, solve, see the grid with its
legend, explain a cell, edit and see the re-score delta, pin, ask who can cover, re-plan, export xlsx and read it
back; an uploaded unit over 17 May shows the holiday and the unfilled marks; /docs renders without a CDN."""

from __future__ import annotations

import io
import json
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from export.conftest import may_unit as base_may_unit  # tests/export: the same small unit over 17 May
from openpyxl import load_workbook
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from api.export.grid import build_grid
from api.export.xlsx import read_roster
from models import Roster, validate_instance
from solver.checker import check

from .conftest import KEY

DEMO = Path(__file__).resolve().parents[2] / "models" / "data" / "demo.json"
FINAL = ("COMPLETED", "STOPPED")


def css(driver, sel):
    return driver.find_elements(By.CSS_SELECTOR, sel)


def wait(driver, cond, timeout=30):
    """Poll `cond` (bounded); on a timeout the page's error line is in the message."""
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: cond(d))
    except TimeoutException:
        box = css(driver, "#error")
        pytest.fail(f"timed out after {timeout} s; page error: {box[0].text if box else '?'!r}")


def open_page(driver, url):
    driver.get(url + "/")
    wait(driver, lambda d: d.execute_script("return document.body.dataset.ready") == "1")
    driver.execute_script("sessionStorage.clear()")
    driver.get(url + "/")
    wait(driver, lambda d: d.execute_script("return document.body.dataset.ready") == "1")
    driver.find_element(By.ID, "api-key").send_keys(KEY)
    driver.find_element(By.ID, "key-save").click()
    wait(driver, lambda d: d.find_element(By.ID, "key-state").text != "")


def click(driver, element) -> None:
    """Scroll a grid cell to the middle first: the sticky staff column may cover it after a horizontal scroll."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", element)
    element.click()


def no_error(driver):
    box = driver.find_element(By.ID, "error")
    assert not box.is_displayed(), box.text


def total(driver) -> int:
    return int(driver.find_element(By.ID, "score-summary").get_attribute("data-total"))


def job(driver) -> str:
    return driver.execute_script("return document.body.dataset.job || ''")


def solve(driver, seconds: int, timeout: float = 180) -> None:
    before = job(driver)
    limit = driver.find_element(By.ID, "time-limit")
    limit.clear()
    limit.send_keys(str(seconds))
    driver.find_element(By.ID, "solve-btn").click()
    wait(
        driver,
        lambda d: (
            d.find_element(By.ID, "status").get_attribute("data-state") in FINAL + ("FAILED",)
            and job(d) not in ("", before)
        ),
        timeout,
    )
    no_error(driver)


def rescored(driver, before_job: str) -> None:
    wait(driver, lambda d: job(d) != before_job and d.find_element(By.ID, "score-delta").text != "")
    no_error(driver)


def test_docs_offline(live_server, browser):
    """Swagger UI and ReDoc load their assets from this server only (the machine has no internet)."""
    browser.get(live_server.url + "/docs")
    wait(browser, lambda d: css(d, ".swagger-ui .info .title"))
    assert "turnus" in css(browser, ".swagger-ui .info .title")[0].text
    urls = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert urls and all(u.startswith(live_server.url) for u in urls), urls
    browser.get(live_server.url + "/redoc")
    wait(browser, lambda d: css(d, ".api-info h1, [role=navigation]"), timeout=60)


def test_planner_flow(live_server, browser, download_dir):
    open_page(browser, live_server.url)
    inst, _ = validate_instance(json.loads(DEMO.read_text(encoding="utf-8")))
    browser.find_element(By.ID, "demo-btn").click()
    wait(browser, lambda d: len(css(d, "#grid td.cell")) == 35 * 42)
    assert "35" in browser.find_element(By.ID, "unit-info").text
    solve(browser, 8)  # 1 thread; on a loaded machine construction alone may take most of it
    first_total = total(browser)
    with live_server.client() as api:
        analysis = api.get(f"/v1/rosters/{job(browser)}/analysis").json()
    assert first_total == analysis["score"]["total"]

    # the grid: shift cells coloured by kind, demo ferie as an absence (not a day off), weekends, a legend
    assert css(browser, "#grid td.k-day") and css(browser, "#grid td.k-night")
    ferie = css(browser, "#grid td.k-ferie")
    assert ferie and {c.text for c in ferie} == {"Fe"}
    assert css(browser, "#grid th.we")
    legend = browser.find_element(By.ID, "legend").text
    for word in ("Dagvakt", "Nattvakt", "ferie", "helg", "helligdag", "ubemannet", "låst"):
        assert word in legend
    staffing = css(browser, "#grid tr.staffing")
    assert {r.get_attribute("data-shift") for r in staffing} >= {"D", "A", "N"}
    unfilled_cells = {(c.get_attribute("data-shift"), c.get_attribute("data-date")) for c in css(browser, ".unfilled")}
    assert unfilled_cells == {(u["shift"], u["date"]) for u in analysis["unfilled"]}
    costing = [r for r in analysis["rules"] if r["violations"] or r["penalty"]]
    assert len(css(browser, "#rules-table tbody tr")) == len(costing)

    # explain: a cell named by a justification shows that rule (a dated one on its date; a REQUIRED one of the
    # whole period, such as contract hours, on every cell of the person); a person shows every rule costing there
    costing_j = [(r["rule"], r["level"], j) for r in analysis["rules"] for j in r["justifications"] if j["staff"]]
    assert costing_j
    dated = [x for x in costing_j if x[2]["dates"] or x[1] == "REQUIRED"]
    if dated:
        rule, _, j = dated[0]
        day = j["dates"][0] if j["dates"] else inst.period.start.isoformat()
        where = f'#grid td.cell[data-staff="{j["staff"]}"][data-date="{day}"]'
        click(browser, browser.find_element(By.CSS_SELECTOR, where))
        wait(browser, lambda d: rule in d.find_element(By.ID, "explain").text)
    rule, _, j = (dated or costing_j)[0]
    click(browser, browser.find_element(By.CSS_SELECTOR, f'#grid tr[data-staff="{j["staff"]}"] td.who'))
    wait(browser, lambda d: j["staff"] in d.find_element(By.ID, "explain").text)
    assert rule in browser.find_element(By.ID, "explain").text

    # edit: remove a shift; the page re-scores through the API and shows the delta
    cell = css(browser, "#grid td.cell.k-day")[3]
    staff, date = cell.get_attribute("data-staff"), cell.get_attribute("data-date")
    click(browser, cell)
    wait(browser, lambda d: d.find_element(By.ID, "edit").is_displayed())
    Select(browser.find_element(By.ID, "edit-shift")).select_by_value("")
    before_job, before_total = job(browser), total(browser)
    browser.find_element(By.ID, "edit-apply").click()
    rescored(browser, before_job)
    after_total = total(browser)
    delta = int(browser.find_element(By.ID, "score-delta").get_attribute("data-delta"))
    assert delta == after_total - before_total
    assert browser.find_element(By.CSS_SELECTOR, f'td.cell[data-staff="{staff}"][data-date="{date}"]').text == ""
    with live_server.client() as api:
        roster = api.get(f"/v1/rosters/{job(browser)}").json()["roster"]
    assert not any(a["staff"] == staff and a["date"] == date for a in roster["assignments"])
    assert check(inst, roster_of(roster)).score.total == after_total

    # move a shift to another person on the same date (who is off that day)
    src = next(c for c in css(browser, "#grid td.cell.k-evening") if not c.get_attribute("class").count("pinned"))
    src_staff, move_date = src.get_attribute("data-staff"), src.get_attribute("data-date")
    free = next(
        c
        for c in css(browser, f'#grid td.cell[data-date="{move_date}"]')
        if c.text == "" and c.get_attribute("data-staff") != src_staff
    )
    dst_staff = free.get_attribute("data-staff")
    click(browser, src)
    browser.find_element(By.ID, "edit-move").click()
    wait(browser, lambda d: d.find_element(By.ID, "move-hint").is_displayed())
    before_job = job(browser)
    click(browser, free)
    rescored(browser, before_job)
    cell_at = 'td.cell[data-staff="{}"][data-date="{}"]'
    assert browser.find_element(By.CSS_SELECTOR, cell_at.format(src_staff, move_date)).text == ""
    assert browser.find_element(By.CSS_SELECTOR, cell_at.format(dst_staff, move_date)).text == "A"

    # pin a shift: the cell is marked and the pin goes to the API with the next score
    cell = css(browser, "#grid td.cell.k-evening")[0]
    pin_staff, pin_date = cell.get_attribute("data-staff"), cell.get_attribute("data-date")
    click(browser, cell)
    before_job = job(browser)
    browser.find_element(By.ID, "edit-pin").click()
    rescored(browser, before_job)
    assert "pinned" in browser.find_element(
        By.CSS_SELECTOR, f'td.cell[data-staff="{pin_staff}"][data-date="{pin_date}"]'
    ).get_attribute("class")

    # mark a sick day on a worked day: the shift goes, the cell shows the absence, the unit gets the absence
    sick = next(c for c in css(browser, "#grid td.cell.k-night") if "pinned" not in c.get_attribute("class"))
    sick_staff, sick_date = sick.get_attribute("data-staff"), sick.get_attribute("data-date")
    click(browser, sick)
    before_job = job(browser)
    browser.find_element(By.ID, "edit-sick").click()
    rescored(browser, before_job)
    after = browser.find_element(By.CSS_SELECTOR, f'td.cell[data-staff="{sick_staff}"][data-date="{sick_date}"]')
    assert after.text == "Sy" and "k-sick" in after.get_attribute("class")
    unit = json.loads(DEMO.read_text(encoding="utf-8"))  # the unit as the page now scores it: with the sick day
    person = next(p for p in unit["staff"] if p["id"] == sick_staff)
    person.setdefault("absences", []).append({"start_date": sick_date, "end_date": sick_date, "kind": "sick"})
    inst, _ = validate_instance(unit)

    # who can cover the shift just removed: ranked with cost; take the first
    click(browser, browser.find_element(By.CSS_SELECTOR, f'tr.staffing[data-shift="D"] td[data-date="{date}"]'))
    wait(browser, lambda d: d.find_element(By.ID, "edit").is_displayed())
    Select(browser.find_element(By.ID, "edit-shift")).select_by_value("D")
    browser.find_element(By.ID, "recommend-btn").click()
    wait(browser, lambda d: css(d, "#recommendations tbody tr button.take"))
    first = css(browser, "#recommendations tbody tr")[0]
    taker = first.get_attribute("data-staff")
    before_job = job(browser)
    first.find_element(By.CSS_SELECTOR, "button.take").click()
    rescored(browser, before_job)
    assert browser.find_element(By.CSS_SELECTOR, f'td.cell[data-staff="{taker}"][data-date="{date}"]').text == "D"

    # export the shown roster as xlsx through the page; read it back: same score as the page shows
    shown = total(browser)
    for old in download_dir.glob("*.xlsx"):
        old.unlink()
    browser.find_element(By.ID, "export-xlsx").click()
    files = wait_for_file(download_dir, "*.xlsx")
    wb = load_workbook(io.BytesIO(files.read_bytes()))
    assert wb.sheetnames[:3] == ["Uke 1-2", "Uke 3-4", "Uke 5-6"] and "Poeng" in wb.sheetnames
    back = read_roster(io.BytesIO(files.read_bytes()), inst)
    assert check(inst, back).score.total == shown
    assert any(a.pinned and a.staff == pin_staff and a.date.isoformat() == pin_date for a in back.assignments)

    # re-plan with the fewest changes from the edited roster
    limit = browser.find_element(By.ID, "time-limit")
    limit.clear()
    limit.send_keys("4")
    before_job = job(browser)
    browser.find_element(By.ID, "replan-btn").click()
    wait(
        browser,
        lambda d: job(d) != before_job and d.find_element(By.ID, "status").get_attribute("data-state") in FINAL,
        180,
    )
    no_error(browser)
    with live_server.client() as api:
        replanned = api.get(f"/v1/rosters/{job(browser)}?include_roster=false").json()
    assert replanned["operation"] == "replan" and replanned["parent_id"] == before_job


def roster_of(data: dict) -> Roster:
    return Roster.model_validate(data)


def wait_for_file(folder: Path, pattern: str, timeout: float = 30) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.glob(pattern) if p.stat().st_size > 0]
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.1)
    pytest.fail(f"no {pattern} downloaded to {folder} within {timeout} s")


def may_unit() -> dict:
    """The export tests' unit over 17 May 2027 (8 staff, ferie, course and sick days) with a demand of 12 more on
    the day shift of 17 May that 8 people can never meet: an unfilled slot whatever the solver does."""
    unit = base_may_unit()
    unit["demand"].append({"shift": "D", "dates": ["2027-05-17"], "slots": [{"id": "17mai", "min": 12}]})
    return unit


def test_holiday_unfilled_and_language(live_server, browser, tmp_path):
    open_page(browser, live_server.url)
    unit = tmp_path / "mai.json"
    unit.write_text(json.dumps(may_unit()), encoding="utf-8")
    browser.find_element(By.ID, "upload").send_keys(str(unit))
    wait(browser, lambda d: len(css(d, "#grid td.cell")) == 8 * 14)
    holiday = browser.find_element(By.CSS_SELECTOR, '#grid th.hol[data-date="2027-05-17"]')
    assert "Grunnlovsdag" in holiday.get_attribute("title")
    marked = {h.get_attribute("data-date") for h in css(browser, "#grid th.hol[data-date]")}
    assert marked == {"2027-05-16", "2027-05-17"}
    assert [c.text for c in css(browser, '#grid tr[data-staff="s1"] td.k-ferie')] == ["Fe"] * 3
    assert [c.text for c in css(browser, '#grid tr[data-staff="s2"] td.k-course')] == ["Ku"]
    assert [c.get_attribute("data-date") for c in css(browser, '#grid tr[data-staff="s3"] td.k-sick')] == ["2027-05-20"]
    solve(browser, 3)
    gap = browser.find_element(By.CSS_SELECTOR, 'tr.staffing[data-shift="D"] td[data-date="2027-05-17"]')
    assert "unfilled" in gap.get_attribute("class")
    assert gap.text.endswith("/14")  # 2 every day + 12 on 17 May: demand entries add up
    click(browser, gap)
    wait(browser, lambda d: "17mai" in d.find_element(By.ID, "explain").text)
    # the page's hours, targets and staffing (computed in the browser) are the exports' (api/export/grid.py)
    with live_server.client() as api:
        shown = Roster.model_validate(api.get(f"/v1/rosters/{job(browser)}").json()["roster"])
    grid = build_grid(validate_instance(may_unit())[0], shown)

    def one(x: float) -> str:  # nb-NO with one decimal, half away from zero (as the browser and Excel round)
        return str(Decimal(str(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)).replace(".", ",")

    for row in grid.rows:
        cell = browser.find_element(By.CSS_SELECTOR, f'#grid tr[data-staff="{row.staff}"] td.hours')
        assert cell.text == f"{one(row.hours)}/{one(row.target)}"
    for code, per_day in grid.staffing.items():
        texts = [c.text for c in css(browser, f'#grid tr.staffing[data-shift="{code}"] td[data-date]')]
        assert texts == [f"{s.assigned}/{s.minimum}" for s in per_day]
    # English labels on request; the choice is kept for the session
    Select(browser.find_element(By.ID, "lang")).select_by_value("en")
    wait(browser, lambda d: d.find_element(By.ID, "solve-btn").text == "Make roster")
    weekdays = [th.text for th in css(browser, "#grid thead tr:nth-child(2) th")][3:10]
    assert weekdays == ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
    assert "Constitution Day" in browser.find_element(
        By.CSS_SELECTOR, '#grid th.hol[data-date="2027-05-17"]'
    ).get_attribute("title")
    assert "public holiday" in browser.find_element(By.ID, "legend").text
    browser.refresh()
    wait(browser, lambda d: d.execute_script("return document.body.dataset.ready") == "1")
    assert browser.find_element(By.ID, "solve-btn").text == "Make roster"
    Select(browser.find_element(By.ID, "lang")).select_by_value("nb")
    # a scenario report opens in the page, sandboxed
    report = tmp_path / "report.html"
    report.write_text("<html><body><h1>Scenario: helg hver 3. uke</h1></body></html>", encoding="utf-8")
    browser.find_element(By.ID, "scenario-file").send_keys(str(report))
    frame = browser.find_element(By.ID, "scenario-frame")
    wait(browser, lambda d: frame.is_displayed())
    assert frame.get_attribute("sandbox") == ""
    browser.switch_to.frame(frame)
    assert "helg hver 3. uke" in browser.find_element(By.TAG_NAME, "h1").text
    browser.switch_to.default_content()


def test_stop_keeps_best_roster(live_server, browser):
    """Stop a long solve once it reports progress: the job ends STOPPED and its best roster is shown."""
    open_page(browser, live_server.url)
    browser.find_element(By.ID, "demo-btn").click()
    wait(browser, lambda d: len(css(d, "#grid td.cell")) == 35 * 42)
    limit = browser.find_element(By.ID, "time-limit")
    limit.clear()
    limit.send_keys("60")
    browser.find_element(By.ID, "solve-btn").click()
    wait(browser, lambda d: d.find_element(By.ID, "progress-text").text != "", 120)
    browser.find_element(By.ID, "stop-btn").click()
    wait(browser, lambda d: d.find_element(By.ID, "status").get_attribute("data-state") == "STOPPED" and job(d), 60)
    no_error(browser)
    with live_server.client() as api:
        stopped = api.get(f"/v1/rosters/{job(browser)}?include_roster=false").json()
    assert stopped["status"] == "STOPPED"
    assert int(browser.find_element(By.ID, "score-summary").get_attribute("data-total")) == stopped["score"]["total"]
