#!/usr/bin/env python
"""Generate the `portal` and `strict` sample sites (samples/sites/portal, samples/sites/strict).

Both sites are written by this script, deterministically, and the output is committed:

* **portal** — a deep municipal portal (เทศบาลเมืองศรีวังตาล, invented): หน้าแรก › ข้อมูลสาธารณะ ›
  ITA › fiscal-year tabs (2564, 2565, 2566) › หมวด (one per sub-indicator) › ``?page=N``
  listings of 10 entries › document detail page › PDF. The monthly procurement summaries of
  Oct 2565 – Mar 2566 are split over the two pages of the 2566 procurement listing; the
  evidence of most items sits 5–7 clicks from the home page, behind about 250 pages of noise
  (a 12-page news archive, a 6-page gallery, an endless ``?month=`` calendar, the old year
  tabs) — more than the crawler's 300-page budget if it is spent in order.
* **strict** — a strictly non-compliant อบต. (Joomla-style ``index.php?option=com_content...``
  URLs) whose ITA 2566 hub links something for most items, but the content is wrong in the
  ways issue 8 lists: copied measures naming another agency, wrong fiscal years under a 2566
  heading, a text-only structure, executives without photo or contact, a pasted statute, an
  unreadable PDF (legacy-font text layer), missing months, only general channels.

Why a generator with committed output (not generation at serve time): the sites are served
like every other sample (plain files, ``routes:``), a reviewer can read and click the pages,
and ``tests/samples/test_portal_sites.py`` regenerates everything in memory and compares it
with the committed files byte for byte — so a hand edit or a stale file is caught.

The Thai PDFs with a text layer (most portal documents) are printed by Chromium from HTML
sources that this script writes to ``samples/sources/portal/``, exactly as
``samples/build_media.py`` does (same browser setup, fixed PDF dates, 60 KB cap); building them
needs Chromium and ``fonts-thai-tlwg`` and is done only with ``--pdfs``. The comparison test
covers their sources; ``test_portal_sites.py`` verifies the committed PDFs by reading their
text layer back (pypdfium2). Everything else (pages, placeholder images, the legacy-font PDF,
the EIT QR code made with segno) is pure Python.

    .venv/bin/python samples/build_portal.py            # write pages, sources, site.yaml
    .venv/bin/python samples/build_portal.py --pdfs     # ... and print the Thai PDFs (Chromium)
    .venv/bin/python samples/build_portal.py --check    # compare with the committed files
"""

from __future__ import annotations

import argparse
import html
import io
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SITES = HERE / "sites"
SOURCES = HERE / "sources"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from oitwatch.sampleserver import make_jpeg, make_png, url_to_relpath  # noqa: E402

SITE_NAMES = ("portal", "strict")
EIT_PORTAL = "https://itas.nacc.go.th/go/eit/p4n8vt"
SURVEY_STRICT = "https://docs.google.com/forms/d/e/1FAIpQLSc_sample_nonghinthang_satisfaction/viewform"

_TH_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
          "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")


def th(value: object) -> str:
    """Arabic digits as Thai digits: ``2566`` -> ``๒๕๖๖``."""
    return str(value).translate(_TH_DIGITS)


def esc(text: str) -> str:
    return html.escape(text, quote=True)


@dataclass
class ThaiDoc:
    """A Thai PDF printed by Chromium: ``out`` under the site's www/, its HTML source under
    samples/sources/<site>/, and phrases its text layer must give back."""

    out: str
    source: str
    html: str
    phrases: list[str]


@dataclass
class Output:
    name: str
    files: dict[str, bytes] = field(default_factory=dict)  # path under samples/sites/<name>/
    sources: dict[str, bytes] = field(default_factory=dict)  # path under samples/sources/
    thai_pdfs: list[ThaiDoc] = field(default_factory=list)
    routes: dict[str, str] = field(default_factory=dict)  # site.yaml routes: (query URLs -> files)

    def page(self, url: str, text: str) -> None:
        self.files["www/" + url_to_relpath(url)] = text.encode("utf-8")

    def binary(self, url: str, data: bytes) -> None:
        self.files["www/" + url.lstrip("/")] = data

    def thai_pdf(self, url: str, source: str, doc_html: str, phrases: list[str]) -> None:
        out = url.lstrip("/")
        self.thai_pdfs.append(ThaiDoc("www/" + out, f"{self.name}/{source}", doc_html, phrases))
        self.sources[f"{self.name}/{source}"] = doc_html.encode("utf-8")


def word_doc(title: str, subtitle: str, body: str, note: str) -> str:
    """An HTML source laid out like a Word document exported to PDF (as samples/sources/)."""
    return f"""<!DOCTYPE html>
<!-- {note}
     Printed to PDF by Chromium (samples/build_portal.py --pdfs). Generated by
     samples/build_portal.py: edit the generator, not this file. Agency and people are invented. -->
<html lang="th">
<head>
<meta charset="utf-8">
<title>{esc(title)}</title>
<style>
  @page {{ size: A4; margin: 2.54cm 2.54cm 2.3cm 3cm; }}
  body {{ font-family: Laksaman, "TH Sarabun New", "TH SarabunPSK", serif; font-size: 16pt; line-height: 1.25; color: #000; margin: 0; }}
  h1 {{ font-size: 18pt; text-align: center; margin: 0; }}
  h2 {{ font-size: 16pt; text-align: center; margin: 0 0 6pt; font-weight: bold; }}
  h3 {{ font-size: 16pt; margin: 8pt 0 2pt; font-weight: bold; }}
  p {{ margin: 0 0 4pt; text-indent: 1.25cm; text-align: justify; }}
  table {{ border-collapse: collapse; width: 100%; font-size: 14pt; margin: 4pt 0 6pt; }}
  th, td {{ border: 0.75pt solid #000; padding: 1pt 4pt; vertical-align: top; }}
  th {{ text-align: center; font-weight: bold; background: #f2f2f2; }}
  .sign {{ margin: 14pt 0 0 8cm; text-align: center; }}
</style>
</head>
<body>
<h1>{title}</h1>
<h2>{subtitle}</h2>
{body}
</body>
</html>
"""


