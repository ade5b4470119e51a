"""Politeness: how many requests may run, and when the next one to a host may start.

Small agency servers fall over under load, and a WAF that sees a burst
answers 403 or 429 for the rest of the night. So, per host (``host:port``):
at most ``per_host`` requests in flight and at least ``delay`` seconds between
the starts of two requests; across all hosts at most ``global_limit``. A host
that answered 429/503 with ``Retry-After`` is paused for everybody.

These limits hold within one process. With a ``fleet`` limiter (see
crawler._fleet_limit.RedisLimiter, chosen by ``CrawlConfig.limiter_url``) the
per-host ones also hold across every worker sharing its Redis: the local host
slot and spacing come first, then the fleet's, then the global slot.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import anyio

if TYPE_CHECKING:
    from ._fleet_limit import FleetLease, RedisLimiter

__all__ = ["Limiter"]


@dataclass
class _Host:
    slots: anyio.Semaphore
    delay: float
    next_start: float = 0.0  # monotonic time before which no request may start
    in_flight: int = 0
    last_used: float = 0.0  # monotonic start of the latest request


class Limiter:
    """Per-host and global concurrency, per-host spacing. One per Crawler."""

    def __init__(
        self,
        *,
        per_host: int,
        global_limit: int,
        delay: float,
        fleet: RedisLimiter | None = None,
    ) -> None:
        self._per_host = max(1, per_host)
        self.fleet = fleet
        self._global = anyio.Semaphore(max(1, global_limit))
        self._delay = max(0.0, delay)
        self._hosts: dict[str, _Host] = {}

    def _host(self, key: str) -> _Host:
        host = self._hosts.get(key)
        if host is None:
            if len(self._hosts) > 10_000:
                self._forget_idle()
            host = self._hosts[key] = _Host(anyio.Semaphore(self._per_host), self._delay)
        return host

    def _forget_idle(self) -> None:
        cutoff = time.monotonic() - 3600
        for key, host in list(self._hosts.items()):
            if host.in_flight == 0 and host.last_used < cutoff and host.next_start < cutoff:
                del self._hosts[key]

    def set_delay(self, key: str, delay: float) -> None:
        """Raise a host's spacing (robots.txt Crawl-delay); never lower it below the default."""
        host = self._host(key)
        host.delay = max(self._delay, delay)
        if host.last_used:
            # Also space the next request from the one that fetched robots.txt.
            host.next_start = max(host.next_start, host.last_used + host.delay)

    def delay_of(self, key: str) -> float:
        return self._host(key).delay

    def pause(self, key: str, seconds: float) -> None:
        """No request to this host starts for ``seconds`` (Retry-After)."""
        host = self._host(key)
        host.next_start = max(host.next_start, time.monotonic() + seconds)
        if self.fleet is not None:
            self.fleet.pause(key, seconds)

    @property
    def fleet_fallbacks(self) -> int:
        """Requests that went ahead without the fleet limiter (Redis away); 0 without one."""
        return self.fleet.fallbacks if self.fleet is not None else 0

    async def aclose(self) -> None:
        if self.fleet is not None:
            await self.fleet.aclose()

    @asynccontextmanager
    async def slot(self, key: str) -> AsyncIterator[None]:
        """Hold a request slot for ``key``. Waiting for the host's turn (here, then in
        the fleet) happens before a global slot is taken, so a slow or busy host does not
        hold global capacity while it waits."""
        host = self._host(key)
        async with host.slots:
            while True:
                wait = host.next_start - time.monotonic()
                if wait > 0:
                    await anyio.sleep(wait)
                lease = await self._fleet_acquire(key, host.delay)
                try:
                    await self._global.acquire()
                except BaseException:  # cancelled while waiting: free the fleet's slot now
                    await self._fleet_release(lease)
                    raise
                # No await between this check and the update: atomic for the event loop.
                if time.monotonic() >= host.next_start:
                    break
                # Paused (Retry-After) while we waited: give everything back, wait again.
                self._global.release()
                await self._fleet_release(lease)
            now = time.monotonic()
            host.next_start = now + host.delay
            host.in_flight += 1
            host.last_used = now
            try:
                yield
            finally:
                host.in_flight -= 1
                self._global.release()
                await self._fleet_release(lease)

    async def _fleet_acquire(self, key: str, delay: float) -> FleetLease | None:
        return None if self.fleet is None else await self.fleet.acquire(key, delay)

    async def _fleet_release(self, lease: FleetLease | None) -> None:
        if lease is not None and self.fleet is not None:
            # Also when the request was cancelled: the fleet's slot must not wait for
            # its lease to expire. (release() is bounded in time and never raises.)
            with anyio.CancelScope(shield=True):
                await self.fleet.release(lease)
