"""Benchmark: CPU per request of the load test's mix, measured in-process (load-independent).

    .venv/bin/python bench/load_profile.py --var DIR [--repeat 5] [--baseline REF [--rounds N]] [--profile N]
        [--after-upload]

Uses a site prepared by bench/load_test.py (`--var DIR` of that script, after one run): the same
production-mode settings (DEBUG off, manifest static files), the same plan (every page per role,
search, suggestions, the API, static files). Every request goes through the whole WSGI stack
(middleware, sessions, whitenoise) with Django's test client; per kind of request it reports the
median CPU time of the process (`time.process_time`), the wall time and the number of SQL queries.
`mix_cpu_ms` weighs the kinds as bench/load/locustfile.py does, so it estimates the CPU one request
of the load test costs the server (uploads left out: they write). `--profile N` prints the N most
expensive functions over all requests (cProfile, cumulative). `--baseline REF` measures the code of
git revision REF first, in a separate process on the same site, and reports the ratio; with
`--rounds N` it alternates REF and this checkout N times (each in its own process) and reports the
medians, since the CPU time of a request rises with the machine's load and the load moves.
`--after-upload` drops the radar's memos before every request (what a landed upload does to them).
Writes bench/results/load_profile.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
SEARCHES = ["lassen", "vrachtwagen", "verpleeg", "kok", "programmeur", "heftruck", "timmer", "zorg"]
# The locust users' weights and task weights (bench/load/locustfile.py).
ROLE_WEIGHTS = {"anonymous": 3, "learner": 3, "employer": 2, "coordinator": 2, "fund": 1, "provider": 1, "admin": 1}
TASKS = {"page": 6, "search": 3, "suggestions": 3, "api_list": 2, "static": 1}
COORDINATOR_TASKS = {"radar_api": 2}


def environment(var: Path) -> None:
    from bench.load_test import environment as server_environment

    env = server_environment(var, os.environ.get("WENDBAAR_LOAD_DATABASE"))
    env["WENDBAAR_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    env["WENDBAAR_TASKS_BACKEND"] = "immediate"  # the plan's samples (demand pooling) are made at once
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "wendbaar.settings"


def requests_per_role(plan: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """Every request a role's locust user makes, by kind; the weights are applied in `mix`."""
    out: dict[str, list[tuple[str, str]]] = {}
    for role in ROLE_WEIGHTS:
        calls = [(f"page:{name}", url) for name, url in plan["pages"].get(role, [])]
        calls += [("page:skills:search?q", f"/taxonomie/?q={q}") for q in SEARCHES[:3]]
        calls += [("api:suggestions", f"/api/v1/suggestions?q={q[:4]}") for q in SEARCHES[:3]]
        calls += [("api:occupations", "/api/v1/occupations?pageSize=20"), ("static", "/static/web/wendbaar.css")]
        if role == "coordinator":
            calls += [("api:radar/vacancy-counts", "/api/v1/radar/vacancy-counts?region=AM22"),
                      ("api:radar-runs", "/api/v1/radar-runs?pageSize=20")]  # fmt: skip
        out[role] = calls
    return out


def mix(per_role: dict[str, dict[str, float]]) -> float:
    """CPU ms of an average request of the locust mix, from the median CPU ms per role and kind."""
    total_weight = 0.0
    total_cpu = 0.0
    for role, weight in ROLE_WEIGHTS.items():
        kinds = per_role.get(role, {})
        pages = [v for k, v in kinds.items() if k.startswith("page:") and k != "page:skills:search?q"]
        parts = [(TASKS["page"], statistics.mean(pages) if pages else 0.0),
                 (TASKS["search"], kinds.get("page:skills:search?q", 0.0)),
                 (TASKS["suggestions"], kinds.get("api:suggestions", 0.0)),
                 (TASKS["api_list"], kinds.get("api:occupations", 0.0)),
                 (TASKS["static"], kinds.get("static", 0.0))]  # fmt: skip
        if role == "coordinator":
            # one task, two requests
            radar = kinds.get("api:radar/vacancy-counts", 0.0) + kinds.get("api:radar-runs", 0.0)
            parts.append((2 * COORDINATOR_TASKS["radar_api"], radar / 2))
        task_weight = sum(w for w, _ in parts)
        total_cpu += weight * sum(w * v for w, v in parts) / task_weight
        total_weight += weight
    return total_cpu / total_weight


