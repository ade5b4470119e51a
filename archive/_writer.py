"""One gzip WARC 1.1 file per site scan, written with warcio while the site is crawled.

:class:`SiteArchive` is the crawler's recorder (``Crawler.crawl(recorder=archive.record)``):
every HTTP exchange becomes a ``response`` record (status line, headers and body as they
came off the wire) followed by its ``request`` record (``WARC-Concurrent-To``); a rendered
DOM becomes a ``conversion`` record of the page's response (``WARC-Refers-To``), a
screenshot a ``resource`` record. The file opens with a ``warcinfo`` record naming
oitwatch, its version, the catalog and the run. Digests are SHA-256 (warcio computes them;
``_Sha256Writer`` only picks the algorithm), so an auditor's tools (``warcio check``) and
ours (:mod:`archive._verify`) can re-check every record.

What is stored as the response body: the bytes as received with their Content-Encoding
still applied (a gzip-encoded page is stored gzipped, with its ``Content-Encoding:
gzip`` header), so a replay returns exactly what the server sent. Two exceptions, marked
in the record: HTTP/1.1 chunking is already removed by the HTTP client, so a
``Transfer-Encoding`` header is renamed ``X-Oitwatch-Orig-Transfer-Encoding``; and when
only the decoded body was available (an in-memory test transport) the
``Content-Encoding`` header is renamed ``X-Oitwatch-Orig-Content-Encoding`` and the record
says ``WARC-Oitwatch-Body: decoded``. A body the crawler did not read to its end (a
redirect, an error page, a size cap) is marked ``WARC-Truncated``.

The crawler calls ``record`` on its event loop; compressing and writing happen in one
thread per archive, so a 25 MB document does not stall the other sites' crawls.
"""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urljoin, urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from crawler._fetch import BrowserCapture, HttpExchange

__all__ = [
    "DEFAULT_MAX_ARCHIVE_BYTES",
    "ArchiveInfo",
    "RecordPointer",
    "SiteArchive",
    "archive_path",
]

log = logging.getLogger("oitwatch.archive")

MiB = 1024 * 1024
# A site of 300 pages (~100 KB each) and some documents is ~30-60 MB; 25 MB documents are
# the crawler's own cap. 500 MB bounds a site that serves many large files.
DEFAULT_MAX_ARCHIVE_BYTES = 500 * MiB
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RENAMED_ALWAYS = {"transfer-encoding": "X-Oitwatch-Orig-Transfer-Encoding"}
_RENAMED_DECODED = {
    "content-encoding": "X-Oitwatch-Orig-Content-Encoding",
    "content-length": "X-Oitwatch-Orig-Content-Length",
}
SCREENSHOT_URI = "urn:oitwatch:screenshot:"


class _Sha256Writer(WARCWriter):
    """warcio's writer with SHA-256 block and payload digests (its default is SHA-1)."""

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


class _CountingFile:
    """The output file, with its position and the SHA-256 of everything written."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.size = 0
        self.sha = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.fh.write(data)
        self.sha.update(data)
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        self.fh.flush()

    def tell(self) -> int:
        return self.size


@dataclass(frozen=True, slots=True)
class RecordPointer:
    """Where one record is in a WARC file: the offset of its gzip member."""

    offset: int
    record_id: str
    record_type: str
    uri: str
    status: int = 0


@dataclass
class ArchiveInfo:
    """A closed site archive: what the database and the export need."""

    path: Path
    size: int
    sha256: str
    records: int
    capped: bool = False  # the size cap stopped archiving
    not_archived: int = 0  # exchanges left out because of the cap
    max_bytes: int = DEFAULT_MAX_ARCHIVE_BYTES
    error: str = ""  # the file could not be written (disk full ...): it may be incomplete
    responses: dict[str, RecordPointer] = field(default_factory=dict)  # URL -> last response
    redirects: dict[str, str] = field(default_factory=dict)  # URL -> Location (absolute)
    screenshots: dict[str, RecordPointer] = field(default_factory=dict)  # sha256 hex -> record

    def pointer(self, url: str) -> RecordPointer | None:
        """The response record of ``url``, after the redirects recorded for it: the record
        an evidence URL's content is in."""
        seen: set[str] = set()
        while url in self.redirects and url not in seen:
            seen.add(url)
            url = self.redirects[url]
        return self.responses.get(url)

    @property
    def notes(self) -> list[str]:
        notes: list[str] = []
        if self.capped:
            notes.append(
                f"web archive size cap ({_size(self.max_bytes)} per site) reached: "
                f"{self.not_archived} later response(s) not archived"
            )
        if self.error:
            notes.append(f"web archive incomplete: {self.error}")
        return notes


