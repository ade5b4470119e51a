"""Web archives of scans: what an agency's pages said on the night of the scan.

- ``_writer``: one gzip WARC 1.1 file per site scan (warcio), fed by the crawler's
  recorder hook: every HTTP exchange, the rendered DOM, screenshots;
- ``_export``: a self-contained evidence folder (or WACZ) for an auditor: WARCs,
  screenshots, the item report, a manifest with the SHA-256 of every file;
- ``_verify``: re-checks a folder's digests and names what was altered.

The crawler knows nothing of WARC: it calls ``Crawler.crawl(recorder=...)``'s callback.
"""

from ._export import ExportError, ExportResult, export_evidence
from ._verify import Problem, VerifyReport, scan_warc, verify_package
from ._writer import (
    DEFAULT_MAX_ARCHIVE_BYTES,
    ArchiveInfo,
    RecordPointer,
    SiteArchive,
    archive_path,
)

__all__ = [
    "DEFAULT_MAX_ARCHIVE_BYTES",
    "ArchiveInfo",
    "ExportError",
    "ExportResult",
    "Problem",
    "RecordPointer",
    "SiteArchive",
    "VerifyReport",
    "archive_path",
    "export_evidence",
    "scan_warc",
    "verify_package",
]
