"""Received emails read per second (inbound/parsing.py): the fixture messages of
src/relance/inbound/tests/messages (client replies, automatic replies, bounces, hostile
ones, a 256 MB zip bomb kept unopened) repeated to ~2,000 messages, then the hostile cases
built in memory (1,000 nested multiparts, 10,000 recipients, 25 MB of text) timed one by
one. Pure CPU in this process: no database, no network. The mailbox target is 200
messages/s fetched and parsed, so parsing alone must leave most of that budget to IMAP."""

import argparse
import statistics
import time
from pathlib import Path

from relance.inbound.parsing import MAX_MESSAGE_BYTES, parse

MESSAGES = Path(__file__).resolve().parent.parent / "src/relance/inbound/tests/messages"
TARGET_PER_SECOND = 200


def hostile() -> dict[str, bytes]:
    head = b"From: Client <client@example.com>\r\nTo: relances@acme.fr\r\nSubject: Re: x\r\n"
    nested = head + b"MIME-Version: 1.0\r\n"
    for level in range(1000):
        nested += (
            f'Content-Type: multipart/mixed; boundary="b{level}"\r\n\r\n--b{level}\r\n'.encode()
        )
    to = ", ".join(f"User {n} <user{n}@example.com>" for n in range(10_000)).encode()
    big = head + b"\r\n"
    return {
        "1,000 nested multiparts": nested,
        "10,000 recipients": head.replace(b"relances@acme.fr", to) + b"\r\nhello\r\n",
        "25 MB of text": big + b"paid " * ((MAX_MESSAGE_BYTES - len(big)) // 5),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench inbound_parse")
    parser.add_argument("--messages", type=int, default=2000)
    options = parser.parse_args(argv)
    fixtures = [path.read_bytes() for path in sorted(MESSAGES.glob("*.eml"))]
    batch = (fixtures * (options.messages // len(fixtures) + 1))[: options.messages]
    timings = []
    started = time.perf_counter()
    for raw in batch:
        one = time.perf_counter()
        parse(raw)
        timings.append((time.perf_counter() - one) * 1000)
    elapsed = time.perf_counter() - started
    rate = len(batch) / elapsed
    megabytes = sum(map(len, batch)) / 1024**2
    print(
        f"parsed {len(batch):,} messages ({megabytes:.1f} MB, {len(fixtures)} kinds) in "
        f"{elapsed:.2f} s: {rate:,.0f} messages/s, {megabytes / elapsed:.1f} MB/s"
    )
    timings.sort()
    print(
        f"per message: median {statistics.median(timings):.2f} ms, "
        f"p99 {timings[int(len(timings) * 0.99)]:.2f} ms, max {timings[-1]:.2f} ms"
    )
    for label, raw in hostile().items():
        one = time.perf_counter()
        parse(raw)
        print(f"hostile, {label}: {(time.perf_counter() - one) * 1000:.0f} ms")
    verdict = "met" if rate >= TARGET_PER_SECOND else "MISSED"
    print(f"target: parsing alone at least {TARGET_PER_SECOND} messages/s: {verdict}")
