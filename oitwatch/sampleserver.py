"""Loopback web server for the bundled sample sites (and for synthetic ones).

The sample sites under ``samples/sites/<name>/`` are small, invented Thai agency
websites used by ``oitwatch demo``, the end-to-end tests and the benchmark. Each
site is a folder::

    samples/sites/<name>/
        site.yaml       behaviour (encoding, dynamic pages, status overrides) and
                        the expected result for the ten checked items
        www/            the files as they would sit on the web server

:class:`SampleServer` serves every site of a directory on 127.0.0.1, each on its
own port, in daemon threads. How a request URL maps to a file is documented in
``samples/README.md`` and implemented in :func:`url_to_relpath` (writing side)
and ``_SiteRuntime.respond`` (serving side).

:func:`generate_sites` writes N synthetic sites (random mixes of present,
partial and missing items, deterministic by seed) for the benchmark.

Run ``python -m oitwatch.sampleserver`` to serve the samples and click around.
"""

from __future__ import annotations

import argparse
import html
import random
import re
import shutil
import socket
import struct
import sys
import threading
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar, Self
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import yaml

__all__ = [
    "CHECKED_ITEMS",
    "SampleServer",
    "SampleSite",
    "default_sites_dir",
    "generate_sites",
    "load_site_config",
    "make_gif",
    "make_jpeg",
    "make_pdf",
    "make_png",
    "thai_date",
    "thai_digits",
    "url_to_relpath",
]

#: The items every ``site.yaml`` states an expected status for (at least; the bundled
#: sites list all 43 items of ITA 2566, generated sites these ten).
CHECKED_ITEMS: tuple[str, ...] = ("O1", "O2", "O5", "O7", "O8", "O9", "O10", "O18", "O28", "O43")
_ITEM_CODE = re.compile(r"^O[1-9]\d?$")

#: Expected item statuses allowed in ``site.yaml`` (``error`` only for sites
#: whose ``expected_site_status`` is not ``ok``).
ITEM_STATUSES = frozenset({"pass", "partial", "fail", "error"})
SITE_STATUSES = frozenset({"ok", "blocked", "unreachable", "error"})

_CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html",
    ".htm": "text/html",
    ".php": "text/html",
    ".txt": "text/plain",
    ".xml": "application/xml",
    ".css": "text/css",
    ".js": "application/javascript",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
    ".svg": "image/svg+xml",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
}
# Text types that carry a charset and are transcoded for cp874 sites.
_TEXT_TYPES = frozenset({"text/html", "text/plain", "text/css", "application/javascript"})
# Text types in which the placeholder below is replaced by "http://HOST:PORT" at serve time
# (sitemaps and robots.txt need absolute URLs; WordPress prints absolute links).
_BASE_URL_TYPES = _TEXT_TYPES | {"application/xml", "application/json"}
BASE_URL_PLACEHOLDER = "{{base_url}}"
_MAX_POST = 1 << 20

_THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
_THAI_MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def thai_digits(value: object) -> str:
    """``2566`` -> ``๒๕๖๖``."""
    return str(value).translate(_THAI_DIGITS)


# --------------------------------------------------------------------------- files


