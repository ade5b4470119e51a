"""The network layer: an SSRF-guarded httpx transport.

A page can link to, or redirect to, ``http://169.254.169.254/`` (cloud
metadata), ``http://127.0.0.1:6379/`` or a host name whose DNS record points
into our own network. Checking the URL's host before the request is not
enough: the name could resolve to a public address at check time and to a
private one at connect time (DNS rebinding). So the check lives where the
socket is opened: :class:`GuardedBackend` (an httpcore network backend)
resolves the name itself, refuses if any address is not public, and connects
to the address it checked. Every request and every redirect hop goes through
it, because every connection does.

One shared client serves sites with different policies (an intranet seed may
reach private addresses, a public seed may not), so :class:`GuardedTransport`
keeps two connection pools, and a request picks one with the
:data:`ALLOW_PRIVATE` request extension. Connections are therefore never
shared between the two policies.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
import ssl
import time
import warnings
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence

import anyio
import certifi
import httpcore
import httpx
from httpcore._backends.auto import AutoBackend  # the backend httpcore uses by default

__all__ = [
    "ALLOW_PRIVATE",
    "AddressRefused",
    "DNSLookupError",
    "GuardedTransport",
    "HostResolver",
    "Resolver",
    "forbidden_reason",
    "make_ssl_context",
]

ALLOW_PRIVATE = "oitwatch.allow_private"
"""Request extension: True lets this request connect to non-public addresses."""

Resolver = Callable[[str], Awaitable[Sequence[str]]]
"""An async function: host name → IP address strings (a test hook, or a custom DNS)."""


class AddressRefused(Exception):
    """The SSRF guard refused to connect. Not an httpx error on purpose: it must
    not be retried or mistaken for a network failure."""

    def __init__(self, host: str, address: str, why: str) -> None:
        self.host = host
        self.address = address
        self.why = why
        where = address if host == address else f"{host} resolves to {address}"
        super().__init__(f"{where}, a {why} address")


class DNSLookupError(httpcore.ConnectError):
    """The host name does not resolve. httpx re-raises it as ``httpx.ConnectError``
    with this exception as ``__cause__``, so the crawler can name the failure."""

    def __init__(self, host: str, detail: str, *, temporary: bool = False) -> None:
        self.host = host
        self.temporary = temporary
        super().__init__(f"DNS lookup failed: {host} ({detail})")


# NAT64 (RFC 6052) embeds an IPv4 address in the low 32 bits.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def forbidden_reason(address: str) -> str | None:
    """Why the crawler must not connect to ``address`` (e.g. "loopback"), or
    None for a public unicast address. Embedded IPv4 addresses (IPv4-mapped,
    NAT64, 6to4, Teredo) are judged by the IPv4 address they carry."""
    try:
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(
            address.split("%", 1)[0]
        )
    except ValueError:
        return "invalid"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            reason = forbidden_reason(str(embedded))
            if reason:
                return reason
    # Explicit checks first: is_global alone lets multicast through.
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("non-global", not ip.is_global),
    )
    for name, hit in checks:
        if hit:
            return name
    return None


async def system_resolve(host: str) -> list[str]:
    """Resolve with the system resolver (in a worker thread, as anyio does)."""
    try:
        infos = await anyio.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        temporary = exc.errno == socket.EAI_AGAIN
        raise DNSLookupError(host, exc.strerror or str(exc), temporary=temporary) from None
    except UnicodeError:
        raise DNSLookupError(host, "invalid host name") from None
    return [str(info[4][0]) for info in infos]


class HostResolver:
    """Host name → addresses, with the operator's pins and a small cache.

    ``pins`` are like curl's ``--resolve``: the operator says where a host is.
    A pinned address is configuration, not something a web page can change, so
    the guard trusts it. A custom ``resolver`` is not trusted: its answers are
    checked like DNS answers.
    """

    def __init__(
        self,
        resolver: Resolver | None = None,
        pins: Mapping[str, str] | None = None,
        ttl: float = 300.0,
        max_entries: int = 20_000,
    ) -> None:
        self._resolver = resolver or system_resolve
        self._pins = {k.lower().rstrip("."): v for k, v in (pins or {}).items()}
        self._ttl = ttl
        self._max_entries = max_entries
        self._cache: dict[str, tuple[float, list[str]]] = {}

    def pinned(self, host: str) -> bool:
        return host.lower().rstrip(".") in self._pins

    async def resolve(self, host: str) -> list[str]:
        """Addresses for ``host``, IPv4 first (many agency servers publish AAAA
        records that do not answer). Raises :class:`DNSLookupError`."""
        host = host.lower().rstrip(".").strip("[]")
        if _is_ip(host):
            return [host]
        if host in self._pins:
            return [self._pins[host]]
        now = time.monotonic()
        cached = self._cache.get(host)
        if cached and cached[0] > now:
            return cached[1]
        found = list(await self._resolver(host))
        addresses = sorted(dict.fromkeys(a.split("%", 1)[0] for a in found), key=lambda a: ":" in a)
        if not addresses:
            raise DNSLookupError(host, "no addresses")
        if len(self._cache) >= self._max_entries:
            self._cache.clear()
        self._cache[host] = (now + self._ttl, addresses)
        return addresses


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks every address, then connects to a checked address."""

    def __init__(self, resolver: HostResolver, *, allow_private: bool, max_addresses: int = 3):
        self._resolver = resolver
        self._allow_private = allow_private
        self._max_addresses = max_addresses
        self._inner = AutoBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            with anyio.fail_after(timeout):
                addresses = await self._resolver.resolve(host)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"DNS lookup timed out: {host}") from None
        if not self._allow_private and not self._resolver.pinned(host):
            for address in addresses:
                why = forbidden_reason(address)
                if why:
                    # Refuse the host outright if any record is non-public: an
                    # attacker controlling DNS could otherwise mix records.
                    raise AddressRefused(host, address, why)
        last: Exception | None = None
        for address in addresses[: self._max_addresses]:
            try:
                return await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectTimeout:
                last = httpcore.ConnectTimeout(f"connect timeout: {address}:{port}")
            except httpcore.ConnectError as exc:
                last = httpcore.ConnectError(_connect_message(exc, address, port))
        assert last is not None
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not used by the crawler")

    async def sleep(self, seconds: float) -> None:
        await anyio.sleep(seconds)