def table(head: list[str], rows: list[list[str]]) -> str:
    out = ["<table>", "<tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows]
    out.append("</table>")
    return "\n".join(out)


def sign(name: str, position: str, date: str) -> str:
    first = name.split(" ", 1)
    short = first[0].removeprefix("นางสาว").removeprefix("นาง").removeprefix("นาย")
    surname = first[1] if len(first) > 1 else ""
    return (f'<div class="sign"><div>(ลงชื่อ) {short} {surname}</div><div>({name})</div>'
            f"<div>{position}</div><div>{date}</div></div>")


def qr_png(url: str) -> bytes:
    import segno

    buffer = io.BytesIO()
    segno.make(url).save(buffer, kind="png", scale=4, border=4)
    return buffer.getvalue()


# =========================================================================== portal

P_NAME = "เทศบาลเมืองศรีวังตาล"
P_PLACE = "อำเภอท่าตะโกใหม่ จังหวัดนครสวรรค์"
P_ADDRESS = "เลขที่ ๑๙๙ หมู่ที่ ๕ ถนนศรีวังตาล-ท่าตะโก ตำบลศรีวังตาล อำเภอท่าตะโกใหม่ จังหวัดนครสวรรค์ ๖๐๑๙๙"
P_MAYOR = ("นายสมศักดิ์ วังตาลทอง", "นายกเทศมนตรีเมืองศรีวังตาล")
P_CLERK = ("นายณรงค์ ทองสุขเจริญ", "ปลัดเทศบาลเมืองศรีวังตาล")
P_FB = "https://www.facebook.com/sriwangtan.city"
P_YT = "https://www.youtube.com/@sriwangtancity"
P_LINE = "https://line.me/R/ti/p/@sriwangtan"

P_MENU = [
    ("/", "หน้าแรก"), ("/about/", "เกี่ยวกับเทศบาล"), ("/news/", "ข่าวสาร"), ("/gallery/", "ภาพกิจกรรม"),
    ("/calendar/?month=2566-04", "ปฏิทินกิจกรรม"), ("/services/", "บริการประชาชน"),
    ("/open-data/", "ข้อมูลสาธารณะ"), ("/contact/", "ติดต่อเรา"),
]


def portal_page(title: str, body: str, crumbs: list[tuple[str, str]] | None = None) -> str:
    menu = "".join(f'<li><a href="{u}">{t}</a></li>' for u, t in P_MENU)
    trail = ""
    if crumbs is not None:
        parts = ['<a href="/">หน้าแรก</a>'] + [f'<a href="{u}">{t}</a>' if u else t for t, u in crumbs]
        trail = '<div class="breadcrumb">' + " › ".join(parts) + "</div>\n"
    return f"""<!DOCTYPE html>
<html lang="th">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} | {P_NAME}</title>
<link rel="stylesheet" href="/assets/css/portal.css">
</head>
<body>
<div class="topbar"><span>{P_NAME} {P_PLACE}</span>
<span class="social"><a href="{P_FB}" title="Facebook"><img src="/assets/img/icon-fb.png" alt="Facebook"></a>
<a href="{P_YT}" title="YouTube"><img src="/assets/img/icon-yt.png" alt="YouTube"></a>
<a href="{P_LINE}" title="LINE"><img src="/assets/img/icon-line.png" alt="LINE"></a></span></div>
<header><a href="/"><img src="/assets/img/logo.png" alt="ตราสัญลักษณ์{P_NAME}" width="80" height="80"></a>
<div class="site-name"><h1>{P_NAME}</h1><p>{P_PLACE}</p></div></header>
<nav class="mainmenu"><ul>{menu}</ul></nav>
{trail}<main>
{body}
</main>
<footer>
<p><b>{P_NAME}</b> {P_ADDRESS}</p>
<p>โทรศัพท์ ๐-๕๖๒๙-๑๑๙๙ โทรสาร ๐-๕๖๒๙-๑๑๙๘ อีเมล saraban@sriwangtan.go.th</p>
<p><a href="/pdpa/">นโยบายคุ้มครองข้อมูลส่วนบุคคล</a> | <a href="/contact/">ติดต่อเรา</a></p>
<p class="copy">สงวนลิขสิทธิ์ พ.ศ. ๒๕๖๖ {P_NAME}</p>
</footer>
</body>
</html>
"""


def pagination(base: str, current: int, pages: int) -> str:
    if pages <= 1:
        return ""
    links = []
    for n in range(1, pages + 1):
        href = base if n == 1 else f"{base}?page={n}"
        links.append(f"<b>{th(n)}</b>" if n == current else f'<a href="{href}">{th(n)}</a>')
    if current < pages:
        links.append(f'<a href="{base}?page={current + 1}">ถัดไป »</a>')
    return '<div class="pagination">หน้า ' + " ".join(links) + "</div>"


def listing_pages(out: Output, base: str, title: str, entries: list[str], crumbs: list[tuple[str, str]],
                  intro: str = "", per_page: int = 10) -> None:
    """A listing of ``entries`` (HTML <li> bodies), ``per_page`` per page: ``base`` and ``base?page=N``."""
    pages = max(1, (len(entries) + per_page - 1) // per_page)
    for n in range(1, pages + 1):
        chunk = entries[(n - 1) * per_page:n * per_page]
        body = (f"<h2>{title}</h2>\n{intro}<ul class=\"list\">\n"
                + "\n".join(f"<li>{e}</li>" for e in chunk) + "\n</ul>\n" + pagination(base, n, pages))
        url = base if n == 1 else f"{base}?page={n}"
        out.page(url, portal_page(title if n == 1 else f"{title} (หน้า {th(n)})", body, crumbs))


def thai_date_ce(year_ce: int, month: int, day: int, style: int = 0) -> str:
    be = year_ce + 543
    if style == 1:
        return f"{day} {MONTHS_SHORT[month - 1]} {str(be)[2:]}"
    if style == 2:
        return f"{th(day)} {MONTHS_SHORT[month - 1]} {th(be)}"
    return f"{th(day)} {MONTHS[month - 1]} {th(be)}"


NEWS_TOPICS = [
    "โครงการฝึกอบรมอาชีพการทำขนมไทยให้กลุ่มสตรี", "กิจกรรมรณรงค์ป้องกันโรคไข้เลือดออก",
    "การประชุมสภาเทศบาลเมืองศรีวังตาล สมัยสามัญ", "โครงการผู้สูงอายุสุขภาพดีชุมชนวังตาล",
    "ประชาสัมพันธ์การชำระภาษีที่ดินและสิ่งปลูกสร้าง", "กิจกรรมจิตอาสาพัฒนาคลองวังตาล",
    "โครงการส่งเสริมการอ่านในศูนย์พัฒนาเด็กเล็ก", "การแข่งขันกีฬาชุมชนสัมพันธ์",
    "ประชาสัมพันธ์รับสมัครนักเรียนศูนย์พัฒนาเด็กเล็ก", "โครงการคัดแยกขยะต้นทางในครัวเรือน",
    "กิจกรรมวันท้องถิ่นไทย", "ประชาสัมพันธ์การลงทะเบียนรับเบี้ยยังชีพผู้สูงอายุ",
    "โครงการป้องกันและลดอุบัติเหตุทางถนนช่วงเทศกาล", "การฉีดวัคซีนป้องกันโรคพิษสุนัขบ้า",
    "กิจกรรมวันเด็กแห่งชาติ", "โครงการอบรมอาสาสมัครป้องกันภัยฝ่ายพลเรือน",
    "ประเพณีลอยกระทงเทศบาลเมืองศรีวังตาล", "โครงการตลาดนัดชุมชนสีเขียว",
    "ประชาสัมพันธ์การขออนุญาตก่อสร้างอาคาร", "กิจกรรมปลูกต้นไม้เฉลิมพระเกียรติ",
]


def _days_before(year: int, month: int, day: int, days: int) -> tuple[int, int, int]:
    import datetime

    d = datetime.date(year, month, day) - datetime.timedelta(days=days)
    return d.year, d.month, d.day


def build_portal() -> Output:
    out = Output("portal")
    # ------------------------------------------------------------ static assets
    out.binary("/assets/css/portal.css", (
        "body{font-family:Tahoma,sans-serif;margin:0;background:#f6f4ee}header{display:flex;gap:12px;padding:8px;"
        "background:#2f5d3a;color:#fff}.mainmenu ul{display:flex;gap:14px;list-style:none;margin:0;padding:6px;"
        "background:#3d7a4b}.mainmenu a{color:#fff}main{padding:12px 18px;background:#fff}.breadcrumb{padding:4px 18px;"
        "font-size:90%}.tabs a{padding:4px 10px;border:1px solid #999}.tabs b{padding:4px 10px;background:#3d7a4b;"
        "color:#fff}footer{padding:10px 18px;font-size:90%}table.list td,table.list th{border:1px solid #ccc;"
        "padding:2px 6px}\n").encode("ascii"))
    out.binary("/assets/img/logo.png", make_png(80, 80, (47, 93, 58), border=(255, 215, 0)))
    for name, rgb in (("icon-fb", (59, 89, 152)), ("icon-yt", (205, 32, 31)), ("icon-line", (0, 185, 0))):
        out.binary(f"/assets/img/{name}.png", make_png(16, 16, rgb))
    out.binary("/assets/img/icon-pdf.png", make_png(16, 16, (220, 30, 30)))
    out.binary("/assets/img/banner-ita.png", make_png(300, 90, (240, 200, 80)))
    out.binary("/assets/img/banner-eit.png", make_png(300, 90, (90, 140, 220)))
    out.binary("/assets/img/banner-eservice.png", make_png(300, 90, (80, 180, 160)))
    out.binary("/assets/img/banner-fraud.png", make_png(300, 90, (200, 70, 60)))
    out.binary("/assets/img/eit-qr.png", qr_png(EIT_PORTAL))
    out.binary("/assets/img/structure-2566.png", make_png(640, 360, (250, 250, 245), border=(40, 40, 40)))
    for k in range(1, 7):
        out.binary(f"/assets/photos/p{k}.jpg", make_jpeg(64, 48, 200 - 15 * k, 90 + 10 * k))
    for k in range(1, 7):
        out.binary(f"/assets/img/person/{k}.jpg", make_jpeg(48, 64))
    out.binary("/robots.txt", b"User-agent: *\nDisallow: /admin/\n")

    # ------------------------------------------------------------ news archive (noise)
    news: list[tuple[int, str, str]] = []  # (id, title, date)
    for i in range(120):
        y, m, d = _days_before(2023, 4, 26, 9 * i)
        nid = 4120 - i
        title = NEWS_TOPICS[i % len(NEWS_TOPICS)]
        if i % 3 == 0:
            title += f" ประจำปี {th(y + 543)}"
        news.append((nid, title, thai_date_ce(y, m, d, i % 3)))
    for idx, (nid, title, date) in enumerate(news):
        related = [news[(idx + k) % len(news)] for k in (1, 2, 3)]
        rel = "".join(f'<li><a href="/news/view/{r[0]}/">{r[1]}</a></li>' for r in related)
        body = (f"<h2>{title}</h2><p class=\"date\">วันที่ {date}</p>"
                f"<p><img src=\"/assets/photos/p{idx % 6 + 1}.jpg\" alt=\"{esc(title)}\" width=\"320\" height=\"240\"></p>"
                f"<p>{P_NAME} โดยกองสวัสดิการสังคมและสำนักปลัดเทศบาล ดำเนินการ{title} "
                "ร่วมกับประชาชนในเขตเทศบาล เพื่อส่งเสริมคุณภาพชีวิตของประชาชน</p>"
                f"<h3>ข่าวที่เกี่ยวข้อง</h3><ul>{rel}</ul><p><a href=\"/news/\">« กลับหน้าข่าวสาร</a></p>")
        out.page(f"/news/view/{nid}/", portal_page(title, body, [("ข่าวสาร", "/news/"), (title, "")]))
    entries = [f'<a href="/news/view/{nid}/">{title}</a> <span class="date">{date}</span>' for nid, title, date in news]
    listing_pages(out, "/news/", "ข่าวประชาสัมพันธ์", entries, [("ข่าวสาร", "")])

    # ------------------------------------------------------------ gallery (noise)
    albums = []
    for i in range(60):
        y, m, d = _days_before(2023, 4, 20, 17 * i)
        aid = 880 - i
        albums.append((aid, f"ภาพกิจกรรม {NEWS_TOPICS[(i * 7) % len(NEWS_TOPICS)]}", thai_date_ce(y, m, d, 2)))
    for aid, title, date in albums:
        imgs = "".join(f'<img src="/assets/photos/p{k}.jpg" alt="{esc(title)} ภาพที่ {th(k)}" width="160" height="120">'
                       for k in range(1, 7))
        body = f"<h2>{title}</h2><p>วันที่ {date}</p><div class=\"album\">{imgs}</div>" \
               '<p><a href="/gallery/">« กลับหน้าภาพกิจกรรม</a></p>'
        out.page(f"/gallery/album/{aid}/", portal_page(title, body, [("ภาพกิจกรรม", "/gallery/"), (title, "")]))
    listing_pages(out, "/gallery/", "ภาพกิจกรรม",
                  [f'<a href="/gallery/album/{a}/">{t}</a> <span class="date">{d}</span>' for a, t, d in albums],
                  [("ภาพกิจกรรม", "")])

    # ------------------------------------------------------------ home
    latest = "".join(f'<li><a href="/news/view/{n}/">{t}</a> <span class="date">{d}</span></li>' for n, t, d in news[:6])
    gallery = "".join(f'<li><a href="/gallery/album/{a}/">{t}</a></li>' for a, t, _ in albums[:4])
    home = f"""<div class="slide"><img src="/assets/photos/p1.jpg" alt="ยินดีต้อนรับสู่{P_NAME}" width="960" height="300"></div>
<div class="banners">
<a href="/open-data/"><img src="/assets/img/banner-ita.png" alt="ข้อมูลสาธารณะ"></a>
<a href="/services/eservice/"><img src="/assets/img/banner-eservice.png" alt="E-Service บริการออนไลน์"></a>
<a href="/services/corruption/"><img src="/assets/img/banner-fraud.png" alt="แจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"></a>
<a href="{EIT_PORTAL}"><img src="/assets/img/banner-eit.png" alt="ร่วมตอบแบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT) ประจำปี ๒๕๖๖"></a>
</div>
<h2>ข่าวประชาสัมพันธ์</h2>
<ul class="news">{latest}</ul>
<p><a href="/news/">ข่าวทั้งหมด »</a></p>
<h2>ภาพกิจกรรม</h2>
<ul>{gallery}</ul>
<p><a href="/gallery/">ภาพกิจกรรมทั้งหมด »</a> | <a href="/calendar/?month=2566-04">ปฏิทินกิจกรรมเดือนนี้</a></p>
"""
    out.page("/", portal_page("หน้าแรก", home))

    # ------------------------------------------------------------ about (O1, O2, O3)
    about_links = [("/about/history/", "ประวัติความเป็นมา"), ("/about/vision/", "วิสัยทัศน์และพันธกิจ"),
                   ("/about/authority/", "อำนาจหน้าที่"), ("/about/structure/", "โครงสร้างองค์กร"),
                   ("/about/executives/", "คณะผู้บริหาร"), ("/about/council/", "สมาชิกสภาเทศบาล")]
    out.page("/about/", portal_page("เกี่ยวกับเทศบาล", "<h2>เกี่ยวกับเทศบาล</h2><ul>" + "".join(
        f'<li><a href="{u}">{t}</a></li>' for u, t in about_links) + "</ul>", [("เกี่ยวกับเทศบาล", "")]))
    about = [("เกี่ยวกับเทศบาล", "/about/")]
    out.page("/about/history/", portal_page("ประวัติความเป็นมา", (
        f"<h2>ประวัติความเป็นมา</h2><p>{P_NAME} เดิมเป็นสุขาภิบาลศรีวังตาล ได้รับการยกฐานะเป็นเทศบาลตำบล"
        "เมื่อปี พ.ศ. ๒๕๔๒ และเป็นเทศบาลเมืองเมื่อปี พ.ศ. ๒๕๕๘ มีพื้นที่ ๑๘.๔ ตารางกิโลเมตร ๑๒ ชุมชน</p>"),
        about + [("ประวัติความเป็นมา", "")]))
    out.page("/about/vision/", portal_page("วิสัยทัศน์และพันธกิจ", (
        "<h2>วิสัยทัศน์</h2><p>“ศรีวังตาลเมืองน่าอยู่ เศรษฐกิจก้าวหน้า การศึกษาดี มีธรรมาภิบาล”</p>"
        "<h3>พันธกิจ</h3><ol><li>พัฒนาโครงสร้างพื้นฐานให้ได้มาตรฐาน</li><li>ส่งเสริมการศึกษาและคุณภาพชีวิต</li>"
        "<li>บริหารจัดการตามหลักธรรมาภิบาล</li></ol>"), about + [("วิสัยทัศน์และพันธกิจ", "")]))
    out.page("/about/authority/", portal_page("อำนาจหน้าที่", (
        f"<h2>อำนาจหน้าที่ของ{P_NAME}</h2>"
        "<p>เทศบาลเมืองมีหน้าที่และอำนาจตามพระราชบัญญัติเทศบาล พ.ศ. ๒๔๙๖ มาตรา ๕๓ และมาตรา ๕๔ และตาม"
        "พระราชบัญญัติกำหนดแผนและขั้นตอนการกระจายอำนาจให้แก่องค์กรปกครองส่วนท้องถิ่น พ.ศ. ๒๕๔๒ มาตรา ๑๖ "
        "โดยสรุปภารกิจหลักของเทศบาล ดังนี้</p><ol>"
        "<li>รักษาความสงบเรียบร้อยของประชาชน</li><li>ให้มีและบำรุงทางบกและทางน้ำ</li>"
        "<li>รักษาความสะอาดของถนน ทางเดิน และที่สาธารณะ รวมทั้งการกำจัดมูลฝอยและสิ่งปฏิกูล</li>"
        "<li>ป้องกันและระงับโรคติดต่อ</li><li>ให้มีเครื่องใช้ในการดับเพลิง</li>"
        "<li>ให้ราษฎรได้รับการศึกษาอบรม</li><li>ส่งเสริมการพัฒนาสตรี เด็ก เยาวชน ผู้สูงอายุ และผู้พิการ</li>"
        "<li>บำรุงศิลปะ จารีตประเพณี ภูมิปัญญาท้องถิ่น และวัฒนธรรมอันดีของท้องถิ่น</li>"
        "<li>ให้มีน้ำสะอาดหรือการประปา และให้มีโรงฆ่าสัตว์</li>"
        "<li>ให้มีและบำรุงสถานที่ทำการพิทักษ์และรักษาคนเจ็บไข้</li></ol>"),
        about + [("อำนาจหน้าที่", "")]))
    out.page("/about/structure/", portal_page("โครงสร้างองค์กร", (
        f"<h2>โครงสร้างส่วนราชการ{P_NAME}</h2>"
        f'<p><img src="/assets/img/structure-2566.png" alt="แผนภูมิโครงสร้างส่วนราชการ{P_NAME}" width="640" height="360"></p>'
        "<h3>ฝ่ายการเมือง</h3><ul><li>นายกเทศมนตรี</li><li>รองนายกเทศมนตรี (๓ คน)</li>"
        "<li>เลขานุการนายกเทศมนตรี และที่ปรึกษานายกเทศมนตรี</li><li>สภาเทศบาล (สมาชิกสภาเทศบาล ๑๘ คน)</li></ul>"
        "<h3>ฝ่ายข้าราชการประจำ</h3><ul><li>ปลัดเทศบาล<ul><li>รองปลัดเทศบาล (๒ คน)</li></ul></li>"
        "<li>สำนักปลัดเทศบาล (ฝ่ายอำนวยการ ฝ่ายปกครอง)</li><li>กองคลัง (ฝ่ายบริหารงานคลัง ฝ่ายพัฒนารายได้)</li>"
        "<li>กองช่าง (ฝ่ายแบบแผนและก่อสร้าง ฝ่ายการโยธา)</li><li>กองสาธารณสุขและสิ่งแวดล้อม</li>"
        "<li>กองการศึกษา</li><li>กองยุทธศาสตร์และงบประมาณ</li><li>กองสวัสดิการสังคม</li><li>หน่วยตรวจสอบภายใน</li></ul>"),
        about + [("โครงสร้างองค์กร", "")]))
    execs = [("นายสมศักดิ์ วังตาลทอง", "นายกเทศมนตรีเมืองศรีวังตาล", "๐๘๑-๖๒๐-๑๑๙๙"),
             ("นางสาวอรุณี ศรีวังตาล", "รองนายกเทศมนตรี", "๐๘๙-๗๑๔-๒๒๓๕"),
             ("นายชาตรี บุญประคองสุข", "รองนายกเทศมนตรี", "๐๘๖-๔๔๐-๙๑๗๒"),
             ("นายไพโรจน์ ชัยมงคลศรี", "เลขานุการนายกเทศมนตรี", "๐๙๒-๓๘๑-๕๕๐๖"),
             ("นายณรงค์ ทองสุขเจริญ", "ปลัดเทศบาลเมืองศรีวังตาล", "๐๘๕-๒๒๖-๗๓๔๘"),
             ("นางศิริพร ดวงแก้วมณี", "รองปลัดเทศบาล", "๐๘๗-๙๐๓-๖๑๑๔")]
    people = "".join(
        f'<div class="person"><img src="/assets/img/person/{k}.jpg" alt="{n}" width="120" height="160">'
        f'<p class="name">{n}</p><p class="position">{p}</p><p class="tel">โทร. {t}</p></div>'
        for k, (n, p, t) in enumerate(execs, 1))
    out.page("/about/executives/", portal_page("คณะผู้บริหาร", f"<h2>คณะผู้บริหาร{P_NAME}</h2>{people}",
                                               about + [("คณะผู้บริหาร", "")]))
    council = "".join(f"<li>สมาชิกสภาเทศบาล เขตเลือกตั้งที่ {th(1 + k // 6)} คนที่ {th(k % 6 + 1)}</li>" for k in range(18))
    out.page("/about/council/", portal_page("สมาชิกสภาเทศบาล", f"<h2>สมาชิกสภาเทศบาล</h2><ul>{council}</ul>",
                                            about + [("สมาชิกสภาเทศบาล", "")]))

    # ------------------------------------------------------------ contact, PDPA, services (O5, O8, O10, O18, O28)
    out.page("/contact/", portal_page("ติดต่อเรา", (
        f"<h2>ติดต่อ{P_NAME}</h2><p>{P_ADDRESS}</p><p>โทรศัพท์ ๐-๕๖๒๙-๑๑๙๙ ต่อ ๑๐๑ (งานสารบรรณ)</p>"
        "<p>โทรสาร ๐-๕๖๒๙-๑๑๙๘</p><p>อีเมล <a href=\"mailto:saraban@sriwangtan.go.th\">saraban@sriwangtan.go.th</a></p>"
        "<h3>แผนที่ตั้งสำนักงาน</h3><iframe src=\"https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d3822.5!2d100.28!3d15.63\""
        " width=\"600\" height=\"300\" title=\"แผนที่\"></iframe>"), [("ติดต่อเรา", "")]))
    out.page("/pdpa/", portal_page("นโยบายคุ้มครองข้อมูลส่วนบุคคล", (
        f"<h2>นโยบายคุ้มครองข้อมูลส่วนบุคคล (Privacy Policy) ของ{P_NAME}</h2>"
        "<p>เทศบาลให้ความสำคัญกับการคุ้มครองข้อมูลส่วนบุคคลตามพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. ๒๕๖๒ "
        "เทศบาลเก็บรวบรวม ใช้ และเปิดเผยข้อมูลส่วนบุคคลเท่าที่จำเป็นตามอำนาจหน้าที่ มีมาตรการรักษาความมั่นคงปลอดภัย "
        "และเจ้าของข้อมูลมีสิทธิขอเข้าถึง แก้ไข หรือลบข้อมูลได้ ติดต่อเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล "
        "(DPO) ที่สำนักปลัดเทศบาล โทร. ๐-๕๖๒๙-๑๑๙๙ ต่อ ๑๐๕</p>"), [("นโยบายคุ้มครองข้อมูลส่วนบุคคล", "")]))
    services = [("/services/eservice/", "E-Service บริการออนไลน์"), ("/services/forms/", "ดาวน์โหลดแบบฟอร์ม"),
                ("/services/complaint/", "ร้องเรียนร้องทุกข์"),
                ("/services/corruption/", "แจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"),
                ("/webboard/", "กระดานถาม-ตอบ (Q&amp;A)")]
    out.page("/services/", portal_page("บริการประชาชน", "<h2>บริการประชาชน</h2><ul>" + "".join(
        f'<li><a href="{u}">{t}</a></li>' for u, t in services) + "</ul>", [("บริการประชาชน", "")]))
    svc = [("บริการประชาชน", "/services/")]
    out.page("/services/eservice/", portal_page("E-Service", (
        "<h2>E-Service ยื่นคำร้องออนไลน์</h2><p>ยื่นคำร้องได้ตลอด ๒๔ ชั่วโมง โดยไม่ต้องเดินทางมาที่สำนักงาน</p>"
        '<form method="post" action="/services/eservice/"><p>เรื่องที่ขอรับบริการ <select name="service">'
        "<option>ขอรับความช่วยเหลือผู้ประสบภัย</option><option>แจ้งซ่อมไฟฟ้าสาธารณะ</option>"
        "<option>ขอใช้รถบรรทุกน้ำ</option></select></p><p>ชื่อ-นามสกุล <input name=\"name\" required></p>"
        "<p>เบอร์โทรศัพท์ <input name=\"tel\" type=\"tel\"></p><p>รายละเอียด <textarea name=\"detail\"></textarea></p>"
        "<p>แนบไฟล์ <input type=\"file\" name=\"file\"></p><p><button type=\"submit\">ส่งคำร้อง</button></p></form>"),
        svc + [("E-Service", "")]))
    out.page("/services/forms/", portal_page("ดาวน์โหลดแบบฟอร์ม", (
        "<h2>ดาวน์โหลดแบบฟอร์ม</h2><ul><li><a href=\"/uploads/forms/general-request.pdf\">แบบคำร้องทั่วไป</a></li>"
        "</ul>"), svc + [("ดาวน์โหลดแบบฟอร์ม", "")]))
    from oitwatch.sampleserver import make_pdf

    out.binary("/uploads/forms/general-request.pdf", make_pdf(
        ["Sri Wang Tan Town Municipality - general request form (placeholder PDF)"], title="general request form"))
    out.page("/services/complaint/", portal_page("ร้องเรียนร้องทุกข์", (
        "<h2>ร้องเรียนร้องทุกข์ (เรื่องทั่วไป)</h2><form method=\"post\" action=\"/services/complaint/\">"
        "<p>ชื่อ <input name=\"name\"></p><p>เรื่อง <textarea name=\"detail\"></textarea></p>"
        "<p><button>ส่งเรื่อง</button></p></form>"), svc + [("ร้องเรียนร้องทุกข์", "")]))
    out.page("/services/corruption/", portal_page("แจ้งเรื่องร้องเรียนการทุจริต", (
        "<h2>ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ</h2>"
        "<p>ข้อมูลของผู้ร้องเรียนจะถูกเก็บเป็นความลับ (ศูนย์ปฏิบัติการต่อต้านการทุจริต สำนักปลัดเทศบาล)</p>"
        "<form method=\"post\" action=\"/services/corruption/\"><p>ชื่อ (ไม่ระบุก็ได้) <input name=\"name\"></p>"
        "<p>เจ้าหน้าที่ที่ถูกร้องเรียน <input name=\"who\"></p><p>รายละเอียดการกระทำ <textarea name=\"detail\"></textarea></p>"
        "<p>หลักฐาน <input type=\"file\" name=\"evidence\"></p><p><button>แจ้งเรื่อง</button></p></form>"),
        svc + [("แจ้งเรื่องร้องเรียนการทุจริต", "")]))
    topics = [("การขอติดตั้งไฟฟ้าส่องสว่างในซอย", "ยื่นคำร้องผ่าน E-Service ได้เลยครับ กองช่างจะออกสำรวจภายใน ๗ วัน"),
              ("ชำระภาษีที่ดินออนไลน์ได้หรือไม่", "ชำระผ่าน QR Code ในใบแจ้งภาษีได้ค่ะ (กองคลัง)")]
    rows = "".join(f"<li><b>ถาม:</b> {q}<br><b>ตอบ:</b> {a}</li>" for q, a in topics)
    out.page("/webboard/", portal_page("กระดานถาม-ตอบ", (
        f"<h2>กระดานถาม-ตอบ (Q&amp;A)</h2><ul>{rows}</ul><h3>ตั้งคำถามใหม่</h3>"
        "<form method=\"post\" action=\"/webboard/\"><p>หัวข้อ <input name=\"subject\"></p>"
        "<p>คำถาม <textarea name=\"question\"></textarea></p><p><button>ส่งคำถาม</button></p></form>"),
        [("กระดานถาม-ตอบ", "")]))

    # ------------------------------------------------------------ open data: noise sections
    od = [("ข้อมูลสาธารณะ", "/open-data/")]
    out.page("/open-data/", portal_page("ข้อมูลสาธารณะ", (
        "<h2>ข้อมูลสาธารณะ</h2><ul>"
        "<li><a href=\"/open-data/ita/\">การประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน (ITA)</a></li>"
        "<li><a href=\"/open-data/budget/\">เทศบัญญัติงบประมาณรายจ่าย</a></li>"
        "<li><a href=\"/open-data/info-act/\">ข้อมูลข่าวสารตามมาตรา ๗ และมาตรา ๙</a></li></ul>"), [("ข้อมูลสาธารณะ", "")]))
    out.page("/open-data/budget/", portal_page("เทศบัญญัติงบประมาณ", (
        "<h2>เทศบัญญัติงบประมาณรายจ่าย</h2><ul><li>เทศบัญญัติงบประมาณรายจ่ายประจำปีงบประมาณ พ.ศ. ๒๕๖๖ "
        "(ประกาศ ๑๕ กันยายน ๒๕๖๕) ยอดรวม ๙๘,๔๐๐,๐๐๐ บาท</li></ul>"), od + [("เทศบัญญัติงบประมาณ", "")]))
    out.page("/open-data/info-act/", portal_page("ข้อมูลข่าวสารตามมาตรา ๗ และมาตรา ๙", (
        "<h2>ข้อมูลข่าวสารตามพระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. ๒๕๔๐</h2>"
        "<p>ศูนย์ข้อมูลข่าวสารของราชการ ตั้งอยู่ที่สำนักปลัดเทศบาล เปิดให้ประชาชนตรวจดูได้ในวันและเวลาราชการ</p>"),
        od + [("ข้อมูลข่าวสาร", "")]))

    _portal_ita(out)
    return out


# Categories of the ITA tree (หมวด): slug, label.
P_CATS = [
    ("basic", "๙.๑ ข้อมูลพื้นฐาน"), ("management", "๙.๒ การบริหารงาน"),
    ("procurement", "๙.๓ การจัดซื้อจัดจ้างหรือการจัดหาพัสดุ"), ("hr", "๙.๔ การบริหารและพัฒนาทรัพยากรบุคคล"),
    ("transparency", "๙.๕ การส่งเสริมความโปร่งใส"), ("anticorruption", "๑๐.๑ การดำเนินการเพื่อป้องกันการทุจริต"),
    ("integrity", "๑๐.๒ มาตรการภายในเพื่อส่งเสริมความโปร่งใสและป้องกันการทุจริต"),
]


@dataclass
class Doc:
    cat: str
    title: str
    date: str  # as shown in the listing
    body: str = ""  # detail page HTML (besides title and attachment)
    link: str = ""  # an entry that links a page of the site instead of a detail page
    pdf: tuple[str, str, list[str]] | None = None  # (file slug, Word-like HTML body, phrases)
    pdf_title: tuple[str, str] = ("", "")
    external: str = ""


def _ita_docs_2566() -> list[Doc]:
    """The 2566 tab, per category newest first (the order of the listings)."""
    D = Doc
    docs: list[Doc] = []
    # 9.1: entries that point to the site's own pages, two documents
    docs += [
        D("basic", "โครงสร้างองค์กร", "๑ ต.ค. ๒๕๖๕", link="/about/structure/"),
        D("basic", "ข้อมูลผู้บริหาร", "๑ ต.ค. ๒๕๖๕", link="/about/executives/"),
        D("basic", "อำนาจหน้าที่", "๑ ต.ค. ๒๕๖๕", link="/about/authority/"),
        D("basic", "แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ – ๒๕๗๐)", "๕ ต.ค. ๒๕๖๕",
          body="<p>รายละเอียดตามเอกสารแนบ</p>",
          pdf=("o04-local-development-plan-2566-2570", (
              "<h3>วิสัยทัศน์</h3><p>“ศรีวังตาลเมืองน่าอยู่ เศรษฐกิจก้าวหน้า การศึกษาดี มีธรรมาภิบาล”</p>"
              "<h3>ยุทธศาสตร์การพัฒนา เป้าประสงค์ และตัวชี้วัด</h3>" + table(
                  ["ยุทธศาสตร์", "เป้าประสงค์", "ตัวชี้วัด (KPI)", "ค่าเป้าหมาย ๒๕๖๖–๒๕๗๐"],
                  [["๑. การพัฒนาโครงสร้างพื้นฐาน", "ถนนและระบบระบายน้ำได้มาตรฐาน", "ร้อยละของถนนที่ได้มาตรฐาน", "ร้อยละ ๙๐"],
                   ["๒. การพัฒนาคุณภาพชีวิต", "ประชาชนมีสุขภาพดีและมีรายได้", "จำนวนกลุ่มอาชีพที่ได้รับการส่งเสริม", "๒๐ กลุ่ม"],
                   ["๓. การบริหารจัดการบ้านเมืองที่ดี", "การบริการโปร่งใส รวดเร็ว", "ร้อยละความพึงพอใจของผู้รับบริการ", "ไม่น้อยกว่าร้อยละ ๘๕"]])
              + f"<p>แผนพัฒนาท้องถิ่นฉบับนี้ใช้เป็นกรอบการจัดทำงบประมาณรายจ่ายประจำปี พ.ศ. ๒๕๖๖ – ๒๕๗๐ ของ{P_NAME}</p>"),
               # pdfium reads "ตัวชี้วัด" from Chromium's PDF as "ตัวชี้วัชี้ วัด" (the ชี้ ligature
               # comes back twice), as with many real Word exports: the table says (KPI) too
               ["แผนพัฒนาท้องถิ่น", "ยุทธศาสตร์", "เป้าประสงค์", "(KPI)", "๒๕๖๖"]),
          pdf_title=("แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ – ๒๕๗๐)", P_NAME)),
        D("basic", "ข้อมูลการติดต่อ", "๑ ต.ค. ๒๕๖๕", link="/contact/"),
        D("basic", "กฎหมายที่เกี่ยวข้อง", "๑ ต.ค. ๒๕๖๕", body=(
            "<p>กฎหมายที่เกี่ยวข้องกับการปฏิบัติงานของเทศบาล</p><ol>"
            "<li>พระราชบัญญัติเทศบาล พ.ศ. ๒๔๙๖ และที่แก้ไขเพิ่มเติม</li>"
            "<li>พระราชบัญญัติกำหนดแผนและขั้นตอนการกระจายอำนาจให้แก่องค์กรปกครองส่วนท้องถิ่น พ.ศ. ๒๕๔๒</li>"
            "<li>พระราชบัญญัติการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. ๒๕๖๐</li>"
            "<li>พระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. ๒๕๔๐</li>"
            "<li>พระราชบัญญัติการอำนวยความสะดวกในการพิจารณาอนุญาตของทางราชการ พ.ศ. ๒๕๕๘</li>"
            "<li>ระเบียบกระทรวงมหาดไทยว่าด้วยการจัดทำแผนพัฒนาขององค์กรปกครองส่วนท้องถิ่น พ.ศ. ๒๕๔๘</li></ol>")),
        D("basic", "ข่าวประชาสัมพันธ์", "๑ ต.ค. ๒๕๖๕", link="/news/"),
        D("basic", "Q&amp;A กระดานถาม-ตอบ", "๑ ต.ค. ๒๕๖๕", link="/webboard/"),
        D("basic", "Social Network (Facebook เทศบาลเมืองศรีวังตาล)", "๑ ต.ค. ๒๕๖๕", link=P_FB),
        D("basic", "นโยบายคุ้มครองข้อมูลส่วนบุคคล", "๑ ต.ค. ๒๕๖๕", link="/pdpa/"),
    ]
    # 9.2: eleven entries: the operating plan is the oldest, on ?page=2
    svc_rows = [[f"{m} {y}", a, b, c] for m, y, a, b, c in [
        ("ตุลาคม", "๒๕๖๕", "๑๘๔", "๙๒", "๓๑"), ("พฤศจิกายน", "๒๕๖๕", "๒๐๑", "๘๗", "๒๘"),
        ("ธันวาคม", "๒๕๖๕", "๑๗๖", "๑๑๐", "๒๔"), ("มกราคม", "๒๕๖๖", "๒๓๒", "๙๕", "๓๓"),
        ("กุมภาพันธ์", "๒๕๖๖", "๓๐๕", "๑๐๒", "๒๙"), ("มีนาคม", "๒๕๖๖", "๔๑๒", "๙๘", "๓๕")]]
    docs += [
        D("management", "รายงานการกำกับติดตามการดำเนินงานและการใช้งบประมาณ รอบ ๖ เดือน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
          "๒๐ เม.ย. ๒๕๖๖", body="<p>รายละเอียดตามเอกสารแนบ</p>",
          pdf=("o12-six-month-report-2566", (
              f"<p>{P_NAME} ขอรายงานผลการดำเนินงานและการใช้จ่ายงบประมาณ ระหว่างวันที่ ๑ ตุลาคม ๒๕๖๕ – ๓๑ มีนาคม ๒๕๖๖ ดังนี้</p>"
              + table(["โครงการ", "งบประมาณตามแผน (บาท)", "เบิกจ่ายแล้ว (บาท)", "ความก้าวหน้า"],
                      [["ก่อสร้างถนน คสล. ซอยวังตาล ๓", "๑,๒๕๐,๐๐๐", "๘๗๕,๐๐๐", "ดำเนินการแล้ว ร้อยละ ๗๐"],
                       ["ปรับปรุงระบบระบายน้ำชุมชนตลาดเก่า", "๖๘๐,๐๐๐", "๖๗๕,๕๐๐", "แล้วเสร็จ"],
                       ["ส่งเสริมอาชีพกลุ่มสตรี", "๘๐,๐๐๐", "๓๒,๔๐๐", "อยู่ระหว่างดำเนินการ ร้อยละ ๔๐"],
                       ["อาหารเสริม (นม) โรงเรียน", "๒,๔๑๐,๐๐๐", "๑,๑๙๘,๒๐๐", "ดำเนินการแล้ว ร้อยละ ๕๐"]])
              + "<p>รวมเบิกจ่ายงบประมาณ ๒,๗๘๑,๑๐๐ บาท คิดเป็นร้อยละ ๖๓.๑ ของงบประมาณตามแผน</p>"),
               ["รอบ ๖ เดือน", "๑ ตุลาคม ๒๕๖๕", "๓๑ มีนาคม ๒๕๖๖", "เบิกจ่ายแล้ว", "ความก้าวหน้า"]),
          pdf_title=("รายงานการกำกับติดตามการดำเนินงานและการใช้งบประมาณ รอบ ๖ เดือน", f"ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ {P_NAME}")),
        D("management", "ข้อมูลเชิงสถิติการให้บริการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ (ต.ค. ๒๕๖๕ – มี.ค. ๒๕๖๖)", "๑๐ เม.ย. ๒๕๖๖",
          body="<p>สถิติการให้บริการประชาชน (จำนวนครั้ง) ระหว่างวันที่ ๑ ตุลาคม ๒๕๖๕ – ๓๑ มีนาคม ๒๕๖๖</p>"
               '<table class="list"><tr><th>เดือน</th><th>งานทะเบียนและบัตร</th><th>งานภาษีและค่าธรรมเนียม</th>'
               "<th>งานขออนุญาตก่อสร้าง</th></tr>" + "".join(
                   "<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in svc_rows)
               + "</table><p>รวมการให้บริการ ๒,๙๓๐ ครั้ง</p>"),
        D("management", "ช่องทางการให้บริการออนไลน์ (E-Service)", "๑ มี.ค. ๒๕๖๖", link="/services/eservice/"),
        D("management", "รายงานผลการสำรวจความพึงพอใจการให้บริการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๔", "๑๕ ก.พ. ๒๕๖๖",
          body=("<p>ผลการสำรวจความพึงพอใจของผู้รับบริการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๔ (๑ ตุลาคม ๒๕๖๓ – ๓๐ กันยายน ๒๕๖๔) "
                "โดยมหาวิทยาลัยราชภัฏในพื้นที่ กลุ่มตัวอย่าง ๔๐๐ ราย</p><ul><li>ด้านขั้นตอนการให้บริการ ร้อยละ ๘๘.๒</li>"
                "<li>ด้านเจ้าหน้าที่ผู้ให้บริการ ร้อยละ ๙๑.๐</li><li>ด้านสิ่งอำนวยความสะดวก ร้อยละ ๘๕.๖</li></ul>"
                "<p>ความพึงพอใจโดยรวม ร้อยละ ๘๘.๓</p>")),
        D("management", "คู่มือการปฏิบัติงาน งานพัสดุ กองคลัง", "๒ ก.พ. ๒๕๖๖", body=(
            "<p>ภารกิจ: การจัดซื้อจัดจ้างด้วยวิธีเฉพาะเจาะจง ผู้รับผิดชอบ: เจ้าพนักงานพัสดุ กองคลัง</p><h3>ขั้นตอนการปฏิบัติงาน</h3><ol>"
            "<li>หน่วยงานเจ้าของงบประมาณจัดทำบันทึกขอซื้อขอจ้าง</li><li>เจ้าหน้าที่พัสดุจัดทำรายงานขอซื้อขอจ้างเสนอหัวหน้าหน่วยงาน</li>"
            "<li>ตรวจสอบราคาและเจรจาต่อรองกับผู้ประกอบการ</li><li>จัดทำใบสั่งซื้อสั่งจ้างและตรวจรับพัสดุ</li>"
            "<li>ส่งเอกสารเบิกจ่ายให้ฝ่ายบริหารงานคลัง (ระยะเวลา ๗ วันทำการ)</li></ol>")),
        D("management", "คู่มือการปฏิบัติงาน งานสารบรรณ สำนักปลัดเทศบาล", "๒ ก.พ. ๒๕๖๖", body=(
            "<p>ภารกิจ: การรับ-ส่งหนังสือราชการ ตำแหน่งผู้ปฏิบัติ: เจ้าพนักงานธุรการ</p><h3>ขั้นตอน</h3><ol>"
            "<li>ลงทะเบียนรับหนังสือในระบบสารบรรณอิเล็กทรอนิกส์</li><li>เสนอปลัดเทศบาลพิจารณาสั่งการ</li>"
            "<li>ส่งเรื่องให้กองที่รับผิดชอบภายใน ๑ วันทำการ</li></ol>")),
        D("management", "คู่มือสำหรับประชาชน การขออนุญาตก่อสร้างอาคาร", "๒๐ ม.ค. ๒๕๖๖", body=(
            "<p>งานบริการ: การขออนุญาตก่อสร้าง ดัดแปลง หรือรื้อถอนอาคาร (กองช่าง)</p><h3>ขั้นตอนและระยะเวลา</h3><ol>"
            "<li>ยื่นคำขอ (แบบ ข.๑) พร้อมเอกสารหลักฐาน – ๑ วัน</li><li>เจ้าหน้าที่ตรวจสอบสถานที่และแบบแปลน – ๗ วัน</li>"
            "<li>นายกเทศมนตรีพิจารณาออกใบอนุญาต – ๓๗ วัน</li></ol><p>เอกสารหลักฐาน: สำเนาบัตรประชาชน สำเนาโฉนดที่ดิน แบบแปลน ๕ ชุด</p>")),
        D("management", "คู่มือสำหรับประชาชน การชำระภาษีที่ดินและสิ่งปลูกสร้าง", "๒๐ ม.ค. ๒๕๖๖", body=(
            "<p>งานบริการ: การรับชำระภาษีที่ดินและสิ่งปลูกสร้าง (กองคลัง)</p><h3>ขั้นตอนการให้บริการ</h3><ol>"
            "<li>ยื่นใบแจ้งการประเมินภาษีที่จุดบริการ – ๕ นาที</li><li>ชำระเงิน – ๕ นาที</li><li>รับใบเสร็จรับเงิน</li></ol>")),
        D("management", "รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. ๒๕๖๕", "๒๐ ธ.ค. ๒๕๖๕", body="<p>รายละเอียดตามเอกสารแนบ</p>",
          pdf=("o13-annual-report-2565", (
              "<h3>๑. ผลการดำเนินงาน</h3>" + table(
                  ["ยุทธศาสตร์", "จำนวนโครงการตามแผน", "ดำเนินการแล้วเสร็จ", "งบประมาณเบิกจ่ายจริง (บาท)"],
                  [["การพัฒนาโครงสร้างพื้นฐาน", "๒๔", "๒๑", "๑๘,๔๕๐,๓๒๐"], ["การพัฒนาคุณภาพชีวิต", "๓๑", "๒๙", "๙,๑๑๐,๔๐๐"],
                   ["การบริหารจัดการบ้านเมืองที่ดี", "๑๒", "๑๒", "๓,๒๐๑,๘๕๐"]])
              + "<p>ผลการใช้จ่ายงบประมาณ เบิกจ่ายรวม ๓๐,๗๖๒,๕๗๐ บาท คิดเป็นร้อยละ ๙๑.๔</p>"
              "<h3>๒. ปัญหาและอุปสรรค</h3><p>งบประมาณมีจำกัด และฝนตกต่อเนื่องทำให้งานก่อสร้างล่าช้า</p>"
              "<h3>๓. ข้อเสนอแนะ</h3><p>ควรวางแผนงานก่อสร้างให้เสร็จก่อนฤดูฝน และจัดลำดับความสำคัญของโครงการ</p>"),
               ["รายงานผลการดำเนินงาน", "๒๕๖๕", "เบิกจ่ายจริง", "ปัญหาและอุปสรรค", "ข้อเสนอแนะ"]),
          pdf_title=("รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. ๒๕๖๕", P_NAME)),
        D("management", "ประกาศใช้แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", "๓๑ ต.ค. ๒๕๖๕", body=(
            f"<p>ประกาศ{P_NAME} เรื่อง ประกาศใช้แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ ลงวันที่ ๓๑ ตุลาคม ๒๕๖๕ "
            "รายละเอียดแผนดูได้ในหัวข้อ “แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖”</p>")),
        D("management", "แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", "๒๘ ต.ค. ๒๕๖๕", body="<p>รายละเอียดตามเอกสารแนบ</p>",
          pdf=("o11-operating-plan-2566", table(
              ["โครงการ/กิจกรรม", "งบประมาณ (บาท)", "ระยะเวลาดำเนินการ", "หน่วยงานรับผิดชอบ"],
              [["ก่อสร้างถนน คสล. ซอยวังตาล ๓", "๑,๒๕๐,๐๐๐", "ม.ค. – เม.ย. ๒๕๖๖", "กองช่าง"],
               ["ปรับปรุงระบบระบายน้ำชุมชนตลาดเก่า", "๖๘๐,๐๐๐", "พ.ย. ๒๕๖๕ – ก.พ. ๒๕๖๖", "กองช่าง"],
               ["ส่งเสริมอาชีพกลุ่มสตรี", "๘๐,๐๐๐", "ธ.ค. ๒๕๖๕ – มิ.ย. ๒๕๖๖", "กองสวัสดิการสังคม"],
               ["อาหารเสริม (นม) โรงเรียน", "๒,๔๑๐,๐๐๐", "ต.ค. ๒๕๖๕ – ก.ย. ๒๕๖๖", "กองการศึกษา"]])
              + "<p>รวม ๔ โครงการ งบประมาณ ๔,๔๒๐,๐๐๐ บาท</p>",
               ["แผนการดำเนินงาน", "๒๕๖๖", "โครงการ/กิจกรรม", "งบประมาณ (บาท)", "ระยะเวลาดำเนินการ"]),
          pdf_title=("แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", P_NAME)),
    ]
    # 9.3: twelve entries; the October summary and the plan are on ?page=2
    months = [(3, 2566, "๕ เม.ย. ๒๕๖๖"), (2, 2566, "๖ มี.ค. ๒๕๖๖"), (1, 2566, "๗ ก.พ. ๒๕๖๖"),
              (12, 2565, "๖ ม.ค. ๒๕๖๖"), (11, 2565, "๗ ธ.ค. ๒๕๖๕"), (10, 2565, "๘ พ.ย. ๒๕๖๕")]
    purchases = {
        10: [("ซื้อวัสดุสำนักงาน", "๑๘,๕๐๐", "ร้านศรีวังตาลพาณิชย์"), ("จ้างซ่อมรถบรรทุกขยะ", "๔๒,๐๐๐", "อู่ช่างชัยยนต์")],
        11: [("ซื้อน้ำมันเชื้อเพลิง", "๖๕,๐๐๐", "หจก.ท่าตะโกปิโตรเลียม"), ("จ้างเหมาตัดหญ้าริมถนน", "๒๔,๐๐๐", "นายประเสริฐ ใจดีงาม")],
        12: [("ซื้ออาหารเสริม (นม)", "๒๐๑,๐๐๐", "สหกรณ์โคนมนครสวรรค์"), ("ซื้อวัสดุไฟฟ้า", "๓๓,๔๐๐", "ร้านวังตาลการไฟฟ้า")],
        1: [("จ้างก่อสร้างถนน คสล. ซอยวังตาล ๓", "๑,๒๓๘,๐๐๐", "หจก.ศรีวังตาลก่อสร้าง"), ("ซื้อวัสดุคอมพิวเตอร์", "๒๙,๙๐๐", "ร้านไอทีนครสวรรค์")],
        2: [("ซื้อวัสดุการเกษตร", "๑๒,๘๐๐", "ร้านเกษตรรุ่งเรือง"), ("จ้างซ่อมแซมท่อระบายน้ำ", "๘๘,๐๐๐", "หจก.ธนากรโยธา")],
        3: [("ซื้อวัสดุงานบ้านงานครัว", "๙,๖๐๐", "ร้านศรีวังตาลพาณิชย์"), ("จ้างเหมาบริการรถรับส่งนักเรียน", "๔๕,๐๐๐", "นายสมพงษ์ คำสิงห์นอก")],
    }

    def monthly(month: int, year: int, posted: str) -> Doc:
        name = f"{MONTHS[month - 1]} {th(year)}"
        rows = [[th(k), w, v, v, "เฉพาะเจาะจง", f"{s} / {v}", f"{s} / {v}", "ราคาต่ำสุดและคุณสมบัติครบ",
                 f"{th(k)}/{th(year)}"] for k, (w, v, s) in enumerate(purchases[month], 1)]
        return D("procurement", f"สรุปผลการดำเนินการจัดซื้อจัดจ้าง ในรอบเดือน{name} (แบบ สขร.๑)", posted,
                 body="<p>รายละเอียดตามเอกสารแนบ</p>",
                 pdf=(f"o21-skr1-{year}-{month:02d}", table(
                     ["ลำดับ", "งานที่จัดซื้อหรือจัดจ้าง", "วงเงินที่จัดซื้อหรือจัดจ้าง (บาท)", "ราคากลาง (บาท)", "วิธีซื้อหรือจ้าง",
                      "รายชื่อผู้เสนอราคาและราคาที่เสนอ", "ผู้ได้รับการคัดเลือกและราคาที่ตกลง", "เหตุผลที่คัดเลือก",
                      "เลขที่และวันที่ของสัญญา"], rows),
                      ["สรุปผลการดำเนินการจัดซื้อจัดจ้าง", f"เดือน{name}", "เฉพาะเจาะจง"]),
                 pdf_title=(f"สรุปผลการดำเนินการจัดซื้อจัดจ้าง ในรอบเดือน{name}", f"{P_NAME} (แบบ สขร.๑)"))

    egp = "https://process3.gprocurement.go.th/egp2procmainWeb/jsp/procsearch.sch?servlet=gojsp&proc_id=ShowHTMLFile&processFlows=Procure"
    m = [monthly(*x) for x in months]
    docs += [
        m[0],
        D("procurement", "ประกาศผู้ชนะการเสนอราคา จ้างก่อสร้างถนน คสล. ซอยวังตาล ๓ ด้วยวิธีประกวดราคาอิเล็กทรอนิกส์ (e-bidding)",
          "๒๒ มี.ค. ๒๕๖๖", body=(f"<p>ประกาศ{P_NAME} ลงวันที่ ๒๒ มีนาคม ๒๕๖๖ ผู้ชนะการเสนอราคา ได้แก่ หจก.ศรีวังตาลก่อสร้าง "
                                   "ราคา ๑,๒๓๘,๐๐๐ บาท</p>"), external=egp),
        m[1],
        D("procurement", "ประกาศเชิญชวน ประกวดราคาจ้างก่อสร้างอาคารศูนย์พัฒนาเด็กเล็ก ด้วยวิธีประกวดราคาอิเล็กทรอนิกส์ (e-bidding)",
          "๑๔ ก.พ. ๒๕๖๖", body="<p>ประกาศเชิญชวน ลงวันที่ ๑๔ กุมภาพันธ์ ๒๕๖๖ ราคากลาง ๓,๔๕๐,๐๐๐ บาท</p>", external=egp),
        m[2], m[3],
        D("procurement", "รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ ประจำปีงบประมาณ พ.ศ. ๒๕๖๕", "๒๐ ธ.ค. ๒๕๖๕",
          body="<p>รายละเอียดตามเอกสารแนบ</p>",
          pdf=("o22-procurement-annual-2565", table(
              ["วิธีการจัดซื้อจัดจ้าง", "จำนวนโครงการ", "งบประมาณ (บาท)", "เบิกจ่ายจริง (บาท)"],
              [["ประกวดราคาอิเล็กทรอนิกส์ (e-bidding)", "๖", "๑๒,๔๐๐,๐๐๐", "๑๑,๘๗๒,๐๐๐"],
               ["วิธีคัดเลือก", "๓", "๑,๒๐๐,๐๐๐", "๑,๑๕๐,๐๐๐"], ["วิธีเฉพาะเจาะจง", "๒๑๔", "๘,๓๑๐,๐๐๐", "๗,๙๘๔,๕๐๐"]])
              + "<h3>ปัญหาและอุปสรรค</h3><p>ผู้ประกอบการในพื้นที่มีน้อย บางโครงการต้องประกาศซ้ำ</p>"
              "<h3>ข้อเสนอแนะ</h3><p>ควรจัดทำแผนการจัดซื้อจัดจ้างให้เร็วขึ้นและประชาสัมพันธ์ผู้ประกอบการล่วงหน้า</p>",
               ["รายงานผลการจัดซื้อจัดจ้าง", "๒๕๖๕", "จำนวนโครงการ", "ปัญหาและอุปสรรค", "ข้อเสนอแนะ"]),
          pdf_title=("รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ ประจำปีงบประมาณ พ.ศ. ๒๕๖๕", P_NAME)),
        D("procurement", "ประกาศราคากลาง โครงการปรับปรุงระบบระบายน้ำชุมชนตลาดเก่า", "๑๒ ธ.ค. ๒๕๖๕",
          body="<p>ประกาศราคากลาง ลงวันที่ ๑๒ ธันวาคม ๒๕๖๕ วงเงิน ๖๘๐,๐๐๐ บาท</p>", external=egp),
        m[4],
        D("procurement", "ประกาศผู้ชนะการเสนอราคา ซื้อน้ำมันเชื้อเพลิง โดยวิธีเฉพาะเจาะจง", "๑๘ พ.ย. ๒๕๖๕",
          body="<p>ประกาศ ลงวันที่ ๑๘ พฤศจิกายน ๒๕๖๕ ผู้ชนะ หจก.ท่าตะโกปิโตรเลียม ราคา ๖๕,๐๐๐ บาท</p>", external=egp),
        m[5],
        D("procurement", "ประกาศเผยแพร่แผนการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", "๒๕ ต.ค. ๒๕๖๕",
          body="<p>รายละเอียดตามเอกสารแนบ</p>",
          pdf=("o19-procurement-plan-2566", table(
              ["ลำดับ", "รายการ/จำนวน", "วงเงิน (บาท)", "ระยะเวลาที่คาดว่าจะประกาศ", "วิธีจัดซื้อจัดจ้าง"],
              [["๑", "จ้างก่อสร้างถนน คสล. ซอยวังตาล ๓", "๑,๒๕๐,๐๐๐", "ธันวาคม ๒๕๖๕", "e-bidding"],
               ["๒", "จ้างก่อสร้างอาคารศูนย์พัฒนาเด็กเล็ก", "๓,๔๕๐,๐๐๐", "กุมภาพันธ์ ๒๕๖๖", "e-bidding"],
               ["๓", "ปรับปรุงระบบระบายน้ำชุมชนตลาดเก่า", "๖๘๐,๐๐๐", "พฤศจิกายน ๒๕๖๕", "วิธีคัดเลือก"]]),
               ["แผนการจัดซื้อจัดจ้าง", "๒๕๖๖", "e-bidding"]),
          pdf_title=("ประกาศเผยแพร่แผนการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", P_NAME)),
    ]
    # 9.4
    docs += [
        D("hr", "รายงานผลการดำเนินการตามแผนพัฒนาบุคลากร รอบ ๖ เดือน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", "๑๐ เม.ย. ๒๕๖๖", body=(
            "<p>ผลการดำเนินการระหว่าง ๑ ตุลาคม ๒๕๖๕ – ๓๑ มีนาคม ๒๕๖๖</p>"
            '<table class="list"><tr><th>โครงการ/กิจกรรม</th><th>ผลการดำเนินการ</th></tr>'
            "<tr><td>อบรมการใช้ระบบสารบรรณอิเล็กทรอนิกส์</td><td>ดำเนินการแล้ว ผู้เข้าอบรม ๔๒ คน</td></tr>"
            "<tr><td>ส่งบุคลากรเข้ารับการอบรมหลักสูตรตามสายงาน</td><td>อยู่ระหว่างดำเนินการ ร้อยละ ๖๐</td></tr>"
            "<tr><td>กิจกรรมเสริมสร้างคุณธรรมจริยธรรม</td><td>ดำเนินการแล้ว</td></tr></table>")),
        D("hr", "รายงานผลการบริหารและพัฒนาทรัพยากรบุคคล ประจำปีงบประมาณ พ.ศ. ๒๕๖๕", "๒๐ ธ.ค. ๒๕๖๕",
          body="<p>รายละเอียดตามเอกสารแนบ</p>",
          pdf=("o26-hr-annual-2565", (
              "<h3>๑. ผลการดำเนินงาน</h3><p>ดำเนินการตามแผนพัฒนาบุคลากรแล้วเสร็จ ๘ จาก ๑๐ โครงการ</p>"
              "<h3>๒. ข้อมูลสถิติด้านบุคลากร</h3>" + table(
                  ["ประเภทบุคลากร", "อัตรากำลัง", "มีคนครอง", "ผ่านการฝึกอบรม"],
                  [["พนักงานเทศบาล", "๖๘", "๖๑", "๕๙"], ["ลูกจ้างประจำ", "๙", "๙", "๖"], ["พนักงานจ้าง", "๑๑๒", "๑๐๔", "๗๐"]])
              + "<h3>๓. ปัญหาและอุปสรรค</h3><p>ตำแหน่งว่างในสายงานช่างสรรหาได้ยาก</p>"
              "<h3>๔. ข้อเสนอแนะ</h3><p>ขอใช้บัญชีผู้สอบแข่งขันได้ของหน่วยงานอื่น และจัดอบรมออนไลน์มากขึ้น</p>"),
               ["รายงานผลการบริหารและพัฒนาทรัพยากรบุคคล", "๒๕๖๕", "อัตรากำลัง", "ปัญหาและอุปสรรค", "ข้อเสนอแนะ"]),
          pdf_title=("รายงานผลการบริหารและพัฒนาทรัพยากรบุคคล ประจำปีงบประมาณ พ.ศ. ๒๕๖๕", P_NAME)),
        D("hr", "หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล", "๕ ต.ค. ๒๕๖๕", body=(
            "<ol><li>การสรรหาและคัดเลือก: สอบแข่งขันตามประกาศคณะกรรมการพนักงานเทศบาลจังหวัด</li>"
            "<li>การบรรจุและแต่งตั้ง: บรรจุแต่งตั้งตามบัญชีผู้สอบแข่งขันได้</li>"
            "<li>การพัฒนาบุคลากร: ฝึกอบรมตามแผนพัฒนาบุคลากรไม่น้อยกว่าปีละ ๑ หลักสูตร</li>"
            "<li>การประเมินผลการปฏิบัติงาน: ปีละ ๒ รอบ</li>"
            "<li>การให้คุณให้โทษ: เลื่อนขั้นเงินเดือนตามผลการประเมิน ดำเนินการทางวินัยตามระเบียบ และยกย่องพนักงานดีเด่น</li></ol>")),
        D("hr", "แผนพัฒนาบุคลากร ประจำปีงบประมาณ พ.ศ. ๒๕๖๔ – ๒๕๖๖", "๑ ต.ค. ๒๕๖๕", body="<p>รายละเอียดตามเอกสารแนบ</p>",
          pdf=("o23-hr-plan-2564-2566", (
              f"<p>แผนพัฒนาบุคลากรของ{P_NAME} ระยะ ๓ ปี (พ.ศ. ๒๕๖๔ – ๒๕๖๖) มุ่งพัฒนาพนักงานเทศบาลทุกคนให้มีความรู้ "
              "ทักษะ และคุณธรรม ตามแนวทางการบริหารทรัพยากรบุคคลของคณะกรรมการพนักงานเทศบาล</p>" + table(
                  ["หลักสูตร/โครงการ", "กลุ่มเป้าหมาย", "ปี ๒๕๖๔", "ปี ๒๕๖๕", "ปี ๒๕๖๖"],
                  [["หลักสูตรตามสายงาน", "พนักงานเทศบาลทุกตำแหน่ง", "✓", "✓", "✓"],
                   ["การใช้เทคโนโลยีดิจิทัล", "บุคลากรทุกคน", "", "✓", "✓"],
                   ["คุณธรรมจริยธรรม", "บุคลากรทุกคน", "✓", "✓", "✓"]])),
               ["แผนพัฒนาบุคลากร", "๒๕๖๔", "๒๕๖๖", "พนักงานเทศบาล"]),
          pdf_title=("แผนพัฒนาบุคลากร ประจำปีงบประมาณ พ.ศ. ๒๕๖๔ – ๒๕๖๖", P_NAME)),
    ]
    # 9.5
    docs += [
        D("transparency", "ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ รอบ ๖ เดือน", "๕ เม.ย. ๒๕๖๖", body=(
            '<table class="list"><tr><th>จำนวนเรื่องร้องเรียนทั้งหมด</th><th>ดำเนินการแล้วเสร็จ</th><th>อยู่ระหว่างดำเนินการ</th></tr>'
            "<tr><td>๑</td><td>๑</td><td>๐</td></tr></table><p>รายละเอียดตามเอกสารแนบ</p>"),
          pdf=("o29-corruption-complaint-statistics", (
              "<p>ข้อมูลระหว่างวันที่ ๑ ตุลาคม ๒๕๖๕ – ๓๑ มีนาคม ๒๕๖๖</p>" + table(
                  ["ประเภทเรื่อง", "จำนวนเรื่องร้องเรียนทั้งหมด", "ดำเนินการแล้วเสร็จ", "อยู่ระหว่างดำเนินการ"],
                  [["การทุจริตและประพฤติมิชอบของเจ้าหน้าที่", "๑", "๑", "๐"]])
              + "<p>เรื่องที่ดำเนินการแล้วเสร็จ: ตรวจสอบแล้วไม่พบการกระทำผิด แจ้งผู้ร้องเมื่อ ๒๐ มกราคม ๒๕๖๖</p>"),
               ["เรื่องร้องเรียนการทุจริต", "๑ ตุลาคม ๒๕๖๕", "๓๑ มีนาคม ๒๕๖๖", "แล้วเสร็จ"]),
          pdf_title=("ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", f"ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ {P_NAME}")),
        # deliberate: last year's forum re-posted in the 2566 tab; its only "2566" is the tab,
        # the breadcrumb and the footer's copyright year
        D("transparency", "เวทีประชาคมเมืองเพื่อทบทวนแผนพัฒนาท้องถิ่น", "๒๐ ม.ค. ๒๕๖๕", body=(
            "<p>เมื่อวันที่ ๑๕ มกราคม ๒๕๖๕ เทศบาลจัดเวทีประชาคมเมือง ประเด็น: ลำดับความสำคัญของโครงการด้านโครงสร้างพื้นฐาน</p>"
            "<p>ผู้เข้าร่วม: ผู้แทนชุมชน ๑๒ ชุมชน ประชาชน และผู้แทนส่วนราชการ รวม ๑๔๖ คน</p>"
            "<p>ผลการประชุม: ที่ประชุมมีมติให้ปรับปรุงระบบระบายน้ำชุมชนตลาดเก่าเป็นลำดับแรก</p>"
            "<p>การนำผลไปใช้: เทศบาลนำข้อคิดเห็นไปบรรจุในแผนพัฒนาท้องถิ่น (เพิ่มเติม ครั้งที่ ๑/๒๕๖๕)</p>")),
        D("transparency", "ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", "๑ ต.ค. ๒๕๖๕", link="/services/corruption/"),
        D("transparency", "คู่มือการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", "๑ ต.ค. ๒๕๖๕", body=(
            "<p>ช่องทางการร้องเรียน: ยื่นเรื่องด้วยตนเอง ทางไปรษณีย์ ทางโทรศัพท์ หรือแจ้งเรื่องผ่านเว็บไซต์</p>"
            "<h3>ขั้นตอนการจัดการเรื่องร้องเรียน</h3><ol><li>ศูนย์ปฏิบัติการต่อต้านการทุจริต สำนักปลัดเทศบาล ลงทะเบียนรับเรื่อง</li>"
            "<li>เสนอนายกเทศมนตรีแต่งตั้งคณะกรรมการตรวจสอบข้อเท็จจริง</li><li>แจ้งผลให้ผู้ร้องทราบภายใน ๑๕ วันทำการ</li></ol>")),
    ]
    # 10.1: eleven entries; the plan and the annual report are the oldest
    docs += [
        D("anticorruption", "รายงานการกำกับติดตามการดำเนินการป้องกันการทุจริตประจำปี รอบ ๖ เดือน พ.ศ. ๒๕๖๖", "๑๐ เม.ย. ๒๕๖๖", body=(
            "<p>ข้อมูลระหว่าง ๑ ตุลาคม ๒๕๖๕ – ๓๑ มีนาคม ๒๕๖๖</p>"
            '<table class="list"><tr><th>โครงการ</th><th>ความก้าวหน้า</th><th>งบประมาณที่ใช้ (บาท)</th></tr>'
            "<tr><td>อบรมคุณธรรมจริยธรรมพนักงาน</td><td>ดำเนินการแล้ว</td><td>๑๕,๐๐๐ บาท</td></tr>"
            "<tr><td>เผยแพร่ข้อมูลข่าวสารผ่านเว็บไซต์</td><td>ดำเนินการแล้ว ร้อยละ ๕๐</td><td>ไม่ใช้งบประมาณ</td></tr></table>")),
        D("anticorruption", "รายงานผลการดำเนินการตามนโยบาย No Gift Policy รอบ ๖ เดือน ปีงบประมาณ ๒๕๖๖", "๕ เม.ย. ๒๕๖๖", body=(
            "<p>รายงานผลระหว่าง ๑ ต.ค. ๖๕ – ๓๑ มี.ค. ๖๖: จำนวนการรับของขวัญหรือประโยชน์อื่นใด ๐ ครั้ง "
            "ไม่พบการรับทรัพย์สินหรือประโยชน์อื่นใดโดยธรรมจรรยาเกินกว่าที่กฎหมายกำหนด</p>")),
        D("anticorruption", "การดำเนินการเพื่อจัดการความเสี่ยงการทุจริตและประพฤติมิชอบ ปี ๒๕๖๖", "๓๐ มี.ค. ๒๕๖๖", body=(
            "<p>ผลการดำเนินการตามมาตรการจัดการความเสี่ยงการทุจริต (ต.ค. ๒๕๖๕ – มี.ค. ๒๕๖๖)</p><ul>"
            "<li>ความเสี่ยงการเรียกรับผลประโยชน์ในการออกใบอนุญาตก่อสร้าง: ดำเนินการติดตั้งระบบติดตามคำขอออนไลน์แล้ว</li>"
            "<li>ความเสี่ยงการใช้รถราชการเพื่อประโยชน์ส่วนตน: ดำเนินกิจกรรมตรวจสอบสมุดบันทึกการใช้รถทุกเดือน</li></ul>")),
        D("anticorruption", "ประชุมชี้แจงนโยบายไม่รับของขวัญ (No Gift Policy) แก่บุคลากร", "๑๖ พ.ย. ๒๕๖๕", body=(
            "<p>เมื่อวันที่ ๑๕ พฤศจิกายน ๒๕๖๕ นายกเทศมนตรีจัดประชุมชี้แจงและมอบนโยบายไม่รับของขวัญและของกำนัลทุกชนิด "
            "แก่พนักงานเทศบาลทุกคน ณ ห้องประชุมสภาเทศบาล ผู้เข้าร่วม ๑๒๘ คน</p>"
            '<p><img src="/assets/photos/p3.jpg" alt="ประชุมชี้แจง No Gift Policy" width="320" height="240"></p>')),
        D("anticorruption", "การประเมินความเสี่ยงการทุจริตและประพฤติมิชอบประจำปี พ.ศ. ๒๕๖๖", "๑๕ พ.ย. ๒๕๖๕", body=(
            '<table class="list"><tr><th>เหตุการณ์ความเสี่ยง</th><th>โอกาส</th><th>ผลกระทบ</th><th>ระดับความเสี่ยง</th><th>มาตรการควบคุม</th></tr>'
            "<tr><td>เรียกรับผลประโยชน์ในการออกใบอนุญาตก่อสร้าง</td><td>๓</td><td>๔</td><td>สูง</td><td>ระบบติดตามคำขอออนไลน์</td></tr>"
            "<tr><td>ใช้รถราชการเพื่อประโยชน์ส่วนตน</td><td>๒</td><td>๒</td><td>ปานกลาง</td><td>ตรวจสอบสมุดบันทึกการใช้รถ</td></tr></table>")),
        D("anticorruption", "ประกาศเจตนารมณ์นโยบายไม่รับของขวัญ (No Gift Policy) ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", "๓ ต.ค. ๒๕๖๕", body=(
            f"<p>ประกาศ{P_NAME} เรื่อง เจตนารมณ์การไม่รับของขวัญและของกำนัลทุกชนิดจากการปฏิบัติหน้าที่ (No Gift Policy) "
            "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖</p><p>ผู้บริหารและพนักงานเทศบาลทุกคนจะไม่รับของขวัญหรือของกำนัลจากการปฏิบัติหน้าที่</p>"
            f"<p>ประกาศ ณ วันที่ ๓ ตุลาคม พ.ศ. ๒๕๖๕</p><p>(ลงชื่อ) {P_MAYOR[0]} {P_MAYOR[1]}</p>")),
        D("anticorruption", "คำสั่งแต่งตั้งคณะทำงานป้องกันและปราบปรามการทุจริต", "๓ ต.ค. ๒๕๖๕", body=(
            "<p>คำสั่งเทศบาลที่ ๔๑๒/๒๕๖๕ แต่งตั้งคณะทำงาน ประกอบด้วยปลัดเทศบาลเป็นประธาน ผู้อำนวยการกองทุกกองเป็นคณะทำงาน</p>")),
        D("anticorruption", "คู่มือการป้องกันผลประโยชน์ทับซ้อน", "๑ ต.ค. ๒๕๖๕", body=(
            "<p>คู่มือสำหรับบุคลากรเรื่องการแยกแยะประโยชน์ส่วนตนและประโยชน์ส่วนรวม</p>")),
        D("anticorruption", "ประชาสัมพันธ์ช่องทางการแจ้งเบาะแสการทุจริต", "๑ ต.ค. ๒๕๖๕", body=(
            '<p>แจ้งเบาะแสได้ที่ <a href="/services/corruption/">ช่องทางแจ้งเรื่องร้องเรียนการทุจริต</a> หรือโทร. ๐-๕๖๒๙-๑๑๙๙ ต่อ ๑๑๐</p>')),
        D("anticorruption", "รายงานผลการดำเนินการป้องกันการทุจริตประจำปี พ.ศ. ๒๕๖๕", "๓๐ ก.ย. ๒๕๖๕",
          body="<p>รายละเอียดตามเอกสารแนบ</p>",
          pdf=("o38-anticorruption-annual-2565", (
              "<h3>ผลการดำเนินการ</h3>" + table(
                  ["โครงการ", "ผลการดำเนินการ", "งบประมาณที่ใช้ (บาท)"],
                  [["อบรมคุณธรรมจริยธรรมพนักงาน", "ดำเนินการแล้ว ผู้เข้าร่วม ๑๓๐ คน", "๑๔,๘๐๐"],
                   ["เผยแพร่ข้อมูลข่าวสาร", "ดำเนินการแล้ว ตลอดปี", "ไม่ใช้งบประมาณ"]])
              + "<h3>ปัญหาและอุปสรรค</h3><p>บุคลากรบางส่วนไม่สามารถเข้าร่วมกิจกรรมได้ครบ</p>"
              "<h3>ข้อเสนอแนะ</h3><p>ควรจัดกิจกรรมหลายรอบและเพิ่มการอบรมออนไลน์</p>"),
               ["รายงานผลการดำเนินการป้องกันการทุจริต", "๒๕๖๕", "ปัญหาและอุปสรรค", "ข้อเสนอแนะ"]),
          pdf_title=("รายงานผลการดำเนินการป้องกันการทุจริตประจำปี พ.ศ. ๒๕๖๕", P_NAME)),
        D("anticorruption", "แผนปฏิบัติการป้องกันการทุจริต ๔ ปี (พ.ศ. ๒๕๖๕ – ๒๕๖๘)", "๒๐ ก.ย. ๒๕๖๕", body="<p>รายละเอียดตามเอกสารแนบ</p>",
          pdf=("o36-anticorruption-plan-2565-2568", table(
              ["โครงการ/กิจกรรม", "งบประมาณ ๒๕๖๕ (บาท)", "งบประมาณ ๒๕๖๖ (บาท)", "งบประมาณ ๒๕๖๗–๒๕๖๘ (บาท)", "ระยะเวลาดำเนินการ"],
              [["อบรมคุณธรรมจริยธรรมพนักงาน", "๑๕,๐๐๐", "๑๕,๐๐๐", "๓๐,๐๐๐", "ไตรมาสที่ ๑ ของทุกปี"],
               ["เผยแพร่ข้อมูลข่าวสารผ่านเว็บไซต์", "ไม่ใช้งบประมาณ", "ไม่ใช้งบประมาณ", "ไม่ใช้งบประมาณ", "ตลอดปี"],
               ["ประกาศเจตนารมณ์ No Gift Policy", "ไม่ใช้งบประมาณ", "ไม่ใช้งบประมาณ", "ไม่ใช้งบประมาณ", "ตุลาคมของทุกปี"]]),
               ["แผนปฏิบัติการป้องกันการทุจริต", "๒๕๖๕", "๒๕๖๘", "ระยะเวลาดำเนินการ"]),
          pdf_title=("แผนปฏิบัติการป้องกันการทุจริต ๔ ปี (พ.ศ. ๒๕๖๕ – ๒๕๖๘)", P_NAME)),
    ]
    # 10.2: no ethics assessment (O41) anywhere
    docs += [
        D("integrity", "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปี พ.ศ. ๒๕๖๖", "๑๐ เม.ย. ๒๕๖๖",
          body=(f'<p>รายละเอียดตามเอกสารแนบ</p><p>ร่วมตอบแบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT) '
                f'<a href="{EIT_PORTAL}">คลิกที่นี่</a> หรือสแกน QR Code</p>'
                '<p><img src="/assets/img/eit-qr.png" alt="QR Code แบบวัด EIT ๒๕๖๖"></p>'),
          pdf=("o43-integrity-measures-progress-2566", table(
              ["มาตรการ/กิจกรรม", "ผู้รับผิดชอบ", "ผลการดำเนินการ"],
              [["เปิดเผยข้อมูลสาธารณะบนเว็บไซต์ให้เป็นปัจจุบัน", "สำนักปลัดเทศบาล", "ดำเนินการแล้ว ปรับปรุงทุกเดือน ต.ค. ๒๕๖๕ – มี.ค. ๒๕๖๖"],
               ["ลดขั้นตอนการขออนุญาตก่อสร้างด้วยระบบออนไลน์", "กองช่าง", "ดำเนินการแล้ว เปิดใช้ ๑ มีนาคม ๒๕๖๖"],
               ["ประชาสัมพันธ์แบบวัด EIT ผ่าน QR Code", "สำนักปลัดเทศบาล", "ดำเนินการแล้ว"]])
              + "<p>สรุปผล ดำเนินการแล้ว ๓ มาตรการ</p>",
               ["รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรม", "๒๕๖๖", "ดำเนินการแล้ว"]),
          pdf_title=("รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
                     f"ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ (๑ ตุลาคม ๒๕๖๕ – ๓๑ มีนาคม ๒๕๖๖) {P_NAME}")),
        D("integrity", "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", "๑๕ ธ.ค. ๒๕๖๕",
          body="<p>รายละเอียดตามเอกสารแนบ</p>",
          pdf=("o42-integrity-measures-2566", (
              f"<h3>๑. การวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส ประจำปี พ.ศ. ๒๕๖๕</h3><p>{P_NAME} ได้คะแนน ๘๔.๒๐ คะแนน</p>"
              "<p>ประเด็นที่เป็นข้อบกพร่องหรือจุดอ่อนที่ต้องแก้ไขโดยเร่งด่วน: การเปิดเผยรายงานผลการจัดซื้อจัดจ้างรายเดือนไม่ครบ</p>"
              "<p>ประเด็นที่ต้องพัฒนาให้ดีขึ้น: การให้บริการออนไลน์ และการประชาสัมพันธ์ช่องทางร้องเรียน</p>"
              "<h3>๒. มาตรการส่งเสริมคุณธรรมและความโปร่งใส</h3>" + table(
                  ["มาตรการ", "ขั้นตอน/วิธีการปฏิบัติ", "ผู้รับผิดชอบ", "การกำกับติดตามและรายงานผล"],
                  [["เปิดเผยข้อมูลสาธารณะให้ครบถ้วน", "ปรับปรุงข้อมูลบนเว็บไซต์ทุกเดือน", "สำนักปลัดเทศบาล", "รายงานนายกเทศมนตรีทุกไตรมาส"],
                   ["ลดขั้นตอนการขออนุญาตก่อสร้าง", "เปิดระบบยื่นคำขอออนไลน์", "กองช่าง", "รายงานผลรอบ ๖ เดือน"]])),
               ["การวิเคราะห์ผลการประเมิน", "แก้ไขโดยเร่งด่วน", "ผู้รับผิดชอบ", "๒๕๖๖"]),
          pdf_title=("มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", f"ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ {P_NAME}")),
        D("integrity", "การขับเคลื่อนจริยธรรม ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", "๒๕ ม.ค. ๒๕๖๖", body=(
            "<p>คำสั่งแต่งตั้งคณะทำงานขับเคลื่อนจริยธรรมและทีมให้คำปรึกษาด้านจริยธรรม (คำสั่งที่ ๔๒๐/๒๕๖๕)</p>"
            "<h3>แนวปฏิบัติ Do's &amp; Don'ts</h3><ul><li>ควรทำ: ให้บริการด้วยความเป็นธรรม</li>"
            "<li>ไม่ควรทำ: รับของขวัญหรือประโยชน์จากผู้มาติดต่อ</li></ul>"
            "<p>กิจกรรม: อบรมหลักสูตรจริยธรรมสำหรับพนักงานเทศบาล เมื่อวันที่ ๒๐ มกราคม ๒๕๖๖ ผู้เข้าร่วม ๑๑๐ คน</p>")),
        D("integrity", "ประมวลจริยธรรมของพนักงานเทศบาล", "๑ ต.ค. ๒๕๖๕", body=(
            f"<p>ประมวลจริยธรรมของข้าราชการการเมืองท้องถิ่น ฝ่ายบริหาร และพนักงาน{P_NAME}</p><ol>"
            "<li>พนักงานเทศบาลต้องยึดมั่นในสถาบันหลักของประเทศ</li><li>ต้องซื่อสัตย์สุจริต มีจิตสำนึกที่ดี</li>"
            "<li>ต้องกล้าตัดสินใจและกระทำในสิ่งที่ถูกต้องชอบธรรม</li><li>ต้องคิดถึงประโยชน์ส่วนรวมมากกว่าประโยชน์ส่วนตัว</li>"
            "<li>ต้องปฏิบัติหน้าที่อย่างเป็นธรรมและไม่เลือกปฏิบัติ</li></ol>")),
    ]
    return docs


def _old_docs(year: int) -> list[Doc]:
    """The 2565 and 2564 tabs: last years' documents (HTML only), the traps of year binding."""
    y, y1 = th(year), th(year - 1)
    D = Doc
    docs = [
        D("management", f"แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. {y}", f"๒๘ ต.ค. {y1}", body=(
            f"<p>แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. {y}: โครงการก่อสร้างถนน งบประมาณ ๙๘๐,๐๐๐ บาท ระยะเวลา ม.ค. – เม.ย. {y}</p>")),
        D("management", f"รายงานการกำกับติดตามการดำเนินงาน รอบ ๖ เดือน ปี {y}", f"๒๐ เม.ย. {y}", body=(
            f"<p>ข้อมูลระหว่าง ๑ ตุลาคม {y1} – ๓๑ มีนาคม {y}: เบิกจ่ายแล้ว ๒,๑๐๐,๐๐๐ บาท ความก้าวหน้าร้อยละ ๕๕</p>")),
        D("management", f"ข้อมูลเชิงสถิติการให้บริการ ปี {y}", f"๕ เม.ย. {y}", body=(
            f"<p>สถิติการให้บริการ ต.ค. {y1} – มี.ค. {y} รวม ๒,๔๑๐ ครั้ง</p>")),
    ]
    for month, yy in ((3, year), (2, year), (1, year), (12, year - 1), (11, year - 1), (10, year - 1)):
        if year == 2564 and month in (1, 2, 11):
            continue  # the 2564 tab is incomplete, as migrated old content is
        docs.append(D("procurement", f"สรุปผลการดำเนินการจัดซื้อจัดจ้าง ในรอบเดือน{MONTHS[month - 1]} {th(yy)} (แบบ สขร.๑)",
                      f"๕ {MONTHS_SHORT[month % 12]} {th(yy if month < 12 else yy + 1)}", body=(
                          f"<p>สรุปผลการดำเนินการจัดซื้อจัดจ้าง เดือน{MONTHS[month - 1]} {th(yy)}: ซื้อวัสดุสำนักงาน ๑๒,๐๐๐ บาท "
                          "วิธีเฉพาะเจาะจง ผู้ได้รับการคัดเลือก ร้านศรีวังตาลพาณิชย์</p>")))
    docs += [
        D("procurement", f"ประกาศเผยแพร่แผนการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. {y}", f"๒๐ ต.ค. {y1}", body=(
            f"<p>แผนการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. {y} จำนวน ๕ โครงการ</p>")),
        D("transparency", f"ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริต ปี {y}", f"๕ เม.ย. {y}", body=(
            f"<p>ระหว่าง ๑ ต.ค. {y1} – ๓๑ มี.ค. {y}: ไม่มีเรื่องร้องเรียนการทุจริต</p>")),
        D("anticorruption", f"ประกาศเจตนารมณ์ No Gift Policy ประจำปี {y}", f"๑ ต.ค. {y1}", body=(
            f"<p>ประกาศ{P_NAME} เรื่อง นโยบายไม่รับของขวัญ ประจำปี {y} ประกาศ ณ วันที่ ๑ ตุลาคม {y1} (ลงชื่อ) {P_MAYOR[0]}</p>")),
        D("integrity", f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปี {y}", f"๑๕ ธ.ค. {y1}", body=(
            f"<p>การวิเคราะห์ผลการประเมิน ITA ปี {y1} และมาตรการ ประจำปี {y}: ผู้รับผิดชอบ สำนักปลัดเทศบาล</p>")),
    ]
    if year == 2565:
        docs += [
            D("hr", "แผนพัฒนาบุคลากร ประจำปีงบประมาณ พ.ศ. ๒๕๖๔ – ๒๕๖๖", "๑ ต.ค. ๒๕๖๓", body=(
                "<p>แผนพัฒนาบุคลากร ๓ ปี (ฉบับเดียวกับที่เผยแพร่ในปีงบประมาณ ๒๕๖๖)</p>")),
            D("anticorruption", "การประเมินความเสี่ยงการทุจริต ประจำปี ๒๕๖๕", "๑๕ พ.ย. ๒๕๖๔", body=(
                "<p>เหตุการณ์ความเสี่ยง: การเรียกรับผลประโยชน์ ระดับความเสี่ยง สูง มาตรการ: ตรวจสอบคำขอทุกฉบับ</p>")),
            D("integrity", "การขับเคลื่อนจริยธรรม ประจำปี ๒๕๖๕", "๒๐ ม.ค. ๒๕๖๕", body=(
                "<p>คณะทำงานขับเคลื่อนจริยธรรม และกิจกรรมอบรม เมื่อ ๑๘ มกราคม ๒๕๖๕</p>")),
        ]
    return docs


def _portal_ita(out: Output) -> None:
    ita = [("ข้อมูลสาธารณะ", "/open-data/"), ("ITA", "/open-data/ita/")]
    years = (2566, 2565, 2564)

    def tabs(current: int | None) -> str:
        cells = [f"<b>ปีงบประมาณ {th(y)}</b>" if y == current else f'<a href="/open-data/ita/{y}/">ปีงบประมาณ {th(y)}</a>'
                 for y in years]
        return '<div class="tabs">' + " ".join(cells) + "</div>\n"

    out.page("/open-data/ita/", portal_page("ITA", (
        "<h2>การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA)</h2>" + tabs(None)
        + "<p>เลือกปีงบประมาณเพื่อดูข้อมูลการเปิดเผยข้อมูลสาธารณะ (OIT)</p>"), ita[:1] + [("ITA", "")]))
    next_id = {2566: 6601, 2565: 6501, 2564: 6401}
    for year in years:
        docs = _ita_docs_2566() if year == 2566 else _old_docs(year)
        year_crumbs = ita + [(f"ปีงบประมาณ {th(year)}", f"/open-data/ita/{year}/")]
        cats_here = [(s, label) for s, label in P_CATS if any(d.cat == s for d in docs)]
        out.page(f"/open-data/ita/{year}/", portal_page(f"ITA ปีงบประมาณ {th(year)}", (
            f"<h2>ข้อมูลสาธารณะ (OIT) ประจำปีงบประมาณ พ.ศ. {th(year)}</h2>" + tabs(year) + "<ul>" + "".join(
                f'<li><a href="/open-data/ita/{year}/{s}/">{label}</a></li>' for s, label in cats_here) + "</ul>"),
            ita + [(f"ปีงบประมาณ {th(year)}", "")]))
        for slug, label in cats_here:
            cat_crumbs = year_crumbs + [(label, f"/open-data/ita/{year}/{slug}/")]
            entries = []
            for doc in (d for d in docs if d.cat == slug):
                if doc.link:
                    entries.append(f'<a href="{doc.link}">{doc.title}</a> <span class="date">{doc.date}</span>')
                    continue
                did = next_id[year]
                next_id[year] += 1
                url = f"/open-data/ita/doc/{did}/"
                entries.append(f'<a href="{url}">{doc.title}</a> <span class="date">{doc.date}</span>')
                attach = ""
                if doc.pdf is not None:
                    file_slug, pdf_body, phrases = doc.pdf
                    pdf_url = f"/uploads/ita/{year}/{file_slug}.pdf"
                    t1, t2 = doc.pdf_title
                    out.thai_pdf(pdf_url, f"{file_slug}.html", word_doc(
                        t1, t2, pdf_body, f"Source of samples/sites/portal/www{pdf_url} (ITA {year})."), phrases)
                    attach = (f'<p class="attach">ไฟล์แนบ: <a href="{pdf_url}"><img src="/assets/img/icon-pdf.png" alt="">'
                              f" {file_slug}.pdf</a></p>")
                if doc.external:
                    attach += f'<p>ดูประกาศในระบบ e-GP: <a href="{doc.external}">ระบบการจัดซื้อจัดจ้างภาครัฐ</a></p>'
                body = (f"<h2>{doc.title}</h2><p class=\"date\">วันที่ลงประกาศ {doc.date} | หมวด {label}</p>"
                        f"{doc.body}{attach}<p><a href=\"/open-data/ita/{year}/{slug}/\">« กลับหน้าหมวด</a></p>")
                out.page(url, portal_page(doc.title, body, cat_crumbs + [(doc.title, "")]))
            listing_pages(out, f"/open-data/ita/{year}/{slug}/", f"{label} (ปีงบประมาณ {th(year)})", entries,
                          year_crumbs + [(label, "")], intro=tabs(year))


# =========================================================================== strict

S_NAME = "องค์การบริหารส่วนตำบลหนองหินตั้ง"
S_SHORT = "อบต.หนองหินตั้ง"
S_PLACE = "อำเภอเกษตรวิสัยเหนือ จังหวัดร้อยเอ็ด"
S_ADDRESS = "เลขที่ ๙ หมู่ที่ ๓ ตำบลหนองหินตั้ง อำเภอเกษตรวิสัยเหนือ จังหวัดร้อยเอ็ด ๔๕๑๙๙"
S_OTHER = "เทศบาลตำบลบ้านโป่งงาม"  # the agency the copied measures were written for (invented)
S_FB = "https://www.facebook.com/nonghintang.sao"

def s_url(key: str) -> str:
    ids = {
        "hub": (66, 120), "structure": (11, 102), "executives": (12, 102), "authority": (13, 102),
        "plan": (21, 120), "contact": (14, 110), "laws": (22, 120), "news": (8, 103), "faq": (15, 104),
        "pdpa": (16, 111), "manual": (23, 120), "stats": (24, 120), "survey": (25, 105), "eservice": (17, 105),
        "procplan": (26, 120), "skr": (27, 120), "hrplan": (28, 120), "hrrules": (29, 120),
        "complaint-guide": (30, 120), "complaint": (18, 106), "nogift": (31, 120), "nogift-act": (32, 120),
        "risk": (33, 120), "acplan": (34, 120), "ethics": (35, 120), "ethics-drive": (36, 120), "measures": (37, 120),
    }
    article, item = ids[key]
    if key == "news":
        return f"/index.php?option=com_content&view=category&id={article}&Itemid={item}"
    return f"/index.php?option=com_content&view=article&id={article}&Itemid={item}"


S_MENU = [("/", "หน้าหลัก"), ("structure", "โครงสร้าง"), ("executives", "ผู้บริหาร"), ("authority", "อำนาจหน้าที่"),
          ("news", "ข่าวประชาสัมพันธ์"), ("eservice", "E-Service"), ("complaint", "ร้องเรียนร้องทุกข์"),
          ("faq", "คำถามที่พบบ่อย"), ("hub", "ITA 2566"), ("contact", "ติดต่อเรา")]


def strict_page(title: str, body: str) -> str:
    menu = "".join(f'<li><a href="{u if u == "/" else esc(s_url(u))}">{t}</a></li>' for u, t in S_MENU)
    return f"""<!DOCTYPE html>
<html lang="th-th" dir="ltr">
<head>
<meta http-equiv="content-type" content="text/html; charset=utf-8">
<meta name="generator" content="Joomla! - Open Source Content Management">
<title>{esc(title)} - {S_NAME}</title>
<link href="/templates/protostar/css/template.css" rel="stylesheet">
</head>
<body class="site com_content">
<div class="header"><img src="/images/logo.png" alt="{S_NAME}" width="70" height="70">
<span class="site-title">{S_NAME}<br><small>{S_PLACE}</small></span></div>
<ul class="nav menu">{menu}</ul>
<div class="item-page">
{body}
</div>
<div class="footer"><p>{S_NAME} {S_ADDRESS} โทร. ๐-๔๓๕๙-๗๐๑๒</p>
<p><a href="{esc(s_url('pdpa'))}">นโยบายคุ้มครองข้อมูลส่วนบุคคล</a> | <a href="{S_FB}">Facebook {S_SHORT}</a></p>
<p>Copyright © ๒๕๖๖ {S_SHORT} All rights reserved.</p></div>
</body>
</html>
"""


_PRIVATE_MARKS = bytes([0xD1, 0xD4, 0xD5, 0xD6, 0xD7, 0xE7, 0xE8, 0xE9, 0xEA, 0xEB])


def legacy_font_pdf(thai_lines: list[str], title: str, *, private: bool = False) -> bytes:
    """A one-page PDF whose text is Thai typed in a legacy Thai font (e.g. the old "PSL" and
    "DS" fonts): the bytes are TIS-620 codes shown through a Latin font with WinAnsiEncoding
    and no ToUnicode map, so a text extractor reads Latin-1 garbage ("á¼¹¡ÒÃ´Óà¹Ô¹§Ò¹")
    instead of Thai. Looks fine in print with the right font. The common TIS-620 mapping is
    decoded back by the crawler (extract.legacy); ``private`` gives the font a mapping of its
    own, which nothing can decode: its text cannot be checked."""

    def pdf_string(text: str) -> bytes:
        raw = text.encode("cp874")
        if private:  # a font with a mapping of its own: every Thai byte lands on a tone mark's code
            raw = bytes(_PRIVATE_MARKS[b % len(_PRIVATE_MARKS)] if b >= 0xA1 else b for b in raw)
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    ops = [b"BT", b"/F1 16 Tf", b"20 TL", b"72 770 Td"]
    ops += [b"(" + pdf_string(line) + b") Tj T*" for line in thai_lines]
    ops.append(b"ET")
    stream = b"\n".join(ops)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
         b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /PSL-Kanda /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title (" + title.encode("ascii") + b") /Producer (PDF Writer 2.1) >>",
    ]
    data = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    data += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(data)


# ~100 sections "pasted" as the agency's duties: a law's structure, not the agency's duties
_STATUTE_TOPICS = [
    "ให้สภาตำบลมีหน้าที่พัฒนาตำบลทั้งในด้านเศรษฐกิจ สังคม และวัฒนธรรม",
    "ให้นายอำเภอมีอำนาจหน้าที่กำกับดูแลการปฏิบัติหน้าที่ตามพระราชบัญญัตินี้",
    "สมาชิกสภาองค์การบริหารส่วนตำบลต้องมีคุณสมบัติตามที่กฎหมายว่าด้วยการเลือกตั้งกำหนด",
    "การประชุมสภาต้องมีสมาชิกมาประชุมไม่น้อยกว่ากึ่งหนึ่งของจำนวนสมาชิกเท่าที่มีอยู่ จึงจะเป็นองค์ประชุม",
    "ให้องค์การบริหารส่วนตำบลมีรายได้จากภาษีอากร ค่าธรรมเนียม และรายได้อื่นตามที่กฎหมายกำหนด",
    "ในกรณีที่นายกองค์การบริหารส่วนตำบลพ้นจากตำแหน่ง ให้ดำเนินการเลือกตั้งภายในสี่สิบห้าวัน",
    "ผู้ใดฝ่าฝืนข้อบัญญัติต้องระวางโทษตามที่ข้อบัญญัตินั้นกำหนด",
    "ให้ผู้ว่าราชการจังหวัดมีอำนาจสั่งให้สมาชิกสภาพ้นจากตำแหน่งเมื่อมีการสอบสวนแล้ว",
]


def build_strict() -> Output:
    out = Output("strict")
    out.binary("/templates/protostar/css/template.css",
               b"body{font-family:Tahoma,sans-serif;margin:0}.header{background:#7a2d2d;color:#fff;padding:8px}"
               b".nav.menu{display:flex;gap:10px;list-style:none;padding:6px;margin:0;background:#a44}"
               b".nav.menu a{color:#fff}.item-page{padding:12px}table td,table th{border:1px solid #bbb;padding:2px 6px}\n")
    out.binary("/images/logo.png", make_png(70, 70, (122, 45, 45), border=(255, 255, 255)))
    out.binary("/images/qr-satisfaction.png", qr_png(SURVEY_STRICT))
    out.binary("/robots.txt", b"User-agent: *\nDisallow: /administrator/\n")
    routes: dict[str, str] = {}

    def article(key: str, title: str, body: str) -> None:
        url = s_url(key)
        rel = f"articles/{key}.html"
        routes[url] = rel
        out.files["www/" + rel] = strict_page(title, f'<div class="page-header"><h2>{title}</h2></div>\n{body}').encode("utf-8")

    news = [("โครงการอบรมให้ความรู้การป้องกันโรคไข้เลือดออก", "๒๐ มิถุนายน ๒๕๖๕"),
            ("ประชาสัมพันธ์การชำระภาษีที่ดินและสิ่งปลูกสร้าง ประจำปี ๒๕๖๕", "๓ พฤษภาคม ๒๕๖๕"),
            ("กิจกรรมวันผู้สูงอายุ ประจำปี ๒๕๖๕", "๑๒ เมษายน ๒๕๖๕"),
            ("การประชุมสภา อบต. สมัยสามัญ สมัยแรก ประจำปี ๒๕๖๕", "๑๕ กุมภาพันธ์ ๒๕๖๕"),
            ("กิจกรรมวันเด็กแห่งชาติ ประจำปี ๒๕๖๕", "๘ มกราคม ๒๕๖๕")]
    news_html = "".join(f"<li>{t} <span class=\"date\">({d})</span></li>" for t, d in news)
    home = (f"<h2>ยินดีต้อนรับสู่เว็บไซต์{S_NAME}</h2><h3>ข่าวประชาสัมพันธ์ล่าสุด</h3><ul>{news_html}</ul>"
            f'<p><a href="{esc(s_url("news"))}">ข่าวทั้งหมด</a></p>'
            "<h3>แบบประเมินความพึงพอใจในการให้บริการ</h3>"
            '<p><img src="/images/qr-satisfaction.png" alt="สแกน QR Code แบบสำรวจความพึงพอใจ"></p>'
            f'<p><a href="{esc(s_url("hub"))}">การประเมินคุณธรรมและความโปร่งใส (ITA) ๒๕๖๖</a></p>')
    out.files["www/index.html"] = strict_page("หน้าหลัก", home).encode("utf-8")

    # O1: a text list of divisions, no chart image, no PDF, no table of positions
    article("structure", "โครงสร้างส่วนราชการ", (
        f"<p>{S_NAME} แบ่งส่วนราชการ ดังนี้</p><p>สำนักปลัด<br>กองคลัง<br>กองช่าง<br>กองการศึกษา ศาสนาและวัฒนธรรม</p>"))
    # O2: names and positions only: no photo, no phone, no e-mail
    article("executives", "คณะผู้บริหาร", (
        "<p>นายบุญเลิศ หินตั้งทอง นายกองค์การบริหารส่วนตำบล</p><p>นายสุรชัย แก้วหนองหิน รองนายกองค์การบริหารส่วนตำบล</p>"
        "<p>นางรัตนา สีหาราชา รองนายกองค์การบริหารส่วนตำบล</p><p>นายอนุชา พรหมหินตั้ง ปลัดองค์การบริหารส่วนตำบล</p>"))
    # O3: the whole Act pasted, about 100 sections
    sections = "".join(f"<p>มาตรา {th(n)} {_STATUTE_TOPICS[n % len(_STATUTE_TOPICS)]}</p>" for n in range(1, 101))
    article("authority", "อำนาจหน้าที่", (
        "<p>พระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล พ.ศ. ๒๕๓๗ (ฉบับรวมแก้ไขเพิ่มเติม)</p>" + sections))
    article("plan", "แผนพัฒนาท้องถิ่นสี่ปี (พ.ศ. ๒๕๖๑ – ๒๕๖๔)", (
        "<p>ยุทธศาสตร์การพัฒนา ๕ ด้าน เป้าประสงค์ และตัวชี้วัดของแต่ละยุทธศาสตร์ สำหรับปี พ.ศ. ๒๕๖๑ – ๒๕๖๔</p>"
        "<ul><li>ยุทธศาสตร์ที่ ๑ ด้านโครงสร้างพื้นฐาน ตัวชี้วัด: ระยะทางถนนที่ก่อสร้าง เป้าหมาย: ๑๐ กิโลเมตร</li>"
        "<li>ยุทธศาสตร์ที่ ๒ ด้านคุณภาพชีวิต ตัวชี้วัด: จำนวนผู้สูงอายุที่ได้รับการดูแล</li></ul>"))
    article("contact", "ติดต่อเรา", (
        f"<p>{S_NAME}</p><p>{S_ADDRESS}</p><p>โทรศัพท์ ๐-๔๓๕๙-๗๐๑๒ โทรสาร ๐-๔๓๕๙-๗๐๑๓</p>"
        "<p>อีเมล <a href=\"mailto:nonghintang@sao.go.th\">nonghintang@sao.go.th</a></p>"
        "<p>แผนที่ตั้ง: <a href=\"https://maps.google.com/?q=15.9,103.6\">ดูแผนที่ Google Maps</a></p>"))
    article("laws", "กฎหมายที่เกี่ยวข้อง", (
        "<ul><li>พระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล พ.ศ. ๒๕๓๗</li>"
        "<li>พระราชบัญญัติการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. ๒๕๖๐</li>"
        "<li>พระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. ๒๕๔๐</li></ul>"))
    routes[s_url("news")] = "articles/news.html"
    out.files["www/articles/news.html"] = strict_page("ข่าวประชาสัมพันธ์", (
        f"<h2>ข่าวประชาสัมพันธ์</h2><ul>{news_html}</ul>"
        "<p>ข่าวเก่ากว่านี้: <span>กิจกรรมวันท้องถิ่นไทย (๑๘ มีนาคม ๒๕๖๔)</span></p>")).encode("utf-8")
    article("faq", "คำถามที่พบบ่อย (FAQ)", (
        "<p><b>ถาม</b> ชำระภาษีได้ที่ไหน <b>ตอบ</b> กองคลัง ในวันและเวลาราชการ</p>"
        "<p><b>ถาม</b> ขอสำเนาทะเบียนบ้านได้หรือไม่ <b>ตอบ</b> ติดต่อที่ว่าการอำเภอ</p>"))
    article("pdpa", "นโยบายคุ้มครองข้อมูลส่วนบุคคล", (
        f"<p>{S_NAME} เก็บ ใช้ และเปิดเผยข้อมูลส่วนบุคคลตามพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. ๒๕๖๒ "
        "เท่าที่จำเป็นตามอำนาจหน้าที่ เจ้าของข้อมูลมีสิทธิขอเข้าถึงและขอแก้ไขข้อมูลส่วนบุคคลของตนได้</p>"))
    # O11: the operating plan 2566 is a PDF typed in a legacy Thai font: its text cannot be read
    out.binary("/images/ita2566/operating-plan-2566.pdf", legacy_font_pdf([
        "แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", S_NAME,
        "โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ ๓ งบประมาณ ๕๐๐,๐๐๐ บาท ระยะเวลา ม.ค. - มี.ค. ๒๕๖๖",
        "โครงการอาหารเสริม (นม) งบประมาณ ๘๐๐,๐๐๐ บาท ระยะเวลา ต.ค. ๒๕๖๕ - ก.ย. ๒๕๖๖",
    ], title="plan2566", private=True))
    article("manual", "คู่มือสำหรับประชาชน", (
        "<ul><li>งานจดทะเบียนพาณิชย์</li><li>งานขออนุญาตก่อสร้างอาคาร</li><li>งานรับชำระภาษีที่ดินและสิ่งปลูกสร้าง</li></ul>"))
    article("stats", "ข้อมูลเชิงสถิติการให้บริการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", (
        "<p>ข้อมูลระหว่างวันที่ ๑ ตุลาคม ๒๕๖๔ – ๓๑ มีนาคม ๒๕๖๕</p><table><tr><th>เดือน</th><th>จำนวนผู้รับบริการ (ราย)</th></tr>"
        + "".join(f"<tr><td>{m}</td><td>{n}</td></tr>" for m, n in [
            ("ตุลาคม ๒๕๖๔", "๑๑๒"), ("พฤศจิกายน ๒๕๖๔", "๙๘"), ("ธันวาคม ๒๕๖๔", "๑๓๐"), ("มกราคม ๒๕๖๕", "๑๔๕"),
            ("กุมภาพันธ์ ๒๕๖๕", "๑๐๑"), ("มีนาคม ๒๕๖๕", "๑๒๗")]) + "</table><p>รวม ๗๑๓ ราย</p>"))
    article("survey", "แบบสำรวจความพึงพอใจในการให้บริการ", (
        f'<p>ร่วมตอบแบบสำรวจความพึงพอใจ <a href="{SURVEY_STRICT}">คลิกที่นี่</a> หรือสแกน QR Code</p>'
        '<p><img src="/images/qr-satisfaction.png" alt="QR Code แบบสำรวจความพึงพอใจ"></p>'))
    for form in ("kp1", "kp2", "general"):
        out.binary(f"/images/forms/{form}.pdf", _ascii_form(form))
    article("eservice", "E-Service บริการออนไลน์", (
        "<p>ดาวน์โหลดแบบฟอร์มคำร้อง กรอกแล้วนำมายื่นที่สำนักงาน</p><ul>"
        '<li><a href="/images/forms/kp1.pdf">แบบคำร้องขออนุญาตก่อสร้างอาคาร (ข.๑)</a></li>'
        '<li><a href="/images/forms/kp2.pdf">แบบคำขอรับเงินเบี้ยยังชีพผู้สูงอายุ</a></li>'
        '<li><a href="/images/forms/general.pdf">แบบคำร้องทั่วไป</a></li></ul>'))
    article("procplan", "แผนการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. ๒๕๖๕", (
        "<p>ประกาศเผยแพร่แผนการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. ๒๕๖๕ ลงวันที่ ๒๕ ตุลาคม ๒๕๖๔</p>"
        "<table><tr><th>รายการ</th><th>วงเงิน (บาท)</th><th>วิธีจัดซื้อจัดจ้าง</th></tr>"
        "<tr><td>จ้างก่อสร้างถนน คสล. หมู่ที่ ๓</td><td>๕๐๐,๐๐๐</td><td>e-bidding</td></tr></table>"))
    skr = [("ตุลาคม ๒๕๖๕", "ซื้อวัสดุสำนักงาน ๘,๕๐๐ บาท"), ("พฤศจิกายน ๒๕๖๕", "จ้างซ่อมรถยนต์ ๑๒,๐๐๐ บาท"),
           ("ธันวาคม ๒๕๖๕", "ซื้ออาหารเสริม (นม) ๑๒๐,๔๐๐ บาท"), ("กุมภาพันธ์ ๒๕๖๖", "ซื้อวัสดุไฟฟ้า ๙,๘๐๐ บาท")]
    article("skr", "สรุปผลการจัดซื้อจัดจ้างรายเดือน ปีงบประมาณ ๒๕๖๖", "<ul>" + "".join(
        f"<li>สรุปผลการดำเนินการจัดซื้อจัดจ้าง เดือน{m}: {w} วิธีเฉพาะเจาะจง</li>" for m, w in skr) + "</ul>")
    article("hrplan", "แผนอัตรากำลัง ๓ ปี และแผนพัฒนาบุคลากร (พ.ศ. ๒๕๖๑ – ๒๕๖๓)", (
        "<p>แผนพัฒนาบุคลากรของพนักงานส่วนตำบล ระยะเวลา ๓ ปี (ปีงบประมาณ พ.ศ. ๒๕๖๑ – ๒๕๖๓) "
        "หลักสูตรตามสายงาน และหลักสูตรคุณธรรมจริยธรรม</p>"))
    article("hrrules", "หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล", (
        "<ol><li>การสรรหาและคัดเลือก: สอบแข่งขันตามประกาศคณะกรรมการพนักงานส่วนตำบลจังหวัด</li>"
        "<li>การบรรจุและแต่งตั้ง: ตามบัญชีผู้สอบแข่งขันได้</li><li>การพัฒนา: ฝึกอบรมตามแผนพัฒนาบุคลากร</li>"
        "<li>การประเมินผลการปฏิบัติงาน: ปีละ ๒ ครั้ง</li><li>การให้คุณให้โทษ: เลื่อนขั้นเงินเดือนตามผลการประเมิน "
        "และดำเนินการทางวินัยตามระเบียบ</li></ol>"))
    article("complaint-guide", "คู่มือการรับเรื่องร้องเรียนร้องทุกข์", (
        "<p>ประชาชนยื่นเรื่องร้องทุกข์ทั่วไป (ถนนชำรุด ไฟฟ้าดับ น้ำประปาไม่ไหล) ได้ที่สำนักปลัด "
        "ขั้นตอน: รับเรื่อง เสนอผู้บริหาร แจ้งกองที่รับผิดชอบ แจ้งผลภายใน ๑๕ วัน</p>"))
    article("complaint", "ร้องเรียนร้องทุกข์", (
        '<form method="post" action="/index.php?option=com_contact&amp;task=send"><p>ชื่อ-นามสกุล <input name="name"></p>'
        '<p>เรื่องที่ร้องเรียน <textarea name="detail"></textarea></p><p><button>ส่ง</button></p></form>'
        "<p>หรือโทร. ๐-๔๓๕๙-๗๐๑๒ ในวันและเวลาราชการ</p>"))
    article("nogift", "ประกาศเจตนารมณ์นโยบายไม่รับของขวัญ (No Gift Policy)", (
        f"<p>ประกาศ{S_NAME} เรื่อง นโยบายไม่รับของขวัญและของกำนัลทุกชนิดจากการปฏิบัติหน้าที่ ประจำปีงบประมาณ พ.ศ. ๒๕๖๕</p>"
        "<p>ประกาศ ณ วันที่ ๑ ตุลาคม พ.ศ. ๒๕๖๔</p><p>(ลงชื่อ) นายบุญเลิศ หินตั้งทอง นายกองค์การบริหารส่วนตำบลหนองหินตั้ง</p>"))
    article("nogift-act", "กิจกรรมการสร้างวัฒนธรรม No Gift Policy", (
        "<p>เมื่อวันที่ ๑๕ ธันวาคม ๒๕๖๔ อบต.จัดประชุมชี้แจงนโยบายไม่รับของขวัญและของกำนัลแก่พนักงาน ผู้เข้าร่วม ๓๕ คน</p>"))
    article("risk", "การประเมินความเสี่ยงการทุจริต ประจำปี ๒๕๖๖", (
        "<p>ความเสี่ยงที่อาจเกิดขึ้น</p><ul><li>การใช้รถราชการไปธุระส่วนตัว</li><li>การรับของขวัญจากผู้รับเหมา</li></ul>"))
    article("acplan", "แผนปฏิบัติการป้องกันการทุจริต ๔ ปี (พ.ศ. ๒๕๖๑ – ๒๕๖๔)", (
        "<table><tr><th>โครงการ</th><th>งบประมาณ (บาท)</th><th>ระยะเวลา</th></tr>"
        "<tr><td>อบรมคุณธรรมจริยธรรม</td><td>๑๐,๐๐๐</td><td>ปีงบประมาณ ๒๕๖๑ – ๒๕๖๔</td></tr></table>"))
    article("ethics", "ประมวลจริยธรรมของพนักงานส่วนตำบล", (
        f"<p>ประมวลจริยธรรมของพนักงานส่วนตำบล{S_NAME}</p><ol><li>พนักงานต้องยึดมั่นในคุณธรรมและจริยธรรม</li>"
        "<li>ต้องมีจิตสำนึกที่ดี ซื่อสัตย์ สุจริต และรับผิดชอบ</li><li>ต้องไม่กระทำการอันเป็นการขัดกันระหว่างประโยชน์ส่วนตน"
        "และประโยชน์ส่วนรวม</li><li>ต้องปฏิบัติหน้าที่ด้วยความเป็นธรรม</li></ol>"))
    article("ethics-drive", "การขับเคลื่อนจริยธรรม ประจำปีงบประมาณ พ.ศ. ๒๕๖๕", (
        "<p>คำสั่งแต่งตั้งคณะทำงานขับเคลื่อนจริยธรรม ที่ ๑๑๒/๒๕๖๔ ลงวันที่ ๕ ตุลาคม ๒๕๖๔</p>"
        "<p>แนวปฏิบัติ Do's &amp; Don'ts: ควรทำ ให้บริการด้วยความสุภาพ / ไม่ควรทำ รับสินน้ำใจ</p>"
        "<p>กิจกรรมอบรมจริยธรรม เมื่อวันที่ ๒๐ มกราคม ๒๕๖๕</p>"))
    # O42: complete measures for 2566 -- written for another agency and copied as is
    article("measures", "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", (
        f"<p>การวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสของ{S_OTHER} ประจำปี พ.ศ. ๒๕๖๕</p>"
        f"<p>{S_OTHER} ได้คะแนน ๗๘.๕๐ คะแนน ประเด็นที่เป็นข้อบกพร่องหรือจุดอ่อนที่ต้องแก้ไขโดยเร่งด่วน: การเปิดเผยข้อมูลการจัดซื้อจัดจ้าง "
        "ประเด็นที่ต้องพัฒนาให้ดีขึ้น: การให้บริการออนไลน์</p>"
        "<table><tr><th>มาตรการ</th><th>ขั้นตอน/วิธีการ</th><th>ผู้รับผิดชอบ</th><th>การกำกับติดตามและรายงานผล</th></tr>"
        f"<tr><td>เปิดเผยข้อมูลสาธารณะ</td><td>ปรับปรุงเว็บไซต์{S_OTHER}ทุกเดือน</td><td>สำนักปลัดเทศบาล</td>"
        "<td>รายงานนายกเทศมนตรีทุกไตรมาส ปี ๒๕๖๖</td></tr></table>"
        f"<p>(ลงชื่อ) นายกเทศมนตรีตำบลบ้านโป่งงาม ประกาศ ณ วันที่ ๒๐ ธันวาคม ๒๕๖๕</p>"))

    hub_rows = {
        "O1": ("โครงสร้าง", "structure"), "O2": ("ข้อมูลผู้บริหาร", "executives"), "O3": ("อำนาจหน้าที่", "authority"),
        "O4": ("แผนพัฒนาท้องถิ่น", "plan"), "O5": ("ข้อมูลการติดต่อ", "contact"), "O6": ("กฎหมายที่เกี่ยวข้อง", "laws"),
        "O7": ("ข่าวประชาสัมพันธ์", "news"), "O8": ("Q&amp;A", "faq"), "O9": ("Social Network", S_FB),
        "O10": ("นโยบายคุ้มครองข้อมูลส่วนบุคคล", "pdpa"),
        "O11": ("แผนดำเนินงานและการใช้งบประมาณประจำปี", "/images/ita2566/operating-plan-2566.pdf"),
        "O12": ("รายงานการกำกับติดตามการดำเนินงานและการใช้งบประมาณ รอบ ๖ เดือน", ""),
        "O13": ("รายงานผลการดำเนินงานประจำปี", ""), "O14": ("คู่มือหรือมาตรฐานการปฏิบัติงาน", ""),
        "O15": ("คู่มือหรือมาตรฐานการให้บริการ", "manual"), "O16": ("ข้อมูลเชิงสถิติการให้บริการ", "stats"),
        "O17": ("รายงานผลการสำรวจความพึงพอใจการให้บริการ", "survey"), "O18": ("E-Service", "eservice"),
        "O19": ("แผนการจัดซื้อจัดจ้างหรือแผนการจัดหาพัสดุ", "procplan"),
        "O20": ("ประกาศต่าง ๆ เกี่ยวกับการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ", ""),
        "O21": ("สรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุรายเดือน", "skr"),
        "O22": ("รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุประจำปี", ""),
        "O23": ("นโยบายหรือแผนการบริหารทรัพยากรบุคคล", "hrplan"),
        "O24": ("การดำเนินการตามนโยบายหรือแผนการบริหารทรัพยากรบุคคล", ""),
        "O25": ("หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล", "hrrules"),
        "O26": ("รายงานผลการบริหารและพัฒนาทรัพยากรบุคคลประจำปี", ""),
        "O27": ("แนวปฏิบัติการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", "complaint-guide"),
        "O28": ("ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", "complaint"),
        "O29": ("ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", ""),
        "O30": ("การเปิดโอกาสให้เกิดการมีส่วนร่วม", ""),
        "O31": ("ประกาศเจตนารมณ์นโยบาย No Gift Policy จากการปฏิบัติหน้าที่", "nogift"),
        "O32": ("การสร้างวัฒนธรรม No Gift Policy", "nogift-act"), "O33": ("รายงานผลตามนโยบาย No Gift Policy", ""),
        "O34": ("การประเมินความเสี่ยงการทุจริตและประพฤติมิชอบประจำปี", "risk"),
        "O35": ("การดำเนินการเพื่อจัดการความเสี่ยงการทุจริตและประพฤติมิชอบ", ""),
        "O36": ("แผนปฏิบัติการป้องกันการทุจริต", "acplan"),
        "O37": ("รายงานการกำกับติดตามการดำเนินการป้องกันการทุจริต รอบ ๖ เดือน", ""),
        "O38": ("รายงานผลการดำเนินการป้องกันการทุจริตประจำปี", ""),
        "O39": ("ประมวลจริยธรรมสำหรับเจ้าหน้าที่ของรัฐ", "ethics"), "O40": ("การขับเคลื่อนจริยธรรม", "ethics-drive"),
        "O41": ("การประเมินจริยธรรมเจ้าหน้าที่ของรัฐ", ""),
        "O42": ("มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", "measures"),
        "O43": ("การดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", ""),
    }
    rows = []
    for code, (label, target) in hub_rows.items():
        if not target:
            cell = "อยู่ระหว่างจัดทำ"
        else:
            href = target if target.startswith(("/", "http")) else s_url(target)
            cell = f'<a href="{esc(href)}">คลิก</a>'
        rows.append(f"<tr><td>{code}</td><td>{label}</td><td>{cell}</td></tr>")
    article("hub", "การประเมินคุณธรรมและความโปร่งใส (ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", (
        "<p>การเปิดเผยข้อมูลสาธารณะ (OIT)</p><table><tr><th>ข้อ</th><th>ข้อมูล</th><th>ลิงก์</th></tr>"
        + "".join(rows) + "</table>"))
    out.routes = routes
    return out


def _ascii_form(name: str) -> bytes:
    from oitwatch.sampleserver import make_pdf

    return make_pdf([f"Nong Hin Tang SAO - form {name} (placeholder PDF: a blank form to print and fill in)"],
                    title=f"form {name}")


# =========================================================================== site.yaml

PORTAL_YAML: dict[str, Any] = {
    "name_th": P_NAME,
    "name_en": "Si Wang Tan Town Municipality (invented)",
    "agency_type": "เทศบาลเมือง",
    "province": "นครสวรรค์",
    "district": "ท่าตะโกใหม่ (invented)",
    "style": "deep municipal portal: ข้อมูลสาธารณะ > ITA > fiscal-year tabs > หมวด > ?page=N > detail > PDF",
    "encoding": "utf-8",
    "header_charset": True,
    "meta_charset": "<meta charset=utf-8>; header says charset=utf-8",
    "notes": [
        "generated by samples/build_portal.py (pages, site.yaml, PDF sources in samples/sources/portal/); "
        "edit the generator, not the files",
        "ITA evidence is 4-7 clicks deep: / > /open-data/ > /open-data/ita/ > /open-data/ita/2566/ > "
        "/open-data/ita/2566/<หมวด>/ (?page=2) > /open-data/ita/doc/<id>/ > /uploads/ita/2566/<file>.pdf",
        "most 2566 detail pages say only รายละเอียดตามเอกสารแนบ: the evidence is in the Thai PDF (Chromium print, text layer)",
        "noise: 12-page news archive (120 posts, 2563-2566), 6-page gallery (60 albums), endless /calendar/?month=, "
        "the 2565 and 2564 tabs (last years' documents): about 250 pages besides the evidence",
        "the O21 summaries of Oct 2565 - Mar 2566 are on two pages of the 2566 procurement listing: page 1 has Nov-Mar, "
        "page 2 has Oct",
        "no sitemap.xml (a sitemap would flatten the depth)",
        "every page's footer says สงวนลิขสิทธิ์ พ.ศ. ๒๕๖๖: the year of the page template, not of the content, so the "
        "2565 tab's documents (2565 plans, summaries of Oct 2564 - Mar 2565) show a 2566 on their page too (issue point 3)",
    ],
    "dynamic": {"calendar_trap": {"path": "/calendar/", "param": "month", "start": "2566-04", "home": "/"}},
    "expected_site_status": "ok",
}

_DEEP = "2566 tab > {cat} > "
PORTAL_EXPECTED: dict[str, tuple[str, str]] = {
    "O1": ("pass", "/about/structure/: chart image plus political and staff units (สำนักปลัด, กองคลัง, กองช่าง ...)"),
    "O2": ("pass", "/about/executives/: name, position, photo and mobile phone for each of six executives"),
    "O3": ("pass", "/about/authority/: the municipality's duties summarised, citing พ.ร.บ.เทศบาล ม.53-54 and the "
                   "decentralisation Act (not the whole law)"),
    "O4": ("pass", "2566 tab > 9.1 > detail > PDF (depth 6): local development plan 2566-2570 with strategies, "
                   "goals, indicators (the content is only in the PDF: issue point 1)"),
    "O5": ("pass", "/contact/: address, phone, fax, e-mail (mailto) and a Google Maps iframe"),
    "O6": ("pass", "2566 tab > 9.1 > detail: list of Acts and regulations"),
    "O7": ("pass", "home page and /news/: news dated เม.ย. 2566 back to 2563 (the latest are 2566)"),
    "O8": ("pass", "/webboard/: answered questions and a new-question form with a textarea"),
    "O9": ("pass", "every page links facebook.com, youtube.com and line.me accounts"),
    "O10": ("pass", "footer links /pdpa/: the municipality's personal-data protection policy"),
    "O11": ("pass", "2566 tab > 9.2 > ?page=2 > detail > PDF (depth 7): operating plan 2566 with projects, budget, "
                    "period (issue point 1: deep, behind pagination)"),
    "O12": ("pass", "2566 tab > 9.2 > detail > PDF: 6-month report 1 Oct 2565 - 31 Mar 2566 with budget used and "
                    "progress per project"),
    "O13": ("pass", "2566 tab > 9.2 > detail > PDF: annual report of 2565 with results, budget used, problems, "
                    "suggestions"),
    "O14": ("pass", "2566 tab > 9.2 > detail: staff manuals (task, position, steps)"),
    "O15": ("pass", "2566 tab > 9.2 > detail: citizen manuals (service, steps, time, documents)"),
    "O16": ("pass", "2566 tab > 9.2 > detail: service statistics per month Oct 2565 - Mar 2566"),
    "O17": ("partial", "deliberate: the only satisfaction report (2566 tab > 9.2) is of fiscal year 2564, not 2565 "
                       "(found, wrong year; issue point 3: the 2566 tab is not the year of the content)"),
    "O18": ("pass", "/services/eservice/: online request form (select, textarea, file upload), linked from home and "
                    "the 9.2 listing"),
    "O19": ("pass", "2566 tab > 9.3 > ?page=2 > detail > PDF (depth 7): procurement plan 2566"),
    "O20": ("pass", "2566 tab > 9.3 > detail: procurement announcements (ประกาศผู้ชนะ, ประกาศเชิญชวน, ราคากลาง) "
                    "dated 2565-2566 in FY 2566, with e-GP links"),
    "O21": ("pass", "2566 tab > 9.3: the six monthly สขร.1 summaries Oct 2565 - Mar 2566, each a detail page > PDF; "
                    "Nov-Mar on the first page, Oct on ?page=2 (issue point 5: merge the collection over its "
                    "pagination; the October PDF is 7 clicks deep)"),
    "O22": ("pass", "2566 tab > 9.3 > detail > PDF: annual procurement report of 2565 with the list by method, "
                    "budget, problems, suggestions"),
    "O23": ("pass", "2566 tab > 9.4 > detail > PDF: HR development plan 2564-2566 (in force in 2566)"),
    "O24": ("partial", "deliberate: the HR plan's 6-month progress report (2566 tab > 9.4) gives progress per "
                       "project but no budget figures"),
    "O25": ("pass", "2566 tab > 9.4 > detail: HR criteria: recruitment, appointment, development, appraisal, "
                    "reward/discipline"),
    "O26": ("pass", "2566 tab > 9.4 > detail > PDF: annual HR report of 2565 with results, staff statistics, "
                    "problems, suggestions"),
    "O27": ("pass", "2566 tab > 9.5 > detail: corruption-complaint manual: channels, steps, responsible unit, "
                    "15 working days"),
    "O28": ("pass", "/services/corruption/: corruption complaint form, separate from the general one "
                    "(/services/complaint/)"),
    "O29": ("pass", "2566 tab > 9.5 > detail: the statistics table (total, done, in progress) has no period; the "
                    "attached PDF says 1 Oct 2565 - 31 Mar 2566 (issue point 5: the year is in the linked document)"),
    "O30": ("partial", "deliberate: the only participation record (2566 tab > 9.5 > detail) is the community forum "
                       "of 15 Jan 2565 (FY 2565; topic, 146 participants, resolution, use all there) re-posted in the "
                       "2566 tab: its only 2566 is the tab, the breadcrumb and the footer's copyright year (issue "
                       "point 3: the year of a menu, heading or template is not the year of the content)"),
    "O31": ("pass", "2566 tab > 10.1 > detail: No Gift declaration for FY 2566 signed by the mayor, 3 Oct 2565"),
    "O32": ("pass", "2566 tab > 10.1 > detail: No Gift briefing meeting 15 Nov 2565 (FY 2566)"),
    "O33": ("pass", "2566 tab > 10.1 > detail: No Gift 6-month report Oct 65 - Mar 66 (0 gifts received)"),
    "O34": ("pass", "2566 tab > 10.1 > detail: risk assessment 2566: events, likelihood, impact, levels, controls"),
    "O35": ("pass", "2566 tab > 10.1 > detail: actions on the 2566 corruption risks, Oct 2565 - Mar 2566"),
    "O36": ("pass", "2566 tab > 10.1 > ?page=2 > detail > PDF (depth 7): anti-corruption plan 2565-2568 with "
                    "projects, budget per year, period"),
    "O37": ("pass", "2566 tab > 10.1 > detail: anti-corruption 6-month progress 2566 with budget used"),
    "O38": ("pass", "2566 tab > 10.1 > ?page=2 > detail > PDF: anti-corruption annual report of 2565 with results, "
                    "budget, problems, suggestions"),
    "O39": ("pass", "2566 tab > 10.2 > detail: code of ethics of the municipality's staff"),
    "O40": ("pass", "2566 tab > 10.2 > detail: ethics working group, Do's & Don'ts, training 20 Jan 2566"),
    "O41": ("fail", "deliberate: no ethics assessment of staff anywhere (no tab has one)"),
    "O42": ("pass", "2566 tab > 10.2 > detail > PDF: analysis of the 2565 ITA result (weaknesses, points to improve) "
                    "and 2566 measures with owners, steps, monitoring; names only this municipality"),
    "O43": ("pass", "2566 tab > 10.2 > detail > PDF: progress of the 2566 measures; the EIT survey is linked from a "
                    "home-page banner and from that detail page (link and QR code), itas.nacc.go.th/go/eit/p4n8vt"),
}

STRICT_YAML: dict[str, Any] = {
    "name_th": S_NAME,
    "name_en": "Nong Hin Tang Subdistrict Administrative Organization (invented)",
    "agency_type": "อบต.",
    "province": "ร้อยเอ็ด",
    "district": "เกษตรวิสัยเหนือ (invented)",
    "style": "Joomla (/index.php?option=com_content&view=article&id=N&Itemid=M) with an ITA 2566 hub table",
    "encoding": "utf-8",
    "header_charset": True,
    "meta_charset": "<meta http-equiv=content-type ... charset=utf-8>; header says charset=utf-8",
    "notes": [
        "generated by samples/build_portal.py; edit the generator, not the files",
        "strictly non-compliant: the ITA 2566 hub links something for most items, but the content is wrong in the "
        "ways issue 8 lists (copied document, wrong years under a 2566 heading, text-only structure, executives "
        "without photo or contact, pasted statute, unreadable PDF, missing months, general channels only)",
        "the operating plan PDF is typed in a legacy Thai font with a mapping of its own: its text layer reads "
        "as Latin-1 garbage (WinAnsiEncoding, no ToUnicode) that is not the TIS-620 mapping oitwatch decodes, "
        "so OCR is not tried and nothing can be checked",
        "the only QR code is a satisfaction survey (Google Forms); nothing links itas.nacc.go.th",
        f"the integrity measures name {S_OTHER} (copied from another agency)",
        "every page's footer says Copyright © ๒๕๖๖: a template year, so the wrong-year plans, declaration and "
        "activities still show a 2566 on their page (issue point 3)",
    ],
    "expected_site_status": "ok",
}

_NOTHING = "nothing on the site: the hub row says อยู่ระหว่างจัดทำ (in preparation) and links nothing"
STRICT_EXPECTED: dict[str, tuple[str, str] | tuple[str, str, list[str]]] = {
    "O1": ("partial", "issue point 4: the structure page is only a text list of four divisions: no chart image, no "
                      "PDF, no table of positions (found, the chart is missing)"),
    "O2": ("partial", "issue point 4: executives page has names and positions but no photo and no contact for anyone"),
    "O3": ("partial", "issue point 4: อำนาจหน้าที่ pastes the whole Act (100 sections, มาตรา ๑-๑๐๐), not the "
                      "agency's duties"),
    "O4": ("partial", "issue point 3: the development plan covers 2561-2564: it is not in force in 2566"),
    "O5": ("pass", "contact page: address, phone, fax, e-mail and a Google Maps link"),
    "O6": ("pass", "laws page lists three Acts"),
    "O7": ("partial", "issue point 3: news exists but the latest entry is 20 มิ.ย. 2565; nothing from FY 2566. "
                      "accept fail too, as on `traps`: 'partial' follows the status definition (evidence found, "
                      "the year requirement unmet), 'fail' reads 'no news of 2566' as no evidence", ["partial", "fail"]),
    "O8": ("fail", "only a one-way FAQ (คำถามที่พบบ่อย): no Q&A channel; the hub's Q&A row links the FAQ"),
    "O9": ("pass", "footer and hub link the agency's Facebook page"),
    "O10": ("pass", "footer links the agency's personal-data protection policy"),
    "O11": ("partial", "issue point 6: the hub's operating-plan row links a PDF typed in a legacy Thai font with a "
                       "private mapping; its text layer is Latin-1 garbage that does not decode as TIS-620 (no Thai, "
                       "no year, no budget can be read): partial, saying what could not be checked"),
    "O12": ("fail", _NOTHING),
    "O13": ("fail", _NOTHING),
    "O14": ("fail", _NOTHING),
    "O15": ("partial", "citizen manual page only names three services: no steps, time or documents"),
    "O16": ("partial", "issue point 3: statistics under the heading 'ปีงบประมาณ พ.ศ. ๒๕๖๖' cover ต.ค. 2564 - มี.ค. "
                       "2565: the heading's year is not the content's year"),
    "O17": ("fail", "only the satisfaction survey itself (Google Form link and QR code): no survey report"),
    "O18": ("fail", "the 'E-Service' menu only offers PDF forms to download and bring to the office"),
    "O19": ("partial", "issue point 3: the procurement plan is of FY 2565 (announced 25 ต.ค. 2564), not 2566"),
    "O20": ("fail", _NOTHING),
    "O21": ("partial", "issue point 5: monthly summaries of ต.ค., พ.ย., ธ.ค. 2565 and ก.พ. 2566 only: ม.ค. and มี.ค. "
                       "2566 are missing"),
    "O22": ("fail", _NOTHING),
    "O23": ("partial", "issue point 3: the HR plan covers 2561-2563, not in force in 2566"),
    "O24": ("fail", _NOTHING),
    "O25": ("pass", "HR criteria: recruitment, appointment, development, appraisal, reward/discipline (no year rule)"),
    "O26": ("fail", _NOTHING),
    "O27": ("partial", "the guideline row links a manual for general complaints (roads, power, water) that never "
                       "mentions corruption. accept fail too: a strict consultant may call it a different document "
                       "(no evidence), 'partial' says the guideline found lacks the corruption handling",
            ["partial", "fail"]),
    "O28": ("fail", "only the general complaint form (ร้องเรียนร้องทุกข์); no separate corruption channel"),
    "O29": ("fail", _NOTHING),
    "O30": ("fail", _NOTHING),
    "O31": ("partial", "issue point 3: the No Gift declaration is for FY 2565, signed 1 ต.ค. 2564"),
    "O32": ("partial", "issue point 3: the No Gift activity is dated 15 ธันวาคม 2564 (FY 2565)"),
    "O33": ("fail", _NOTHING),
    "O34": ("partial", "the 2566 risk assessment lists two risks but no risk levels and no measures"),
    "O35": ("fail", _NOTHING),
    "O36": ("partial", "issue point 3: the anti-corruption plan covers 2561-2564, not 2566"),
    "O37": ("fail", _NOTHING),
    "O38": ("fail", _NOTHING),
    "O39": ("pass", "code of ethics of the agency's staff"),
    "O40": ("partial", "issue point 3: the ethics drive (team, Do's & Don'ts, training) is of FY 2565 (order of "
                       "5 ต.ค. 2564, training 20 ม.ค. 2565)"),
    "O41": ("fail", _NOTHING),
    "O42": ("partial", f"issue point 2: complete 2566 measures, but written for {S_OTHER} and copied: names the "
                       "other agency throughout and never this one (only the site's page template names this อบต.). A disqualifier must decide the status: never pass. "
                       "accept fail too: a copied document may be read as no evidence of this agency's measures",
            ["partial", "fail"]),
    "O43": ("fail", "no progress report of the measures (hub row in preparation) and no EIT link or QR code: the only "
                    "QR code is the satisfaction survey's"),
}


def site_yaml(base: dict[str, Any], expected: dict[str, tuple], routes: dict[str, str] | None = None) -> bytes:
    config = dict(base)
    if routes:
        config["routes"] = dict(sorted(routes.items()))
    config["expected"] = {}
    for code, entry in expected.items():
        status, why = entry[0], entry[1]
        item: dict[str, Any] = {"status": status}
        if len(entry) > 2:
            item["accept"] = list(entry[2])
        item["why"] = why
        config["expected"][code] = item
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=110)
    return ("# Sample site: see samples/README.md for the keys.\n"
            "# Generated by samples/build_portal.py: edit the generator, not this file.\n" + text).encode("utf-8")


