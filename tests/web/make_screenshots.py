"""Screenshots of the planner page for docs/web.md: `python -m tests.web.make_screenshots [OUT_DIR]`.

Starts the service on a loopback port with a temporary database, drives headless chromium like the browser
tests, and saves PNGs of the main views (grid and explanation, an edit with its delta and who can cover, the
KPI plots, the tasks view, English labels)."""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx


def main(out: Path) -> None:
    import uvicorn
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from api.service import Settings, create_app
    from tests.web.conftest import CHROMEDRIVER, CHROMIUM, KEY, _free_port

    out.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=Path(tempfile.mkdtemp()), api_keys=[KEY], max_concurrent=1, poll_interval_s=0.1)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM  # type: ignore[assignment]
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1600,1250", "--hide-scrollbars"):
        opts.add_argument(arg)
    d = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)

    def wait(cond, timeout=240):
        return WebDriverWait(d, timeout, poll_frequency=0.2).until(lambda _: cond())

    def click(element):
        d.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", element)
        element.click()

    def job():
        return d.execute_script("return document.body.dataset.job || ''")

    def solve(seconds):
        before = job()
        limit = d.find_element(By.ID, "time-limit")
        limit.clear()
        limit.send_keys(str(seconds))
        d.find_element(By.ID, "solve-btn").click()
        wait(lambda: job() not in ("", before))

    try:
        d.get(url + "/")
        wait(lambda: d.execute_script("return document.body.dataset.ready") == "1")
        d.find_element(By.ID, "api-key").send_keys(KEY)
        d.find_element(By.ID, "key-save").click()
        d.find_element(By.ID, "demo-btn").click()
        wait(lambda: d.find_elements(By.CSS_SELECTOR, "#grid td.cell"))
        solve(30)
        cost = d.find_elements(By.CSS_SELECTOR, "#grid td.cell.cost")
        cost = cost or d.find_elements(By.CSS_SELECTOR, "#grid td.cell")
        click(cost[0])
        d.execute_script("window.scrollTo(0, 0)")
        d.save_screenshot(str(out / "grid.png"))
        click(d.find_element(By.CSS_SELECTOR, "#grid td.cell.k-day"))
        Select(d.find_element(By.ID, "edit-shift")).select_by_value("")
        before = job()
        d.find_element(By.ID, "edit-apply").click()
        wait(lambda: job() != before)
        date = d.execute_script("return document.querySelector('#grid td.sel').dataset.date")
        click(d.find_element(By.CSS_SELECTOR, f'tr.staffing[data-shift="D"] td[data-date="{date}"]'))
        Select(d.find_element(By.ID, "edit-shift")).select_by_value("D")
        d.find_element(By.ID, "recommend-btn").click()
        wait(lambda: d.find_elements(By.CSS_SELECTOR, "#recommendations tbody tr"))
        d.execute_script("window.scrollTo(0, 0)")
        d.save_screenshot(str(out / "edit.png"))
        d.execute_script("document.querySelector('.lower').scrollIntoView()")
        d.save_screenshot(str(out / "kpis.png"))
        d.execute_script("window.scrollTo(0, 0)")
        Select(d.find_element(By.ID, "demo-pick")).select_by_value("demo_tasks")
        d.find_element(By.ID, "demo-btn").click()
        wait(lambda: not job() and len(d.find_elements(By.CSS_SELECTOR, "#grid tbody tr[data-staff]")) == 37)
        solve(30)
        click(d.find_elements(By.CSS_SELECTOR, "#grid td.cell.k-day")[0])
        d.execute_script("document.querySelector('#tasks-panel').scrollIntoView()")
        d.save_screenshot(str(out / "tasks.png"))
        d.execute_script("window.scrollTo(0, 0)")
        Select(d.find_element(By.ID, "lang")).select_by_value("en")
        wait(lambda: d.find_element(By.ID, "solve-btn").text == "Make roster")
        d.save_screenshot(str(out / "english.png"))
    finally:
        d.quit()
        server.should_exit = True
        thread.join(timeout=20)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/web"))