def measure(
    var: Path, repeat: int, profile: int, only: str = "", dump: Path | None = None, after_upload: bool = False
) -> dict[str, Any]:
    environment(var)
    import django

    django.setup()
    from bench.load import plan as load_plan
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    plan_path = var / "profile-plan.json"
    load_plan.main(plan_path)
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    kinds: dict[str, dict[str, list[float]]] = {}
    per_role: dict[str, dict[str, list[float]]] = {}
    statuses: dict[str, int] = {}
    for role, calls in requests_per_role(plan).items():
        client = Client()
        session = plan["sessions"].get(role)
        if session:
            client.cookies["sessionid"] = session
        for kind, url in calls:
            if only and not re.search(only, kind):
                continue
            # Warm (templates, catalogues, lazy imports, the engine); https, as production mode redirects http.
            client.get(url, secure=True)
            for _ in range(repeat):
                if after_upload:
                    # As after a landed upload (a new store version): the radar's memos and shared pages are gone.
                    from wendbaar.radar.store import cache

                    cache.clear(shared=True)
                with CaptureQueriesContext(connection) as queries:
                    wall, cpu = time.perf_counter(), time.process_time()
                    if profiler:
                        profiler.enable()
                    response = client.get(url, secure=True)
                    if profiler:
                        profiler.disable()
                    cpu_ms = (time.process_time() - cpu) * 1000
                    wall_ms = (time.perf_counter() - wall) * 1000
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)  # whitenoise's file: read as the server would
                statuses[f"{kind} {response.status_code}"] = statuses.get(f"{kind} {response.status_code}", 0) + 1
                entry = kinds.setdefault(kind, {"cpu_ms": [], "wall_ms": [], "queries": []})
                entry["cpu_ms"].append(cpu_ms)
                entry["wall_ms"].append(wall_ms)
                entry["queries"].append(len(queries))
                per_role.setdefault(role, {}).setdefault(kind, []).append(cpu_ms)
    summary = {
        kind: {"n": len(v["cpu_ms"]), "cpu_ms": round(statistics.median(v["cpu_ms"]), 2),
               "wall_ms": round(statistics.median(v["wall_ms"]), 2), "queries": max(v["queries"])}
        for kind, v in sorted(kinds.items())
    }  # fmt: skip
    medians = {role: {k: statistics.median(v) for k, v in ks.items()} for role, ks in per_role.items()}
    result: dict[str, Any] = {"mix_cpu_ms": round(mix(medians), 2), "kinds": summary, "statuses": statuses}
    if profiler:
        import io
        import pstats

        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(profile)
        result["profile"] = out.getvalue()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(profile)
        result["profile_tottime"] = out.getvalue()
        if dump:
            profiler.dump_stats(str(dump))
    return result


def baseline(ref: str, var: Path, repeat: int, only: str = "", after_upload: bool = False) -> dict[str, Any]:
    """Measure revision `ref` in its own process: its `src` first on the path, the same site."""
    with tempfile.TemporaryDirectory(prefix="wendbaar-baseline-") as tmp:
        archive = subprocess.run(["git", "archive", ref, "src", "bench"], cwd=ROOT, check=True,  # noqa: S607
                                 capture_output=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)  # noqa: S607
        from bench.load_test import outside_paths

        env = {**os.environ, "PYTHONPATH": f"{tmp}/src", **outside_paths()}
        return _measure_apart(env, Path(tmp) / "result.json", var, repeat, only, after_upload)


def current(var: Path, repeat: int, only: str = "", after_upload: bool = False) -> dict[str, Any]:
    """Measure this checkout in its own process, as `baseline` measures another revision."""
    with tempfile.TemporaryDirectory(prefix="wendbaar-current-") as tmp:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        return _measure_apart(env, Path(tmp) / "result.json", var, repeat, only, after_upload)


def _measure_apart(
    env: dict[str, str], out: Path, var: Path, repeat: int, only: str, after_upload: bool
) -> dict[str, Any]:
    """Run this script in a process of its own with `env` (whose PYTHONPATH picks the code); return its figures."""
    command = [sys.executable, str(ROOT / "bench" / "load_profile.py"), "--var", str(var), "--repeat",
               str(repeat), "--raw", str(out), "--only", only]  # fmt: skip
    if after_upload:
        command.append("--after-upload")
    subprocess.run(command, env=env, cwd=ROOT, check=True)  # noqa: S603 - our own script
    return dict(json.loads(out.read_text(encoding="utf-8")))


