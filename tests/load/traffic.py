"""The load's users: closed loops of requests over httpx, and what they measured."""

import asyncio
import random
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    created: list[str] = field(default_factory=list)  # titles answered 201
    refused: list[str] = field(default_factory=list)  # titles answered otherwise
    submitted: list[int] = field(default_factory=list)
    count: int = 0

    def record(self, label: str, started: float, status: int | str) -> None:
        self.count += 1
        self.latencies[label].append((time.perf_counter() - started) * 1000)
        if not (isinstance(status, int) and 200 <= status < 300):
            self.errors[f"{label}: {status}"] += 1


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Budget:
    def __init__(self, *, seconds: float, max_requests: int) -> None:
        self.deadline = time.monotonic() + seconds
        self.left = max_requests

    def take(self) -> bool:
        if self.left <= 0 or time.monotonic() >= self.deadline:
            return False
        self.left -= 1
        return True


async def get(client, results: Results, label: str, url: str) -> None:
    started = time.perf_counter()
    try:
        response = await client.get(url)
        status = response.status_code
    except Exception as exc:  # a transport error counts as an error of that request
        status = type(exc).__name__
    results.record(label, started, status)


async def pause(rng: random.Random, think: float) -> None:
    """Wait as a person reading the page would: `think` seconds on average (exponential);
    no wait at all when `think` is 0 (a closed loop: the site's saturation)."""
    if think > 0:
        await asyncio.sleep(rng.expovariate(1 / think))


async def browse(
    client, pages: list[tuple[str, str]], budget: Budget, results: Results, seed, think=0.0
):
    """Load pages until the budget runs out: a kind of page at random, then one of its URLs,
    then a pause of `think` seconds on average."""
    rng = random.Random(seed)
    kinds: dict[str, list[str]] = defaultdict(list)
    for label, url in pages:
        kinds[label].append(url)
    labels = sorted(kinds)
    while labels and budget.take():
        label = rng.choice(labels)
        await get(client, results, label, rng.choice(kinds[label]))
        await pause(rng, think)


async def author(
    client, venue: str, pdf: bytes, budget: Budget, results: Results, n: int, think=0.0
):
    rng = random.Random(f"author-{n}")
    while budget.take():
        title = f"Load test paper {n}-{uuid.uuid4().hex[:12]}"
        started = time.perf_counter()
        try:
            response = await client.post(
                "/api/v1/submissions/",
                data={
                    "venue": venue,
                    "title": title,
                    "abstract": "We measure the site under load.",
                    "hypothesis_claim": "The site stays fast.",
                    "authors[0]name": f"Load Author {n}",
                    "authors[0]email": f"load-author-{n}@uni.example.edu",
                },
                files={"pdf": ("paper.pdf", pdf, "application/pdf")},
            )
            status = response.status_code
        except Exception as exc:
            response, status = None, type(exc).__name__
        results.record("API create submission", started, status)
        if status == 201:
            results.created.append(title)
        else:
            results.refused.append(title)
            continue
        if not budget.take():
            break
        started = time.perf_counter()
        try:
            done = await client.post(f"/api/v1/submissions/{response.json()['id']}/submit/")
            status = done.status_code
        except Exception as exc:
            status = type(exc).__name__
        results.record("API submit", started, status)
        if status == 200:
            results.submitted.append(response.json()["id"])
        await pause(rng, think)
