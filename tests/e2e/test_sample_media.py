"""What agencies really publish, read the way a whole-site scan reads it.

The bundled sample sites carry the hard cases of "Read what agencies actually publish":
a Thai Word export (TH Sarabun look-alike) that decides an item, a scanned announcement
with no text layer, the EIT survey QR code as a bare image / in a wide banner / drawn on a
canvas, a satisfaction-survey QR code that is not the EIT, and a menu that only exists after
JavaScript runs. test_sample_sites.py checks the verdicts item by item; this module checks
that they were reached the intended way (the crawl's pages and links, the evidence), so a
verdict that comes out right by accident does not go unnoticed.

The media are built once by samples/build_media.py and committed; nothing is built here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pytest

from crawler import Link, Page, PageKind
from extract import QrKind, classify_url
from oitwatch.sampleserver import SampleServer
from oitwatch.scan import ScanOptions, ScanProgress, scan_sites
from reports import SiteReport
from rules import load_catalog

MEDIA_SITES = ("compliant", "hub", "webapp", "tis620")
EIT = {
    "hub": "https://itas.nacc.go.th/go/eit/6k2x9w",
    "compliant": "https://itas.nacc.go.th/go/eit/ab12cd",
    "webapp": "https://itas.nacc.go.th/go/eit/q7m3za",
}
SURVEY = "https://docs.google.com/forms/d/e/1FAIpQLSd_sample_phonkaeo_satisfaction/viewform"


def compact(text: str) -> str:
    """As the rules engine compares: no whitespace, "ํา" read as "ำ"."""
    return "".join(text.split()).replace("\u0e4d\u0e32", "\u0e33")


@dataclass
class Scanned:
    url: str  # the site's base URL, ending in "/"
    report: SiteReport
    pages: list[Page]

    def item(self, code: str):
        return next(i for i in self.report.items if i.code == code)

    def page(self, path: str) -> Page:
        found = [p for p in self.pages if p.url == self.url + path.lstrip("/")]
        assert found, f"{path} was not fetched; fetched: {sorted(p.url for p in self.pages)}"
        return found[0]

    @property
    def home(self) -> Page:
        return self.page("/")

    def links(self) -> list[tuple[Page, Link]]:
        return [(page, link) for page in self.pages for link in page.links]

    def reasons(self, code: str) -> str:
        return " | ".join(r.en for r in self.item(code).reasons)


class _Pages(ScanProgress):
    """Keeps every Page the crawler announces (documents too), per site."""

    def __init__(self) -> None:
        self.pages: dict[str, list[Page]] = defaultdict(list)

    def page_fetched(self, seed_url: str, page: Page) -> None:
        self.pages[seed_url].append(page)


@pytest.fixture(scope="module")
def media(sample_server: SampleServer) -> dict[str, Scanned]:
    sites = [s for s in sample_server.sites if s.name in MEDIA_SITES]
    assert sorted(s.name for s in sites) == sorted(MEDIA_SITES)
    capture = _Pages()
    # A real whole-site scan (render=auto, OCR, QR codes); only the evidence screenshots,
    # which this module does not look at, are left out to keep it quick.
    options = ScanOptions(min_delay=0.0, screenshots=False)
    run = scan_sites([s.url for s in sites], load_catalog("ita-2566"), None, options, capture)
    out = {}
    for site in sites:
        report = next(r for r in run.sites if r.seed_url == site.url)
        assert report.status == "ok", (site.name, report.reason)
        out[site.name] = Scanned(site.url, report, capture.pages[site.url])
    return out


# --------------------------------------------------------------------------- Thai PDFs


@pytest.mark.parametrize(
    ("site", "code", "path", "words"),
    [
        ("hub", "O13", "/uploads/ita/2566/O13.pdf",
         ["รายงานผลการดำเนินงานประจำปีงบประมาณพ.ศ.๒๕๖๕", "ผลการใช้จ่ายงบประมาณ", "ปัญหาและอุปสรรค",
          "ข้อเสนอแนะ", "38,914,270.50"]),
        ("hub", "O43", "/uploads/ita/2566/O43.pdf",
         ["มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", "ดำเนินการแล้ว", "๒๕๖๖"]),
        ("webapp", "O11", "/files/2566/operating-plan-2566.pdf",
         ["แผนการดำเนินงานประจำปีงบประมาณพ.ศ.๒๕๖๖", "ระยะเวลาดำเนินการ", "1,480,000"]),
    ],
)
def test_thai_word_export_is_read_from_its_text_layer(
    media: dict[str, Scanned], site: str, code: str, path: str, words: list[str]
) -> None:
    scanned = media[site]
    doc = scanned.page(path)
    assert doc.kind is PageKind.DOCUMENT and doc.content_type == "application/pdf"
    assert doc.text_source == "text" and not doc.note, doc.note
    text = compact(doc.text)
    for word in words:
        assert compact(word) in text, word
    item = scanned.item(code)
    assert item.status.value == "pass", scanned.reasons(code)
    best = item.evidence[0]
    assert best.kind == "document" and best.url == scanned.url + path.lstrip("/")
    assert best.sha256 == doc.sha256 and best.meets_requirements
    # the requirements were checked on the PDF's text, not skipped as unreadable
    assert "not checked" not in best.matched and "elements:" in best.matched, best.matched
    assert "not read" not in scanned.reasons(code)


def test_the_annual_report_is_judged_by_its_year_and_its_four_parts(media: dict[str, Scanned]) -> None:
    best = media["hub"].item("O13").evidence[0]
    assert "report of 2565" in best.matched
    for part in ("results of each project/activity", "budget used", "problems/obstacles", "suggestions"):
        assert part in best.matched, best.matched


# --------------------------------------------------------------------------- scanned PDF


def test_scanned_announcement_is_read_by_ocr(media: dict[str, Scanned]) -> None:
    tis = media["tis620"]
    doc = tis.page("/docs/procurement_plan_2566.pdf")
    assert doc.text_source == "ocr", (doc.text_source, doc.note)
    assert "read by OCR" in doc.note
    text = compact(doc.text)
    for word in ("แผนการจัด", "จัดจ้าง", "2566", "โพนแก้วเหนือ", "e-bidding"):
        assert word in text, word
    item = tis.item("O19")
    assert item.status.value == "pass", tis.reasons("O19")
    best = item.evidence[0]
    assert best.kind == "document" and best.url.endswith("/docs/procurement_plan_2566.pdf")
    assert "year 2566" in best.matched and "not checked" not in best.matched, best.matched
    assert not any("OCR budget" in note or "Tesseract" in note for note in doc.note.split(";"))


# --------------------------------------------------------------------------- QR codes


def _eit_links(scanned: Scanned) -> list[tuple[Page, Link]]:
    return [(p, lk) for p, lk in scanned.links() if classify_url(lk.url) is QrKind.EIT]


def test_eit_qr_in_a_bare_image(media: dict[str, Scanned]) -> None:
    hub = media["hub"]
    found = _eit_links(hub)
    assert found and all(link.tag == "qr" for _, link in found), [(p.url, lk.tag) for p, lk in found]
    assert {link.url for _, link in found} == {EIT["hub"]}
    assert {link.image_url for _, link in found} == {hub.url + "assets/img/eit-qr.png"}
    assert hub.home in [page for page, _ in found]
    _assert_eit_part_passes(hub, EIT["hub"])


def test_eit_qr_in_the_corner_of_a_wide_css_banner(media: dict[str, Scanned]) -> None:
    compliant = media["compliant"]
    found = _eit_links(compliant)
    assert found and all(link.tag == "qr" for _, link in found)
    (page, link), *_ = found
    assert page is compliant.home and link.url == EIT["compliant"]
    assert link.image_url == compliant.url + "public/images/banner-eit-2566.png"
    assert "EIT" in link.title  # the banner <div>'s title names it
    _assert_eit_part_passes(compliant, EIT["compliant"])


def test_eit_qr_drawn_on_a_canvas_is_found_in_a_screenshot(media: dict[str, Scanned]) -> None:
    webapp = media["webapp"]
    found = _eit_links(webapp)
    assert found and all(link.tag == "qr-screenshot" for _, link in found)
    (page, link), *_ = found
    assert page is webapp.home and link.url == EIT["webapp"]
    assert link.image_url.startswith("screenshot:")
    _assert_eit_part_passes(webapp, EIT["webapp"])


def _assert_eit_part_passes(scanned: Scanned, eit: str) -> None:
    item = scanned.item("O43")
    assert item.status.value == "pass", scanned.reasons("O43")
    assert eit in [e.url for e in item.evidence]


def test_satisfaction_survey_qr_is_not_the_eit(media: dict[str, Scanned]) -> None:
    tis = media["tis620"]
    decoded = [(p, lk) for p, lk in tis.links() if lk.url == SURVEY]
    assert decoded, "the survey QR code was not decoded"
    assert {lk.tag for _, lk in decoded} <= {"qr", "qr-screenshot"}
    assert classify_url(SURVEY) is QrKind.SURVEY
    assert not _eit_links(tis)
    item = tis.item("O43")
    # the measures' report is there (integrity.html), the EIT part is not: partial, not pass
    assert item.status.value == "partial", tis.reasons("O43")
    assert "satisfaction survey" in tis.reasons("O43")


# --------------------------------------------------------------------------- JavaScript menu

# Items whose evidence only the script-built menu links (O7 is not among them: the home
# page lists dated news itself).
JS_ONLY = [
    ("O1", "/about/structure", "โครงสร้างส่วนราชการ"),
    ("O2", "/about/executives", "คณะผู้บริหาร"),
    ("O5", "/contact", "ติดต่อเรา"),
    ("O3", "/about/authority", "อำนาจหน้าที่"),
    ("O10", "/privacy", "นโยบายคุ้มครองข้อมูลส่วนบุคคล"),
    ("O11", "/files/2566/operating-plan-2566.pdf", "แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖"),
    ("O18", "/eservice", "E-Service ยื่นคำร้องออนไลน์"),
    ("O28", "/complaint/corruption", "แจ้งเบาะแสการทุจริตและประพฤติมิชอบ"),
]


def test_static_home_page_of_webapp_has_no_menu(media: dict[str, Scanned]) -> None:
    home = media["webapp"].home
    static = [link.url for link in home.links if link.tag == "a"]
    assert static == [media["webapp"].url], static  # only the logo
    rendered = {link.url for link in home.links if link.tag == "rendered"}
    assert len(rendered) >= 12


@pytest.mark.parametrize(("code", "path", "label"), JS_ONLY, ids=[c for c, _, _ in JS_ONLY])
def test_pages_only_in_the_js_menu_are_fetched_and_decide_items(
    media: dict[str, Scanned], code: str, path: str, label: str
) -> None:
    webapp = media["webapp"]
    page = webapp.page(path)
    assert page.status == 200 and not page.error
    # reached from the home page through a link that only the rendered DOM has
    assert [step.text for step in page.click_path] == [label]
    home_links = [lk for lk in webapp.home.links if lk.url == page.url]
    assert home_links and all(lk.tag == "rendered" for lk in home_links)
    item = webapp.item(code)
    assert item.status.value == "pass", webapp.reasons(code)
    assert item.evidence[0].url == page.url
    assert item.evidence[0].click_path == ["หน้าแรก", label]


def test_without_javascript_the_webapp_items_are_not_found(sample_server: SampleServer) -> None:
    """The control: with render=never the same site yields none of the JS-only items, and
    the report says why (so the passes above are the rendering's doing)."""
    site = sample_server.site("webapp")
    options = ScanOptions(min_delay=0.0, screenshots=False, crawl={"render": "never"})
    (report,) = scan_sites([site.url], load_catalog("ita-2566"), None, options).sites
    status = {item.code: item.status.value for item in report.items}
    assert all(status[code] == "fail" for code, _, _ in JS_ONLY), status
    assert status["O43"] == "fail"
    assert any("render=never" in note for note in report.notes), report.notes
