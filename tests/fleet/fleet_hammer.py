"""A process that takes fleet slots, for tests/fleet/test_fleet_politeness.py.

    python -m tests.fleet.fleet_hammer URL PREFIX OUT --per-host 2 --delay 0.1 --requests 6
        --hold 0.15 --start-at EPOCH [--lease 3] [--hold-forever]

Each request: a slot of a Limiter with a RedisLimiter for host "fleet-test:80", held
``--hold`` seconds. One JSON line per request goes to OUT (appended, flushed at once):
{"pid", "start", "end"} in time.time() taken inside the slot, so the recorded intervals lie
within the times the fleet granted. ``--hold-forever``: take one slot, write
{"pid", "held"} and sleep until killed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time

from crawler._fleet_limit import RedisLimiter
from crawler._politeness import Limiter

HOST = "fleet-test:80"


async def main(args: argparse.Namespace) -> None:
    fleet = RedisLimiter(args.url, per_host=args.per_host, prefix=args.prefix,
                         lease_ttl=args.lease)
    limiter = Limiter(per_host=args.per_host, global_limit=16, delay=args.delay, fleet=fleet)
    await asyncio.sleep(max(0.0, args.start_at - time.time()))

    def write(record: dict[str, object]) -> None:
        with open(args.out, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"pid": os.getpid(), **record}) + "\n")

    async def one() -> None:
        async with limiter.slot(HOST):
            start = time.time()
            if args.hold_forever:
                write({"held": start})
                await asyncio.sleep(3600)
            await asyncio.sleep(args.hold)
            write({"start": start, "end": time.time()})

    try:
        # as many at once as one crawler would try (its local limit lets per_host through)
        await asyncio.gather(*(one() for _ in range(args.requests)))
    finally:
        await limiter.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("prefix")
    parser.add_argument("out")
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--requests", type=int, default=1)
    parser.add_argument("--hold", type=float, default=0.1)
    parser.add_argument("--lease", type=float, default=70.0)
    parser.add_argument("--start-at", type=float, default=0.0)
    parser.add_argument("--hold-forever", action="store_true")
    asyncio.run(main(parser.parse_args()))
