"""Loopback load benchmark of the HTTP service (not a test).

    python -m benchmarks.load [--requests 400] [--concurrency 1,8,32] [--out docs/service-load.md]

Starts `python -m api.server` on a free loopback port with a temporary SQLite database, then measures
throughput and latency (p50/p99) of
  * `POST /v1/rosters?operation=score` (validate + check + persist a roster), for the tiny 8-staff unit and for
    the generated small unit (13 staff, 4 weeks, with a solved roster), and
  * `POST /v1/rosters` (job submission: validate, persist, queue) with solving paused
    (TURNUS_MAX_CONCURRENT=0) so the numbers are the API's own cost,
at each concurrency level. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

KEY = "bench-key"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tiny() -> dict:
    groups = ["sykepleier"] * 3 + ["helsefagarbeider"] * 4 + ["assistent"]
    staff = [{"id": f"s{i + 1}", "group": g, "position_pct": 100 if i % 2 == 0 else 75} for i, g in enumerate(groups)]
    assignments = []
    for day in range(4, 18):
        date = f"2027-01-{day:02d}"
        on = [(day + k) % 8 for k in range(4)]
        assignments += [{"staff": f"s{on[0] + 1}", "date": date, "shift": "D"},
                        {"staff": f"s{on[1] + 1}", "date": date, "shift": "D"},
                        {"staff": f"s{on[2] + 1}", "date": date, "shift": "A"}]
    return {"id": "tiny", "period": {"start": "2027-01-04", "weeks": 2}, "staff": staff,
            "shift_types": [{"code": "D", "start": "07:30", "end": "15:00"},
                            {"code": "A", "start": "14:30", "end": "22:00"},
                            {"code": "N", "start": "21:45", "end": "07:45"}],
            "demand": [{"shift": "D", "slots": [{"min": 2}]}, {"shift": "A", "slots": [{"min": 1}]},
                       {"shift": "N", "slots": [{"min": 1}]}],
            "rules": {"night_average": {"deviation_agreed": True}}, "agreements": {"night_deviation": True},
            "assignments": assignments}


def _with_solved_roster(data: dict) -> dict:
    """The unit with a roster from a short solve as `assignments` (what a planner would score)."""
    from models import validate_instance
    from solver import SolveOptions, solve

    data = {k: v for k, v in data.items() if k != "assignments"}
    inst, _ = validate_instance(data)
    roster = solve(inst, SolveOptions(time_limit_s=3, workers=1))
    data["assignments"] = [a.model_dump(mode="json", exclude={"pinned"}) for a in roster.assignments]
    return data


async def _run(url: str, path: str, body: dict, n: int, conc: int, expect: int) -> dict:
    lat: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=conc, max_keepalive_connections=conc)
    async with httpx.AsyncClient(base_url=url, headers={"X-API-Key": KEY}, timeout=120, limits=limits) as client:
        for _ in range(min(conc, 4)):  # warm up
            await client.post(path, json=body)
        queue: asyncio.Queue = asyncio.Queue()
        for _ in range(n):
            queue.put_nowait(None)

        async def worker():
            nonlocal errors
            while True:
                try:
                    queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                t = time.perf_counter()
                resp = await client.post(path, json=body)
                lat.append(time.perf_counter() - t)
                if resp.status_code != expect:
                    errors += 1

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(conc)))
        wall = time.perf_counter() - t0
    lat.sort()
    return {"n": n, "conc": conc, "rps": n / wall, "p50": statistics.median(lat) * 1000,
            "p99": lat[min(len(lat) - 1, int(0.99 * len(lat)))] * 1000, "errors": errors}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=400, help="requests per (endpoint, concurrency)")
    ap.add_argument("--concurrency", default="1,8,32")
    ap.add_argument("--out", type=Path, help="also write the Markdown table here")
    args = ap.parse_args(argv)
    levels = [int(c) for c in args.concurrency.split(",")]

    print("preparing payloads (solving the small unit once for a realistic roster)…", file=sys.stderr)
    from models.generate import generate_dict

    tiny = _with_solved_roster(_tiny())
    payloads = [(f"score tiny ({len(tiny['staff'])} staff, 2 w, {len(tiny['assignments'])} shifts)",
                 "/v1/rosters?operation=score", {"input": tiny}, 201)]
    small = _with_solved_roster(generate_dict("small", 4, 1))
    payloads.append((f"score small ({len(small['staff'])} staff, 4 w, {len(small['assignments'])} shifts)",
                     "/v1/rosters?operation=score", {"input": small}, 201))
    tiny_solve = {k: v for k, v in _tiny().items() if k != "assignments"}
    payloads.append(("submit solve job (tiny)", "/v1/rosters", {"config": {"run": {"time_limit_s": 5}},
                                                               "input": tiny_solve}, 202))

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TURNUS_DATA_DIR": tmp, "TURNUS_API_KEYS": KEY, "TURNUS_MAX_CONCURRENT": "0",
               "TURNUS_QUEUE_SIZE": "1000000"}
        import subprocess

        root = Path(__file__).resolve().parent.parent
        proc = subprocess.Popen([sys.executable, "-m", "api.server", "--port", str(port)], cwd=root, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            t0 = time.monotonic()
            while True:
                try:
                    if httpx.get(url + "/readyz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() - t0 > 30 or proc.poll() is not None:
                    raise SystemExit("server did not start")
                time.sleep(0.1)
            rows = []
            for label, path, body, expect in payloads:
                for conc in levels:
                    r = asyncio.run(_run(url, path, body, args.requests, conc, expect))
                    rows.append((label, r))
                    print(f"{label:45s} c={conc:3d}  {r['rps']:7.1f} req/s  p50 {r['p50']:7.1f} ms  "
                          f"p99 {r['p99']:7.1f} ms  errors {r['errors']}", file=sys.stderr)
        finally:
            proc.terminate()
            proc.wait(timeout=10)

    lines = [f"Loopback, one uvicorn process, SQLite (WAL) in a temp dir; {os.cpu_count()} cores, "
             f"Python {platform.python_version()}, {args.requests} requests per row.", "",
             "| endpoint | concurrency | throughput (req/s) | p50 (ms) | p99 (ms) | errors |",
             "|---|---:|---:|---:|---:|---:|"]
    for label, r in rows:
        lines.append(f"| {label} | {r['conc']} | {r['rps']:.1f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} |")
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
