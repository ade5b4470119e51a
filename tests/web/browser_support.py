"""Helpers of the real-browser tests (tests/web/test_web_browser.py): Chromium or a clear
failure, a hostile sample site, a real scan of sample sites into a real database, and a
guard that records what a page must never do (dialogs, CSP violations, script errors).

The data of these tests comes from a real scan (crawler → rules → storage), not from rows
written by hand: what the dashboard shows is what a monitor would see after `oitwatch scan`.
"""

from __future__ import annotations

import html
import os
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml

from oitwatch.sampleserver import CHECKED_ITEMS, SampleServer, make_png
from oitwatch.scan import ScanOptions, SiteTarget, scan_sites
from render import LAUNCH_ARGS, find_browser
from rules import load_catalog
from storage import AgencyInput, Database, Repository

__all__ = [
    "HOSTILE_AGENCY_NAME",
    "HOSTILE_STRINGS",
    "PageGuard",
    "ScannedSites",
    "chromium_path",
    "injected_elements",
    "scan_sample_sites",
    "squash",
    "wait_until",
    "write_hostile_site",
]

# What the hostile site writes into its titles and link texts, and the agency's name.
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
RICH = "[bold red]x[/bold red]"
HOSTILE_STRINGS = (SCRIPT, IMG, RICH)
HOSTILE_AGENCY_NAME = f"อบต.ทดสอบความปลอดภัย {SCRIPT} {IMG} {RICH}"

T = TypeVar("T")


def chromium_path() -> str:
    """The Chromium to drive. Missing: a failure under CI (the browser tests must run
    there), a skip naming the apt packages elsewhere."""
    location = find_browser()
    if location.path is None:
        message = (f"no Chromium for the browser tests ({location.reason}); "
                   "install it: apt-get install -y chromium fonts-thai-tlwg")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return location.path


def launch_args() -> list[str]:
    return list(LAUNCH_ARGS)


def squash(text: str) -> str:
    """Whitespace collapsed, as innerText and a template's line breaks differ."""
    return re.sub(r"\s+", " ", text).strip()


def wait_until(check: Callable[[], T], timeout: float, what: str, every: float = 0.25) -> T:
    """Poll ``check`` until it returns something truthy (returned), else fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


# -- the hostile site ------------------------------------------------------------------------

_E = html.escape  # in the HTML source the markup is text: &lt;script&gt;… (entities decoded)


def _page(title: str, body: str) -> str:
    # The <body> also holds real markup of the same kind: when the crawled page itself is
    # shown (the archived copy) its script and onerror handler must not run.
    return (
        '<!DOCTYPE html>\n<html lang="th"><head><meta charset="utf-8">'
        f"<title>{_E(title)}</title></head><body>\n"
        f"<script>alert(1)</script><img src=x onerror=alert(1)>\n"
        f"{body}\n</body></html>\n"
    )


_MENU = (
    '<ul id="menu">\n'
    '<li><a href="/">หน้าแรก</a></li>\n'
    f'<li><a href="/structure/">โครงสร้างส่วนราชการ {_E(SCRIPT)}</a></li>\n'
    f'<li><a href="/executives/">คณะผู้บริหาร {_E(IMG)}</a></li>\n'
    f'<li><a href="/contact/">ติดต่อเรา {_E(RICH)}</a></li>\n'
    "</ul>"
)

_STRUCTURE = """
<h2>โครงสร้างส่วนราชการ</h2>
<p><img src="/images/structure.png" alt="แผนภูมิโครงสร้างส่วนราชการองค์การบริหารส่วนตำบลทดสอบ"
 width="900" height="500"></p>
