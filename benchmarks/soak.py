"""Soak benchmark of the HTTP service on loopback (not a test; issue 18).

    python -m benchmarks.soak [--minutes 30] [--restart-every 60] [--seed 0] [--db-url URL]

Starts `python -m api.server` on a free loopback port (temporary SQLite database unless --db-url) and, for
`--minutes`, keeps a bounded mix going from one client thread: solve submits (time limits 1-3 s), scores of a
manual roster, stops of random live jobs, status polls and list pages. Every `--restart-every` seconds the
server is killed with SIGKILL (no shutdown: leases expire, workers notice their parent is gone) and started
again on the same database. At the end it waits for every accepted job to reach a final status and checks:

* no job lost: every id that got 201/202 is still there and final (COMPLETED, STOPPED or FAILED);
* nothing stuck: no job left QUEUED or SOLVING;
* no 5xx other than 503 while the server was starting (connection errors during a restart are counted apart);
* memory flat: the server's resident set size (VmRSS) sampled every 5 s, per server life and over the run;
* no leftover solve processes from killed servers.

Prints a Markdown summary with `uptime` before and after.
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from api.service.schemas import EXAMPLE_INSTANCE
from benchmarks.report import markdown, uptime

KEY = "soak-key"
FINAL = {"COMPLETED", "STOPPED", "FAILED"}
ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _group_members(pgid: int) -> list[int]:
    """Live processes in process group `pgid` (the server and its solve processes)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":  # state, ppid, pgrp
            out.append(int(entry.name))
    return out


@dataclass
class Life:
    """One server process from start to SIGKILL."""

    pid: int
    started: float
    rss_kb: list[tuple[float, int]] = field(default_factory=list)


class Server:
    def __init__(self, data_dir: Path, db_url: str | None):
        self.data_dir, self.port = data_dir, _free_port()
        self.env = {
            **os.environ,
            "TURNUS_DATA_DIR": str(data_dir),
            "TURNUS_API_KEYS": KEY,
            "TURNUS_LEASE_S": "3",
            "TURNUS_MAX_CONCURRENT": "1",
            "TURNUS_QUEUE_SIZE": "8",
            "TURNUS_MAX_TIME_LIMIT_S": "5",
            "TURNUS_KILL_GRACE_S": "5",
            "PYTHONUNBUFFERED": "1",
            **({"TURNUS_DB_URL": db_url} if db_url else {}),
        }
        self.proc: subprocess.Popen | None = None
        self.lives: list[Life] = []
        self.log = open(data_dir / "server.log", "ab")  # noqa: SIM115 - open for the whole run

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> float:
        """Start and wait until /readyz answers; returns the seconds it took."""
        t0 = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "api.server", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: solve processes are found by it
        )
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode} (see {self.data_dir}/server.log)")
            try:
                if httpx.get(self.url + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.lives.append(Life(self.proc.pid, time.monotonic()))
        return time.monotonic() - t0

    def sample(self) -> None:
        if self.proc is not None and self.lives:
            rss = _rss_kb(self.proc.pid)
            if rss is not None:
                self.lives[-1].rss_kb.append((time.monotonic() - self.lives[-1].started, rss))

    def kill9(self) -> int:
        """SIGKILL the server process only (a crash); returns its process group id."""
        assert self.proc is not None
        pgid = self.proc.pid
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        return pgid

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)


def _manual_roster() -> list[dict[str, str]]:
    out = []
    for day in range(4, 11):
        date = f"2027-01-{day:02d}"
        out += [{"staff": "s1", "date": date, "shift": "D"}, {"staff": "s3", "date": date, "shift": "A"}]
    return out