def _size(n: int) -> str:
    return f"{n / MiB:g} MB" if n >= MiB else f"{n} bytes"


def archive_path(root: str | os.PathLike[str], run_id: int | None, seed_url: str,
                 site_scan_id: int | None) -> Path:
    """``root/run-<N>/<host>-<site scan>-<UTC time>.warc.gz``: one folder per run, so a
    run's archives are found (and pruned) together."""
    host = (urlsplit(seed_url).hostname or "site").replace(":", "_")
    port = urlsplit(seed_url).port
    name = host + (f"_{port}" if port else "")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    scan = f"-scan{site_scan_id}" if site_scan_id is not None else ""
    folder = f"run-{run_id}" if run_id is not None else "no-run"
    return Path(root) / folder / f"{name}{scan}-{stamp}.warc.gz"


def _warc_date(when: datetime) -> str:
    return str(datetime_to_iso_date(when.astimezone(UTC).replace(tzinfo=None), use_micros=True))


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class SiteArchive:
    """The WARC file of one site scan (see the module doc).

    ``info`` becomes the warcinfo record (run, catalog, seed URL, ...). ``max_bytes`` caps
    the file: an exchange that would take it over the cap is not archived, nor is any
    later one, and a final ``metadata`` record (and ``ArchiveInfo.notes``) says so.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        info: Mapping[str, Any],
        *,
        max_bytes: int = DEFAULT_MAX_ARCHIVE_BYTES,
    ) -> None:
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._partial = self.path.with_name(self.path.name + ".partial")
        self._fh = open(self._partial, "wb")  # noqa: SIM115 - closed in close()
        self._out = _CountingFile(self._fh)
        self._writer = _Sha256Writer(self._out, gzip=True, warc_version="1.1")
        self._info = ArchiveInfo(self.path, 0, "", 0, max_bytes=max_bytes)
        self._queue: queue.SimpleQueue[HttpExchange | BrowserCapture | tuple[str, Any] | None]
        self._queue = queue.SimpleQueue()
        self._closed = False
        self._write_warcinfo(info)
        self._thread = threading.Thread(
            target=self._drain, name=f"warc {self.path.name}", daemon=True
        )
        self._thread.start()

    # ------------------------------------------------------------ the recorder

    def record(self, event: HttpExchange | BrowserCapture) -> None:
        """The crawler's recorder: queue ``event`` for the writer thread (returns at once)."""
        if not self._closed:
            self._queue.put(event)

    def add_screenshot(self, page_url: str, png: bytes) -> None:
        """A screenshot taken outside the crawl (the scan's evidence screenshots)."""
        if not self._closed:
            self._queue.put(BrowserCapture(
                "screenshot", page_url, page_url, png, "image/png", datetime.now(UTC)
            ))

    def close(self) -> ArchiveInfo:
        """Write what is queued, close the file (renamed from ``.partial``), return its info.
        Blocks: call it in a thread from async code."""
        if self._closed:
            return self._info
        self._closed = True
        self._queue.put(None)
        self._thread.join()
        info = self._info
        try:
            if info.capped:
                self._write_metadata({
                    "oitwatch-archive-capped": (
                        f"size cap of {self.max_bytes} bytes reached; "
                        f"{info.not_archived} later exchange(s) not archived"
                    ),
                })
            self._fh.flush()
            os.fsync(self._fh.fileno())
        except OSError as exc:
            info.error = info.error or f"{type(exc).__name__}: {exc}"
        finally:
            self._fh.close()
        os.replace(self._partial, self.path)
        info.size = self._out.size
        info.sha256 = self._out.sha.hexdigest()
        return info

    # ------------------------------------------------------------ the writer thread

    def _drain(self) -> None:
        while True:
            event = self._queue.get()
            if event is None:
                return
            if self._info.error:
                continue
            try:
                if isinstance(event, HttpExchange):
                    self._write_exchange(event)
                else:
                    self._write_capture(event)
            except Exception as exc:  # noqa: BLE001 - a broken archive must not stop the scan
                log.warning("archive %s: cannot write %s: %s", self.path, event.url, exc)
                self._info.error = f"{type(exc).__name__}: {exc}"

    def _fits(self, size: int) -> bool:
        """Room for about ``size`` more bytes (uncompressed: a safe upper bound)?"""
        if self._info.capped or self._out.size + size > self.max_bytes:
            self._info.capped = True
            self._info.not_archived += 1
            return False
        return True

    def _write(self, record: Any) -> RecordPointer:
        offset = self._out.tell()
        self._writer.write_record(record)
        self._info.records += 1
        headers = record.rec_headers
        return RecordPointer(
            offset,
            headers.get_header("WARC-Record-ID"),
            record.rec_type,
            headers.get_header("WARC-Target-URI") or "",
            int(record.http_headers.get_statuscode() or 0)
            if record.rec_type == "response" and record.http_headers else 0,
        )

    def _write_warcinfo(self, info: Mapping[str, Any]) -> None:
        import warcio

        from oitwatch import __version__

        fields: dict[str, Any] = {
            "software": f"oitwatch/{__version__} (warcio/{getattr(warcio, '__version__', '?')})",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
            "warc-format/warc-1.1/",
            "oitwatch-version": __version__,
            **{k: v for k, v in info.items() if v is not None and v != ""},
        }
        record = self._writer.create_warcinfo_record(self.path.name, fields)
        self._write(record)

    def _write_metadata(self, fields: Mapping[str, str]) -> None:
        body = "".join(f"{k}: {v}\r\n" for k, v in fields.items()).encode("utf-8")
        record = self._writer.create_warc_record(
            "urn:oitwatch:archive", "metadata", payload=BytesIO(body), length=len(body),
            warc_content_type="application/warc-fields",
        )
        self._write(record)

    def _write_exchange(self, ex: HttpExchange) -> None:
        if not self._fits(len(ex.body) + 4096):
            return
        renames = dict(_RENAMED_ALWAYS)
        if not ex.body_raw:
            renames.update(_RENAMED_DECODED)
        headers = [(renames.get(k.lower(), k), v) for k, v in ex.response_headers]
        http_headers = StatusAndHeaders(
            f"{ex.status} {ex.reason}".strip(), headers, protocol=ex.http_version
        )
        warc_headers: dict[str, str] = {"WARC-Date": _warc_date(ex.started_at)}
        if not ex.body_complete:
            # RFC-style reasons of WARC 1.1: "length" (our size cap), "unspecified" (the
            # crawler did not need the body: a redirect, an error page, a refused type)
            warc_headers["WARC-Truncated"] = "length" if ex.body else "unspecified"
        if not ex.body_raw:
            warc_headers["WARC-Oitwatch-Body"] = "decoded"
        response = self._writer.create_warc_record(
            ex.url, "response", payload=BytesIO(ex.body), length=len(ex.body),
            warc_headers_dict=warc_headers, http_headers=http_headers,
        )
        pointer = self._write(response)
        request = self._writer.create_warc_record(
            ex.url, "request",
            warc_headers_dict={
                "WARC-Date": warc_headers["WARC-Date"],
                "WARC-Concurrent-To": pointer.record_id,
            },
            http_headers=StatusAndHeaders(
                f"{ex.method} {_request_target(ex.url)} {ex.http_version}",
                ex.request_headers, is_http_request=True,
            ),
        )
        self._write(request)
        self._info.responses[ex.url] = pointer
        location = next((v for k, v in ex.response_headers if k.lower() == "location"), None)
        if ex.status in _REDIRECTS and location:
            self._info.redirects[ex.url] = urljoin(ex.url, location)

    def _write_capture(self, cap: BrowserCapture) -> None:
        if not self._fits(len(cap.content) + 2048):
            return
        headers = {"WARC-Date": _warc_date(cap.captured_at)}
        if cap.kind == "dom":
            # a conversion of the page's response: what the browser built from it
            refers = self._info.pointer(cap.url)
            if refers is not None:
                headers["WARC-Refers-To"] = refers.record_id
            headers["WARC-Oitwatch-Capture"] = "rendered-dom"
            if cap.final_url != cap.url:
                headers["WARC-Oitwatch-Final-URL"] = cap.final_url
            record = self._writer.create_warc_record(
                cap.url, "conversion", payload=BytesIO(cap.content), length=len(cap.content),
                warc_content_type=cap.media_type, warc_headers_dict=headers,
            )
            self._write(record)
            return
        digest = hashlib.sha256(cap.content).hexdigest()
        if digest in self._info.screenshots:
            return  # the same PNG (a QR screenshot kept as evidence too): once
        headers["WARC-Oitwatch-Capture"] = "screenshot"
        headers["WARC-Oitwatch-Page"] = cap.url
        record = self._writer.create_warc_record(
            SCREENSHOT_URI + cap.url, "resource", payload=BytesIO(cap.content),
            length=len(cap.content), warc_content_type=cap.media_type,
            warc_headers_dict=headers,
        )
        self._info.screenshots[digest] = self._write(record)
