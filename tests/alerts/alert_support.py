"""Helpers for alert tests (the fixtures are in conftest.py): campaign runs stored through
the Repository, a real SMTP server (aiosmtpd) and a real HTTP server, both on 127.0.0.1.
"""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from alerts import AlertConfig, SmtpConfig, WebhookConfig
from crawler._models import Page, PageKind, SiteCrawl, SiteStatus
from rules._result import Evidence, ItemResult, ItemStatus, Reason
from storage import Repository

T0 = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)
PROVINCE = "ขอนแก่น"


# -- runs ---------------------------------------------------------------------------------


def ev(url: str, sha: str = "") -> Evidence:
    return Evidence(url=url, kind="page", click_path=["หน้าแรก"], click_path_urls=[url], matched="",
                    sha256=sha, meets_requirements=True)


def item(code: str, status: str, *evidence: Evidence, title_th: str | None = None) -> ItemResult:
    return ItemResult(
        code=code,
        title_th=title_th or f"รายการ {code}",
        title_en=f"item {code}",
        status=ItemStatus(status),
        evidence=list(evidence),
        reasons=[Reason(th="เหตุผล", en="reason")],
    )


@dataclass
class Site:
    url: str
    agency_id: int
    items: list[ItemResult] = field(default_factory=list)
    status: SiteStatus = SiteStatus.OK


def down(site_url: str, agency_id: int, codes: Sequence[str] = ("O1", "O2")) -> Site:
    """A site that did not answer: every item is "error"."""
    return Site(site_url, agency_id, [item(c, "error") for c in codes], SiteStatus.UNREACHABLE)


def _crawl(site: Site, when: datetime) -> SiteCrawl:
    pages = []
    seen: set[str] = set()
    for result in site.items:
        for e in result.evidence:
            if e.url not in seen:
                seen.add(e.url)
                pages.append(Page(url=e.url, final_url=e.url, kind=PageKind.PAGE, status=200,
                                  content_type="text/html", size=100, sha256=e.sha256,
                                  fetched_at=when, depth=1))
    return SiteCrawl(
        seed_url=site.url, final_url=site.url, status=site.status,
        reason="pages fetched" if site.status is SiteStatus.OK else "connection refused",
        started_at=when, finished_at=when + timedelta(minutes=3), pages=pages,
    )


def store_campaign(
    repo: Repository,
    sites: Sequence[Site],
    *,
    day: int = 0,
    schedule_id: int | None = None,
    selection: dict[str, Any] | None = None,
) -> int:
    """One complete campaign run of these sites, the way workers store it."""
    when = T0 + timedelta(days=day)
    run = repo.start_campaign_run(
        "ita-2566", 2566, "schedule" if schedule_id else "cli",
        {"extra": {"selection": selection or {"province": PROVINCE}}},
        [(s.url, s.agency_id) for s in sites], schedule_id=schedule_id,
    )
    for site in sites:
        claim = repo.claim_site_scan(run, site.url, site.agency_id, claim_key="test")
        assert claim.token is not None
        repo.finish_site_scan(claim.site_scan_id, _crawl(site, when), site.items,
                              token=claim.token)
    assert repo.finish_run_if_done(run)
    return run


def registry(repo: Repository, names: dict[str, str] | None = None) -> dict[str, int]:
    """Two agencies in ขอนแก่น, one in อุดรธานี."""
    ids = {}
    for code, province in [("6400101", PROVINCE), ("6400102", PROVINCE), ("4100101", "อุดรธานี")]:
        ids[code] = repo.upsert_agency(
            code=code,
            name=(names or {}).get(code, f"อบต.ทดสอบ {code}"),
            homepage=f"https://www.t{code}.go.th/",
            province=province,
        )
    return ids


def site_url(code: str) -> str:
    return f"https://www.t{code}.go.th/"


# -- a real SMTP server --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Sink:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)  # type: ignore[arg-type]
        )
        return "250 OK"


@dataclass
class SmtpServer:
    port: int
    sink: _Sink

    @property
    def messages(self) -> list[EmailMessage]:
        return self.sink.messages



def smtp_config(port: int) -> SmtpConfig:
    return SmtpConfig(host="127.0.0.1", port=port, security="none",
                      sender="oitwatch@monitor.go.th", timeout=5)


def alert_config(smtp_port: int | None = None) -> AlertConfig:
    return AlertConfig(
        smtp=smtp_config(smtp_port or free_port()),
        webhook=WebhookConfig(timeout=3, attempts=3, backoff=0.01, max_backoff=0.05),
    )


def parts(msg: EmailMessage) -> tuple[str, str]:
    """(plain text, HTML) of an alert."""
    plain = msg.get_body(preferencelist=("plain",))
    rich = msg.get_body(preferencelist=("html",))
    assert plain is not None and rich is not None
    return plain.get_content(), rich.get_content()  # type: ignore[attr-defined]


# -- a real HTTP server for webhooks -------------------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class HookServer:
    """Answers POSTs with the statuses in ``script`` (then 200), recording each request."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.script: list[int] = []
        self.always: int | None = None
        self.retry_after: str | None = None  # sent with a 429
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                outer.received.append(
                    Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                status = outer.always or (outer.script.pop(0) if outer.script else 200)
                self.send_response(status)
                if status == 429 and outer.retry_after is not None:
                    self.send_header("Retry-After", outer.retry_after)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

