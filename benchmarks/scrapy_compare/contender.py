"""Contenders (b) and (c): oitwatch, each run in its own process by the runner.

    .venv/bin/python -m benchmarks.scrapy_compare.contender MODE --seeds seeds.json \
        --budget 60 --concurrency 16 --per-site 2 --out fetched.jsonl

MODE:
  crawl-bare  the crawler alone, no scorer, documents fetched but not read, no images
              (closest to what Scrapy does: fetch, parse, follow)
  crawl       the crawler alone, no scorer, no rules, as shipped (document text read,
              QR codes looked for on the home page); breadth-first without a scorer
  scan        oitwatch.scan.scan_sites: the rules' link scorer steers the crawl, all 43
              items of ita-2566 judged, documents read (render never, no screenshots,
              no archive, nothing stored)

Writes one JSON line per fetched page or document in fetch order (the crawl's
``SiteCrawl.pages`` order, which is the order ``on_page`` sees), then for ``scan`` one line
per site with its items' statuses and evidence, then a summary line with the crawl's
wall and CPU seconds (this process, after the imports).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import time
from pathlib import Path
from typing import Any, TextIO

from crawler import CrawlConfig, Crawler, Page, SiteCrawl


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


def _page_line(seed: str, page: Page) -> dict[str, Any]:
    return {"seed": seed, "request_url": page.url, "url": page.final_url or page.url,
            "status": page.status, "type": page.content_type, "kind": page.kind.value}


async def _crawl_only(seeds: list[str], config: CrawlConfig, concurrency: int,
                      out: TextIO) -> int:
    """Like scan_sites_async without the rules: one shared Crawler, sites bounded."""
    gate = asyncio.Semaphore(concurrency)

    async def one(crawler: Crawler, seed: str) -> SiteCrawl:
        async with gate:
            return await crawler.crawl(seed)

    async with Crawler(config) as crawler:
        sites = await asyncio.gather(*(one(crawler, s) for s in seeds))
    pages = 0
    for site in sites:
        for page in site.pages:
            if page.status:
                pages += 1
                out.write(json.dumps(_page_line(site.seed_url, page)) + "\n")
    return pages


def _scan(seeds: list[str], budget: int, concurrency: int, per_site: int,
          out: TextIO) -> int:
    from oitwatch.scan import ScanOptions, ScanProgress, scan_sites
    from rules import load_catalog

    order: list[dict[str, Any]] = []

    class Record(ScanProgress):
        def page_fetched(self, seed_url: str, page: Page) -> None:
            if page.status:
                order.append(_page_line(seed_url, page))

    options = ScanOptions(max_pages=budget, min_delay=0.0, per_host_concurrency=per_site,
                          site_concurrency=concurrency, trigger="benchmark", render="never",
                          screenshots=False, archive=False,
                          crawl={"global_concurrency": concurrency})
    run = scan_sites(seeds, load_catalog("ita-2566"), None, options, Record())
    for line in order:
        out.write(json.dumps(line) + "\n")
    for site in run.sites:
        items = [{"code": r.code, "status": r.status.value,
                  "evidence": [{"url": e.url, "kind": e.kind, "path": e.click_path_urls,
                                "meets": e.meets_requirements, "fetched": bool(e.sha256)}
                               for e in r.evidence]}
                 for r in site.items]
        out.write(json.dumps({"site": site.seed_url, "status": site.status,
                              "pages_fetched": site.pages_fetched, "items": items}) + "\n")
    return len(order)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scrapy_compare.contender")
    parser.add_argument("mode", choices=("crawl-bare", "crawl", "scan"))
    parser.add_argument("--seeds", type=Path, required=True)
    parser.add_argument("--budget", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--per-site", type=int, default=2)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    seeds = json.loads(args.seeds.read_text())
    with args.out.open("w", encoding="utf-8") as out:
        t0, cpu0 = time.perf_counter(), _cpu()
        if args.mode == "scan":
            pages = _scan(seeds, args.budget, args.concurrency, args.per_site, out)
        else:
            bare = args.mode == "crawl-bare"
            config = CrawlConfig(
                max_pages=args.budget, min_delay=0.0, per_host_concurrency=args.per_site,
                global_concurrency=args.concurrency, render="never", screenshot_dir=None,
                extract_documents=not bare, check_images=not bare,
            )
            pages = asyncio.run(_crawl_only(seeds, config, args.concurrency, out))
        wall, cpu = time.perf_counter() - t0, _cpu() - cpu0
        out.write(json.dumps({"summary": True, "pages": pages, "wall": wall, "cpu": cpu,
                              "vm_hwm_kib": _vm_hwm_kib()}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
