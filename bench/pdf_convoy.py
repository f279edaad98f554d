"""Benchmark: what a PDF render costs the other threads of the same server process (the GIL convoy),
with WeasyPrint in the request thread (before) and in the helper process (wendbaar.web.pdf.renderer).

    .venv/bin/python bench/pdf_convoy.py --var DIR [--requests 30]

Uses a site prepared by bench/load_test.py (`--var DIR`). In one process, as in one gthread gunicorn
worker: the coordinator's quick pages (the plan's pages that are not PDFs or radar pages) are asked one
after another, `--requests` of them, three times — alone, while another thread renders PDFs in this
process without pause, and while another thread has them rendered by the helper process without
pause. The PDF is the coordinator's own agenda print page. Reports median and p95 wall ms and median
CPU ms of this process per page request, and the load average (the machine is shared: wall times
compete with other jobs; the ratio between the modes, measured back to back, is the figure).
Writes bench/results/pdf_convoy.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--var", type=Path, required=True, help="a site prepared by bench/load_test.py --var")
    parser.add_argument("--requests", type=int, default=30, help="page requests per mode")
    parser.add_argument("--result", type=Path, default=RESULTS / "pdf_convoy.json")
    args = parser.parse_args()

    from bench.load_profile import environment

    environment(args.var)
    import django

    django.setup()
    from bench.load import plan as load_plan
    from django.test import Client

    from wendbaar.web.pdf import renderer

    plan_path = args.var / "profile-plan.json"
    load_plan.main(plan_path)
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    client = Client()
    client.cookies["sessionid"] = plan["sessions"]["coordinator"]
    pages = [(name, url) for name, url in plan["pages"]["coordinator"]
             if not name.endswith("-pdf") and not name.startswith("radar:") and "-create" not in name]  # fmt: skip
    agenda = next(url for name, url in plan["pages"]["coordinator"] if name == "hub:agenda")
    html = client.get(agenda, secure=True).content.decode()
    for _name, url in pages:
        client.get(url, secure=True)  # warm: templates, lazy imports, memos
    renderer.render_apart(html, None, processes=1)  # start the helper before timing

    def run_pages() -> dict[str, Any]:
        walls, cpus = [], []
        for i in range(args.requests):
            _name, url = pages[i % len(pages)]
            wall, cpu = time.perf_counter(), time.thread_time()
            client.get(url, secure=True)
            cpus.append((time.thread_time() - cpu) * 1000)
            walls.append((time.perf_counter() - wall) * 1000)
        return {"wall_p50_ms": round(statistics.median(walls), 1), "wall_p95_ms": round(p95(walls), 1),
                "cpu_p50_ms": round(statistics.median(cpus), 1), "requests": len(walls)}  # fmt: skip

    def beside(render: Any) -> dict[str, Any]:
        stop = threading.Event()
        renders = [0]

        def loop() -> None:
            while not stop.is_set():
                render()
                renders[0] += 1

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        time.sleep(0.2)
        try:
            return {**run_pages(), "pdf_renders_meanwhile": renders[0]}
        finally:
            stop.set()
            thread.join()

    load_before = os.getloadavg()
    modes = {
        "alone": run_pages(),
        "pdf_in_this_process": beside(lambda: renderer.render(html, None)),
        "pdf_in_helper_process": beside(lambda: renderer.render_apart(html, None, processes=1)),
    }
    result = {
        "benchmark": "pdf_convoy",
        "pages": sorted({name for name, _ in pages}),
        "pdf": "the coordinator's agenda page (hub:agenda) by WeasyPrint",
        "load_average_before": [round(x, 1) for x in load_before],
        "load_average_after": [round(x, 1) for x in os.getloadavg()],
        "measure": "wall ms and CPU ms (this thread) per quick page request, one process, test client",
        "modes": modes,
        "p50_ratio_in_process_vs_helper": round(
            modes["pdf_in_this_process"]["wall_p50_ms"] / modes["pdf_in_helper_process"]["wall_p50_ms"], 2
        ),
    }
    args.result.parent.mkdir(parents=True, exist_ok=True)
    args.result.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{'mode':24} {'p50 ms':>8} {'p95 ms':>8} {'cpu ms':>8} {'renders':>8}")
    for mode, v in modes.items():
        print(f"{mode:24} {v['wall_p50_ms']:8.1f} {v['wall_p95_ms']:8.1f} {v['cpu_p50_ms']:8.1f} "
              f"{v.get('pdf_renders_meanwhile', ''):>8}")  # fmt: skip
    print(f"load average {result['load_average_before']} -> {result['load_average_after']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
