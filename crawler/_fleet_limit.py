"""Fleet-wide politeness: per-host limits shared by every worker through Redis.

One agency server may be scanned by many processes at once (Celery workers on several
machines, each crawling a few sites that happen to live on the same host). The local
:class:`~crawler._politeness.Limiter` only sees its own process, so N workers would hit the
host N times as hard. :class:`RedisLimiter` keeps, per ``host:port`` and for every process
that uses the same Redis and key prefix:

- at most ``per_host`` requests in flight: each request holds a *lease*, a member of a
  sorted set scored by its expiry time. A lease that is not released (the worker was
  SIGKILLed, the machine vanished) simply expires after ``lease_ttl`` seconds and its slot
  is free again; a request that runs long has its lease renewed every ``lease_ttl / 3``;
- at least ``delay`` seconds between the starts of two requests: the time before which no
  request may start is kept next to the leases.

Both decisions are taken in one Lua script (atomic in Redis, run by EVALSHA through
redis-py's ``register_script``) against Redis's own clock (``TIME``), so clocks of the
worker machines need not agree. No kept library does exactly this (``limits`` is a rate
limiter without concurrency leases, Redis lock libraries are mutexes without spacing), and
a dozen lines of Lua are easier to audit than a dependency.

Waiting is polling with jitter (the script tells how long until the host's next turn; a
full host is polled at most every quarter second), never a busy loop. Redis that cannot
be reached, or answers with an error, never stops a scan: the request goes ahead under the
local limiter alone, a warning is logged, Redis is tried again after ``retry_down``
seconds, and :attr:`RedisLimiter.fallbacks` counts such requests so that the crawl of each
site can say so in its notes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
import time
import uuid
from dataclasses import dataclass
from typing import Any

import anyio

__all__ = ["FleetLease", "RedisLimiter"]

logger = logging.getLogger("crawler.fleet")

# KEYS[1]: the host's leases, a sorted set: member = lease token, score = expiry (ms, Redis clock)
# KEYS[2]: the host's next start (ms, Redis clock): no request may start before it
# ARGV: token, per_host, delay_ms, ttl_ms
# Returns {1, 0} (granted), {0, ms, 0} (spacing: the host's turn comes in ms) or
# {0, ms, 1} (full: the earliest lease expires in ms, unless released sooner).
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[4])
-- leases nobody renewed (their worker died) free their slots here
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tonumber(first[2]) - now, 1}
end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nxt then
  return {0, nxt - now, 0}
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
-- the set outlives its latest lease only briefly: idle hosts leave no keys behind
redis.call('PEXPIRE', KEYS[1], ttl + 1000)
local delay = tonumber(ARGV[3])
redis.call('SET', KEYS[2], now + delay, 'PX', delay + 1000)
return {1, 0}
"""

# KEYS[1]: leases; ARGV: ttl_ms, token...  Pushes the expiry of each still-held lease to
# now + ttl. Returns how many were still there (a lost one had expired: the loop stalled).
_RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[1])
local kept = 0
for i = 2, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], now + ttl, ARGV[i])
    kept = kept + 1
  end
end
if kept > 0 then redis.call('PEXPIRE', KEYS[1], ttl + 1000) end
return kept
"""

# KEYS[1]: next start; ARGV: ms. Retry-After: no request to the host starts for ms, in
# any worker (never shortens a longer pause).
_PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_ = now + tonumber(ARGV[1])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > nxt then
  redis.call('SET', KEYS[1], until_, 'PX', tonumber(ARGV[1]) + 1000)
end
return 1
"""

_MAX_POLL = 0.25  # longest sleep between two looks at a full host
_CALL_TIMEOUT = 3.0  # one Redis round trip, connection included


@dataclass(frozen=True, slots=True)
class FleetLease:
    key: str  # host:port
    token: str


