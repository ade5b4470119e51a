"""Contender (a): a plain Scrapy spider, breadth-first over every in-scope link.

Runs in the benchmark's own virtualenv (Scrapy is never a dependency of oitwatch), so it
imports nothing from oitwatch. It writes one JSON line per response, in the order the
responses arrived, and a summary line; the runner turns the order into "requests needed".

    <scrapy venv>/bin/python spider.py --seeds seeds.json --budget 60 --concurrency 16 \
        --per-site 2 --out fetched.jsonl

Settings are Scrapy's defaults except what the comparison fixes: robots.txt obeyed, no
delay, no AutoThrottle, the same concurrency as oitwatch (16 requests at once, 2 per site),
breadth-first (DEPTH_PRIORITY=1 with FIFO queues), the same page budget per site, and
links to documents followed (LinkExtractor skips .pdf/.docx/.xlsx by default, and the
evidence of most items is a document).
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections import Counter
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.linkextractors import LinkExtractor


def _site(url: str) -> str:
    """A site is a scheme + host:port: every generated site has its own port on 127.0.0.1."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _vm_hwm_kib() -> int:
    """Peak resident memory of this process (its own address space, since exec)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class PerSiteSlot:
    """Downloader middleware, before robots.txt's: one download slot per host:port (Scrapy
    keys slots by host name, which would put all 127.0.0.1 sites in one slot of 2), and the
    page budget per site (robots.txt requests are not counted, like oitwatch's)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.sent: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler):  # type: ignore[no-untyped-def]
        return cls(crawler.settings.getint("SITE_PAGE_BUDGET"))

    def process_request(self, request, spider=None):  # type: ignore[no-untyped-def]
        site = _site(request.url)
        request.meta["download_slot"] = site
        if urlsplit(request.url).path == "/robots.txt":
            return None
        if request.meta.get("redirect_times") or request.meta.get("retry_times"):
            return None  # the same page again (a redirect hop, a retry): counted once
        if self.sent[site] >= self.budget:
            raise IgnoreRequest("page budget of the site used")
        self.sent[site] += 1
        return None


class FollowAll(scrapy.Spider):
    name = "follow_all"

    def __init__(self, seeds: list[str], out: str, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.seeds = seeds
        self.out = open(out, "w", encoding="utf-8")  # noqa: SIM115 (closed on spider_closed)
        self.links = LinkExtractor(deny_extensions=[], tags=("a", "area", "iframe", "frame"),
                                   attrs=("href", "src"), unique=True)
        self.count = 0
        self.t0 = self.cpu0 = 0.0

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):  # type: ignore[no-untyped-def]
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.opened, signal=signals.spider_opened)
        crawler.signals.connect(spider.closed_, signal=signals.spider_closed)
        return spider

    def opened(self, spider):  # type: ignore[no-untyped-def]
        self.t0, self.cpu0 = time.perf_counter(), _cpu()

    def closed_(self, spider, reason):  # type: ignore[no-untyped-def]
        wall, cpu = time.perf_counter() - self.t0, _cpu() - self.cpu0
        self.out.write(json.dumps({"summary": True, "pages": self.count, "wall": wall,
                                   "cpu": cpu, "reason": reason,
                                   "vm_hwm_kib": _vm_hwm_kib()}) + "\n")
        self.out.close()

    async def start(self):  # Scrapy >= 2.13
        for request in self.start_requests():
            yield request

    def start_requests(self):  # type: ignore[no-untyped-def]
        for url in self.seeds:
            yield scrapy.Request(url, callback=self.parse, errback=self.failed,
                                 cb_kwargs={"seed": url})

    def _record(self, seed: str, request_url: str, url: str, status: int, ctype: str) -> None:
        self.count += 1
        self.out.write(json.dumps({"seed": seed, "request_url": request_url, "url": url,
                                   "status": status, "type": ctype}) + "\n")

    def failed(self, failure):  # type: ignore[no-untyped-def]
        response = getattr(failure.value, "response", None)
        if response is not None:  # an HTTP error status: a fetched page all the same
            request = failure.request
            self._record(request.cb_kwargs.get("seed", ""),
                         (request.meta.get("redirect_urls") or [request.url])[0],
                         response.url, response.status, "")

    def parse(self, response, seed: str):  # type: ignore[no-untyped-def]
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").split(";")[0]
        self._record(seed, (response.meta.get("redirect_urls") or [response.request.url])[0],
                     response.url, response.status, ctype)
        if not isinstance(response, TextResponse) or "html" not in ctype:
            return
        here = _site(seed)
        for link in self.links.extract_links(response):
            if _site(link.url) == here:
                yield scrapy.Request(link.url, callback=self.parse, errback=self.failed,
                                     cb_kwargs={"seed": seed})


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", required=True)
    parser.add_argument("--budget", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--per-site", type=int, default=2)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.seeds, encoding="utf-8") as fh:
        seeds = json.load(fh)
    process = CrawlerProcess(settings={
        "ROBOTSTXT_OBEY": True,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS": args.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": args.per_site,
        "DEPTH_PRIORITY": 1,
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        "SITE_PAGE_BUDGET": args.budget,
        "DOWNLOADER_MIDDLEWARES": {PerSiteSlot: 50},
        "HTTPERROR_ALLOW_ALL": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "USER_AGENT": "scrapy-benchmark (+oitwatch benchmarks/scrapy_compare)",
    })
    process.crawl(FollowAll, seeds=seeds, out=args.out)
    process.start()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
