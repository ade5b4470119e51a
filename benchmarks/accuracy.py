"""Accuracy benchmark: how often the scan's verdict is the one the sample site's author wrote.

Every bundled sample site (``samples/sites``) states the expected status of all 43 items
of ITA 2566 with the reason. This benchmark serves them on loopback, scans them with the
same options as the end-to-end tests, and reports, over the sites whose crawl is ``ok``:

- **accuracy**: items whose status is the expected one (or one of ``accept:``);
- **pass precision**: of the items the scan passed, how many should pass — a false pass
  misleads an auditor;
- **pass recall**: of the items that should pass, how many the scan passed — a missed
  item costs the agency points;
- the confusion matrix (expected × found) and the mismatching items with their reasons;
- **requests per site**, counted by the sample server (every HTTP request it answered,
  robots.txt and documents included) and pages fetched per site.

    ./dev bench-accuracy                       # writes benchmarks/results/accuracy.json
    ./dev bench-accuracy --render never --label static

Numbers are counts, not times: they are the same on every machine for the same code.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from oitwatch import __version__
from oitwatch.sampleserver import SampleServer, default_sites_dir
from oitwatch.scan import ScanOptions, scan_sites
from rules import load_catalog

STATUSES = ("pass", "partial", "fail", "error")


def _accepted(want: dict[str, Any]) -> tuple[str, ...]:
    return tuple(want.get("accept") or [want["status"]])


class _RequestCounter:
    """Requests answered per site. Newer sample servers count them themselves
    (``SampleServer.request_counts``); for an older checkout (the "before" figures) the
    request handler is wrapped."""

    def __init__(self, server: SampleServer) -> None:
        self.server = server
        self.by_port: Counter[int] = Counter()
        self._lock = threading.Lock()
        if not hasattr(server, "request_counts"):
            from oitwatch import sampleserver

            handle = sampleserver._Handler._handle
            counter = self

            def counting(handler: Any, method: str) -> None:
                with counter._lock:
                    counter.by_port[handler.server.server_address[1]] += 1
                handle(handler, method)

            sampleserver._Handler._handle = counting  # type: ignore[method-assign]

    def counts(self) -> dict[str, int]:
        if hasattr(self.server, "request_counts"):
            return dict(self.server.request_counts())
        out = {}
        for site in self.server.sites:
            port = int(site.url.rsplit(":", 1)[1].strip("/"))
            out[site.name] = self.by_port.get(port, 0)
        return out


def measure(sites_dir: Path, options: ScanOptions, catalog_id: str = "ita-2566") -> dict[str, Any]:
    catalog = load_catalog(catalog_id)
    server = SampleServer(sites_dir)
    counter = _RequestCounter(server)
    with server:
        sites = {site.url: site for site in server.sites}
        run = scan_sites(list(sites), catalog, None, options)
        requests = counter.counts()

    confusion: Counter[tuple[str, str]] = Counter()
    per_site: list[dict[str, Any]] = []
    mismatches: list[dict[str, Any]] = []
    tp = fp = fn = right = total = 0
    for report in run.sites:
        sample = sites[report.seed_url]
        expected = sample.config.get("expected") or {}
        site_right = site_total = 0
        for item in report.items:
            want = expected.get(item.code)
            if want is None or sample.expected_site_status != "ok":
                continue
            accepted = _accepted(want)
            got = item.status.value
            ok = got in accepted
            site_total += 1
            site_right += ok
            confusion[(want["status"], got)] += 1
            should_pass = "pass" in accepted
            tp += got == "pass" and should_pass
            fp += got == "pass" and not should_pass
            fn += got != "pass" and should_pass
            if not ok:
                mismatches.append({
                    "site": sample.name, "item": item.code, "expected": "/".join(accepted),
                    "found": got, "why_expected": want.get("why", ""),
                    "reasons": [r.en for r in item.reasons][:4],
                })
        right += site_right
        total += site_total
        per_site.append({
            "site": sample.name, "status": report.status, "items": site_total,
            "as_expected": site_right, "pages_fetched": report.pages_fetched,
            "requests": requests.get(sample.name, 0),
        })

    def ratio(a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    ok_sites = [s for s in per_site if s["status"] == "ok"]
    return {
        "oitwatch": __version__,
        "catalog": catalog_id,
        "render": options.render,
        "sites": len(per_site),
        "sites_ok": len(ok_sites),
        "items_judged": total,
        "items_as_expected": right,
        "accuracy": ratio(right, total),
        "pass_precision": ratio(tp, tp + fp),
        "pass_recall": ratio(tp, tp + fn),
        "false_passes": fp,
        "missed_passes": fn,
        "requests_per_ok_site": round(sum(s["requests"] for s in ok_sites) / len(ok_sites), 1)
        if ok_sites else None,
        "pages_per_ok_site": round(sum(s["pages_fetched"] for s in ok_sites) / len(ok_sites), 1)
        if ok_sites else None,
        "confusion": {f"{e}->{f}": n for (e, f), n in sorted(confusion.items())},
        "per_site": per_site,
        "mismatches": mismatches,
    }


def _print(result: dict[str, Any]) -> None:
    for key in ("oitwatch", "render", "sites", "sites_ok", "items_judged", "items_as_expected",
                "accuracy", "pass_precision", "pass_recall", "false_passes", "missed_passes",
                "requests_per_ok_site", "pages_per_ok_site"):
        print(f"{key:>22}: {result[key]}")
    print(f"{'site':<16}{'status':<13}{'as expected':>12}{'pages':>7}{'requests':>10}")
    for s in result["per_site"]:
        print(f"{s['site']:<16}{s['status']:<13}{s['as_expected']:>6}/{s['items']:<5}"
              f"{s['pages_fetched']:>7}{s['requests']:>10}")
    for m in result["mismatches"]:
        print(f"  {m['site']} {m['item']}: expected {m['expected']}, found {m['found']}"
              f" — {'; '.join(m['reasons'][:2])[:160]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.accuracy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=Path, default=None, help="sample sites folder")
    parser.add_argument("--render", default="auto", choices=("auto", "never", "always"))
    parser.add_argument("--max-pages", type=int, default=300)
    parser.add_argument("--catalog", default="ita-2566")
    parser.add_argument("--label", default="", help="suffix of the results file")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    options = ScanOptions(min_delay=0.0, screenshots=False, render=args.render,
                          max_pages=args.max_pages, trigger="benchmark")
    result = measure(args.sites or default_sites_dir(), options, args.catalog)
    name = f"accuracy-{args.label}.json" if args.label else "accuracy.json"
    out = args.out or Path("benchmarks/results") / name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _print(result)
    print(f"(written to {out})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