def combined(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median over alternating rounds: per kind of its CPU and wall ms, and of the mix."""
    kinds: dict[str, Any] = {}
    for kind in runs[0]["kinds"]:
        found = [r["kinds"][kind] for r in runs if kind in r["kinds"]]
        kinds[kind] = {"n": sum(v["n"] for v in found),
                       "cpu_ms": round(statistics.median(v["cpu_ms"] for v in found), 2),
                       "wall_ms": round(statistics.median(v["wall_ms"] for v in found), 2),
                       "queries": max(v["queries"] for v in found)}  # fmt: skip
    statuses: dict[str, int] = {}
    for r in runs:
        for key, n in r["statuses"].items():
            statuses[key] = statuses.get(key, 0) + n
    mixes = [r["mix_cpu_ms"] for r in runs]
    return {"mix_cpu_ms": round(statistics.median(mixes), 2), "mix_cpu_ms_rounds": mixes, "kinds": kinds,
            "statuses": statuses}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--var", type=Path, required=True, help="a site prepared by bench/load_test.py --var")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", default=None, help="git revision to measure first, for the ratio")
    parser.add_argument("--profile", type=int, default=0, help="print the N most expensive functions")
    parser.add_argument("--only", default="", help="measure only the kinds matching this regular expression")
    parser.add_argument("--dump", type=Path, default=None, help="write the cProfile statistics here (pstats)")
    parser.add_argument("--after-upload", action="store_true",
                        help="drop the radar's memos before every request, as a landed upload does")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=1,
                        help="with --baseline: alternate baseline and this checkout N times, each in its own process, "
                             "and report the medians (a shared machine's load moves between rounds)")  # fmt: skip
    parser.add_argument("--raw", type=Path, default=None, help=argparse.SUPPRESS)  # the baseline's own run
    parser.add_argument("--result", type=Path, default=RESULTS / "load_profile.json")
    args = parser.parse_args()
    if args.raw:
        raw = measure(args.var, args.repeat, 0, args.only, after_upload=args.after_upload)
        args.raw.write_text(json.dumps(raw), encoding="utf-8")
        return 0
    if args.baseline and args.rounds > 1:
        befores, nows = [], []
        for _round in range(args.rounds):
            befores.append(baseline(args.baseline, args.var, args.repeat, args.only, args.after_upload))
            nows.append(current(args.var, args.repeat, args.only, args.after_upload))
        before: dict[str, Any] | None = combined(befores)
        now = combined(nows)
    else:
        before = baseline(args.baseline, args.var, args.repeat, args.only, args.after_upload) if args.baseline else None
        now = measure(args.var, args.repeat, args.profile, args.only, args.dump, args.after_upload)
    for key in ("profile", "profile_tottime"):
        if key in now:
            print(now.pop(key))
    result: dict[str, Any] = {
        "benchmark": "load_profile",
        "repeat": args.repeat,
        "load_average": os.getloadavg(),
        "measure": "median CPU ms of the process per request, in-process (test client)",
        "after_upload": args.after_upload,  # the radar's memos dropped before every request
        "only": args.only,
        "rounds": args.rounds,
        **now,
    }
    if before:
        result["baseline"] = {"ref": args.baseline, "mix_cpu_ms": before["mix_cpu_ms"], "kinds": before["kinds"]}
        if "mix_cpu_ms_rounds" in before:
            result["baseline"]["mix_cpu_ms_rounds"] = before["mix_cpu_ms_rounds"]
        result["mix_cpu_ratio"] = round(now["mix_cpu_ms"] / before["mix_cpu_ms"], 3)
    print(f"{'kind':44} {'cpu ms':>8} {'wall ms':>8} {'queries':>7}" + ("  before: cpu ms queries" if before else ""))
    for kind, v in now["kinds"].items():
        line = f"{kind:44} {v['cpu_ms']:8.1f} {v['wall_ms']:8.1f} {v['queries']:7}"
        if before and kind in before["kinds"]:
            b = before["kinds"][kind]
            line += f"  {b['cpu_ms']:8.1f} {b['queries']:7}"
        print(line)
    odd = {k: n for k, n in now["statuses"].items() if not k.endswith((" 200", " 302"))}
    print(f"answers other than 200/302: {odd or 'none'}")
    print(f"mix: {now['mix_cpu_ms']} CPU ms per request" +
          (f" (before {before['mix_cpu_ms']}, ratio {result['mix_cpu_ratio']})" if before else ""))  # fmt: skip
    args.result.parent.mkdir(parents=True, exist_ok=True)
    args.result.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
