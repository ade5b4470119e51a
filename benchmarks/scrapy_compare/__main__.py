"""oitwatch against Scrapy on one loopback farm of generated agency sites, in one run.

    .venv/bin/python -m benchmarks.scrapy_compare --sites 50 --max-pages 60

One farm (``oitwatch.sampleserver.generate_sites``, seed 0), served from its own process,
is crawled by each contender in turn, each in its own subprocess (its CPU and peak RSS are
read from the kernel's rusage of that process):

  scrapy      (a) a plain Scrapy spider following every in-scope link breadth-first
  crawl-bare  (b') oitwatch's crawler alone, documents fetched but not read, no images
  crawl       (b) oitwatch's crawler alone as shipped (document text read), no scorer
  scan        (c) oitwatch with the rules steering the crawl and judging all 43 items

Same page budget per site, delay 0, 16 requests at once, 2 per site, robots.txt obeyed.
"Requests needed": for every passing item of the ``scan`` run, the URLs of its evidence that
meet the requirements (a page or document itself; for an off-site link or an image, the
page showing it); per contender and site, the position in that contender's fetch order at
which the last of them was fetched. Scrapy is installed in its own virtualenv
(``--scrapy-venv``, created on first use with ``pip install scrapy``), never in oitwatch's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.__main__ import _served
from crawler._url import dedup_key, normalize_url
from oitwatch import __version__
from oitwatch.sampleserver import default_sites_dir, generate_sites, load_site_config

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CONTENDERS = ("scrapy", "crawl-bare", "crawl", "scan")
LABELS = {
    "scrapy": "(a) Scrapy, breadth-first, every in-scope link",
    "crawl-bare": "(b') oitwatch crawler, documents not read",
    "crawl": "(b) oitwatch crawler alone (no scorer, no rules)",
    "scan": "(c) oitwatch scan (rules + documents)",
}


def ensure_scrapy_venv(venv: Path) -> Path:
    """The benchmark's own environment with Scrapy from PyPI; oitwatch's stays untouched."""
    python = venv / "bin" / "python"
    if python.exists() and subprocess.run([python, "-c", "import scrapy"],
                                          capture_output=True).returncode == 0:
        return python
    base = getattr(sys, "_base_executable", None) or "python3"
    print(f"creating {venv} with Scrapy (pip install scrapy)", file=sys.stderr, flush=True)
    subprocess.run([base, "-m", "venv", str(venv)], check=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "scrapy"], check=True)
    return python


def _key(url: str) -> str | None:
    normal = normalize_url(url)
    return dedup_key(normal) if normal else None


def _run(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run one contender; its rusage (CPU, peak RSS) comes from wait4 on its pid."""
    load0 = os.getloadavg()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"contender failed ({proc.returncode}): {' '.join(cmd)}")
    return {
        "process_wall_seconds": time.perf_counter() - t0,
        "process_cpu_seconds": usage.ru_utime + usage.ru_stime,
        # not ru_maxrss: Linux carries the parent's RSS at fork into the child's maxrss;
        # the contender reports its own VmHWM (peak of its own address space) instead
        "load_before": [round(x, 2) for x in load0],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }


def _read(path: Path) -> tuple[dict[str, list[tuple[str | None, str | None]]], dict[str, Any],
                               dict[str, Any]]:
    """Fetch order per site (request and final URL keys), the summary, the scan's sites."""
    order: dict[str, list[tuple[str | None, str | None]]] = {}
    summary: dict[str, Any] = {}
    sites: dict[str, Any] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("summary"):
            summary = row
        elif "site" in row:
            sites[row["site"]] = row
        else:
            order.setdefault(row["seed"], []).append((_key(row["request_url"]), _key(row["url"])))
    return order, summary, sites


def _needed_urls(item: dict[str, Any]) -> list[str]:
    """What must have been fetched to see each piece of the item's evidence that meets the
    requirements, best first: the page or document itself when the scan fetched it; else
    (an off-site link, an image, a document judged from its link) the page showing it."""
    urls = []
    for ev in item["evidence"]:
        if not ev["meets"]:
            continue
        if ev["kind"] in ("page", "document") and ev["fetched"]:
            url = ev["url"]
        else:
            path = ev["path"]
            url = path[-2] if len(path) >= 2 else (path[0] if path else ev["url"])
        key = _key(url)
        if key and key not in urls:
            urls.append(key)
    return urls