# =========================================================================== driver


def build_all() -> list[Output]:
    portal = build_portal()
    portal.files["site.yaml"] = site_yaml(PORTAL_YAML, PORTAL_EXPECTED)
    strict = build_strict()
    strict.files["site.yaml"] = site_yaml(STRICT_YAML, STRICT_EXPECTED, strict.routes)
    return [portal, strict]


def compare(outputs: list[Output] | None = None) -> list[str]:
    """Differences between a fresh generation and the committed files ([] when identical).
    Chromium-printed PDFs are not regenerated: they must exist; their sources are compared."""
    outputs = outputs or build_all()
    problems = []
    for out in outputs:
        site = SITES / out.name
        expected = dict(out.files)
        printed = {d.out for d in out.thai_pdfs}
        for rel, data in sorted(expected.items()):
            path = site / rel
            if not path.is_file():
                problems.append(f"{out.name}/{rel}: missing")
            elif path.read_bytes() != data:
                problems.append(f"{out.name}/{rel}: differs from the generator's output")
        for rel in sorted(printed):
            if not (site / rel).is_file():
                problems.append(f"{out.name}/{rel}: Thai PDF missing (run with --pdfs)")
        if site.is_dir():
            for path in sorted(site.rglob("*")):
                rel = path.relative_to(site).as_posix()
                if path.is_file() and rel not in expected and rel not in printed:
                    problems.append(f"{out.name}/{rel}: not made by the generator (stale?)")
        for rel, data in sorted(out.sources.items()):
            path = SOURCES / rel
            if not path.is_file() or path.read_bytes() != data:
                problems.append(f"sources/{rel}: missing or differs")
        src_dir = SOURCES / out.name
        if src_dir.is_dir():
            for path in sorted(src_dir.glob("*.html")):
                if f"{out.name}/{path.name}" not in out.sources:
                    problems.append(f"sources/{out.name}/{path.name}: not made by the generator (stale?)")
    return problems


