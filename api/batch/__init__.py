"""Batch runs on Ray (`turnus batch MANIFEST -o OUTDIR`): many units, re-plans and scenario files in one night,
on this machine or a Ray cluster, each job a Ray task, results durable and resumable. See docs/batch.md.

manifest.py  the manifest (pydantic) and its expansion into jobs
jobs.py      a job's input read and validated (driver) and solved (worker): `solver.solve`, the scenarios runner
runner.py    Ray: tasks, the board actor (started jobs, deadline spreading), retries, durable writes
results.py   OUTDIR files (atomic, private) and the job store rows
summary.py   summary.csv and summary.html
progress.py  rich display on a terminal, JSON lines otherwise
run.py       load, store and tenant, run, summary: what the CLI calls
"""
