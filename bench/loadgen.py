"""A small HTTP load generator: threads with keep-alive connections, bounded by requests and time.

It only talks to the loopback interface. Each thread keeps one connection
open as long as the server allows (gunicorn's sync workers close it after
every response, and then the thread opens a new one).
"""

from __future__ import annotations

import http.client
import math
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class LoadResult:
    path: str
    concurrency: int
    requests: int
    seconds: float
    failures: int
    req_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    bytes_per_response: int
    failure_samples: list[str] = field(default_factory=list)
    # Every successful request's latency in seconds, sorted; left out of as_dict().
    latencies: list[float] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict:
        data = asdict(self)
        del data["latencies"]
        return data

    @classmethod
    def from_latencies(
        cls,
        path: str,
        concurrency: int,
        latencies: list[float],
        seconds: float,
        failures: int,
        failure_samples: list[str],
        sizes: list[int],
    ) -> LoadResult:
        latencies = sorted(latencies)
        return cls(
            path=path,
            concurrency=concurrency,
            requests=len(latencies),
            seconds=round(seconds, 2),
            failures=failures,
            req_per_s=round(len(latencies) / seconds, 1) if seconds else 0.0,
            p50_ms=round(percentile(latencies, 0.50) * 1000, 1),
            p95_ms=round(percentile(latencies, 0.95) * 1000, 1),
            p99_ms=round(percentile(latencies, 0.99) * 1000, 1),
            max_ms=round((latencies[-1] if latencies else 0.0) * 1000, 1),
            bytes_per_response=round(sum(sizes) / len(sizes)) if sizes else 0,
            failure_samples=sorted(set(failure_samples))[:5],
            latencies=latencies,
        )


def combine(results: list[LoadResult]) -> LoadResult:
    """One result for several measuring rounds of the same page: all requests over all the time."""
    first = results[0]
    return LoadResult.from_latencies(
        first.path,
        first.concurrency,
        [latency for result in results for latency in result.latencies],
        sum(result.seconds for result in results),
        sum(result.failures for result in results),
        [sample for result in results for sample in result.failure_samples],
        [result.bytes_per_response for result in results if result.bytes_per_response],
    )


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    index = max(0, math.ceil(fraction * len(sorted_values)) - 1)
    return sorted_values[index]


def run_load(
    host: str,
    port: int,
    path: str,
    *,
    headers: dict[str, str],
    check: Callable[[bytes], bool],
    concurrency: int,
    max_requests: int,
    max_seconds: float,
) -> LoadResult:
    """GET `path` with `concurrency` connections until `max_requests` were sent or `max_seconds` passed.

    Every response must be 200 and pass `check(body)`; any other outcome counts as a failure.
    """
    if host not in LOOPBACK:
        raise ValueError("the load generator only talks to the loopback interface")
    lock = threading.Lock()
    issued = 0
    latencies: list[float] = []
    failures: list[str] = []
    sizes: list[int] = []
    started = time.monotonic()
    deadline = started + max_seconds

    def worker() -> None:
        nonlocal issued
        mine: list[float] = []
        conn = http.client.HTTPConnection(host, port, timeout=30)
        try:
            while True:
                with lock:
                    if issued >= max_requests or time.monotonic() >= deadline:
                        break
                    issued += 1
                t0 = time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    body = response.read()
                except (http.client.HTTPException, OSError) as exc:
                    conn.close()
                    with lock:
                        failures.append(f"{type(exc).__name__}: {exc}")
                    continue
                elapsed = time.perf_counter() - t0
                if response.will_close:
                    conn.close()
                if response.status != 200 or not check(body):
                    with lock:
                        failures.append(f"status {response.status}, {len(body)} bytes")
                    continue
                mine.append(elapsed)
                if len(sizes) < 10:
                    sizes.append(len(body))
        finally:
            conn.close()
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max_seconds + 60)
    seconds = time.monotonic() - started
    return LoadResult.from_latencies(path, concurrency, latencies, seconds, len(failures), failures, sizes)
