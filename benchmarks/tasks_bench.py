"""Model size and solve time with tasks (oppgavedeling) on generated medium and large units.

    python -m benchmarks.tasks_bench [--sizes medium,large] [--weeks 6] [--time-limit 60] [--workers 2]

For each size: the unit without tasks and with `--tasks` (models/tasks_generate.py): occurrences, task
variables, model variables/constraints, build time; then a full solve with tasks (warm start, greedy task hint,
CP-SAT) with status, objective (= checker score), share of task slots filled, roles filled, carers per user.
"""

from __future__ import annotations

import argparse
import json
import time

from models import validate_instance
from models.generate import generate_dict
from models.tasks_generate import add_tasks


def model_size(inst) -> dict:
    from solver.build import build_model
    from solver.index import build_index
    from solver.tasks.occurrences import task_index

    t0 = time.perf_counter()
    idx = build_index(inst)
    ti = task_index(idx)
    t1 = time.perf_counter()
    ctx = build_model(inst, idx)
    t2 = time.perf_counter()
    tv = ctx.__dict__.get("_task_vars")
    return {"staff": idx.S, "occurrences": len(ti.occs), "role_occurrences": len(ti.roles),
            "task_vars": len(tv.y) if tv else 0, "role_vars": len(tv.r) if tv else 0,
            "vars": len(ctx.model.proto.variables), "constraints": len(ctx.model.proto.constraints),
            "index_s": round(t1 - t0, 2), "build_s": round(t2 - t1, 2)}


def run(size: str, weeks: int, seed: int, time_limit: float, workers: int) -> dict:
    from solver import SolveOptions, solve

    base = generate_dict(size, weeks, seed)
    plain = validate_instance(base)[0]
    inst = validate_instance(add_tasks(base, seed))[0]
    out = {"size": size, "weeks": weeks, "users": len(inst.users), "tasks": len(inst.tasks),
           "without_tasks": model_size(plain), "with_tasks": model_size(inst)}
    if time_limit > 0:
        t0 = time.perf_counter()
        r = solve(inst, SolveOptions(time_limit_s=time_limit, workers=workers, seed=0))
        k = r.kpis
        out["solve"] = {"status": r.solve.status, "objective": r.solve.objective, "checker": r.score.total,
                        "lawful": r.lawful, "wall_s": round(time.perf_counter() - t0, 1),
                        "first_solution_s": r.solve.first_solution_s,
                        "task_slots_assigned_share": k.get("task_slots_assigned_share"),
                        "roles_filled_share": k.get("roles_filled_share"),
                        "carers_per_user_14d_mean": k.get("carers_per_user_14d_mean"),
                        "contact_share": k.get("contact_share"),
                        "nurse_hours_on_non_nurse_tasks": k.get("nurse_hours_on_non_nurse_tasks"),
                        "unassigned": len(r.unassigned_tasks)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="medium,large")
    ap.add_argument("--weeks", type=int, default=6)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", action="store_true", help="print JSON only")
    a = ap.parse_args()
    results = [run(s, a.weeks, a.seed, a.time_limit, a.workers) for s in a.sizes.split(",")]
    if a.json:
        print(json.dumps(results, indent=2))
        return
    for r in results:
        w, t = r["without_tasks"], r["with_tasks"]
        print(f"{r['size']} ({r['weeks']} w): {t['staff']} staff, {r['users']} users, {r['tasks']} tasks, "
              f"{t['occurrences']} occurrences, {t['role_occurrences']} role occurrences")
        print(f"  model without tasks: {w['vars']} vars, {w['constraints']} constraints, build {w['build_s']} s")
        print(f"  model with tasks:    {t['vars']} vars ({t['task_vars']} task, {t['role_vars']} role), "
              f"{t['constraints']} constraints, index {t['index_s']} s, build {t['build_s']} s")
        if "solve" in r:
            print("  solve: " + ", ".join(f"{k}={v}" for k, v in r["solve"].items()))


if __name__ == "__main__":
    main()