def default_sites_dir() -> Path:
    """``samples/sites`` of the source tree, else the copy installed at ``oitwatch/_samples``."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "samples" / "sites", here / "_samples" / "sites"):
        if candidate.is_dir():
            return candidate
    return here.parent / "samples" / "sites"


def load_site_config(site_dir: Path) -> dict[str, Any]:
    """Read and minimally validate ``<site_dir>/site.yaml``."""
    path = site_dir / "site.yaml"
    with path.open(encoding="utf-8") as fh:
        config = yaml.safe_load(fh)
    if not isinstance(config, dict):
        raise TypeError(f"{path}: not a mapping")
    config.setdefault("name", site_dir.name)
    encoding = config.setdefault("encoding", "utf-8")
    if encoding not in ("utf-8", "cp874"):
        raise ValueError(f"{path}: encoding must be utf-8 or cp874, not {encoding!r}")
    config.setdefault("header_charset", encoding == "utf-8")
    config.setdefault("dynamic", {})
    config.setdefault("routes", {})
    site_status = config.setdefault("expected_site_status", "ok")
    if site_status not in SITE_STATUSES:
        raise ValueError(f"{path}: bad expected_site_status {site_status!r}")
    expected = config.get("expected")
    if not isinstance(expected, dict):
        raise TypeError(f"{path}: 'expected' map missing")
    for code in CHECKED_ITEMS:
        if code not in expected:
            raise ValueError(f"{path}: expected.{code} needs a status in {sorted(ITEM_STATUSES)}")
    for code, entry in expected.items():
        if not isinstance(code, str) or not _ITEM_CODE.match(code):
            raise ValueError(f"{path}: expected.{code}: not an item code (O1 ... O43)")
        if not isinstance(entry, dict) or entry.get("status") not in ITEM_STATUSES:
            raise ValueError(f"{path}: expected.{code} needs a status in {sorted(ITEM_STATUSES)}")
        accept = entry.setdefault("accept", [entry["status"]])
        if entry["status"] not in accept or not set(accept) <= ITEM_STATUSES:
            raise ValueError(f"{path}: expected.{code}.accept must contain the status")
    return config


def _has_extension(segment: str) -> bool:
    return PurePosixPath(segment).suffix.lower() in _CONTENT_TYPES


def url_to_relpath(url: str) -> str:
    """Where the file for a root-relative URL lives under ``www/`` (the writing side).

    * ``/a/b/``              -> ``a/b/index.html``
    * ``/a/b.pdf``           -> ``a/b.pdf`` (any known extension)
    * ``/a/b``               -> ``a/b.html`` (extensionless CMS routes)
    * ``/a/?k=v``            -> ``a/_q/k=v.html`` (query on a directory URL)
    * percent-encoding is decoded: ``/%E0%B8%95/`` -> ``ต/index.html``
    """
    parts = urlsplit(url)
    path = unquote(parts.path or "/", errors="strict")
    if not path.startswith("/"):
        raise ValueError(f"URL must be root-relative: {url!r}")
    if parts.query:
        query = unquote(parts.query)
        if not path.endswith("/") or "/" in query:
            raise ValueError(f"query URL needs a 'routes:' entry: {url!r}")
        rel = f"{path}_q/{query}.html"
    elif path.endswith("/"):
        rel = path + "index.html"
    elif _has_extension(path.rsplit("/", 1)[-1]):
        rel = path
    else:
        rel = path + ".html"
    return rel.lstrip("/")


# --------------------------------------------------------------------------- tiny file formats


def _pdf_escape(text: str) -> str:
    text = text.encode("ascii", "replace").decode("ascii")
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(lines: Iterable[str], title: str = "") -> bytes:
    """A small valid one-page PDF showing ``lines`` in Helvetica (ASCII only;
    other characters become ``?``). Deterministic: no dates, fixed object order."""
    ops = ["BT", "/F1 11 Tf", "14 TL", "56 790 Td"]
    ops += [f"({_pdf_escape(line)}) Tj T*" for line in list(lines)[:52]]
    ops.append("ET")
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
         b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title (" + _pdf_escape(title).encode("ascii") + b") /Producer (oitwatch samples) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def make_png(width: int, height: int, rgb: tuple[int, int, int] = (200, 200, 200),
             border: tuple[int, int, int] | None = None) -> bytes:
    """A valid truecolour PNG of one colour, optionally with a 1-pixel border."""
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            edge = border is not None and (x in (0, width - 1) or y in (0, height - 1))
            row += bytes(border if edge and border else rgb)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def make_jpeg(width: int = 48, height: int = 64, top: int = 215, bottom: int = 120) -> bytes:
    """A valid baseline greyscale JPEG: one flat grey per 8x8 block, shading from
    ``top`` to ``bottom`` (portrait photos, slides). Sizes are rounded down to 8."""
    cols, rows = max(1, width // 8), max(1, height // 8)
    out = bytearray(b"\xff\xd8")  # SOI
    out += b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    out += b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes([1] * 64)  # quantisation: all 1
    out += b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, rows * 8, cols * 8, 1) + b"\x01\x11\x00"
    # DC table: categories 0-11 as 4-bit codes; AC table: only end-of-block ("00")
    out += b"\xff\xc4" + struct.pack(">H", 31) + b"\x00" + bytes([0, 0, 0, 12] + [0] * 12) + bytes(range(12))
    out += b"\xff\xc4" + struct.pack(">H", 20) + b"\x10" + bytes([0, 1] + [0] * 14) + b"\x00"
    out += b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00\x00\x3f\x00"
    bits, previous = [], 0
    for row in range(rows):
        dc = 8 * (top + (bottom - top) * row // max(1, rows - 1) - 128)
        for _ in range(cols):
            diff, previous = dc - previous, dc
            category = abs(diff).bit_length()
            bits.append(format(category, "04b"))
            if category:
                bits.append(format(diff if diff > 0 else diff + (1 << category) - 1, f"0{category}b"))
            bits.append("00")  # end of block
    stream = "".join(bits)
    stream += "1" * (-len(stream) % 8)
    for i in range(0, len(stream), 8):
        byte = int(stream[i:i + 8], 2)
        out += bytes([byte, 0]) if byte == 0xFF else bytes([byte])  # byte stuffing
    return bytes(out + b"\xff\xd9")  # EOI


def make_gif() -> bytes:
    """A valid 1x1 GIF89a (old sites' spacer and menu images)."""
    return (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00"
            b"!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


# --------------------------------------------------------------------------- serving


@dataclass
class _Response:
    status: int
    body: bytes = b""
    content_type: str = "text/html"
    headers: dict[str, str] = field(default_factory=dict)


def _simple_page(title: str, body: str, charset: str = "utf-8") -> str:
    return (f'<!DOCTYPE html>\n<html lang="th"><head><meta charset="{charset}"><title>{title}</title>'
            f"</head><body>{body}</body></html>\n")


def _query_key(target: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``/index.php?b=2&a=1`` -> ``("/index.php", (("a", "1"), ("b", "2")))``: order-free."""
    path, _, query = target.partition("?")
    return path, tuple(sorted(parse_qsl(query, keep_blank_values=True)))


class _SiteRuntime:
    """One site's configuration plus per-server state (hit counters)."""

    def __init__(self, root: Path, config: dict[str, Any]) -> None:
        self.root = root
        self.www = (root / "www").resolve()
        self.config = config
        self.encoding: str = config["encoding"]
        self.header_charset: bool = bool(config["header_charset"])
        dynamic = config.get("dynamic") or {}
        self.overrides: list[dict[str, Any]] = list(dynamic.get("status_overrides") or [])
        self.redirects: dict[str, Any] = dict(dynamic.get("redirects") or {})
        self.calendar: dict[str, Any] | None = dynamic.get("calendar_trap")
        self.routes: dict[str, str] = {str(k): str(v) for k, v in (config.get("routes") or {}).items()}
        # A PHP application reads its query as a set of parameters: "?id=5&option=x" is the
        # same page as "?option=x&id=5" (crawlers sort query keys), so routes match by those.
        self._query_routes: dict[tuple[str, tuple[tuple[str, str], ...]], str] = {
            _query_key(k): v for k, v in self.routes.items() if "?" in k}
        self._hits: dict[int, int] = {}
        self._lock = threading.Lock()
        self._requests = 0  # requests answered (any method, any status): benchmarks report them

    def count_request(self) -> None:
        with self._lock:
            self._requests += 1

    @property
    def request_count(self) -> int:
        with self._lock:
            return self._requests

    def reset_request_count(self) -> None:
        with self._lock:
            self._requests = 0

    # -- helpers
    def _charset_label(self) -> str:
        return "utf-8" if self.encoding == "utf-8" else "tis-620"

    def _text(self, status: int, text: str, content_type: str = "text/html",
              headers: dict[str, str] | None = None) -> _Response:
        return _Response(status, text.encode(self.encoding), content_type, headers or {})

    def _page(self, title: str, body: str) -> str:
        return _simple_page(title, body, self._charset_label())

    def not_found(self) -> _Response:
        custom = self.www / "404.html"
        if custom.is_file():
            return self._text(404, custom.read_text(encoding="utf-8"))
        return self._text(404, self._page("404 Not Found", "<h1>Not Found</h1>"
                                            "<p>The requested URL was not found on this server.</p>"))

    def content_type_header(self, content_type: str) -> str:
        if content_type in _TEXT_TYPES and self.header_charset:
            return f"{content_type}; charset={self._charset_label()}"
        return content_type

    def _override(self, path: str, query: str) -> _Response | None:
        for index, rule in enumerate(self.overrides):
            pattern = str(rule.get("path", "*"))
            if pattern != "*" and pattern != path:
                continue
            if "query" in rule and str(rule["query"]) != query:
                continue
            times = rule.get("times")
            with self._lock:
                used = self._hits.get(index, 0)
                if times is not None and used >= int(times):
                    continue
                self._hits[index] = used + 1
            status = int(rule["status"])
            body = str(rule.get("body") or self._page(
                f"{status}", f"<h1>{status}</h1><p>{html.escape(str(rule.get('reason', '')))}</p>"))
            headers = {str(k): str(v) for k, v in (rule.get("headers") or {}).items()}
            return self._text(status, body, headers=headers)
        return None

    # -- the request → response mapping
    def respond(self, method: str, raw_target: str, base_url: str = "") -> _Response:
        """The response to ``method raw_target``; ``base_url`` ("http://host:port")
        replaces ``{{base_url}}`` in text files."""
        response = self._respond(method, raw_target)
        if base_url and response.content_type in _BASE_URL_TYPES:
            placeholder = BASE_URL_PLACEHOLDER.encode("ascii")
            if placeholder in response.body:
                response.body = response.body.replace(placeholder, base_url.encode("ascii"))
        return response

    def _respond(self, method: str, raw_target: str) -> _Response:
        parts = urlsplit(raw_target)
        try:
            path = unquote(parts.path or "/", errors="strict")
        except UnicodeDecodeError:
            return self._text(400, self._page("400 Bad Request", "<h1>Bad Request</h1>"))
        query = parts.query
        if not path.startswith("/") or "\x00" in path or "\\" in path:
            return self._text(400, self._page("400 Bad Request", "<h1>Bad Request</h1>"))

        response = self._override(path, query)
        if response is not None:
            return response

        if path in self.redirects:
            target = self.redirects[path]
            status = 301
            if isinstance(target, dict):
                status = int(target.get("status", 301))
                target = target["to"]
            return self._text(status, self._page("Moved", f'<a href="{target}">{target}</a>'),
                              headers={"Location": str(target)})

        if method == "POST":
            return self._text(200, self._page(
                "ได้รับข้อมูลแล้ว", "<h1>ได้รับข้อมูลของท่านเรียบร้อยแล้ว</h1>"
                "<p>เจ้าหน้าที่จะดำเนินการและแจ้งผลให้ท่านทราบโดยเร็ว</p><p><a href=\"/\">กลับหน้าแรก</a></p>"))

        if self.calendar and query and path == str(self.calendar.get("path", "/")):
            param = str(self.calendar.get("param", "calendar"))
            values = dict(parse_qsl(query))
            if param in values:
                return self._text(200, self._calendar_page(values[param]))

        if query:
            key = f"{path}?{unquote(query)}"
            rel = self.routes.get(key) or self._query_routes.get(_query_key(f"{path}?{query}"))
            if rel is not None:
                return self._serve_file(rel) or self.not_found()
        if path in self.routes:
            return self._serve_file(self.routes[path]) or self.not_found()
        if query and path.endswith("/"):
            decoded = unquote(query)
            if "/" not in decoded:
                response = self._serve_file(f"{path}_q/{decoded}.html")
                if response is not None:
                    return response
        return self._serve_static(path, query)

    def _forbidden(self) -> _Response:
        return self._text(403, self._page("403 Forbidden", "<h1>Forbidden</h1>"))

    def _resolve(self, rel: str) -> Path | None:
        """``www/rel`` if it stays inside ``www`` after resolving symlinks, else ``None``."""
        candidate = (self.www / rel.lstrip("/")).resolve()
        if candidate == self.www or candidate.is_relative_to(self.www):
            return candidate
        return None

    def _serve_static(self, path: str, query: str) -> _Response:
        segments = path.split("/")
        if ".." in segments:
            return self._forbidden()
        if any(seg.startswith(".") for seg in segments):
            return self.not_found()  # no dotfiles, no "/./"
        target = self._resolve(path)
        if target is None:
            return self._forbidden()
        if path.endswith("/"):
            for index in ("index.html", "index.htm"):
                if (target / index).is_file():
                    return self._file_response(target / index)
            return self.not_found()
        if target.is_file():
            return self._file_response(target)
        response = self._serve_file(path + ".html")  # extensionless CMS routes
        if response is not None:
            return response
        if (target / "index.html").is_file() or (target / "index.htm").is_file():
            location = quote(path + "/", safe="/") + (f"?{query}" if query else "")
            return self._text(301, self._page("Moved", f'<a href="{location}">moved</a>'),
                              headers={"Location": location})
        return self.not_found()

    def _serve_file(self, rel: str) -> _Response | None:
        """The file ``www/rel``, or ``None`` when it is missing or outside ``www``."""
        target = self._resolve(rel)
        if target is not None and target.is_file():
            return self._file_response(target)
        return None

    def _file_response(self, target: Path) -> _Response:
        content_type = _CONTENT_TYPES.get(target.suffix.lower(), "application/octet-stream")
        data = target.read_bytes()
        if content_type in _TEXT_TYPES and self.encoding == "cp874":
            data = data.decode("utf-8").encode("cp874")
        return _Response(200, data, content_type)

    def _calendar_page(self, value: str) -> str:
        """An events calendar with 'previous / next month' links that never end."""
        start = str(self.calendar.get("start", "2566-03")) if self.calendar else "2566-03"
        try:
            year_s, month_s = value.split("-", 1)
            year, month = int(year_s), int(month_s)
            if not 1 <= month <= 12 or year < 1:
                raise ValueError(value)
        except ValueError:
            year, month = (int(x) for x in start.split("-", 1))
        cal = self.calendar or {}
        path = str(cal.get("path", "/"))
        param = str(cal.get("param", "calendar"))
        home = str(cal.get("home", "/"))
        prev_y, prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
        next_y, next_m = (year, month + 1) if month < 12 else (year + 1, 1)
        days = "".join(f"<td>{thai_digits(d)}</td>" + ("</tr><tr>" if d % 7 == 0 else "")
                       for d in range(1, 29))
        title = f"ปฏิทินกิจกรรม เดือน{_THAI_MONTHS[month - 1]} {thai_digits(year)}"
        site_name = html.escape(str(self.config.get("name_th", "")))
        body = (
            f"<h1>{title}</h1><p>{site_name}</p>"
            f'<p><a href="{path}?{param}={prev_y}-{prev_m:02d}">&laquo; เดือนก่อนหน้า</a> | '
            f'<a href="{path}?{param}={next_y}-{next_m:02d}">เดือนถัดไป &raquo;</a></p>'
            "<table class=\"calendar\"><tr><th>อา</th><th>จ</th><th>อ</th><th>พ</th><th>พฤ</th>"
            f"<th>ศ</th><th>ส</th></tr><tr>{days}</tr></table>"
            "<p>ไม่มีกิจกรรมในเดือนนี้</p>"
            f'<p><a href="{home}">กลับหน้าหลัก</a></p>'
        )
        return self._page(title, body)


class _Handler(BaseHTTPRequestHandler):
    site: _SiteRuntime  # set on the per-site subclass
    protocol_version = "HTTP/1.1"
    timeout = 10
    disable_nagle_algorithm = True  # headers and body go out in separate writes: avoid 40 ms stalls

    def version_string(self) -> str:
        return "Apache/2.4.41 (Ubuntu)"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests and the demo must not spam stderr

    def do_GET(self) -> None:
        self._handle("GET")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_POST:
            self.site.count_request()
            self.send_error(413)
            return
        if length:
            self.rfile.read(length)
        self._handle("POST")

    def _handle(self, method: str) -> None:
        self.site.count_request()
        try:
            local = self.connection.getsockname()
            host = self.headers.get("Host") or f"{local[0]}:{local[1]}"
            response = self.site.respond(method, self.path, base_url=f"http://{host}")
        except Exception as exc:  # noqa: BLE001 - a broken sample must not kill the server
            response = _Response(500, f"500 {type(exc).__name__}: {exc}".encode(), "text/plain")
        self.send_response(response.status)
        self.send_header("Content-Type", self.site.content_type_header(response.content_type))
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(response.body)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that reset or drop a connection are normal; say nothing about them."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


@dataclass(frozen=True)
class SampleSite:
    """One served site: its folder name, base URL and ``site.yaml``."""

    name: str
    url: str  # "http://127.0.0.1:PORT/"
    config: dict[str, Any]
    expected: dict[str, Any]  # item code -> {status, why, accept}
    root: Path

    @property
    def expected_site_status(self) -> str:
        return str(self.config.get("expected_site_status", "ok"))


class SampleServer:
    """Serves every site folder (one holding ``site.yaml``) of ``sites_dir``.

    Use as a context manager; each site gets its own port (ephemeral unless
    ``base_port`` is given, then ``base_port``, ``base_port + 1``, ... in name
    order). A site with ``dynamic: {unreachable: true}`` gets a port that is
    bound but never listens, so connecting to it is refused.
    """

    def __init__(self, sites_dir: Path | None = None, host: str = "127.0.0.1",
                 base_port: int = 0, only: Iterable[str] | None = None) -> None:
        self.sites_dir = Path(sites_dir) if sites_dir is not None else default_sites_dir()
        self.host = host
        self.base_port = base_port
        self.only = set(only) if only is not None else None
        self._servers: list[_QuietServer] = []
        self._threads: list[threading.Thread] = []
        self._dead_sockets: list[socket.socket] = []
        self._sites: list[SampleSite] = []
        self._runtimes: dict[str, _SiteRuntime] = {}

    def site_dirs(self) -> list[Path]:
        if not self.sites_dir.is_dir():
            raise FileNotFoundError(f"no sample sites at {self.sites_dir}")
        dirs = [d for d in sorted(self.sites_dir.iterdir())
                if d.is_dir() and not d.name.startswith((".", "_")) and (d / "site.yaml").is_file()]
        if self.only is not None:
            dirs = [d for d in dirs if d.name in self.only]
        return dirs

    def start(self) -> Self:
        if self._sites:
            return self
        try:
            for offset, site_dir in enumerate(self.site_dirs()):
                config = load_site_config(site_dir)
                port = self.base_port + offset if self.base_port else 0
                if (config.get("dynamic") or {}).get("unreachable"):
                    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                    sock.bind((self.host, port))  # bound, never listening: connection refused
                    self._dead_sockets.append(sock)
                    port = sock.getsockname()[1]
                else:
                    runtime = _SiteRuntime(site_dir, config)
                    self._runtimes[site_dir.name] = runtime
                    handler = type(f"Handler_{site_dir.name}", (_Handler,), {"site": runtime})
                    server = _QuietServer((self.host, port), handler)
                    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                              name=f"sample-{site_dir.name}", daemon=True)
                    thread.start()
                    self._servers.append(server)
                    self._threads.append(thread)
                    port = server.server_address[1]
                self._sites.append(SampleSite(
                    name=site_dir.name, url=f"http://{self.host}:{port}/", config=config,
                    expected=config["expected"], root=site_dir))
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=2)
        for sock in self._dead_sockets:
            sock.close()
        self._servers.clear()
        self._threads.clear()
        self._dead_sockets.clear()
        self._sites.clear()
        self._runtimes.clear()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def sites(self) -> list[SampleSite]:
        return list(self._sites)

    def site(self, name: str) -> SampleSite:
        for site in self._sites:
            if site.name == name:
                return site
        raise KeyError(name)

    def request_counts(self) -> dict[str, int]:
        """Requests each served site has answered since start (or the last reset), by site
        name: every method and status counts, 404s and robots.txt included, as a web server's
        access log would. A site that is bound but never listens (``unreachable``) answers
        nothing and counts 0. Thread-safe; the benchmark reports it as "requests per site"."""
        return {site.name: (self._runtimes[site.name].request_count if site.name in self._runtimes else 0)
                for site in self._sites}

    def reset_request_counts(self) -> None:
        """Set every site's request count back to 0 (e.g. between two scans of one server)."""
        for runtime in self._runtimes.values():
            runtime.reset_request_count()


# --------------------------------------------------------------------------- synthetic sites
#
# generate_sites() writes sites built from the same ingredients as the bundled
# samples: three CMS styles (hosted อปท. CMS, WordPress, CodeIgniter with an ITA
# hub and a JavaScript menu), an optional cp874 encoding, and for each checked
# item one variant drawn at random. Each variant fixes the expected status, so
# site.yaml is written from the draw, never from reading the pages back.

#: item -> [(variant, weight, expected status, why)]
_VARIANTS: dict[str, list[tuple[str, float, str, str]]] = {
    "O1": [("present", 0.75, "pass", "structure page lists units and key positions"),
           ("missing", 0.25, "fail", "no organisation structure anywhere")],
    "O2": [("present", 0.75, "pass", "executives page: names, positions, photos, phones"),
           ("missing", 0.25, "fail", "no executives page")],
    "O5": [("full", 0.5, "pass", "contact page: address, phone, fax, email, map"),
           ("partial", 0.3, "partial", "contact page lacks {missing}"),
           ("missing", 0.2, "fail", "no contact page, no address anywhere")],
    "O7": [("current", 0.6, "pass", "news list dated in 2566"),
           ("old", 0.25, "partial", "news list exists but every item is dated 2564"),
           ("missing", 0.15, "fail", "no news at all")],
    "O8": [("webboard", 0.5, "pass", "Q&A webboard with a question form and answers"),
           ("faq", 0.3, "fail", "only a one-way FAQ page"),
           ("missing", 0.2, "fail", "no Q&A channel")],
    "O9": [("links", 0.6, "pass", "links to the agency's {networks}"),
           ("dead_icons", 0.2, "fail", "social icons link to '#', no real account"),
           ("missing", 0.2, "fail", "no social network links")],
    "O10": [("policy", 0.55, "pass", "personal-data protection policy page linked in the footer"),
            ("cookie_only", 0.25, "fail", "only a cookie-consent notice, no PDPA policy"),
            ("missing", 0.2, "fail", "no PDPA policy")],
    "O18": [("form", 0.5, "pass", "E-Service page with an online request form"),
            ("downloads", 0.2, "fail", "E-Service menu only offers forms to download"),
            ("queue", 0.15, "fail", "E-Service menu is only a queue booking"),
            ("missing", 0.15, "fail", "no E-Service")],
    "O28": [("separate", 0.55, "pass", "corruption complaint form separate from the general one"),
            ("general_only", 0.3, "fail", "only a general complaint form"),
            ("missing", 0.15, "fail", "no complaint channel")],
    "O43": [("eit", 0.6, "pass", "EIT banner links to itas.nacc.go.th/go/eit/{code}"),
            ("iit_only", 0.2, "fail", "only an IIT link, no EIT"),
            ("missing", 0.2, "fail", "no EIT link")],
}

ITEM_LABELS_2566: tuple[str, ...] = (
    "โครงสร้าง", "ข้อมูลผู้บริหาร", "อำนาจหน้าที่", "แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน",
    "ข้อมูลการติดต่อ", "กฎหมายที่เกี่ยวข้อง", "ข่าวประชาสัมพันธ์", "Q&amp;A", "Social Network",
    "นโยบายคุ้มครองข้อมูลส่วนบุคคล",
    "แผนดำเนินงานและการใช้งบประมาณประจำปี",
    "รายงานการกำกับติดตามการดำเนินงานและการใช้งบประมาณ รอบ ๖ เดือน",
    "รายงานผลการดำเนินงานประจำปี", "คู่มือหรือมาตรฐานการปฏิบัติงาน",
    "คู่มือหรือมาตรฐานการให้บริการ", "ข้อมูลเชิงสถิติการให้บริการ",
    "รายงานผลการสำรวจความพึงพอใจการให้บริการ", "E-Service",
    "แผนการจัดซื้อจัดจ้างหรือแผนการจัดหาพัสดุ",
    "ประกาศต่าง ๆ เกี่ยวกับการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ",
    "สรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุรายเดือน",
    "รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุประจำปี",
    "นโยบายหรือแผนการบริหารทรัพยากรบุคคล",
    "การดำเนินการตามนโยบายหรือแผนการบริหารทรัพยากรบุคคล",
    "หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล",
    "รายงานผลการบริหารและพัฒนาทรัพยากรบุคคลประจำปี",
    "แนวปฏิบัติการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
    "ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
    "ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
    "การเปิดโอกาสให้เกิดการมีส่วนร่วม",
    "ประกาศเจตนารมณ์นโยบาย No Gift Policy จากการปฏิบัติหน้าที่",
    "การสร้างวัฒนธรรม No Gift Policy", "รายงานผลตามนโยบาย No Gift Policy",
    "การประเมินความเสี่ยงการทุจริตและประพฤติมิชอบประจำปี",
    "การดำเนินการเพื่อจัดการความเสี่ยงการทุจริตและประพฤติมิชอบ",
    "แผนปฏิบัติการป้องกันการทุจริต",
    "รายงานการกำกับติดตามการดำเนินการป้องกันการทุจริต รอบ ๖ เดือน",
    "รายงานผลการดำเนินการป้องกันการทุจริตประจำปี",
    "ประมวลจริยธรรมสำหรับเจ้าหน้าที่ของรัฐ", "การขับเคลื่อนจริยธรรม",
    "การประเมินจริยธรรมเจ้าหน้าที่ของรัฐ",
    "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
    "การดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
)

_PLACE_A = [("หนอง", "nong"), ("บ้าน", "ban"), ("ดอน", "don"), ("ห้วย", "huai"), ("โคก", "khok"),
            ("นา", "na"), ("วัง", "wang"), ("ท่า", "tha"), ("โนน", "non"), ("คลอง", "khlong"),
            ("บึง", "bueng"), ("ทุ่ง", "thung"), ("เขา", "khao"), ("ป่า", "pa")]
_PLACE_B = [("สะแก", "sakae"), ("ตะเคียน", "takhian"), ("มะขาม", "makham"), ("ไผ่", "phai"),
            ("บัว", "bua"), ("กระทุ่ม", "krathum"), ("ยาง", "yang"), ("แดง", "daeng"),
            ("จาน", "chan"), ("โพธิ์", "pho"), ("ทราย", "sai"), ("ม่วง", "muang"),
            ("ประดู่", "pradu"), ("แค", "khae"), ("ตาล", "tan"), ("เรือ", "ruea")]
_PLACE_C = [("", ""), ("ใหม่", "mai"), ("เหนือ", "nuea"), ("ใต้", "tai"), ("งาม", "ngam"),
            ("ทอง", "thong"), ("พัฒนา", "phatthana"), ("น้อย", "noi"), ("ศรี", "si")]
# (province, postcode prefix, phone area code)
_PROVINCES = [("ขอนแก่น", "40", "043"), ("มหาสารคาม", "44", "043"), ("ร้อยเอ็ด", "45", "043"),
              ("อุดรธานี", "41", "042"), ("นครราชสีมา", "30", "044"), ("บุรีรัมย์", "31", "044"),
              ("สุรินทร์", "32", "044"), ("ศรีสะเกษ", "33", "045"), ("ชัยภูมิ", "36", "044"),
              ("พิษณุโลก", "65", "055"), ("ลำปาง", "52", "054"), ("เชียงราย", "57", "053"),
              ("สุพรรณบุรี", "72", "035"), ("นครศรีธรรมราช", "80", "075"), ("สงขลา", "90", "074"),
              ("เพชรบูรณ์", "67", "056")]
_FIRST_M = ["สมชาย", "ประเสริฐ", "บุญมี", "วีระพงษ์", "ธนากร", "สุรชัย", "อนุชา", "ชาตรี",
            "สมพงษ์", "ณรงค์", "ไพโรจน์", "เกรียงไกร"]
_FIRST_F = ["กาญจนา", "พิมพ์ใจ", "อรุณี", "สุภาพร", "วิไลวรรณ", "รัตนา", "จันทร์เพ็ญ", "นงลักษณ์",
            "ศิริพร", "อำไพ"]
_SURNAMES = ["ใจดีงาม", "ศรีสุขใส", "แก้วประเสริฐ", "คำสิงห์นอก", "พรหมวิเศษ", "ภูมิสะอาด",
             "ชัยมงคลศรี", "ดวงแก้วมณี", "มะลิวัลย์ทอง", "สีหาราชา", "บุญประคองสุข", "ทองสุขเจริญ"]
_NEWS_TITLES = [
    "โครงการฝึกอบรมส่งเสริมอาชีพผู้สูงอายุ", "กิจกรรมวันท้องถิ่นไทย",
    "โครงการป้องกันและควบคุมโรคไข้เลือดออก", "การประชุมสภาสมัยสามัญ สมัยที่ ๑",
    "รับสมัครนักเรียนศูนย์พัฒนาเด็กเล็ก", "โครงการปลูกต้นไม้เฉลิมพระเกียรติ",
    "กิจกรรมจิตอาสาพัฒนาคูคลองสาธารณะ", "มอบถุงยังชีพแก่ผู้ประสบอุทกภัย",
    "ประชาคมหมู่บ้านเพื่อทบทวนแผนพัฒนาท้องถิ่น", "โครงการสืบสานประเพณีสงกรานต์",
    "ประชาสัมพันธ์กำหนดการชำระภาษีที่ดินและสิ่งปลูกสร้าง", "โครงการอบรมคุณธรรมจริยธรรมบุคลากร",
]
_VILLAGES = ["บ้านโนนสว่าง", "บ้านหนองแวง", "บ้านโคกกลาง", "บ้านนาดี", "บ้านดอนแดง", "บ้านท่าเรือ",
             "บ้านหัวนา", "บ้านป่าไผ่", "บ้านหนองบัว", "บ้านโพธิ์ศรี", "บ้านคำน้อย", "บ้านทุ่งใหญ่",
             "บ้านสร้างแก้ว", "บ้านห้วยทราย", "บ้านโนนงาม"]


def _weighted(rng: random.Random, options: list[tuple[str, float, str, str]]) -> tuple[str, str, str]:
    pick = rng.random() * sum(o[1] for o in options)
    for variant, weight, status, why in options:
        pick -= weight
        if pick <= 0:
            return variant, status, why
    variant, _, status, why = options[-1]
    return variant, status, why


def thai_date(day: int, month: int, year_be: int, style: int = 0) -> str:
    """A date as Thai sites write it; ``style`` 0-3 picks one of four common forms."""
    if style == 0:
        return f"{thai_digits(day)} {_THAI_MONTHS[month - 1]} {thai_digits(year_be)}"
    if style == 1:
        return f"{day} {_THAI_MONTHS_SHORT[month - 1]} {year_be % 100:02d}"
    if style == 2:
        return f"{thai_digits(day)} {_THAI_MONTHS_SHORT[month - 1]} {thai_digits(year_be)}"
    return f"วันที่ {day} {_THAI_MONTHS[month - 1]} พ.ศ. {year_be}"


def _href(url: str) -> str:
    """Percent-encode Thai in a root-relative URL, as CMSes print them."""
    return html.escape(quote(url, safe="/?=&%:#@-._~"), quote=True)


class _GenSite:
    """One synthetic site being assembled in memory."""

    def __init__(self, index: int, rng: random.Random) -> None:
        self.rng = rng
        self.index = index
        self.style = rng.choice(["cms", "cms", "wordpress", "ci"])
        self.encoding = "cp874" if self.style != "wordpress" and rng.random() < 0.2 else "utf-8"
        a, b, c = rng.choice(_PLACE_A), rng.choice(_PLACE_B), rng.choice(_PLACE_C)
        self.place = a[0] + b[0] + c[0]
        self.slug = f"{a[1]}{b[1]}{c[1]}{index}"
        da, db = rng.choice(_PLACE_A), rng.choice(_PLACE_B)
        self.district = da[0] + db[0]
        self.province, post, self.area = rng.choice(_PROVINCES)
        self.postcode = f"{post}{rng.randint(100, 299)}"
        self.muni = self.style == "ci" or (self.style == "wordpress" and rng.random() < 0.6)
        if self.muni:
            self.kind, self.name = "เทศบาลตำบล", f"เทศบาลตำบล{self.place}"
            self.head, self.clerk, self.office = "นายกเทศมนตรีตำบล", "ปลัดเทศบาล", "สำนักปลัดเทศบาล"
        else:
            self.kind, self.name = "อบต.", f"องค์การบริหารส่วนตำบล{self.place}"
            self.head = "นายกองค์การบริหารส่วนตำบล"
            self.clerk, self.office = "ปลัดองค์การบริหารส่วนตำบล", "สำนักปลัด"
        self.address = (f"{thai_digits(rng.randint(1, 299))} หมู่ที่ {thai_digits(rng.randint(1, 12))} "
                        f"ตำบล{self.place} อำเภอ{self.district} จังหวัด{self.province} "
                        f"{thai_digits(self.postcode)}")
        self.phone = f"0-{self.area[1:]}{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"
        self.fax = f"0-{self.area[1:]}{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"
        self.email = f"saraban@{self.slug}.go.th"
        self.eit = "".join(rng.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(6))
        self.variants: dict[str, str] = {}
        self.expected: dict[str, dict[str, Any]] = {}
        for code in CHECKED_ITEMS:
            variant, status, why = _weighted(rng, _VARIANTS[code])
            self.variants[code] = variant
            self.expected[code] = {"status": status, "why": why}
        self.o5_missing: list[str] = []
        if self.variants["O5"] == "partial":
            parts = ["fax", "email", "map"]
            self.o5_missing = sorted(rng.sample(parts, rng.randint(1, 3)), key=parts.index)
            self.expected["O5"]["why"] = "contact page lacks " + ", ".join(self.o5_missing)
        networks = rng.sample(["facebook", "youtube", "line"], rng.randint(1, 3))
        self.networks = [n for n in ("facebook", "youtube", "line") if n in networks]
        self.expected["O9"]["why"] = self.expected["O9"]["why"].format(networks=", ".join(self.networks))
        self.expected["O43"]["why"] = self.expected["O43"]["why"].format(code=self.eit)
        if self.variants["O7"] == "old":  # stale news: "partial" by the status definitions, "fail" defensible
            self.expected["O7"]["accept"] = ["partial", "fail"]
        self.pages: dict[str, tuple[str, str]] = {}  # url -> (title, body)
        self.files: dict[str, bytes] = {}  # url -> bytes
        self.nav: list[tuple[str, str]] = []  # static menu
        self.js_nav: list[tuple[str, str]] = []  # built by JavaScript (ci style)
        self.urls: dict[str, str] = {}
        self.hub_rows: dict[str, str] = {}  # item code -> evidence URL
        self._ids = rng.randint(1100, 1800)
        self._menu: dict[str, int] = {}
        self.has_hub = self.style == "ci" or rng.random() < 0.6

    # ---- URL scheme per style
    _DETAIL_OF: ClassVar[dict[str, str]] = {
        "newsitem": "news", "topic": "webboard", "eform": "eservice", "village": "villages"}

    def _menu_id(self, what: str) -> int:
        if what not in self._menu:
            self._ids += self.rng.randint(1, 6)
            self._menu[what] = self._ids
        return self._menu[what]

    def url(self, what: str, n: int = 0, date: tuple[int, int, int] = (2023, 1, 1)) -> str:
        """The URL of a page of kind ``what`` (``n``: item number of a detail page)."""
        if what == "home":
            return "/"
        if self.style == "cms":
            ident = self._menu_id(self._DETAIL_OF.get(what, what))
            special = {"structure": f"/public/person/data/chart/structure_id/12/menu/{ident}",
                       "executives": f"/public/person/data/index/structure_id/10/menu/{ident}",
                       "webboard": f"/public/webboard/data/index/menu/{ident}",
                       "topic": f"/public/webboard/data/detail/id/{n}/menu/{ident}",
                       "eservice": f"/public/eservice/data/index/menu/{ident}",
                       "eform": f"/public/eservice/data/form/id/{n}/menu/{ident}",
                       "complaint": f"/public/complaintgeneral/data/index/menu/{ident}",
                       "fraud": f"/public/fraudcomplaint/data/index/menu/{ident}",
                       "contact": f"/public/contact/data/index/menu/{ident}",
                       "pdpa": f"/public/pdpa/data/index/menu/{ident}",
                       "hub": f"/public/ita/data/index/menu/{ident}",
                       "newsitem": f"/public/list/data/detail/id/{n}/menu/{ident}",
                       "village": f"/public/list/data/detail/id/{n}/menu/{ident}",
                       "queue": f"/public/queue/data/index/menu/{ident}"}
            return special.get(what, f"/public/list/data/index/menu/{ident}")
        if self.style == "wordpress":
            special = {"news": "/category/ข่าวประชาสัมพันธ์/", "contact": "/ติดต่อเรา/",
                       "newsitem": f"/{date[0]}/{date[1]:02d}/{date[2]:02d}/ข่าว-{n}/",
                       "hub": "/ita-2566/"}
            if what in special:
                return special[what]
            return f"/?page_id={self._menu_id(f'{what}-{n}')}"
        special = {"executives": "/Pages/executive", "news": "/News/index",
                   "newsitem": f"/News/detail/{n}", "webboard": "/Webboard",
                   "topic": f"/Webboard/topic/{n}", "faq": "/Pages/faq", "eservice": "/Eservice",
                   "eform": f"/Eservice/form/{n}", "downloads": "/Eservice/download",
                   "queue": "/Queue", "complaint": "/Complaint", "fraud": "/Corruption/report_form",
                   "contact": "/Contact", "pdpa": "/Pages/privacy",
                   "hub": "/Pages/ita_year_detail/2566"}
        return special.get(what, f"/Pages/detail/{self._menu_id(f'{what}-{n}')}")

    def doc_url(self, name: str) -> str:
        if self.style == "cms":
            return f"/public/files/ita2566/{name}.pdf"
        if self.style == "wordpress":
            return f"/wp-content/uploads/2023/0{self.rng.randint(1, 4)}/{name}.pdf"
        return f"/uploads/ita/2566/{name}.pdf"

    def img_url(self, name: str) -> str:
        base = {"cms": "/public/images/", "wordpress": "/wp-content/uploads/2022/06/",
                "ci": "/assets/img/"}[self.style]
        return f"{base}{name}.png"

    def add_page(self, what: str, title: str, body: str, menu: str | None = None,
                 n: int = 0, hidden: bool = False, date: tuple[int, int, int] = (2023, 1, 1)) -> str:
        url = self.url(what, n, date)
        self.pages[url] = (title, body)
        if menu:
            if self.style == "ci" and hidden:
                self.js_nav.append((menu, url))
            else:
                self.nav.append((menu, url))
        return url

    def add_image(self, name: str, rgb: tuple[int, int, int], w: int = 40, h: int = 40) -> str:
        url = self.img_url(name)
        self.files[url] = make_png(w, h, rgb, border=(60, 60, 60))
        return url

    def person(self) -> str:
        if self.rng.random() < 0.6:
            return f"นาย{self.rng.choice(_FIRST_M)} {self.rng.choice(_SURNAMES)}"
        return f"{self.rng.choice(['นาง', 'นางสาว'])}{self.rng.choice(_FIRST_F)} {self.rng.choice(_SURNAMES)}"

    # ---- the pages
    def build(self) -> None:
        rng, v = self.rng, self.variants
        hidden = self.style == "ci"  # ci style: most menu entries only in the JS menu
        self.add_page("about", "ประวัติความเป็นมา", f"<h1>ประวัติความเป็นมา</h1><p>{self.name} "
                      f"ตั้งอยู่ในเขตอำเภอ{self.district} จังหวัด{self.province} พื้นที่ส่วนใหญ่เป็นที่ราบ "
                      "ประชาชนประกอบอาชีพเกษตรกรรม ทำนา ปลูกอ้อยและมันสำปะหลัง</p>",
                      menu="ประวัติความเป็นมา", hidden=hidden)
        self.add_page("vision", "วิสัยทัศน์ พันธกิจ", "<h1>วิสัยทัศน์ พันธกิจ</h1><p>&quot;ชุมชนน่าอยู่ "
                      "เศรษฐกิจพอเพียง ประชาชนมีส่วนร่วม บริหารจัดการโปร่งใส&quot;</p>",
                      menu="วิสัยทัศน์/พันธกิจ", hidden=hidden)
        self.urls["authority"] = self.add_page(
            "authority", "อำนาจหน้าที่", "<h1>อำนาจหน้าที่</h1><p>มีหน้าที่ต้องทำในเขตพื้นที่ ดังนี้</p>"
            "<ol><li>จัดให้มีและบำรุงรักษาทางน้ำและทางบก</li><li>รักษาความสะอาดของถนน ทางน้ำ ทางเดิน "
            "และที่สาธารณะ รวมทั้งกำจัดมูลฝอยและสิ่งปฏิกูล</li><li>ป้องกันโรคและระงับโรคติดต่อ</li>"
            "<li>ป้องกันและบรรเทาสาธารณภัย</li><li>ส่งเสริมการศึกษา ศาสนา และวัฒนธรรม</li></ol>",
            menu="อำนาจหน้าที่", hidden=hidden)
        if v["O1"] == "present":
            chart = self.add_image("structure-chart", (220, 230, 245), 120, 80)
            units = ([self.office, "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม",
                      "กองสวัสดิการสังคม", "หน่วยตรวจสอบภายใน"])
            body = (f"<h1>โครงสร้างส่วนราชการ</h1><p><img src=\"{chart}\" alt=\"แผนภูมิโครงสร้าง{self.name}\"></p>"
                    f"<h2>ฝ่ายการเมือง</h2><ul><li>{self.head}</li><li>รอง{self.head.replace('ตำบล', '')} (๒ คน)</li>"
                    f"<li>เลขานุการ{self.head.replace('ตำบล', '')}</li></ul>"
                    f"<h2>ฝ่ายข้าราชการประจำ</h2><ul><li>{self.clerk}</li>"
                    + "".join(f"<li>{u}</li>" for u in units) + "</ul>")
            self.hub_rows["O1"] = self.add_page("structure", "โครงสร้างส่วนราชการ", body,
                                                menu="โครงสร้างส่วนราชการ", hidden=hidden)
        if v["O2"] == "present":
            people = [(self.head, self.person()), (f"รอง{self.head.replace('ตำบล', '')}", self.person()),
                      (f"รอง{self.head.replace('ตำบล', '')}", self.person()), (self.clerk, self.person())]
            cards = []
            for k, (position, person) in enumerate(people):
                photo = self.img_url(f"exec-{k + 1}").replace(".png", ".jpg")
                self.files[photo] = make_jpeg(48, 64, 220 - 10 * k, 110)
                mobile = f"08{rng.randint(0, 9)}-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"
                cards.append(f'<div class="person"><img src="{photo}" alt="{person}"><p><b>{person}</b></p>'
                             f"<p>{position}</p><p>โทร. {mobile}</p></div>")
            self.hub_rows["O2"] = self.add_page("executives", "คณะผู้บริหาร",
                                                "<h1>คณะผู้บริหาร</h1>" + "".join(cards),
                                                menu="คณะผู้บริหาร", hidden=hidden)
        self.add_page("laws", "กฎหมายที่เกี่ยวข้อง", "<h1>กฎหมายที่เกี่ยวข้อง</h1><ul>"
                      "<li>พระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล พ.ศ. ๒๕๓๗</li>"
                      "<li>พระราชบัญญัติเทศบาล พ.ศ. ๒๔๙๖</li><li>พระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. ๒๕๔๐</li>"
                      "<li>พระราชบัญญัติการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. ๒๕๖๐</li></ul>",
                      menu="กฎหมายที่เกี่ยวข้อง", hidden=hidden)
        self._news()
        self._qa()
        self._eservice()
        self._complaints()
        if v["O5"] != "missing":
            lines = [f"<p>{self.name}<br>{self.address}</p>", f"<p>โทรศัพท์ {self.phone}</p>"]
            if "fax" not in self.o5_missing:
                lines.append(f"<p>โทรสาร {self.fax}</p>")
            if "email" not in self.o5_missing:
                lines.append(f'<p>อีเมล <a href="mailto:{self.email}">{self.email}</a></p>')
            if "map" not in self.o5_missing:
                lines.append('<h2>แผนที่ตั้งสำนักงาน</h2><iframe src="https://www.google.com/maps/embed?pb='
                             f'!1m18!1m12!1m3!1d3827.{rng.randint(1000, 9999)}" width="600" height="350" '
                             'loading="lazy"></iframe>')
            self.hub_rows["O5"] = self.add_page("contact", "ติดต่อเรา", "<h1>ติดต่อเรา</h1>" + "".join(lines),
                                                menu="ติดต่อเรา")
        if v["O10"] == "policy":
            self.urls["pdpa"] = self.hub_rows["O10"] = self.add_page(
                "pdpa", "นโยบายคุ้มครองข้อมูลส่วนบุคคล",
                f"<h1>นโยบายคุ้มครองข้อมูลส่วนบุคคล (Privacy Policy)</h1><p>{self.name} "
                "ในฐานะผู้ควบคุมข้อมูลส่วนบุคคล ให้ความสำคัญกับการคุ้มครองข้อมูลส่วนบุคคลของผู้รับบริการ "
                "ตามพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. ๒๕๖๒</p><h2>๑. ข้อมูลส่วนบุคคลที่เก็บรวบรวม</h2>"
                "<p>ชื่อ นามสกุล ที่อยู่ หมายเลขโทรศัพท์ เลขประจำตัวประชาชน เฉพาะเท่าที่จำเป็นต่อการให้บริการ</p>"
                "<h2>๒. วัตถุประสงค์ในการใช้ข้อมูล</h2><p>เพื่อการให้บริการตามอำนาจหน้าที่</p>"
                "<h2>๓. สิทธิของเจ้าของข้อมูล</h2><p>ขอเข้าถึง ขอแก้ไข ขอลบ หรือคัดค้านการประมวลผลข้อมูล</p>"
                "<h2>๔. การติดต่อเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล (DPO)</h2><p>ติดต่อได้ที่" f"{self.office}</p>")
        self._village_pages()
        self._hub()
        self._o43_expectation()
        self._home()

    def _news(self) -> None:
        v = self.variants["O7"]
        if v == "missing":
            return
        year, months = (2566, (1, 6)) if v == "current" else (2564, (1, 9))
        items = []
        dated = sorted(((self.rng.randint(*months), self.rng.randint(1, 28))
                        for _ in range(self.rng.randint(3, 7))), reverse=True)
        for k, (month, day) in enumerate(dated):
            title = self.rng.choice(_NEWS_TITLES)
            date = thai_date(day, month, year, self.rng.randrange(4))
            url = self.add_page("newsitem", title, f"<h1>{title}</h1><p class=\"date\">{date}</p>"
                                f"<p>{self.name} ดำเนิน{title} โดยมีประชาชนในพื้นที่เข้าร่วมกิจกรรม</p>",
                                n=300 + self.index * 10 + k, date=(year - 543, month, day))
            items.append(f'<li><a href="{_href(url)}">{title}</a> <span class="date">{date}</span></li>')
        self.urls["news_items"] = "".join(items)
        self.hub_rows["O7"] = self.add_page("news", "ข่าวประชาสัมพันธ์",
                                            "<h1>ข่าวประชาสัมพันธ์</h1><ul class=\"news\">" + "".join(items) + "</ul>",
                                            menu="ข่าวประชาสัมพันธ์")

    def _qa(self) -> None:
        v, hidden = self.variants["O8"], self.style == "ci"
        if v == "webboard":
            topics = []
            for k in range(self.rng.randint(1, 3)):
                question = self.rng.choice(["ขอสอบถามขั้นตอนการขออนุญาตก่อสร้างอาคาร",
                                            "ไฟฟ้าส่องสว่างในหมู่บ้านดับหลายจุด จะแจ้งซ่อมได้อย่างไร",
                                            "ขอทราบกำหนดการรับเบี้ยยังชีพผู้สูงอายุ"])
                url = self.add_page("topic", question, f"<h1>{question}</h1><p>ผู้ถาม: ประชาชน</p>"
                                    f"<div class=\"answer\"><p>ตอบโดย: ผู้ดูแลระบบ</p><p>ขอบคุณที่สอบถาม "
                                    f"ท่านสามารถติดต่อ{self.office}ได้ในวันและเวลาราชการ</p></div>", n=50 + k)
                topics.append(f'<tr><td><a href="{_href(url)}">{question}</a></td><td>1</td></tr>')
            form = ('<h2>ตั้งกระทู้ใหม่</h2><form method="post" action="#post"><p>หัวข้อคำถาม <input type="text" '
                    'name="title"></p><p>รายละเอียด <textarea name="detail" rows="5"></textarea></p>'
                    '<p>ชื่อผู้ถาม <input type="text" name="name"></p><p><input type="submit" value="ส่งคำถาม"></p></form>')
            self.hub_rows["O8"] = self.add_page(
                "webboard", "กระดานถาม-ตอบ", "<h1>กระดานถาม-ตอบ (Q&amp;A)</h1><table><tr><th>กระทู้</th>"
                "<th>ตอบ</th></tr>" + "".join(topics) + "</table>" + form, menu="กระดานถาม-ตอบ", hidden=hidden)
        elif v == "faq":
            self.hub_rows["O8"] = self.add_page(
                "faq", "คำถามที่พบบ่อย", "<h1>คำถามที่พบบ่อย (FAQ)</h1>"
                "<h3>ถาม: ชำระภาษีป้ายได้ที่ไหน</h3><p>ตอบ: ชำระได้ที่กองคลัง ในวันและเวลาราชการ</p>"
                "<h3>ถาม: ขอหนังสือรับรองต้องใช้เอกสารอะไร</h3><p>ตอบ: บัตรประจำตัวประชาชนและทะเบียนบ้าน</p>",
                menu="คำถามที่พบบ่อย", hidden=hidden)

    def _eservice(self) -> None:
        v, hidden = self.variants["O18"], self.style == "ci"
        if v == "form":
            services = ["ขอรับบริการจัดเก็บขยะมูลฝอย", "ขอความช่วยเหลือด้านสาธารณภัย", "แจ้งซ่อมไฟฟ้าสาธารณะ"]
            links = []
            for k, service in enumerate(services, 1):
                url = self.add_page("eform", service, f"<h1>{service} (บริการออนไลน์)</h1>" + _service_form(service),
                                    n=k)
                links.append(f'<li><a href="{_href(url)}">{service}</a></li>')
            self.hub_rows["O18"] = self.add_page(
                "eservice", "E-Service", "<h1>บริการออนไลน์ E-Service</h1><p>ยื่นคำขอผ่านระบบออนไลน์ได้ตลอด ๒๔ ชั่วโมง "
                "โดยไม่ต้องเดินทางมาที่สำนักงาน</p><ul>" + "".join(links) + "</ul>",
                menu="E-Service", hidden=hidden)
        elif v == "downloads":
            forms = ["แบบคำร้องทั่วไป", "แบบคำขอลงทะเบียนรับเงินเบี้ยยังชีพผู้สูงอายุ", "แบบคำขออนุญาตก่อสร้างอาคาร"]
            rows = []
            for k, form in enumerate(forms, 1):
                url = self.doc_url(f"form-{k}")
                self.files[url] = make_pdf([f"Application form {k}", self.slug,
                                            "Please print, fill in and submit at the office."],
                                           title=f"form {k}")
                rows.append(f'<li>{form} <a href="{_href(url)}">ดาวน์โหลด</a></li>')
            self.hub_rows["O18"] = self.add_page(
                "downloads", "E-Service", "<h1>E-Service ดาวน์โหลดแบบฟอร์ม</h1><p>ดาวน์โหลดแบบฟอร์ม กรอกข้อมูล "
                "แล้วนำมายื่นที่สำนักงานในวันและเวลาราชการ</p><ul>" + "".join(rows) + "</ul>",
                menu="E-Service", hidden=hidden)
        elif v == "queue":
            self.hub_rows["O18"] = self.add_page(
                "queue", "ระบบจองคิว", "<h1>E-Service ระบบจองคิวรับบริการ</h1><p>จองคิวล่วงหน้าแล้วมารับบริการที่สำนักงาน</p>"
                '<form method="post" action="#queue"><p>ชื่อ-สกุล <input type="text" name="name"></p>'
                '<p>วันที่ <input type="date" name="date"></p><p>ช่วงเวลา <select name="slot"><option>09.00-10.00'
                '</option><option>10.00-11.00</option></select></p><p>โทรศัพท์ <input type="tel" name="phone"></p>'
                '<p><input type="submit" value="จองคิว"></p></form>', menu="E-Service", hidden=hidden)

    def _complaints(self) -> None:
        v, hidden = self.variants["O28"], self.style == "ci"
        if v == "missing":
            return
        general = self.add_page(
            "complaint", "ร้องเรียนร้องทุกข์", "<h1>ร้องเรียน/ร้องทุกข์</h1><p>แจ้งเรื่องร้องเรียน ร้องทุกข์ "
            "ความเดือดร้อนทั่วไป</p><form method=\"post\" action=\"#complaint\"><p>ชื่อ-สกุล <input type=\"text\" "
            "name=\"name\"></p><p>เรื่อง <input type=\"text\" name=\"subject\"></p><p>รายละเอียด <textarea "
            "name=\"detail\"></textarea></p><p><input type=\"submit\" value=\"ส่งเรื่อง\"></p></form>",
            menu="ร้องเรียนร้องทุกข์", hidden=hidden)
        self.urls["complaint"] = general
        if v == "separate":
            self.hub_rows["O28"] = self.add_page(
                "fraud", "แจ้งเรื่องร้องเรียนการทุจริต", "<h1>ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ</h1>"
                "<p>ข้อมูลของผู้ร้องจะถูกเก็บเป็นความลับ</p><form method=\"post\" action=\"#fraud\" "
                "enctype=\"multipart/form-data\"><p><input type=\"checkbox\" name=\"anonymous\"> ไม่ประสงค์ออกนาม</p>"
                "<p>ชื่อเจ้าหน้าที่ผู้ถูกร้องเรียน <input type=\"text\" name=\"accused\"></p><p>พฤติการณ์การทุจริต "
                "<textarea name=\"detail\"></textarea></p><p>หลักฐาน <input type=\"file\" name=\"evidence\"></p>"
                "<p><input type=\"submit\" value=\"แจ้งเรื่อง\"></p></form>",
                menu="แจ้งเรื่องร้องเรียนการทุจริต", hidden=hidden)
        else:
            self.hub_rows["O28"] = general

    def _village_pages(self) -> None:
        """Filler pages (no dates, no contact data) so the site has 20-40 pages."""
        target = self.rng.randint(20, 40)
        rows = []
        for k, village in enumerate(_VILLAGES, 1):
            if len(self.pages) + 2 + self.has_hub >= target:  # + villages list, home, hub
                break
            name = f"หมู่ที่ {thai_digits(k)} {village}"
            url = self.add_page("village", name, f"<h1>{name}</h1><p>จำนวนครัวเรือน "
                                f"{thai_digits(self.rng.randint(80, 400))} ครัวเรือน ประชากร "
                                f"{thai_digits(self.rng.randint(300, 1500))} คน</p>", n=k)
            rows.append(f'<li><a href="{_href(url)}">{name}</a></li>')
        self.add_page("villages", "ข้อมูลหมู่บ้าน", "<h1>ข้อมูลหมู่บ้าน</h1><ul>" + "".join(rows) + "</ul>",
                      menu="ข้อมูลหมู่บ้าน", hidden=self.style == "ci")

    def _o43_expectation(self) -> None:
        """O43 (2566) has two parts: the measures' progress report and the EIT survey. The
        generated report is a placeholder without the report's content, so wherever either
        part is published the item is found but partial; with neither it fails."""
        report = "O43" in self.hub_rows
        eit = self.variants["O43"] == "eit"
        if report or eit:
            self.expected["O43"] = {
                "status": "partial",
                "why": ("the O43 progress report lacks its content" if report
                        else "no O43 progress report")
                + ("; EIT link present" if eit else "; no EIT link"),
            }

    def _hub(self) -> None:
        """The ITA 2566 hub: one row per item. Always on ci sites, often elsewhere."""
        if not self.has_hub:
            return
        v = self.variants
        self.hub_rows["O3"] = self.urls["authority"]
        if v["O9"] == "links":
            self.hub_rows["O9"] = self._social_urls()[0][1]
        if v["O43"] != "missing":  # the O42-measures progress report; the EIT link sits beside it
            self.hub_rows["O43"] = self.doc_url("o43")
            self.files[self.hub_rows["O43"]] = make_pdf(
                ["ITA 2566 item O43", f"Agency: {self.slug}", "Progress of the integrity measures (sample)."],
                title="O43")
        if v["O43"] == "eit":
            self.hub_rows["O43eit"] = f"https://itas.nacc.go.th/go/eit/{self.eit}"
        rows = []
        for number, label in enumerate(ITEM_LABELS_2566, 1):
            code = f"O{number}"
            url = self.hub_rows.get(code)
            if url is None and code not in CHECKED_ITEMS and self.rng.random() < 0.8:
                url = self.doc_url(f"o{number:02d}")
                self.files[url] = make_pdf([f"ITA 2566 item {code}", f"Agency: {self.slug}",
                                            "Document placeholder for the sample site."], title=code)
            shown = self.rng.choice([code, f"O{thai_digits(number)}", f"{thai_digits(f'{number:02d}')}",
                                     f"o{number}", f"0{thai_digits(number)}"])
            if url is None:
                cell = "-"
            else:
                text = self.rng.choice(["เปิด", "คลิก", "ดาวน์โหลด", f'<img src="{self.img_url("pdf")}" alt="">'])
                cell = f'<a href="{_href(url)}">{text}</a>'
                if code == "O43" and "O43eit" in self.hub_rows:
                    cell += f' <a href="{self.hub_rows["O43eit"]}">EIT</a>'
            rows.append(f"<tr><td>{shown}</td><td>{label}</td><td>{cell}</td></tr>")
        self.files[self.img_url("pdf")] = make_png(16, 16, (200, 30, 30))
        self.urls["hub"] = self.add_page(
            "hub", "ITA 2566", "<h1>การเปิดเผยข้อมูลสาธารณะ (OIT) ประจำปีงบประมาณ พ.ศ. ๒๕๖๖</h1>"
            "<table class=\"ita\"><tr><th>ข้อ</th><th>รายการ</th><th>ลิงก์</th></tr>" + "".join(rows) + "</table>",
            menu="ITA 2566")

    def _social_urls(self) -> list[tuple[str, str]]:
        urls = {"facebook": ("Facebook", f"https://www.facebook.com/{self.slug}.official"),
                "youtube": ("YouTube", f"https://www.youtube.com/@{self.slug}"),
                "line": ("LINE", f"https://line.me/R/ti/p/@{self.slug}")}
        return [urls[n] for n in self.networks]

    def _home(self) -> None:
        v, side = self.variants, []
        if "hub" in self.urls:
            side.append(f'<p><a href="{_href(self.urls["hub"])}"><img src="{self.add_image("ita", (0, 90, 160))}" '
                        'alt="ITA ๒๕๖๖"></a></p>')
        if v["O43"] == "eit":
            side.append(f'<p><a href="https://itas.nacc.go.th/go/eit/{self.eit}"><img src="'
                        f'{self.add_image("eit-qr", (20, 20, 20), 40, 40)}" alt="แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสีย'
                        'ภายนอก (EIT)"></a><br>สแกน QR Code เพื่อร่วมประเมิน EIT</p>')
        elif v["O43"] == "iit_only":
            code = "".join(self.rng.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(6))
            side.append(f'<p><a href="https://itas.nacc.go.th/go/iit/{code}">แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสีย'
                        "ภายใน (IIT) สำหรับบุคลากร</a></p>")
        news = self.urls.get("news_items", "")
        body = (f"<h1>ยินดีต้อนรับสู่เว็บไซต์{self.name}</h1>"
                + (f"<h2>ข่าวประชาสัมพันธ์</h2><ul class=\"news\">{news}</ul>" if news else "")
                + "<div class=\"sidebar\">" + "".join(side) + "</div>")
        self.pages["/"] = ("หน้าแรก", body)

    # ---- rendering
    def footer(self) -> str:
        v, parts = self.variants, [f"<p><b>{self.name}</b></p>"]
        if v["O5"] != "missing":
            parts.append(f"<p>{self.address} โทรศัพท์ {self.phone}"
                         + (f" โทรสาร {self.fax}" if "fax" not in self.o5_missing else "")
                         + (f" อีเมล {self.email}" if "email" not in self.o5_missing else "") + "</p>")
        if v["O9"] == "links":
            parts.append("<p class=\"social\">" + " ".join(
                f'<a href="{url}" title="{label}"><img src="/favicon.ico" alt="{label}"></a>'
                for label, url in self._social_urls()) + "</p>")
        elif v["O9"] == "dead_icons":
            parts.append('<p class="social"><a href="#" title="Facebook">Facebook</a> '
                         '<a href="#" title="YouTube">YouTube</a></p>')
        if "pdpa" in self.urls:
            parts.append(f'<p><a href="{_href(self.urls["pdpa"])}">นโยบายคุ้มครองข้อมูลส่วนบุคคล</a></p>')
        if v["O10"] == "cookie_only":
            parts.append('<div class="cookie-consent">เว็บไซต์นี้มีการใช้คุกกี้ (Cookies) เพื่อพัฒนาประสบการณ์'
                         'การใช้งาน การใช้งานเว็บไซต์ต่อถือว่าท่านยอมรับการใช้คุกกี้ <button>ยอมรับ</button></div>')
        parts.append("<p>สงวนลิขสิทธิ์ ติดตามข่าวสารออนไลน์ได้ที่เว็บไซต์นี้</p>")
        return "".join(parts)

    def render(self, title: str, body: str) -> str:
        charset = "utf-8" if self.encoding == "utf-8" else "tis-620"
        head = ('<!DOCTYPE html>\n<html lang="th"><head>'
                + (f'<meta charset="{charset}">' if self.encoding == "utf-8" else
                   f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">')
                + f"<title>{title} - {self.name}</title></head><body>")
        menu = "".join(f'<li><a href="{_href(u)}">{label}</a></li>' for label, u in [("หน้าแรก", "/")] + self.nav)
        if self.style == "wordpress":
            top = (f'<header class="site-header"><p class="site-title"><a href="/">{self.name}</a></p>'
                   f'<nav class="main-navigation"><ul id="primary-menu" class="menu">{menu}</ul></nav>'
                   '<form role="search" method="get" action="/"><input type="search" name="s"></form></header>')
            main = f'<main id="main" class="site-main"><article class="page">{body}</article></main>'
            foot = f'<footer class="site-footer">{self.footer()}<p>Proudly powered by WordPress</p></footer>'
        elif self.style == "ci":
            js = ",".join(f'{{"t":"{label}","u":"{_href(u)}"}}' for label, u in self.js_nav)
            top = (f'<nav class="navbar"><a class="brand" href="/">{self.name}</a><ul class="nav">{menu}</ul>'
                   f'<ul id="mainmenu"></ul></nav><script>var MENU=[{js}];var h="";for(var i=0;i<MENU.length;i++)'
                   '{h+="<li><a href=\\""+MENU[i].u+"\\">"+MENU[i].t+"</a></li>";}'
                   'document.getElementById("mainmenu").innerHTML=h;</script>')
            main = f'<div class="container">{body}</div>'
            foot = f'<footer class="footer">{self.footer()}</footer>'
        else:
            top = (f'<div id="header"><h1 class="site-name">{self.name}</h1><p>อำเภอ{self.district} '
                   f'จังหวัด{self.province}</p></div><ul id="topmenu">{menu}</ul>')
            main = f'<div id="content">{body}</div>'
            foot = f'<div id="footer">{self.footer()}</div>'
        return head + top + main + foot + "</body></html>\n"

    def write(self, dest: Path) -> None:
        www = dest / "www"
        for url, (title, body) in self.pages.items():
            path = www / url_to_relpath(url)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(self.render(title, body), encoding="utf-8")
        for url, data in self.files.items():
            path = www / url_to_relpath(url)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (www / "favicon.ico").write_bytes(make_png(16, 16, (0, 120, 60)))
        (www / "robots.txt").write_text("User-agent: *\nDisallow: /admin/\n", encoding="utf-8")
        config = {
            "name": dest.name,
            "name_th": self.name,
            "name_en": f"Synthetic agency {self.index}",
            "agency_type": self.kind,
            "province": self.province,
            "district": self.district,
            "style": self.style,
            "encoding": self.encoding,
            "header_charset": self.encoding == "utf-8",
            "meta_charset": "utf-8" if self.encoding == "utf-8" else "tis-620 (meta http-equiv only)",
            "generated": {"index": self.index, "variants": dict(self.variants)},
            "expected_site_status": "ok",
            "expected": self.expected,
        }
        (dest / "site.yaml").write_text(
            yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")


def _service_form(service: str) -> str:
    return ('<form method="post" action="#submit"><input type="hidden" name="service" value="' + service + '">'
            '<p>ชื่อ-สกุล <input type="text" name="fullname"></p>'
            '<p>เลขประจำตัวประชาชน <input type="text" name="citizen_id"></p>'
            '<p>ที่อยู่ <input type="text" name="address"></p><p>โทรศัพท์ <input type="tel" name="phone"></p>'
            '<p>รายละเอียดคำขอ <textarea name="detail"></textarea></p>'
            '<p><input type="submit" value="ยื่นคำขอ"></p></form>')


def generate_sites(n: int, dest_dir: Path, seed: int = 0) -> list[Path]:
    """Write ``n`` synthetic sites into ``dest_dir/gen-0000``, ``gen-0001``, ...

    Same ``(n, seed)`` -> byte-identical files. Each site has 20-40 HTML pages
    plus documents, and a ``site.yaml`` whose ``expected`` map follows from the
    variant drawn for each checked item. Returns the site folders.
    """
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    master = random.Random(seed)
    out = []
    for index in range(n):
        site = _GenSite(index, random.Random(master.getrandbits(64)))
        site.build()
        folder = dest_dir / f"gen-{index:04d}"
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        site.write(folder)
        out.append(folder)
    return out


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m oitwatch.sampleserver",
                                     description="Serve the oitwatch sample sites on loopback.")
    parser.add_argument("--sites", type=Path, default=None, help="folder of sites (default: bundled samples)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="first port (default: ephemeral ports)")
    parser.add_argument("--generate", type=int, metavar="N", default=0,
                        help="write N synthetic sites into --sites (required) and exit")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.generate:
        if args.sites is None:
            parser.error("--generate needs --sites DIR")
        for folder in generate_sites(args.generate, args.sites, seed=args.seed):
            print(folder)
        return 0
    with SampleServer(args.sites, host=args.host, base_port=args.port) as server:
        for site in server.sites:
            name_th = site.config.get("name_th", "")
            print(f"{site.name:<16} {site.url:<28} {site.expected_site_status:<11} {name_th}", flush=True)
        print("Serving; press Ctrl-C to stop.", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