def write(outputs: list[Output]) -> None:
    for out in outputs:
        site = SITES / out.name
        keep = {d.out for d in out.thai_pdfs}
        if site.is_dir():
            for path in sorted(site.rglob("*"), reverse=True):
                rel = path.relative_to(site).as_posix()
                if path.is_file() and rel not in out.files and rel not in keep:
                    path.unlink()
                elif path.is_dir() and not any(path.iterdir()):
                    path.rmdir()
        for rel, data in out.files.items():
            path = site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.is_file() or path.read_bytes() != data:
                path.write_bytes(data)
        src_dir = SOURCES / out.name
        if src_dir.is_dir():
            shutil.rmtree(src_dir)
        for rel, data in out.sources.items():
            path = SOURCES / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


def verify_pdf(site: str, doc: ThaiDoc) -> list[str]:
    """Problems with a committed Thai PDF: readable, a text layer, the key phrases, <= 60 KB."""
    sys.path.insert(0, str(HERE))
    import build_media  # noqa: PLC0415 - samples/ is not a package
    from extract import read_pdf

    path = SITES / site / doc.out
    if not path.is_file():
        return ["missing"]
    data = path.read_bytes()
    problems = [] if len(data) <= build_media.MAX_PDF_BYTES else [f"{len(data)} bytes > {build_media.MAX_PDF_BYTES}"]
    text = read_pdf(data)
    if text.error:
        return [*problems, text.error]
    if any(p.scanned for p in text.pages):
        problems.append("a page has no text layer")
    compact_text = build_media.compact(text.text)
    problems += [f"text layer lacks {p!r}" for p in doc.phrases if build_media.compact(p) not in compact_text]
    return problems


