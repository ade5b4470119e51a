"""Tests of the sample-site server (oitwatch/sampleserver.py) and of the bundled sample data."""

from __future__ import annotations

import hashlib
import http.client
import re
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
import yaml

from oitwatch.sampleserver import (
    CHECKED_ITEMS,
    SampleServer,
    SampleSite,
    default_sites_dir,
    generate_sites,
    load_site_config,
    make_jpeg,
    make_pdf,
    url_to_relpath,
)

SITES_DIR = default_sites_dir()
BUNDLED = sorted(p.name for p in SITES_DIR.iterdir() if (p / "site.yaml").is_file())
OK_SITES = [n for n in BUNDLED if load_site_config(SITES_DIR / n)["expected_site_status"] == "ok"]


@pytest.fixture(scope="module")
def server() -> Iterator[SampleServer]:
    with SampleServer() as srv:
        yield srv


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5, follow_redirects=False) as c:
        yield c


def raw_get(site: SampleSite, target: str) -> tuple[int, dict[str, str], bytes]:
    """GET with the request target sent exactly as given (no client-side normalisation)."""
    parts = urlsplit(site.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        conn.putrequest("GET", target, skip_accept_encoding=True)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def make_site(root: Path, name: str, config: dict, files: dict[str, str | bytes]) -> Path:
    site = root / name
    (site / "www").mkdir(parents=True)
    config.setdefault("expected", {c: {"status": "fail", "why": "test"} for c in CHECKED_ITEMS})
    (site / "site.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    for rel, data in files.items():
        path = site / "www" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return site


# --------------------------------------------------------------------------- bundled sites


def test_default_sites_dir_is_the_repo_samples() -> None:
    assert SITES_DIR == Path(__file__).resolve().parents[2] / "samples" / "sites"
    assert {"compliant", "traps", "tis620", "hub"} <= set(BUNDLED)


@pytest.mark.parametrize("name", BUNDLED)
def test_site_yaml_has_expected_status_for_all_ten_items(name: str) -> None:
    config = load_site_config(SITES_DIR / name)
    assert config["name_th"] and config["name_en"] and config["agency_type"] and config["province"]
    expected = config["expected"]
    assert set(CHECKED_ITEMS) <= set(expected)
    for code in CHECKED_ITEMS:
        entry = expected[code]
        assert entry["why"].strip(), code
        if config["expected_site_status"] == "ok":
            assert entry["status"] in {"pass", "partial", "fail"}, code
        else:
            assert entry["status"] == "error", code


def test_bundled_sites_cover_every_status() -> None:
    statuses = {(code, load_site_config(SITES_DIR / n)["expected"][code]["status"])
                for n in OK_SITES for code in CHECKED_ITEMS}
    for code in CHECKED_ITEMS:
        assert (code, "pass") in statuses, code
    assert ("O5", "partial") in statuses
    assert {s for _, s in statuses} == {"pass", "partial", "fail"}


def test_every_home_page_answers_as_its_site_status_says(server: SampleServer, client: httpx.Client) -> None:
    assert [s.name for s in server.sites] == BUNDLED
    for site in server.sites:
        assert site.url.startswith("http://127.0.0.1:") and site.url.endswith("/")
        if site.expected_site_status == "unreachable":
            with pytest.raises(httpx.ConnectError):
                client.get(site.url)
            continue
        response = client.get(site.url)
        if site.name == "waf_blocked":
            assert response.status_code == 403
        else:
            assert response.status_code == 200, site.name
            assert response.headers["content-type"].startswith("text/html")


def test_robots_blocked_site_disallows_everything(server: SampleServer, client: httpx.Client) -> None:
    robots = client.get(server.site("robots_blocked").url + "robots.txt")
    assert robots.status_code == 200
    assert re.search(r"(?m)^Disallow: /\s*$", robots.text)


def test_waf_answers_403_to_everything(server: SampleServer, client: httpx.Client) -> None:
    url = server.site("waf_blocked").url
    for path in ("", "robots.txt", "structure.html", "no-such-page"):
        assert client.get(url + path).status_code == 403
    assert client.post(url + "x", data={"a": "b"}).status_code == 403


def test_tis620_site_is_served_as_cp874_without_charset_header(server: SampleServer, client: httpx.Client) -> None:
    site = server.site("tis620")
    for path, label in (("", "tis-620"), ("main.html", "tis-620"), ("contact.html", "windows-874")):
        response = client.get(site.url + path)
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/html"  # no charset parameter at all
        body = response.content
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        text = body.decode("cp874")
        assert f"charset={label}" in text
        assert "องค์การบริหารส่วนตำบลโพนแก้วเหนือ" in text
        stored = (site.root / "www" / url_to_relpath("/" + (path or "index.html"))).read_text("utf-8")
        assert body == stored.encode("cp874")
    assert "<frameset" in client.get(site.url).content.decode("cp874")


def test_path_traversal_is_refused(server: SampleServer) -> None:
    site = server.site("compliant")
    secret = (site.root / "site.yaml").read_bytes()[:40]
    for target in ("/../site.yaml", "/%2e%2e/site.yaml", "/..%2fsite.yaml", "/%2E%2E%2Fsite.yaml",
                   "/public/../../site.yaml", "/public/%2e%2e/%2e%2e/site.yaml", "/../../../../etc/passwd",
                   "/..%5c..%5csite.yaml", "/%00/site.yaml", "/site.yaml"):
        status, _, body = raw_get(site, target)
        assert status in (400, 403, 404), target
        assert secret not in body and b"root:" not in body, target


def test_symlink_out_of_the_site_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("top secret", encoding="utf-8")
    site_dir = make_site(tmp_path / "sites", "s", {}, {"index.html": "<p>home</p>"})
    (site_dir / "www" / "leak.txt").symlink_to(outside)
    with SampleServer(tmp_path / "sites") as srv:
        status, _, body = raw_get(srv.site("s"), "/leak.txt")
    assert status == 403 and b"top secret" not in body


def test_missing_files_are_404(server: SampleServer, client: httpx.Client) -> None:
    url = server.site("compliant").url
    for path in ("nope.html", "public/no/such/dir/", "public/files/ita2566/O99.pdf", ".git/config", "x/.hidden"):
        response = client.get(url + path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")
    assert client.get(server.site("hub").url + "Qa").status_code == 404


def test_content_types(server: SampleServer, client: httpx.Client) -> None:
    compliant, traps, tis = (server.site(n).url for n in ("compliant", "traps", "tis620"))
    cases = {
        compliant + "public/files/ita2566/O04.pdf": "application/pdf",
        compliant + "public/images/logo.png": "image/png",
        compliant + "public/images/person/exec-1.jpg": "image/jpeg",
        compliant + "sitemap.xml": "application/xml",
        compliant + "robots.txt": "text/plain; charset=utf-8",
        compliant + "public/css/style.css": "text/css; charset=utf-8",
        compliant + "public/contact/data/index/menu/1155": "text/html; charset=utf-8",
        tis + "images/logo.gif": "image/gif",
        traps + "wp-content/uploads/2021/06/mayor.jpg": "image/jpeg",
    }
    for url, content_type in cases.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"] == content_type, url
    assert client.get(compliant + "public/images/logo.png").content.startswith(b"\x89PNG\r\n\x1a\n")
    assert client.get(compliant + "public/images/person/exec-1.jpg").content.startswith(b"\xff\xd8")


def test_head_has_headers_but_no_body(server: SampleServer, client: httpx.Client) -> None:
    url = server.site("compliant").url
    get, head = client.get(url), client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(get.content))


def test_query_urls_map_to_files(server: SampleServer, client: httpx.Client) -> None:
    url = server.site("traps").url
    structure = client.get(url + "?page_id=45")
    assert structure.status_code == 200 and "โครงสร้างส่วนราชการ" in structure.text
    faq = client.get(url + "?page_id=160")
    assert "คำถามที่พบบ่อย" in faq.text and "<form" not in faq.text.split("<main", 1)[1].split("</main>")[0]
    # unknown query: served like a static server would, ignoring the query (here: the splash page)
    unknown = client.get(url + "?page_id=999")
    assert unknown.status_code == 200 and 'http-equiv="refresh"' in unknown.text


def test_percent_encoded_thai_paths(server: SampleServer, client: httpx.Client) -> None:
    site = server.site("traps")
    encoded = "/%E0%B8%95%E0%B8%B4%E0%B8%94%E0%B8%95%E0%B9%88%E0%B8%AD/"  # /ติดต่อ/
    status, _, body = raw_get(site, encoded)
    assert status == 200 and "ติดต่อเรา".encode() in body
    pdf = client.get(site.url + "wp-content/uploads/2023/03/แบบคำร้องทั่วไป.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert raw_get(site, "/%E0%B8%95%E0%B8")[0] == 400  # truncated UTF-8


def test_directory_without_slash_redirects_and_extensionless_routes(server: SampleServer,
                                                                    client: httpx.Client) -> None:
    traps, hub = server.site("traps").url, server.site("hub").url
    moved = client.get(traps + "home")
    assert moved.status_code == 301 and moved.headers["location"] == "/home/"
    assert client.get(hub + "Pages/ita_year_detail/2566").status_code == 200
    assert client.get(hub + "Corruption/report_form").status_code == 200


def test_meta_refresh_splash(server: SampleServer, client: httpx.Client) -> None:
    splash = client.get(server.site("traps").url).text
    assert '<meta http-equiv="refresh" content="0; url=/home/">' in splash


def test_calendar_trap_generates_endless_links(server: SampleServer, client: httpx.Client) -> None:
    base = server.site("traps").url
    url, seen = base + "?calendar=2564-08", set()
    for _ in range(40):
        response = client.get(url)
        assert response.status_code == 200
        nxt = re.findall(r'href="(/\?calendar=[0-9]+-[0-9]+)">เดือนถัดไป', response.text)
        assert len(nxt) == 1
        seen.add(url)
        url = urljoin(base, nxt[0])
    assert len(seen) == 40 and url.endswith("calendar=2567-12")
    prev = client.get(base + "?calendar=2564-01").text
    assert "/?calendar=2563-12" in prev
    assert client.get(base + "?calendar=garbage").status_code == 200


def test_status_override_503_once_then_200(tmp_path: Path) -> None:
    make_site(tmp_path, "flaky", {"dynamic": {"status_overrides": [
        {"path": "/", "status": 503, "times": 1, "headers": {"Retry-After": "1"}}]}},
        {"index.html": "<p>ok</p>"})
    with SampleServer(tmp_path) as srv, httpx.Client() as c:
        first = c.get(srv.site("flaky").url)
        assert first.status_code == 503 and first.headers["retry-after"] == "1"
        assert c.get(srv.site("flaky").url).status_code == 200
        assert c.get(srv.site("flaky").url).status_code == 200


def test_routes_table_and_redirects(tmp_path: Path) -> None:
    make_site(tmp_path, "r", {
        "routes": {"/index.php?option=com_content&id=5": "pages/five.html", "/old-home": "index.html"},
        "dynamic": {"redirects": {"/legacy": "/pages/five.html", "/tmp": {"to": "/", "status": 302}}},
    }, {"index.html": "<p>home</p>", "pages/five.html": "<p>five</p>"})
    with SampleServer(tmp_path) as srv, httpx.Client() as c:
        url = srv.site("r").url
        assert c.get(url + "index.php?option=com_content&id=5").text == "<p>five</p>"
        assert c.get(url + "old-home").text == "<p>home</p>"
        legacy = c.get(url + "legacy")
        assert legacy.status_code == 301 and legacy.headers["location"] == "/pages/five.html"
        assert c.get(url + "tmp").status_code == 302


def test_base_url_placeholder_is_filled_in(server: SampleServer, client: httpx.Client) -> None:
    site = server.site("compliant")
    sitemap = client.get(site.url + "sitemap.xml").text
    assert "{{base_url}}" not in sitemap
    assert f"<loc>{site.url}public/contact/data/index/menu/1155</loc>" in sitemap
    assert f"Sitemap: {site.url}sitemap.xml" in client.get(site.url + "robots.txt").text


def test_post_is_answered(server: SampleServer, client: httpx.Client) -> None:
    response = client.post(server.site("compliant").url + "public/fraudcomplaint/data/insert/menu/1150",
                           data={"detail": "ทดสอบ"})
    assert response.status_code == 200 and "ได้รับข้อมูล" in response.text


def test_unreachable_site_refuses_connections(server: SampleServer) -> None:
    parts = urlsplit(server.site("unreachable").url)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((parts.hostname, parts.port), timeout=2).close()


def test_concurrent_requests_and_quiet_server(server: SampleServer, capfd: pytest.CaptureFixture[str]) -> None:
    url = server.site("compliant").url
    with ThreadPoolExecutor(8) as pool, httpx.Client() as c:
        codes = list(pool.map(lambda i: c.get(url + ("nope" if i % 5 == 0 else "")).status_code, range(40)))
    assert codes.count(200) == 32 and codes.count(404) == 8
    parts = urlsplit(url)
    for payload in (b"GET / HTTP/1.1\r\nHost: x", b"", b"GET /"):  # clients that reset mid-request
        sock = socket.create_connection((parts.hostname, parts.port))
        sock.sendall(payload)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    time.sleep(0.2)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


# --------------------------------------------------------------------------- the sample data itself

_LINK_RE = re.compile(r'(?:href|src)="([^"#]+)"|content="0; url=([^"]+)"', re.IGNORECASE)


def crawl(client: httpx.Client, site: SampleSite, seeds: list[str] | None = None) -> tuple[set[str], set[str]]:
    """Follow every same-site href/src (not form actions, not the calendar); return (ok, broken) paths."""
    ok, broken, queue = set(), set(), [site.url, *(seeds or [])]
    while queue and len(ok) + len(broken) < 300:
        url = queue.pop()
        path = urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")
        if path in ok or path in broken:
            continue
        response = client.get(url, follow_redirects=True)
        if response.status_code >= 500:  # compliant's gallery answers 503 once
            response = client.get(url, follow_redirects=True)
        (ok if response.status_code == 200 else broken).add(path)
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        html = re.sub(r"(?is)<script.*?</script>", "", response.content.decode(site.config["encoding"]))
        for match in _LINK_RE.finditer(html):
            link = urljoin(url, (match.group(1) or match.group(2)).replace("&amp;", "&"))
            if link.startswith(site.url) and "calendar=" not in link:
                queue.append(link)
    return ok, broken


def menu_json_urls(client: httpx.Client, site: SampleSite) -> list[str]:
    """webapp: the pages its script-built menu links (the static HTML links none of them)."""
    def walk(items: list[dict]) -> Iterator[str]:
        for item in items:
            yield from walk(item["children"]) if "children" in item else [item["url"]]

    return [urljoin(site.url, u) for u in walk(client.get(site.url + "api/menu.json").json())]


@pytest.mark.parametrize("name", ["compliant", "traps", "tis620", "hub", "webapp"])
def test_only_intentionally_broken_links(server: SampleServer, client: httpx.Client, name: str) -> None:
    site = server.site(name)
    seeds = [u for u in menu_json_urls(client, site) if u.startswith(site.url)] if name == "webapp" else None
    ok, broken = crawl(client, site, seeds)
    # small sites; compliant has a page for each of the 43 ITA items besides its menus
    assert 10 <= len([p for p in ok if not re.search(r"\.(png|jpg|gif|pdf|css)$", p)]) <= 90
    assert {unquote_path(p) for p in broken} == set(site.config.get("broken_links", []))


def unquote_path(path: str) -> str:
    from urllib.parse import unquote

    return unquote(path)


def www_text(name: str) -> str:
    root = SITES_DIR / name / "www"
    return "\n".join(p.read_text("utf-8") for p in sorted(root.rglob("*"))
                     if p.suffix in (".html", ".xml", ".txt") and p.is_file())


def test_trap_site_invariants() -> None:
    text = www_text("traps")
    assert "2566" not in text and "๒๕๖๖" not in text  # news and everything else stale
    assert not re.search(r"facebook\.com|line\.me|youtube\.com|twitter\.com|instagram\.com|tiktok\.com", text)
    assert re.sub("ออนไลน์", "", text).count("ไลน์") == 0 and "ออนไลน์" in text
    assert "/go/eit/" not in text and "/go/iit/u4gpi2" in text
    assert "นโยบายคุ้มครองข้อมูล" not in text and "คุกกี้" in text
    assert "ทุจริต" not in text
    assert "โทรสาร" not in text and "mailto:" not in text and not re.search(r"[\w.]+@[\w-]+\.", text)
    assert "google.com/maps" not in text and "maps.google" not in text


def test_compliant_and_hub_invariants() -> None:
    compliant = www_text("compliant")
    assert "/public/fraudcomplaint/" in compliant and "/public/complaintgeneral/" in compliant
    # the EIT survey is only a QR code in the corner of a CSS background banner: never a link
    assert "itas.nacc.go.th" not in compliant
    assert "background-image: url('/public/images/banner-eit-2566.png')" in compliant
    hub = www_text("hub")
    # the EIT survey is only a bare QR image (no link around it) on the home page and the hub
    assert "itas.nacc.go.th" not in hub
    assert hub.count('<img src="/assets/img/eit-qr.png" alt=""') == 2
    assert not re.search(r'<a [^>]*>\s*<img src="/assets/img/eit-qr.png"', hub)
    assert "<tr><td>O10</td><td>นโยบายคุ้มครองข้อมูลส่วนบุคคล</td><td>-</td></tr>" in hub
    assert "โทรสาร" not in hub
    tis = www_text("tis620")
    assert "/go/eit/" not in tis and "คุ้มครองข้อมูล" not in tis
    # the satisfaction-survey QR code is a bare image too; the scanned plan is linked from main.html
    assert not re.search(r'<a [^>]*>\s*<img src="images/qr_survey.png"', tis)
    assert 'href="docs/procurement_plan_2566.pdf"' in tis


def test_webapp_site_needs_javascript() -> None:
    """webapp: the static HTML has no menu at all (an empty <nav> that a script fills from
    /api/menu.json), and the EIT QR code is drawn on a canvas from module rows: the URL is
    in no HTML, script or image file of the site."""
    root = SITES_DIR / "webapp" / "www"
    pages = sorted(root.rglob("*.html"))
    assert len(pages) >= 10
    for page in pages:
        html = page.read_text("utf-8")
        assert '<nav id="main-menu" class="main-menu" aria-label="เมนูหลัก"></nav>' in html, page
        assert '<script src="/assets/js/app.js"></script>' in html, page
        links = re.findall(r'<a [^>]*href="([^"]+)"', html)
        assert links[0] == "/" and all(not u.startswith("/") for u in links[1:]), (page, links)
    everything = b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())
    assert b"itas.nacc.go.th" not in everything and b"/go/eit/" not in everything
    index = (root / "index.html").read_text("utf-8")
    assert '<canvas id="eit-qr"' in index and '<script src="/assets/js/eit-qr.js"></script>' in index


def test_webapp_menu_entries_all_answer(server: SampleServer, client: httpx.Client) -> None:
    site = server.site("webapp")
    menu = client.get(site.url + "api/menu.json")
    assert menu.status_code == 200 and menu.headers["content-type"].startswith("application/json")
    found = menu_json_urls(client, site)
    assert len(found) >= 12
    for url in found:
        if url.startswith(site.url):
            assert client.get(url).status_code == 200, url
        else:
            assert url.startswith("https://www.facebook.com/"), url


@pytest.mark.parametrize(("image", "url"), [
    ("compliant/www/public/images/banner-eit-2566.png", "https://itas.nacc.go.th/go/eit/ab12cd"),
    ("hub/www/assets/img/eit-qr.png", "https://itas.nacc.go.th/go/eit/6k2x9w"),
    ("traps/www/wp-content/uploads/2021/06/qr-survey.png",
     "https://docs.google.com/forms/d/e/1FAIpQLSe_sample_satisfaction_nkt/viewform"),
    ("tis620/www/images/qr_survey.png",
     "https://docs.google.com/forms/d/e/1FAIpQLSd_sample_phonkaeo_satisfaction/viewform"),
])
def test_qr_images_encode_the_url_they_stand_for(image: str, url: str) -> None:
    zxingcpp = pytest.importorskip("zxingcpp", reason="QR decoder not installed")
    pil = pytest.importorskip("PIL.Image", reason="Pillow not installed")
    assert [r.text for r in zxingcpp.read_barcodes(pil.open(SITES_DIR / image))] == [url]


def test_bundled_pdfs_are_valid() -> None:
    pdfs = sorted(SITES_DIR.rglob("*.pdf"))
    assert len(pdfs) > 50
    for path in pdfs:
        assert_valid_pdf(path.read_bytes())


def assert_valid_pdf(data: bytes) -> None:
    assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\s+(\d+)\s+%%EOF", data).group(1))  # type: ignore[union-attr]
    assert data[startxref:startxref + 4] == b"xref"
    count = int(re.match(rb"xref\s+0 (\d+)", data[startxref:]).group(1))  # type: ignore[union-attr]
    entries = re.findall(rb"(\d{10}) 00000 n", data[startxref:])
    assert len(entries) == count - 1
    for number, offset in enumerate(entries, 1):
        assert data[int(offset):].startswith(b"%d 0 obj" % number)
    length = int(re.search(rb"/Length (\d+)", data).group(1))  # type: ignore[union-attr]
    stream = data.index(b"stream\n") + len(b"stream\n")
    assert data[stream + length:].startswith(b"\nendstream")


def test_make_pdf_escapes_and_replaces_non_ascii() -> None:
    data = make_pdf(["a (b) \\ c", "ไทย"], title="t")
    assert_valid_pdf(data)
    assert b"a \\(b\\) \\\\ c" in data and b"(???) Tj" in data


def test_make_jpeg_structure() -> None:
    data = make_jpeg(40, 96, 0, 255)
    assert data.startswith(b"\xff\xd8\xff\xe0") and data.endswith(b"\xff\xd9")
    sof = data.index(b"\xff\xc0")
    assert data[sof + 5:sof + 9] == bytes([0, 96, 0, 40])  # height, width
    scan = data[data.index(b"\xff\xda") + 10:-2]
    assert all(scan[i + 1] == 0 for i in range(len(scan) - 1) if scan[i] == 0xFF)  # byte stuffing


def test_url_to_relpath() -> None:
    assert url_to_relpath("/") == "index.html"
    assert url_to_relpath("/a/b/") == "a/b/index.html"
    assert url_to_relpath("/a/b.pdf") == "a/b.pdf"
    assert url_to_relpath("/Pages/ita_year_detail/2566") == "Pages/ita_year_detail/2566.html"
    assert url_to_relpath("/?page_id=12") == "_q/page_id=12.html"
    assert url_to_relpath("/%E0%B8%95/") == "ต/index.html"
    with pytest.raises(ValueError):
        url_to_relpath("/index.php?id=1")


def test_load_site_config_rejects_missing_items(tmp_path: Path) -> None:
    site = make_site(tmp_path, "bad", {"expected": {"O1": {"status": "pass", "why": "x"}}}, {})
    with pytest.raises(ValueError, match="expected.O2"):
        load_site_config(site)


# --------------------------------------------------------------------------- synthetic sites


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def test_generate_sites_is_deterministic_and_loadable(tmp_path: Path) -> None:
    first = generate_sites(6, tmp_path / "a", seed=7)
    generate_sites(6, tmp_path / "b", seed=7)
    generate_sites(6, tmp_path / "c", seed=8)
    assert [p.name for p in first] == [f"gen-{i:04d}" for i in range(6)]
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert tree_digest(tmp_path / "a") != tree_digest(tmp_path / "c")
    generate_sites(6, tmp_path / "a", seed=7)  # rewriting in place gives the same tree
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")

    with SampleServer(tmp_path / "a") as srv, httpx.Client(timeout=5) as c:
        assert len(srv.sites) == 6
        for site in srv.sites:
            assert set(CHECKED_ITEMS) <= set(site.expected)
            pages = [p for p in (site.root / "www").rglob("*.html")]
            assert 20 <= len(pages) <= 41, site.name
            home = c.get(site.url)
            assert home.status_code == 200
            for page in pages[:10]:
                url = "/" + page.relative_to(site.root / "www").as_posix()
                assert c.get(site.url.rstrip("/") + url).status_code == 200


def test_generated_expectations_follow_the_pages(tmp_path: Path) -> None:
    """The expected map is written from the variant draw; spot-check it against the pages."""
    sites = generate_sites(40, tmp_path, seed=1)
    styles, encodings, seen = set(), set(), {c: set() for c in CHECKED_ITEMS}
    for folder in sites:
        config = load_site_config(folder)
        styles.add(config["style"])
        encodings.add(config["encoding"])
        pages = [p.read_text("utf-8") for p in (folder / "www").rglob("*.html")]
        text = "\n".join(pages)
        expected = {code: config["expected"][code]["status"] for code in CHECKED_ITEMS}
        for code, status in expected.items():
            seen[code].add(status)
        o43_why = config["expected"]["O43"]["why"]
        eit_drawn = "/go/eit/" in o43_why or "EIT link present" in o43_why
        assert ("/go/eit/" in text) == eit_drawn, folder
        assert ("<h1>นโยบายคุ้มครองข้อมูลส่วนบุคคล" in text) == (expected["O10"] == "pass"), folder
        fraud_form = "<h1>ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ</h1>" in text
        assert fraud_form == (expected["O28"] == "pass"), folder
        assert bool(re.search(r"facebook\.com|youtube\.com|line\.me", text)) == (expected["O9"] == "pass"), folder
        assert ("โทรสาร" in text and "google.com/maps" in text) == (expected["O5"] == "pass"), folder
        assert ("กระดานถาม-ตอบ (Q&amp;A)" in text) == (expected["O8"] == "pass"), folder
        online_form = any("(บริการออนไลน์)</h1>" in p and "<textarea" in p for p in pages)
        assert online_form == (expected["O18"] == "pass"), folder
    assert styles == {"cms", "wordpress", "ci"} and encodings == {"utf-8", "cp874"}
    assert all(len(statuses) >= 2 for statuses in seen.values())


def test_generated_cp874_site_is_served_as_cp874(tmp_path: Path) -> None:
    sites = [f for f in generate_sites(25, tmp_path, seed=1) if load_site_config(f)["encoding"] == "cp874"]
    assert sites
    with SampleServer(tmp_path, only=[sites[0].name]) as srv, httpx.Client() as c:
        response = c.get(srv.sites[0].url)
        assert response.headers["content-type"] == "text/html"
        assert "charset=tis-620" in response.content.decode("cp874")


# --------------------------------------------------------------------------- CLI


def test_cli_generate_and_serve(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "oitwatch.sampleserver", "--generate", "2", "--sites",
                    str(tmp_path)], check=True, capture_output=True, timeout=60)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gen-0000", "gen-0001"]
    proc = subprocess.Popen([sys.executable, "-m", "oitwatch.sampleserver", "--sites", str(tmp_path)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(3)]
        assert lines[0].startswith("gen-0000") and "http://127.0.0.1:" in lines[0]
        assert lines[2].startswith("Serving")
        url = lines[0].split()[1]
        assert httpx.get(url, timeout=5).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