class RedisLimiter:
    """Per-host concurrency and spacing across processes. One per Crawler; used by
    :class:`~crawler._politeness.Limiter` (``acquire`` after the local host slot,
    ``release`` when the request is done), never alone."""

    def __init__(
        self,
        url: str,
        *,
        per_host: int,
        prefix: str = "oitwatch:",
        lease_ttl: float = 70.0,
        retry_down: float = 30.0,
        client: Any = None,
    ) -> None:
        import redis.asyncio as aioredis  # only processes with a fleet limiter need it

        self._per_host = max(1, per_host)
        self._prefix = prefix
        self._ttl_ms = max(1000, int(lease_ttl * 1000))
        self._retry_down = retry_down
        self._redis = client or aioredis.Redis.from_url(
            url,
            socket_timeout=2.0,
            socket_connect_timeout=2.0,
            retry_on_timeout=False,
            health_check_interval=30,
        )
        self._acquire = self._redis.register_script(_ACQUIRE)
        self._renew = self._redis.register_script(_RENEW)
        self._pause = self._redis.register_script(_PAUSE)
        self._owner = f"{socket.gethostname()}:{os.getpid()}"
        self._held: dict[str, FleetLease] = {}  # token -> lease, renewed while held
        self._renewer: asyncio.Task[None] | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self._down_until = 0.0  # monotonic; Redis is not asked before then
        self.fallbacks = 0  # requests that went ahead under the local limiter only
        self.last_error = ""

    # -- keys ---------------------------------------------------------------------------

    def _keys(self, key: str) -> list[str]:
        # The {hash tag} keeps both keys of a host in one Redis Cluster slot (one script).
        base = f"{self._prefix}fleet:{{{key}}}"
        return [f"{base}:leases", f"{base}:next"]

    # -- availability -------------------------------------------------------------------

    def _usable(self) -> bool:
        if time.monotonic() >= self._down_until:
            return True
        self.fallbacks += 1
        return False

    def _failed(self, exc: BaseException) -> None:
        self.fallbacks += 1
        self.last_error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        if time.monotonic() >= self._down_until:  # once per outage, not per request
            logger.warning(
                "fleet limiter: Redis unavailable (%s); per-host limits are kept within "
                "this process only, Redis is tried again in %.0f s",
                self.last_error, self._retry_down,
            )
        self._down_until = time.monotonic() + self._retry_down

    async def _call(self, script: Any, keys: list[str], args: list[Any]) -> Any:
        with anyio.fail_after(_CALL_TIMEOUT):
            return await script(keys=keys, args=args)

    # -- acquire / release --------------------------------------------------------------

    async def acquire(self, key: str, delay: float) -> FleetLease | None:
        """Wait until this process may start a request to ``key`` (``host:port``) as far as
        the whole fleet is concerned; the lease to release afterwards, or None when Redis
        is away (the caller relies on its local limits)."""
        if not self._usable():
            return None
        lease = FleetLease(key, f"{self._owner}:{uuid.uuid4().hex[:12]}")
        keys = self._keys(key)
        args = [lease.token, self._per_host, max(0, int(delay * 1000)), self._ttl_ms]
        poll = 0.02
        while True:
            try:
                granted, wait_ms, *full = await self._call(self._acquire, keys, args)
            except anyio.get_cancelled_exc_class():
                # Cancelled mid-call: the script may have granted. Give it back (removing
                # a token that was never added is harmless).
                with anyio.CancelScope(shield=True):
                    await self._release_quietly(lease)
                raise
            except Exception as exc:  # noqa: BLE001 - any Redis failure: local limits only
                self._failed(exc)
                return None
            if granted:
                self._held[lease.token] = lease
                self._start_renewer()
                return lease
            if full and full[0]:
                # Full: a slot frees when a request ends (we cannot see when) or, at the
                # latest, when the earliest lease expires. Poll, backing off to _MAX_POLL.
                sleep = min(wait_ms / 1000, poll) * random.uniform(0.75, 1.25)
                poll = min(poll * 1.5, _MAX_POLL)
            else:
                # Spacing: the host's turn is known exactly; a little jitter keeps the
                # waiters of several processes from all asking at the same millisecond.
                sleep = wait_ms / 1000 + random.uniform(0.0, 0.01)
            await anyio.sleep(max(0.001, sleep))

    async def release(self, lease: FleetLease) -> None:
        """Free the slot (never raises; a lease that could not be freed expires)."""
        self._held.pop(lease.token, None)
        await self._release_quietly(lease)

    async def _release_quietly(self, lease: FleetLease) -> None:
        if time.monotonic() < self._down_until:
            return
        try:
            with anyio.fail_after(_CALL_TIMEOUT):
                await self._redis.zrem(self._keys(lease.key)[0], lease.token)
        except Exception as exc:  # noqa: BLE001
            self._failed(exc)

    def pause(self, key: str, seconds: float) -> None:
        """Retry-After for every worker: pushed to Redis in the background (called from
        synchronous code inside the crawl)."""
        if seconds <= 0 or time.monotonic() < self._down_until:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        task = loop.create_task(self._push_pause(key, seconds))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _push_pause(self, key: str, seconds: float) -> None:
        try:
            await self._call(self._pause, self._keys(key)[1:], [int(seconds * 1000)])
        except Exception as exc:  # noqa: BLE001
            self._failed(exc)

    # -- renewal ------------------------------------------------------------------------

    def _start_renewer(self) -> None:
        if self._renewer is None or self._renewer.done():
            self._renewer = asyncio.get_running_loop().create_task(self._renew_held())

    async def _renew_held(self) -> None:
        """While leases are held, push their expiry every third of the TTL: a request may
        run longer than the TTL (a rendered page), a dead process's lease still expires."""
        while self._held:
            await asyncio.sleep(self._ttl_ms / 3000)
            by_key: dict[str, list[str]] = {}
            for token, lease in list(self._held.items()):
                by_key.setdefault(lease.key, []).append(token)
            for key, tokens in by_key.items():
                if time.monotonic() < self._down_until:
                    break
                try:
                    kept = await self._call(self._renew, self._keys(key)[:1],
                                            [self._ttl_ms, *tokens])
                except Exception as exc:  # noqa: BLE001
                    self._failed(exc)
                    break
                if int(kept) < len(tokens):
                    logger.warning("fleet limiter: %d lease(s) on %s expired before renewal",
                                   len(tokens) - int(kept), key)

    async def aclose(self) -> None:
        for task in [self._renewer, *self._background]:
            if task is not None and not task.done():
                task.cancel()
        self._held.clear()
        with contextlib.suppress(Exception):  # closing a broken connection
            await self._redis.aclose()
