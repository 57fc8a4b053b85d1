"""Where a page's time goes: each page of the HTTP benchmark rendered in-process many times under
pyinstrument, with the same sessions and settings as `bench/run_http.py`.

Run from the repository root with the project's Python, after `bench/run_http.py` has seeded its
database (the same one is used, never changed):

    .venv/bin/python bench/profile_pages.py [--pages "empty page,family home"] [--renders 200]

For each page it prints the median render time and the number of queries, then pyinstrument's
call tree of all the renders together (frames under --min-percent of the time hidden). The trees are
also written to bench/results/profile-<time>-<page>.txt, which git ignores.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import run_http  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", default="", help="Names of the pages to profile, comma-separated (all).")
    parser.add_argument("--renders", type=int, default=200, help="Renders per page under the profiler (200).")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="coordination_bench")
    parser.add_argument("--redis", default=run_http.BENCH_REDIS_URL, help="Redis for the cache ('' for none).")
    parser.add_argument("--min-percent", type=float, default=2.0, help="Hide frames under this share (2).")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    from pyinstrument import Profiler

    scratch = tempfile.mkdtemp(prefix="coordination-profile-")
    env = run_http.environment(f"{args.postgres.rstrip('/')}/{args.database}", scratch, redis_url=args.redis)
    os.environ.update(env, ALLOWED_HOSTS="127.0.0.1,testserver")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    wanted = {name.strip() for name in args.pages.split(",") if name.strip()}
    targets = [page for page in run_http.pages() if not wanted or page["name"] in wanted]
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    run_http.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    for page in targets:
        client = Client(HTTP_COOKIE=page["cookie"]) if page["cookie"] else Client()
        for _ in range(3):  # templates, translations and caches warm, as in a running server
            response = client.get(page["path"])
        if response.status_code != 200 or not all(part in response.content for part in page["expect"]):
            raise SystemExit(f"{page['path']} answered {response.status_code} without the expected content")
        queries: list[str] = []

        def counted(execute, sql, *rest, seen=queries):
            seen.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(counted):
            client.get(page["path"])
        timings = []
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(args.renders):
            t0 = time.perf_counter()
            client.get(page["path"])
            timings.append(time.perf_counter() - t0)
        profiler.stop()
        median_ms = statistics.median(timings) * 1000
        tree = profiler.output_text(unicode=True, color=False, show_all=False, time="percent_of_total")
        tree = "\n".join(line for line in tree.splitlines() if _shown(line, args.min_percent))
        header = f"== {page['name']} {page['path']}: {median_ms:.2f} ms per render (median), {len(queries)} queries"
        print(f"\n{header}\n" + "\n".join(f"   query: {sql[:160]}" for sql in queries) + f"\n{tree}", flush=True)
        out = run_http.RESULTS_DIR / f"profile-{stamp}-{re.sub(r'[^a-z0-9]+', '-', page['name'])}.txt"
        out.write_text(f"{header}\n" + "\n".join(queries) + f"\n\n{tree}\n", encoding="utf-8")
    return 0


def _shown(line: str, min_percent: float) -> bool:
    match = re.search(r"(\d+(?:\.\d+)?)%", line)
    return match is None or float(match.group(1)) >= min_percent


if __name__ == "__main__":
    sys.exit(main())
