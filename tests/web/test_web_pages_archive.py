"""Archived copies and screenshots on the dashboard, from a real scan with its web archive
(a copy of the 'compliant' sample site whose pages all carry a <script>), on SQLite and
PostgreSQL; and hostile WARC records written by hand (crawled headers, encodings, a
decompression bomb, a javascript: evidence URL)."""

from __future__ import annotations

import gzip
import hashlib
import io
import shutil
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser
from sqlalchemy import select, update
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler import Crawler
from oitwatch.sampleserver import SampleServer, default_sites_dir, make_png
from oitwatch.scan import ScanOptions, scan_sites
from render import ScreenshotStore
from rules import load_catalog
from storage import Database, Repository
from storage.models import EvidenceRow, ItemResultRow
from web._archived import MAX_BODY, TooLarge, decode_body
from web._security import ARCHIVED_CSP

from web_support import LiveServer, Seeded, make_app

SCRIPT = "<script>document.title='pwned';alert('archived')</script>"
CODE = "ARCH-1"


@dataclass
class Archived:
    repo: Repository
    server: LiveServer
    site_url: str
    site_scan_id: int
    shots: Path
    evidence: list[dict]  # evidence_records_of_scans rows, with the evidence id


def _hostile_copy(dest: Path) -> Path:
    """The compliant sample site, a <script> in every HTML page."""
    shutil.copytree(default_sites_dir() / "compliant", dest / "compliant")
    for page in (dest / "compliant" / "www").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("</body>", SCRIPT + "</body>", 1), encoding="utf-8")
    return dest


def _database(request: pytest.FixtureRequest, home: Path) -> tuple[Database, str | None]:
    if request.param == "sqlite":
        return Database(f"sqlite:///{home}/archive.sqlite3"), None
    admin: Database = request.getfixturevalue("pg_admin")
    schema = f"oitwatch_webarc_{uuid.uuid4().hex[:10]}"
    with admin.engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = admin.url.update_query_dict({"options": f"-csearch_path={schema}"})
    return Database(url.render_as_string(hide_password=False)), schema


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def archived(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archived]:
    home = tmp_path_factory.mktemp("web_archive")
    db, schema = _database(request, home)
    db.upgrade()
    repo = Repository(db)
    shots = home / "screenshots"

    async def screenshot(self: Crawler, url: str, *,
                         allow_private: bool = False) -> tuple[str, str]:
        # no browser here: an evidence screenshot is a small PNG made from the URL
        shade = hashlib.sha256(url.encode()).digest()
        digest, _ = ScreenshotStore(self.config.screenshot_dir or "").put(
            make_png(16, 12, (shade[0], shade[1], shade[2])))
        return digest, ""

    with pytest.MonkeyPatch.context() as mp, \
            SampleServer(_hostile_copy(home / "sites"), only=["compliant"]) as sample:
        mp.setattr(Crawler, "screenshot", screenshot)
        (site,) = sample.sites
        repo.upsert_agency(name="อบต.ตัวอย่าง <b>archive</b>", homepage=site.url, code=CODE)
        options = ScanOptions(max_pages=60, min_delay=0.0, render="never", trigger="test",
                              archive=True, archive_dir=str(home / "archives"),
                              screenshot_dir=str(shots))
        run = scan_sites([site.url], load_catalog("ita-2566"), repo, options)
        (archive,) = repo.archives_of_run(run.run_id)
        scan_id = archive.site_scan_id
        with db.session() as s:
            ids = {(r.site_scan_id, r.code, e.rank): e.id for e, r in s.execute(
                select(EvidenceRow, ItemResultRow)
                .join(ItemResultRow, EvidenceRow.item_result_id == ItemResultRow.id))}
        evidence = repo.evidence_records_of_scans([scan_id])
        for row in evidence:
            row["id"] = ids[(row["site_scan_id"], row["item"], row["rank"])]
        with LiveServer(make_app(repo, screenshot_dir=str(shots))) as server:
            yield Archived(repo, server, site.url, scan_id, shots, evidence)
    db.close()
    if schema is not None:
        with request.getfixturevalue("pg_admin").engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


def _archived_html(archived: Archived) -> list[dict]:
    return [e for e in archived.evidence if e["warc_file"] and e["kind"] == "page"]


def test_archived_page_is_served_sandboxed_with_its_script_inert(archived: Archived) -> None:
    pages = _archived_html(archived)
    assert len(pages) > 5
    with archived.server.client() as client, httpx.Client(timeout=10) as origin:
        for ev in pages[:8]:
            r = client.get(f"/evidence/{ev['id']}/archived")
            assert r.status_code == 200
            assert r.headers["content-security-policy"] == ARCHIVED_CSP
            assert "sandbox" in r.headers["content-security-policy"]
            assert r.headers["x-content-type-options"] == "nosniff"
            assert r.headers["content-type"].startswith("text/html")
            disposition = r.headers["content-disposition"]
            assert disposition.startswith('inline; filename="') and disposition.isascii()
            assert "set-cookie" not in r.headers
            # the bytes the site served (the hostile copy: its script included)
            assert SCRIPT.encode() in r.content
            assert r.content == origin.get(ev["url"]).content