def print_pdfs(outputs: list[Output]) -> int:
    sys.path.insert(0, str(HERE))
    import build_media  # noqa: PLC0415

    tools = build_media.Tools()
    try:
        for out in outputs:
            for doc in out.thai_pdfs:
                page = tools.page(1000, 1400)
                page.set_content(doc.html, wait_until="load")
                page.evaluate("document.fonts.ready")
                pdf = page.pdf(prefer_css_page_size=True, print_background=True, display_header_footer=True,
                               header_template="<span></span>",
                               footer_template=('<div style="width:100%;text-align:center;font-family:Laksaman,serif;'
                                                'font-size:11pt;">- <span class="pageNumber"></span> -</div>'))
                page.context.close()
                build_media.write(SITES / out.name / doc.out, build_media.fix_pdf_dates(pdf))
    finally:
        tools.close()
    failed = 0
    for out in outputs:
        for doc in out.thai_pdfs:
            problems = verify_pdf(out.name, doc)
            failed += bool(problems)
            print(f"{'ok' if not problems else 'FAILED'} {out.name}/{doc.out} {'; '.join(problems)}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    parser.add_argument("--pdfs", action="store_true", help="also print the Thai PDFs with Chromium")
    args = parser.parse_args(argv)
    outputs = build_all()
    if args.check:
        problems = compare(outputs)
        for p in problems:
            print(p)
        return 1 if problems else 0
    write(outputs)
    for out in outputs:
        print(f"wrote samples/sites/{out.name}: {len(out.files)} files, {len(out.thai_pdfs)} Thai PDF sources")
    return print_pdfs(outputs) if args.pdfs else 0


if __name__ == "__main__":
    raise SystemExit(main())