def _position(order: list[tuple[str | None, str | None]]) -> dict[str, int]:
    first: dict[str, int] = {}
    for index, keys in enumerate(order, start=1):
        for key in keys:
            if key is not None:
                first.setdefault(key, index)
    return first


MEASURES = ("best", "all", "any")


def requests_needed(order: list[tuple[str | None, str | None]], items: list[list[str]],
                    measure: str) -> tuple[int | None, int]:
    """(fetches needed, items missed) for one site: the position in the fetch order at which
    the evidence of every passing item had been fetched, or None when some never was.

    measure "best": each item's first evidence (the one its report shows); "all": every
    piece of evidence that meets the requirements; "any": at least one of them."""
    first = _position(order)
    needed, missed = 0, 0
    for urls in items:
        urls = urls[:1] if measure == "best" else urls
        seen = [first[u] for u in urls if u in first]
        if not urls or not seen or (measure != "any" and len(seen) < len(urls)):
            missed += 1
            continue
        needed = max(needed, min(seen) if measure == "any" else max(seen))
    return (None if missed else needed), missed


def _median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


def _analyse(runs: dict[str, dict[str, Any]], passing: dict[str, list[list[str]]],
             expected: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One budget's figures for every contender, against the reference passing items."""
    scan_sites = runs["scan"]["sites"]
    as_expected = judged = 0
    for seed, want in expected.items():
        found = {i["code"]: i["status"] for i in scan_sites.get(seed, {}).get("items", [])}
        for code, status in want.items():
            judged += 1
            as_expected += found.get(code) == (status["status"] if isinstance(status, dict)
                                               else str(status))
    per_site = {m: {name: {seed: requests_needed(run["order"].get(seed, []), items, m)
                           for seed, items in passing.items()}
                    for name, run in runs.items()}
                for m in MEASURES}
    common = {m: [seed for seed in passing
                  if all(per_site[m][name][seed][0] is not None for name in runs)]
              for m in MEASURES}
    rows = []
    for name, run in runs.items():
        pages = run["summary"]["pages"]
        wall, cpu = run["summary"]["wall"], run["summary"]["cpu"]
        row: dict[str, Any] = {
            "contender": name,
            "label": LABELS[name],
            "pages": pages,
            "crawl_wall_seconds": round(wall, 2),
            "pages_per_second": round(pages / wall, 1) if wall else None,
            "cpu_ms_per_page": round(1000 * cpu / pages, 2) if pages else None,
            "process_cpu_ms_per_page": round(1000 * run["process_cpu_seconds"] / pages, 2)
            if pages else None,
            "peak_rss_mib": round(run["summary"]["vm_hwm_kib"] / 1024, 1),
            "load_before": run["load_before"],
            "load_after": run["load_after"],
        }
        for m in MEASURES:
            needs = per_site[m][name]
            complete = [v[0] for v in needs.values() if v[0] is not None]
            row[f"{m}:sites_complete"] = len(complete)
            row[f"{m}:items_missed"] = sum(v[1] for v in needs.values())
            row[f"{m}:median"] = _median(complete)  # type: ignore[arg-type]
            row[f"{m}:total_common"] = sum(needs[s][0] for s in common[m])  # type: ignore[misc]
        rows.append(row)
    base = next(r for r in rows if r["contender"] == "scan")

    def ratio(a: float | None, b: float | None) -> float | None:
        return round(a / b, 2) if a is not None and b else None

    for row in rows:
        row["pages_per_second_vs_scan"] = ratio(row["pages_per_second"], base["pages_per_second"])
        row["cpu_per_page_vs_scan"] = ratio(row["cpu_ms_per_page"], base["cpu_ms_per_page"])
        for m in MEASURES:
            row[f"{m}:total_vs_scan"] = ratio(row[f"{m}:total_common"], base[f"{m}:total_common"])
    return {
        "sites_complete_for_every_contender": {m: len(common[m]) for m in MEASURES},
        "scan_items_as_expected": f"{as_expected}/{judged}",
        "results": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scrapy_compare",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=int, default=50, help="generated sites in the farm")
    parser.add_argument("--farm", choices=("generated", "samples"), default="generated",
                        help="generated: --sites sites from generate_sites (seed 0); samples: "
                        "the bundled sample sites (samples/sites: a deep portal among them)")
    parser.add_argument("--max-pages", type=int, nargs="+", default=[60, 20],
                        help="page budgets per site; the largest one's scan is the reference "
                        "for the passing items and their evidence")
    parser.add_argument("--concurrency", type=int, default=16, help="requests (sites) at once")
    parser.add_argument("--per-site", type=int, default=2, help="requests at once per site")
    parser.add_argument("--contenders", nargs="*", default=list(CONTENDERS), choices=CONTENDERS)
    parser.add_argument("--scrapy-venv", type=Path, default=ROOT / "benchmarks/.scrapy-venv")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/scrapy-compare.json")
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the farm and each contender's fetch log in this folder")
    args = parser.parse_args(argv)
    if "scan" not in args.contenders:
        parser.error("the scan contender is needed: its passing items define the evidence")
    budgets = sorted(set(args.max_pages), reverse=True)

    scrapy_python = ensure_scrapy_venv(args.scrapy_venv) if "scrapy" in args.contenders else None
    scrapy_version = (
        subprocess.run([scrapy_python, "-c", "import scrapy; print(scrapy.__version__)"],
                       capture_output=True, text=True).stdout.strip()
        if scrapy_python else None)
    runs: dict[int, dict[str, dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name) if args.keep is None else args.keep
        tmp.mkdir(parents=True, exist_ok=True)
        if args.farm == "samples":
            sites_dir = default_sites_dir()
        else:
            sites_dir = tmp / "sites"
            generate_sites(args.sites, sites_dir, seed=0)
        with _served(sites_dir) as served:
            seeds_file = tmp / "seeds.json"
            seeds_file.write_text(json.dumps(list(served)))
            for budget in budgets:
                common = ["--seeds", str(seeds_file), "--budget", str(budget),
                          "--concurrency", str(args.concurrency), "--per-site", str(args.per_site)]
                for name in args.contenders:
                    out = tmp / f"{name}-{budget}.jsonl"
                    if name == "scrapy":
                        cmd = [str(scrapy_python), str(HERE / "spider.py"), *common,
                               "--out", str(out)]
                    else:
                        cmd = [sys.executable, "-m", "benchmarks.scrapy_compare.contender", name,
                               *common, "--out", str(out)]
                    print(f"budget {budget}: running {name} ...", file=sys.stderr, flush=True)
                    proc = _run(cmd)
                    order, summary, sites = _read(out)
                    runs.setdefault(budget, {})[name] = {**proc, "order": order,
                                                         "summary": summary, "sites": sites}
        configs = {url: load_site_config(sites_dir / name) for url, name in served.items()}
        expected = {url: c["expected"] for url, c in configs.items()
                    if c["expected_site_status"] == "ok"}  # blocked sites have no items

    reference = runs[budgets[0]]["scan"]["sites"]
    passing = {seed: [_needed_urls(i) for i in site["items"] if i["status"] == "pass"]
               for seed, site in reference.items() if site["status"] == "ok"}
    doc = {
        "oitwatch": __version__,
        "scrapy": scrapy_version,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "farm": args.farm,
        "sites": len(configs),
        "concurrency": args.concurrency,
        "per_site": args.per_site,
        "reference_budget": budgets[0],
        "sites_ok_in_reference_scan": len(passing),
        "passing_items": sum(len(v) for v in passing.values()),
        "budgets": {str(b): _analyse(runs[b], passing, expected) for b in budgets},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2))
    keys = ["pages", "pages_per_second", "cpu_ms_per_page", "process_cpu_ms_per_page",
            "peak_rss_mib", "pages_per_second_vs_scan", "cpu_per_page_vs_scan",
            *(f"{m}:{k}" for m in MEASURES
              for k in ("sites_complete", "items_missed", "median", "total_common",
                        "total_vs_scan"))]
    print(json.dumps({k: v for k, v in doc.items() if k != "budgets"}, indent=1))
    for budget, part in doc["budgets"].items():
        rows = part["results"]
        print(f"\nbudget {budget} pages per site; scan items as expected "
              f"{part['scan_items_as_expected']}; sites complete for every contender "
              f"{part['sites_complete_for_every_contender']}")
        print(f"{'':>32}" + "".join(f"{r['contender']:>14}" for r in rows))
        for key in keys:
            print(f"{key:>32}" + "".join(f"{str(r[key]):>14}" for r in rows))
        for row in rows:
            print(f"load average {row['contender']}: {row['load_before']} -> {row['load_after']}")
    print(f"(full result: {args.out})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
