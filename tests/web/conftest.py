"""A live service on a loopback port (uvicorn in a thread, its own SQLite file) and headless Debian chromium
driven by selenium through chromedriver. Without chromium the browser tests are skipped locally; in CI
(`CI` set, where .ci/run installs chromium) a missing browser fails them instead."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

KEY = "web-test-key"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


class LiveServer:
    def __init__(self, url: str, server, thread: threading.Thread):
        self.url, self.server, self.thread = url, server, thread

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"X-API-Key": KEY}, timeout=30)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    import uvicorn

    from api.service import Settings, create_app

    settings = Settings(
        data_dir=tmp_path_factory.mktemp("web-db"),
        api_keys=[KEY],
        max_concurrent=1,
        max_time_limit_s=60,
        poll_interval_s=0.1,
    )
    port = _free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_config=None, access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:  # bounded wait for the app to answer (not a sleep that races it)
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the service did not start within 30 s")
        time.sleep(0.05)
    yield LiveServer(url, server, thread)
    server.should_exit = True
    thread.join(timeout=20)


def _need_browser() -> None:
    if CHROMIUM and CHROMEDRIVER:
        return
    reason = "headless chromium/chromedriver not installed (apt-get install chromium chromium-driver)"
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def download_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(download_dir) -> Iterator:
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM  # type: ignore[assignment]
    args = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1600,1300")
    for arg in args:
        opts.add_argument(arg)
    opts.add_experimental_option(
        "prefs",
        {"download.default_directory": str(download_dir), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    yield driver
    driver.quit()