def test_archived_documents_are_attachments(archived: Archived) -> None:
    documents = [e for e in archived.evidence if e["warc_file"] and e["kind"] == "document"]
    assert documents
    with archived.server.client() as client:
        for ev in documents[:3]:
            r = client.get(f"/evidence/{ev['id']}/archived")
            assert r.status_code == 200
            assert r.headers["content-type"] == "application/pdf"
            assert r.headers["content-disposition"].startswith('attachment; filename="')
            assert r.headers["content-disposition"].endswith('.pdf"')
            assert r.headers["content-security-policy"] == ARCHIVED_CSP
            assert r.content.startswith(b"%PDF")


def test_evidence_without_archive_shows_the_page_record(archived: Archived) -> None:
    external = [e for e in archived.evidence if not e["warc_file"]]
    assert external
    with archived.server.client() as client:
        r = client.get(f"/evidence/{external[0]['id']}/archived")
        assert r.status_code == 200
        assert "sandbox" not in r.headers["content-security-policy"]  # our page, our CSP
        doc = LexborHTMLParser(r.text)
        assert doc.css_first("#no-archive").attributes["data-problem"] == "no_archive"
        assert doc.css_first("#no-archive").text() == (
            "ไม่มีสำเนาที่เก็บไว้ของหน้านี้ (ไม่ได้บันทึกเว็บอาร์ไคฟ์) แสดงข้อมูลที่บันทึกไว้แทน")
        assert external[0]["url"] in doc.css_first("#page-record .url").text()


def test_agency_page_links_archives_and_shows_stored_screenshots(archived: Archived) -> None:
    with archived.server.client() as client:
        doc = LexborHTMLParser(client.get(f"/scans/{archived.site_scan_id}").text)
        archived_links = {a.attributes["href"] for a in doc.css("a.archived")}
        assert archived_links == {f"/evidence/{e['id']}/archived" for e in archived.evidence}
        thumbs = doc.css("img.thumb")
        stored = {e["screenshot"] for e in archived.evidence if e["screenshot"]}
        assert stored and {t.attributes["src"] for t in thumbs} == {
            f"/screenshots/{sha}.png" for sha in stored}
        assert "&lt;b&gt;archive&lt;/b&gt;" in client.get(f"/scans/{archived.site_scan_id}").text
        sha = sorted(stored)[0]
        r = client.get(f"/screenshots/{sha}.png")
        assert r.status_code == 200
        assert r.headers["content-type"] == "image/png"
        assert r.headers["content-disposition"] == f'inline; filename="{sha}.png"'
        assert r.headers["content-security-policy"] == ARCHIVED_CSP
        assert r.content == ScreenshotStore(archived.shots).get(sha)


# -- hand-written hostile records -------------------------------------------------------------