def _connect_message(exc: BaseException, address: str, port: int) -> str:
    # anyio wraps the socket error: ConnectError <- OSError("All connection
    # attempts failed") <- OSError(ECONNREFUSED). Find the one with an errno.
    cause: BaseException | None = exc
    for _ in range(5):
        cause = cause.__cause__ or cause.__context__ if cause is not None else None
        if isinstance(cause, BaseExceptionGroup) and cause.exceptions:
            cause = cause.exceptions[0]
        if isinstance(cause, OSError) and cause.errno is not None:
            if cause.errno == errno.ECONNREFUSED:
                return f"connection refused: {address}:{port}"
            return f"cannot connect to {address}:{port}: {cause.strerror or cause}"
    text = str(exc)
    if "refused" in text.lower():
        return f"connection refused: {address}:{port}"
    return f"cannot connect to {address}:{port}: {text or type(exc).__name__}"


def make_ssl_context(verify: bool) -> ssl.SSLContext:
    """TLS settings. With ``verify=False`` (the crawler's default) we accept
    what old agency servers offer: expired or self-signed certificates, TLS 1.0
    and legacy renegotiation. We only read public pages and never send a
    secret, so a forged certificate could at worst feed us a wrong page; a
    strict client would instead report many live sites as down."""
    if verify:
        return ssl.create_default_context(cafile=certifi.where())
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.options |= getattr(ssl, "OP_LEGACY_SERVER_CONNECT", 0x4)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0 is deprecated: we know
            context.minimum_version = ssl.TLSVersion.TLSv1
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
    except (ValueError, ssl.SSLError):  # an OpenSSL build without them: keep defaults
        pass
    return context


class _PoolTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with our network backend. httpx 0.28 has no parameter
    for the backend, so the pool it builds in ``__init__`` is replaced (it has
    not opened anything yet)."""

    def __init__(
        self, backend: httpcore.AsyncNetworkBackend, context: ssl.SSLContext, limits: httpx.Limits
    ) -> None:
        super().__init__(verify=context, limits=limits, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=backend,
        )


class GuardedTransport(httpx.AsyncBaseTransport):
    """Two SSRF-guarded pools: strict (public addresses only) and open."""

    def __init__(
        self,
        *,
        verify_tls: bool,
        resolver: HostResolver,
        limits: httpx.Limits,
    ) -> None:
        context = make_ssl_context(verify_tls)
        self._strict = _PoolTransport(
            GuardedBackend(resolver, allow_private=False), context, limits
        )
        self._open = _PoolTransport(GuardedBackend(resolver, allow_private=True), context, limits)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        pool = self._open if request.extensions.get(ALLOW_PRIVATE) else self._strict
        return await pool.handle_async_request(request)

    async def aclose(self) -> None:
        try:
            await self._strict.aclose()
        finally:
            await self._open.aclose()