def run(minutes: float, restart_every: float, seed: int, db_url: str | None) -> str:
    rng = random.Random(seed)
    before = uptime()
    tmp = Path(tempfile.mkdtemp(prefix="turnus-soak-"))
    server = Server(tmp, db_url)
    server.start()
    client = httpx.Client(headers={"X-API-Key": KEY}, timeout=30)
    accepted: dict[str, str] = {}  # id -> operation
    live: list[str] = []
    answers: Counter[str] = Counter()
    conn_errors = 0
    server_errors: list[str] = []
    restarts, restart_s, orphans = 0, [], 0
    t_end = time.monotonic() + minutes * 60
    next_restart = time.monotonic() + restart_every
    next_sample = 0.0
    scored = {**copy.deepcopy(EXAMPLE_INSTANCE), "assignments": _manual_roster()}

    while time.monotonic() < t_end:
        now = time.monotonic()
        if now >= next_sample:
            server.sample()
            next_sample = now + 5
        if now >= next_restart:
            pgid = server.kill9()
            restarts += 1
            restart_s.append(server.start())
            time.sleep(2)  # workers of the dead server notice within a second
            orphans += len([p for p in _group_members(pgid)])
            next_restart = time.monotonic() + restart_every
            continue
        roll = rng.random()
        try:
            if roll < 0.35:
                limit = rng.choice([1, 2, 3])
                body = {"config": {"run": {"time_limit_s": limit, "workers": 1}}, "input": EXAMPLE_INSTANCE}
                r = client.post(server.url + "/v1/rosters", json=body)
                if r.status_code == 202:
                    accepted[r.json()["id"]] = "solve"
                    live.append(r.json()["id"])
            elif roll < 0.60:
                r = client.post(server.url + "/v1/rosters?operation=score", json={"input": scored})
                if r.status_code == 201:
                    accepted[r.json()["id"]] = "score"
            elif roll < 0.70 and live:
                job_id = live.pop(rng.randrange(len(live)))
                r = client.delete(f"{server.url}/v1/rosters/{job_id}")
            elif roll < 0.90 and accepted:
                job_id = rng.choice(list(accepted))
                r = client.get(f"{server.url}/v1/rosters/{job_id}/status")
            else:
                r = client.get(server.url + "/v1/rosters?limit=20")
            answers[str(r.status_code)] += 1
            if r.status_code >= 500:
                server_errors.append(f"{r.request.method} {r.request.url.path} {r.status_code}")
        except httpx.HTTPError:
            conn_errors += 1
        time.sleep(rng.uniform(0.02, 0.15))

    # drain: every accepted job must reach a final status on the last server
    t_drain = time.monotonic()
    pending = set(accepted)
    statuses: Counter[str] = Counter()
    lost: list[str] = []
    while pending and time.monotonic() - t_drain < 300:
        for job_id in list(pending):
            r = client.get(f"{server.url}/v1/rosters/{job_id}/status")
            if r.status_code == 404:
                lost.append(job_id)
                pending.discard(job_id)
            elif r.status_code == 200 and r.json()["status"] in FINAL:
                statuses[r.json()["status"]] += 1
                pending.discard(job_id)
        server.sample()
        time.sleep(1)
    drain_s = time.monotonic() - t_drain
    errors = Counter()
    for job_id in accepted:
        r = client.get(f"{server.url}/v1/rosters/{job_id}?include_roster=false")
        if r.status_code == 200 and r.json().get("error"):
            errors[r.json()["error"]["code"]] += 1
    server.stop()
    client.close()
    after = uptime()

    lives = [life for life in server.lives if life.rss_kb]
    rows = []
    for i, life in enumerate(lives):
        rss = [kb for _, kb in life.rss_kb]
        rows.append(
            (
                i + 1,
                f"{life.rss_kb[-1][0]:.0f}",
                f"{rss[0] / 1024:.1f}",
                f"{max(rss) / 1024:.1f}",
                f"{rss[-1] / 1024:.1f}",
            )
        )
    settled = [life.rss_kb[-1][1] / 1024 for life in lives if life.rss_kb[-1][0] >= restart_every * 0.8]
    out = [
        f"Soak: {minutes:g} min, kill -9 every {restart_every:g} s, seed {seed}, "
        f"database {'PostgreSQL' if db_url else 'SQLite (WAL)'}, loopback",
        f"uptime before: {before}",
        f"uptime after:  {after}",
        "",
        markdown(
            ("figure", "value"),
            [
                (
                    "jobs accepted (solve / score)",
                    f"{sum(1 for o in accepted.values() if o == 'solve')} / "
                    f"{sum(1 for o in accepted.values() if o == 'score')}",
                ),
                ("final statuses", ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))),
                ("job errors (error.code)", ", ".join(f"{k} {v}" for k, v in sorted(errors.items())) or "none"),
                ("jobs lost (404) / not final after drain", f"{len(lost)} / {len(pending)}"),
                ("drain after the run (s)", f"{drain_s:.0f}"),
                ("answers by status", ", ".join(f"{k}: {v}" for k, v in sorted(answers.items()))),
                ("5xx answers", len(server_errors)),
                ("connection errors (during restarts)", conn_errors),
                ("kill -9 restarts", restarts),
                (
                    "restart to ready (s), median / max",
                    f"{statistics.median(restart_s):.1f} / {max(restart_s):.1f}" if restart_s else "-",
                ),
                ("solve processes left by killed servers (2 s after)", orphans),
                (
                    "server RSS at the end of full lives (MB), min / max",
                    f"{min(settled):.1f} / {max(settled):.1f}" if settled else "-",
                ),
            ],
        ),
        "",
        markdown(("server life", "lived (s)", "RSS first (MB)", "RSS max (MB)", "RSS last (MB)"), rows),
    ]
    if server_errors:
        out += ["", "5xx: " + "; ".join(server_errors[:10])]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--minutes", type=float, default=30.0)
    p.add_argument("--restart-every", type=float, default=60.0, help="seconds between kill -9 restarts")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--db-url", default=None, help="a PostgreSQL URL instead of a temporary SQLite file")
    args = p.parse_args(argv)
    print(run(args.minutes, args.restart_every, args.seed, args.db_url))


if __name__ == "__main__":
    main()