def _warc(path: Path, url: str, headers: list[tuple[str, str]], body: bytes) -> int:
    """One gzip WARC file with one response record; returns its offset."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        info = writer.create_warcinfo_record(path.name, {"software": "test"})
        writer.write_record(info)
        offset = fh.tell()
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body),
            http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
        )
        writer.write_record(record)
    return offset


def _point(seeded: Seeded, evidence_id: int, warc: Path | None, offset: int | None) -> None:
    with seeded.repo.db.session() as s, s.begin():
        s.execute(update(EvidenceRow).where(EvidenceRow.id == evidence_id).values(
            warc_file=str(warc) if warc else None, warc_offset=offset))


def _some_evidence(seeded: Seeded) -> int:
    with seeded.repo.db.session() as s:
        return int(s.scalar(select(EvidenceRow.id).order_by(EvidenceRow.id).limit(1)))


def test_crawled_headers_never_pass_and_encodings_are_decoded(fresh_seeded: Seeded,
                                                               tmp_path: Path) -> None:
    evidence_id = _some_evidence(fresh_seeded)
    html = ("<html><head><title>x</title></head><body>" + SCRIPT + "ทดสอบ</body></html>").encode()
    hostile = [("Set-Cookie", "oitw_session=stolen; Path=/"),
               ("Content-Security-Policy", "script-src *"), ("Location", "https://evil.example/"),
               ("Refresh", "0; url=https://evil.example/"), ("Access-Control-Allow-Origin", "*"),
               ("Content-Disposition", 'inline; filename="../../evil.html"')]
    with LiveServer(make_app(fresh_seeded.repo)) as server, server.client() as client:
        for encoding, body in (("gzip", gzip.compress(html)), ("deflate", zlib.compress(html)),
                               ("deflate", zlib.compress(html)[2:-4]), (None, html)):
            headers = [("Content-Type", 'text/html; charset="utf-8"'), *hostile]
            if encoding:
                headers.append(("Content-Encoding", encoding))
            warc = tmp_path / f"{uuid.uuid4().hex}.warc.gz"
            _point(fresh_seeded, evidence_id, warc, _warc(warc, "http://x.example/a/b.php?q=1",
                                                         headers, body))
            r = client.get(f"/evidence/{evidence_id}/archived")
            assert r.status_code == 200, encoding
            assert r.content == html, encoding
            assert r.headers["content-type"] == "text/html; charset=utf-8"
            assert r.headers["content-security-policy"] == ARCHIVED_CSP
            assert r.headers["content-disposition"] == 'inline; filename="b.html"'
            assert "set-cookie" not in r.headers and "location" not in r.headers
            assert "refresh" not in r.headers and "access-control-allow-origin" not in r.headers
            assert "content-encoding" not in r.headers


def test_a_decompression_bomb_is_refused(fresh_seeded: Seeded, tmp_path: Path) -> None:
    bomb = gzip.compress(b"\0" * (MAX_BODY + 1024 * 1024), compresslevel=9)
    assert len(bomb) < 100_000
    with pytest.raises(TooLarge):
        decode_body(bomb, "gzip")
    with pytest.raises(TooLarge):
        decode_body(zlib.compress(b"\0" * (MAX_BODY + 10)), "deflate")
    evidence_id = _some_evidence(fresh_seeded)
    warc = tmp_path / "bomb.warc.gz"
    _point(fresh_seeded, evidence_id, warc, _warc(
        warc, "http://x.example/", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
        bomb))
    with LiveServer(make_app(fresh_seeded.repo)) as server, server.client() as client:
        r = client.get(f"/evidence/{evidence_id}/archived")
        assert r.status_code == 200
        doc = LexborHTMLParser(r.text)
        assert doc.css_first("#no-archive").attributes["data-problem"] == "archive_too_large"
        # a record whose file is gone: the page record, and an unknown type is an attachment
        _point(fresh_seeded, evidence_id, tmp_path / "gone.warc.gz", 0)
        r = client.get(f"/evidence/{evidence_id}/archived", params={"lang": "en"})
        assert LexborHTMLParser(r.text).css_first("#no-archive").attributes[
            "data-problem"] == "archive_unreadable"
        warc = tmp_path / "svg.warc.gz"
        _point(fresh_seeded, evidence_id, warc, _warc(
            warc, "http://x.example/logo.svg", [("Content-Type", "image/svg+xml")],
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"))
        r = client.get(f"/evidence/{evidence_id}/archived")
        assert r.headers["content-disposition"] == 'attachment; filename="logo.bin"'
        assert r.headers["content-security-policy"] == ARCHIVED_CSP


def test_a_javascript_evidence_url_is_never_a_link(fresh_seeded: Seeded) -> None:
    evidence_id = _some_evidence(fresh_seeded)
    with fresh_seeded.repo.db.session() as s, s.begin():
        s.execute(update(EvidenceRow).where(EvidenceRow.id == evidence_id).values(
            url="javascript:alert(document.domain)"))
        scan_id = s.scalar(select(ItemResultRow.site_scan_id).join(
            EvidenceRow, EvidenceRow.item_result_id == ItemResultRow.id).where(
            EvidenceRow.id == evidence_id))
    with LiveServer(make_app(fresh_seeded.repo)) as server, server.client() as client:
        raw = client.get(f"/scans/{scan_id}").text
        doc = LexborHTMLParser(raw)
        assert not [a for a in doc.css("a") if "javascript:" in (a.attributes.get("href") or "")]
        assert "javascript:alert(document.domain)" in {
            s.text() for s in doc.css("span.evidence-text")}


@pytest.mark.parametrize(
    ("header_charset", "body", "label"),
    [
        # TIS-620 named only in <meta>: the browser must be told, or it shows garbage
        (None, '<meta charset="tis-620"><title>โครงสร้าง</title>'.encode("cp874"), "windows-874"),
        # a server-wide "UTF-8" in front of a TIS-620 page: the page's <meta> knows better
        ("utf-8", '<meta http-equiv="Content-Type" content="text/html; charset=windows-874">'
                  "<p>ข่าว</p>".encode("cp874"), "windows-874"),
        (None, "<p>ข่าวประชาสัมพันธ์</p>".encode(), "utf-8"),
        ("utf-8", "<p>ข่าว</p>".encode(), "utf-8"),
    ],
)
def test_an_archived_page_names_the_charset_it_was_read_in(
    header_charset: str | None, body: bytes, label: str
) -> None:
    from web._archived import ArchivedBody

    copy = ArchivedBody("text/html", header_charset, body, 200, "http://x.go.th/a", "")
    assert copy.content_type() == f"text/html; charset={label}"
    assert ArchivedBody("application/pdf", None, b"%PDF", 200, "", "").content_type() == (
        "application/pdf")