<h3>ฝ่ายการเมือง</h3>
<ul>
<li>นายกองค์การบริหารส่วนตำบล</li>
<li>รองนายกองค์การบริหารส่วนตำบล (๒ คน)</li>
<li>เลขานุการนายกองค์การบริหารส่วนตำบล</li>
<li>สภาองค์การบริหารส่วนตำบล (ประธานสภา รองประธานสภา สมาชิกสภา ๙ คน)</li>
</ul>
<h3>ฝ่ายข้าราชการประจำ</h3>
<ul>
<li>ปลัดองค์การบริหารส่วนตำบล <ul><li>รองปลัดองค์การบริหารส่วนตำบล</li></ul></li>
<li>สำนักปลัด (งานบริหารทั่วไป งานนโยบายและแผน งานป้องกันและบรรเทาสาธารณภัย)</li>
<li>กองคลัง (งานการเงินและบัญชี งานพัสดุและทรัพย์สิน งานพัฒนาและจัดเก็บรายได้)</li>
<li>กองช่าง (งานก่อสร้าง งานออกแบบและควบคุมอาคาร)</li>
<li>กองการศึกษา ศาสนาและวัฒนธรรม</li>
<li>หน่วยตรวจสอบภายใน</li>
</ul>
"""

_EXECUTIVES = """
<h2>คณะผู้บริหาร</h2>
<table>
<tr><td>นายสมชาย ใจดี</td><td>นายกองค์การบริหารส่วนตำบล</td><td>โทร. ๐๘๑-๐๐๐-๑๑๑๑</td></tr>
<tr><td>นางสาวสมหญิง รักงาน</td><td>รองนายกองค์การบริหารส่วนตำบล</td><td>โทร. ๐๘๑-๐๐๐-๒๒๒๒</td></tr>
<tr><td>นายสมศักดิ์ มั่นคง</td><td>ปลัดองค์การบริหารส่วนตำบล</td><td>โทร. ๐๘๑-๐๐๐-๓๓๓๓</td></tr>
</table>
"""

_CONTACT = """
<h2>ติดต่อเรา</h2>
<p>เลขที่ ๑ หมู่ที่ ๑ ตำบลทดสอบ อำเภอเมืองพิษณุโลก จังหวัดพิษณุโลก ๖๕๐๐๐</p>
<p>โทรศัพท์ ๐-๕๕๐๐-๐๐๐๐</p>
"""


def write_hostile_site(sites_dir: Path, name: str = "hostile") -> Path:
    """A sample site (samples/README.md format) whose page titles and link texts hold
    markup and Rich tags, and whose pages carry real script and ``onerror`` markup.
    Returns its folder."""
    root = sites_dir / name
    www = root / "www"
    for sub in ("structure", "executives", "contact", "images"):
        (www / sub).mkdir(parents=True, exist_ok=True)
    home_body = f"<h1>{_E(HOSTILE_AGENCY_NAME)}</h1>\n{_MENU}\n<p>ยินดีต้อนรับ {_E(RICH)}</p>"
    pages = {
        "index.html": _page(f"หน้าแรก {SCRIPT} {IMG} {RICH}", home_body),
        "structure/index.html": _page(f"โครงสร้างส่วนราชการ {SCRIPT} {IMG} {RICH}",
                                      _MENU + _STRUCTURE),
        "executives/index.html": _page(f"คณะผู้บริหาร {IMG} {RICH}", _MENU + _EXECUTIVES),
        "contact/index.html": _page(f"ติดต่อเรา {SCRIPT} {RICH}", _MENU + _CONTACT),
    }
    for rel, text in pages.items():
        (www / rel).write_text(text, encoding="utf-8")
    (www / "images" / "structure.png").write_bytes(make_png(90, 50, (120, 160, 200)))
    (www / "robots.txt").write_text("User-agent: *\nDisallow:\n", encoding="utf-8")
    # SampleServer reads site.yaml and wants an expectation for the checked items; these
    # tests never compare with it (they compare the dashboard with the database).
    expected = {code: {"status": "fail", "why": "not on this site"} for code in CHECKED_ITEMS}
    expected["O1"] = {"status": "pass", "accept": ["pass", "partial", "fail"],
                      "why": "structure page (title and link text hostile)"}
    config = {
        "name_th": HOSTILE_AGENCY_NAME,
        "name_en": "Hostile titles test site (invented)",
        "agency_type": "อบต.",
        "province": "พิษณุโลก",
        "district": "เมืองพิษณุโลก",
        "style": "hand-written: markup and Rich tags in titles and link texts",
        "encoding": "utf-8",
        "expected_site_status": "ok",
        "expected": expected,
    }
    (root / "site.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                    encoding="utf-8")
    return root


# -- a real scan -----------------------------------------------------------------------------


@dataclass
class ScannedSites:
    """Sample sites served on 127.0.0.1, registered as agencies and scanned as one run."""

    url: str  # database URL
    repo: Repository
    run_id: int
    home: Path  # archives, screenshots
    codes: dict[str, str]  # site name -> agency code
    agency_ids: dict[str, int]  # site name -> agency id
    site_urls: dict[str, str]  # site name -> home page URL
    scan_ids: dict[str, int] = field(default_factory=dict)  # site name -> site scan id

    @property
    def archive_dir(self) -> Path:
        return self.home / "archives"

    @property
    def screenshot_dir(self) -> Path:
        return self.home / "screenshots"

    def scan_options(self, **changes: Any) -> dict[str, Any]:
        """ScanOptions fields for scans started from the dashboard over these sites."""
        return {"min_delay": 0.0, "max_pages": 20, "render": "never", "screenshots": False,
                "archive": True, "archive_dir": str(self.archive_dir),
                "screenshot_dir": str(self.screenshot_dir), **changes}


def register_sites(repo: Repository, servers: list[SampleServer]) -> dict[str, str]:
    """The served sites as registry agencies (codes ``web-<site>``), as the demo does."""
    rows = []
    for server in servers:
        for site in server.sites:
            rows.append(AgencyInput(
                code=f"web-{site.name}",
                name=str(site.config.get("name_th") or site.name),
                type=site.config.get("agency_type"),
                province=site.config.get("province"),
                district=str(site.config.get("district") or "").replace("(invented)", "").strip()
                or None,
                homepage=site.url,
                catalog="ita-2566",
            ))
    repo.import_agencies(rows)
    return {row.code.removeprefix("web-"): row.code for row in rows}


@contextmanager
def served_sites(names: tuple[str, ...], extra_dir: Path | None) -> Iterator[list[SampleServer]]:
    """The bundled sample sites ``names`` plus every site of ``extra_dir``, served."""
    with ExitStack() as stack:
        servers = [stack.enter_context(SampleServer(only=names))]
        if extra_dir is not None:
            servers.append(stack.enter_context(SampleServer(extra_dir)))
        yield servers


def scan_sample_sites(
    home: Path, servers: list[SampleServer], *, database_url: str | None = None,
    **options: Any,
) -> ScannedSites:
    """Register the served sites and scan them all as one run (the real scan path)."""
    url = database_url or f"sqlite:///{home}/web-browser.sqlite3"
    db = Database(url)
    db.upgrade()
    repo = Repository(db)
    codes = register_sites(repo, servers)
    records = {a.code: a for a in repo.list_agencies(codes=list(codes.values()))}
    sites = [site for server in servers for site in server.sites]
    targets = [SiteTarget(site.url, records[codes[site.name]].id) for site in sites]
    settings: dict[str, Any] = {
        "min_delay": 0.0, "max_pages": 60, "archive": True, "render": "never",
        "screenshots": False, "archive_dir": str(home / "archives"),
        "screenshot_dir": str(home / "screenshots"), "trigger": "test", **options,
    }
    # In a thread of its own: scan_sites runs an event loop, and Playwright's sync API may
    # already run one in this thread.
    with ThreadPoolExecutor(1) as pool:
        report = pool.submit(scan_sites, targets, load_catalog("ita-2566"), repo,
                             ScanOptions(**settings)).result()
    assert report.run_id is not None
    scanned = ScannedSites(
        url=url, repo=repo, run_id=report.run_id, home=home, codes=codes,
        agency_ids={name: records[code].id for name, code in codes.items()},
        site_urls={site.name: site.url for site in sites},
    )
    snapshot = repo.run_snapshot(report.run_id)
    by_agency = {s.agency_id: s.site_scan_id for s in snapshot.sites}
    scanned.scan_ids = {name: by_agency[aid] for name, aid in scanned.agency_ids.items()}
    return scanned


# -- what a page must never do ---------------------------------------------------------------


@dataclass
class PageGuard:
    """Records a page's dialogs (dismissed at once), console errors and uncaught script
    errors, each with the URL of the page it happened on."""

    dialogs: list[tuple[str, str]] = field(default_factory=list)  # (page URL, message)
    console_errors: list[tuple[str, str]] = field(default_factory=list)
    page_errors: list[tuple[str, str]] = field(default_factory=list)
    failed_loads: list[tuple[str, int]] = field(default_factory=list)  # (URL, HTTP status)

    def attach(self, page: Any) -> PageGuard:
        def on_dialog(dialog: Any) -> None:
            self.dialogs.append((page.url, dialog.message))
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("console", lambda msg: self.console_errors.append((page.url, msg.text))
                if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.page_errors.append((page.url, str(exc))))
        page.on("response", lambda r: self.failed_loads.append((r.url, r.status))
                if r.status >= 400 else None)
        return self

    def broken_resources(self, base_url: str, *, expected: tuple[str, ...] = ()) -> list[str]:
        """Dashboard URLs (pages, /static files, thumbnails) that answered 4xx/5xx, but
        the browser's own /favicon.ico probe and the ``expected`` paths (e.g. a 401 page)."""
        return [
            f"{url}: {status}" for url, status in self.failed_loads
            if url.startswith(base_url) and url != base_url + "/favicon.ico"
            and url.removeprefix(base_url) not in expected
        ]

    def blocked_scripts(self, url: str) -> int:
        """How many script executions Chromium blocked on ``url`` (a sandboxed page)."""
        return sum(1 for where, text in self.console_errors
                   if where == url and text.startswith("Blocked script execution"))

    def csp_violations(self, base_url: str, *, except_paths: tuple[str, ...] = ()) -> list[str]:
        """Console errors about the Content-Security-Policy on the dashboard's own pages
        (the sandboxed archived copies are expected to have their scripts blocked)."""
        return [
            f"{url}: {text}" for url, text in self.console_errors
            if url.startswith(base_url)
            and not any(url.startswith(base_url + p) for p in except_paths)
            and ("Content Security Policy" in text or "Refused to" in text)
        ]


# Elements and attributes a hostile title would create if it reached the DOM as markup: any
# on* handler, an <img src=x>, a script not loaded from /static/, an element from a <title>.
_INJECTED_JS = """
() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.toLowerCase().startsWith('on')) {
        found.push(el.tagName + '[' + attr.name + ']');
      }
    }
  }
  for (const img of document.querySelectorAll('img')) {
    if (img.getAttribute('src') === 'x') found.push('img[src=x]');
  }
  for (const s of document.querySelectorAll('script')) {
    const src = s.getAttribute('src') || '';
    if (!src.startsWith('/static/')) found.push('script:' + (src || s.textContent.slice(0, 40)));
  }
  for (const a of document.querySelectorAll('a[href]')) {
    if (a.getAttribute('href').trim().toLowerCase().startsWith('javascript:')) {
      found.push('a[href=javascript:]');
    }
  }
  return found;
}
"""


def injected_elements(page: Any) -> list[str]:
    """What in the page's DOM looks like markup injected from crawled text (empty: none)."""
    return list(page.evaluate(_INJECTED_JS))
