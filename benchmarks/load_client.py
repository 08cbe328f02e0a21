"""A bounded load client: simulated users, each with its own session cookie, browse a list of
pages with a pause between pages, until a number of requests or seconds is reached.

Plain asyncio and httpx, no Django: bench_load.py drives it against gunicorn, and a test
(tests/bench/test_load_client.py) against Django's live server. Only 127.0.0.1 is allowed.
"""

import asyncio
import random
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

REQUEST_TIMEOUT = 30.0  # seconds; a slower answer counts as an error


@dataclass
class Visitor:
    """A simulated user: the session cookie and the pages to pick from, by kind."""

    cookies: dict[str, str]
    pages: dict[str, list[str]]


@dataclass
class Sample:
    kind: str
    started: float  # seconds since the load began
    seconds: float
    status: int  # 0: no answer (connection error or timeout)


@dataclass
class Stats:
    requests: int
    errors: int
    seconds: float
    per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors_by_status: dict[int, int] = field(default_factory=dict)


def percentile(values: list[float], fraction: float) -> float:
    """The value under which `fraction` of them lie (nearest rank, as load tools report)."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def summarize(samples: list[Sample], seconds: float) -> Stats:
    if not samples:
        return Stats(0, 0, seconds, 0.0, 0.0, 0.0, 0.0)
    timings = [sample.seconds * 1000 for sample in samples]
    failed = [sample.status for sample in samples if sample.status != 200]
    return Stats(
        requests=len(samples),
        errors=len(failed),
        seconds=seconds,
        per_second=len(samples) / seconds if seconds else 0.0,
        p50_ms=statistics.median(timings),
        p95_ms=percentile(timings, 0.95),
        p99_ms=percentile(timings, 0.99),
        errors_by_status={status: failed.count(status) for status in sorted(set(failed))},
    )


def run_load(
    base_url: str,
    visitors: list[Visitor],
    *,
    requests: int,
    max_seconds: float,
    think: float,
    weights: dict[str, float],
    seed: int = 1,
) -> list[Sample]:
    """Browse until `requests` answers or `max_seconds`; each visitor pauses a random
    0 to 2 × `think` seconds between pages (think: 0 is a stress test)."""
    if urlsplit(base_url).hostname not in ("127.0.0.1", "localhost"):
        raise ValueError(f"the load client only targets 127.0.0.1, not {base_url}")
    return asyncio.run(
        _load(base_url, visitors, requests, max_seconds, think, weights, random.Random(seed))
    )


async def _load(base_url, visitors, requests, max_seconds, think, weights, rng) -> list[Sample]:
    samples: list[Sample] = []
    budget = iter(range(requests))
    started = time.perf_counter()
    deadline = started + max_seconds
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)

    async def browse(visitor: Visitor, visitor_rng: random.Random) -> None:
        async with httpx.AsyncClient(
            base_url=base_url, cookies=visitor.cookies, timeout=REQUEST_TIMEOUT, limits=limits
        ) as client:
            await asyncio.sleep(visitor_rng.uniform(0, think))  # users do not start together
            while time.perf_counter() < deadline and next(budget, None) is not None:
                kind, url = _pick(visitor, weights, visitor_rng)
                samples.append(await _fetch(client, kind, url, started))
                await asyncio.sleep(visitor_rng.uniform(0, 2 * think))

    rngs = [random.Random(rng.random()) for _ in visitors]
    await asyncio.gather(*(browse(v, r) for v, r in zip(visitors, rngs, strict=True)))
    return samples


def _pick(visitor: Visitor, weights: dict[str, float], rng: random.Random) -> tuple[str, str]:
    kinds = [kind for kind in weights if visitor.pages.get(kind)]
    kind = rng.choices(kinds, weights=[weights[kind] for kind in kinds])[0]
    return kind, rng.choice(visitor.pages[kind])


async def _fetch(client: httpx.AsyncClient, kind: str, url: str, origin: float) -> Sample:
    began = time.perf_counter()
    try:
        response = await client.get(url)
        await response.aread()
        status = response.status_code
    except httpx.HTTPError:
        status = 0
    return Sample(kind, began - origin, time.perf_counter() - began, status)
