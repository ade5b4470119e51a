"""`report itas`: the ITAS answer sheet of a stored run, checked cell by cell, and cells that
would be formulas stored as text."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from crawler._models import SiteStatus
from oitwatch.cli import app
from reports.itas import itas_sheet, render_itas_csv, sheet_names, write_itas_xlsx
from rules import load_catalog
from storage import Database, Repository

from .conftest import Site, all_error, ev, item, store_run

HOME = "https://www.banmai.go.th"
PDF = f"{HOME}/uploads/structure-2566.pdf"
EXEC = f"{HOME}/executive"
CONTACT = f"{HOME}/contact"
FB = "https://www.facebook.com/banmai"

LEAD_O2 = "พบข้อมูลผู้บริหารที่ หน้าแรก > ข้อมูลพื้นฐาน > คณะผู้บริหาร แต่ยังไม่ครบตามข้อกำหนด"
MISSING_PHOTO = ("ไม่มีรูปถ่ายของผู้บริหาร", "no photo of the executives")


def _site(agency_id: int | None) -> Site:
    return Site(
        f"{HOME}/",
        [
            item("O1", "pass",
                 ev(f"{HOME}/structure-text", "1" * 64, meets=False),
                 ev(PDF, "2" * 64, kind="document", pages=[2, 3],
                    path=("หน้าแรก", "ข้อมูลพื้นฐาน", "โครงสร้าง", "ดาวน์โหลด")),
                 title_th="โครงสร้าง", reasons=[("พบโครงสร้าง: หน้าแรก > ...", "found ...")]),
            item("O2", "partial", ev(EXEC, "3" * 64, meets=False,
                                     path=("หน้าแรก", "ข้อมูลพื้นฐาน", "คณะผู้บริหาร")),
                 title_th="ข้อมูลผู้บริหาร",
                 reasons=[(LEAD_O2, "found ... but"),
                          MISSING_PHOTO]),
            item("O3", "fail", title_th="อำนาจหน้าที่",
                 reasons=[("ไม่พบอำนาจหน้าที่: ค้นหาลิงก์และหน้าที่มีคำว่า “อำนาจหน้าที่”",
                           "no powers and duties found")]),
            item("O5", "pass",
                 ev(CONTACT, "4" * 64, path=("หน้าแรก", "ติดต่อเรา")),
                 ev(FB, kind="external", path=("หน้าแรก", "Facebook")),
                 title_th="ข้อมูลการติดต่อ"),
            item("O6", "error", title_th="กฎหมายที่เกี่ยวข้อง",
                 reasons=[("อ่านเอกสารไม่ได้", "document not readable")]),
            # an item the catalog does not list, whose title would be a formula
            item("X1", "fail", title_th="=HYPERLINK(\"http://evil\",\"x\")", title_en="=1+1"),
        ],
        agency_id=agency_id,
        titles={EXEC: "คณะผู้บริหาร", CONTACT: "ติดต่อเรา อบต.บ้านใหม่"},
    )


@pytest.fixture
def stored(repo: Repository) -> tuple[Repository, int]:
    agency = repo.upsert_agency(
        code="6400199", name="องค์การบริหารส่วนตำบลบ้านใหม่", homepage=f"{HOME}/",
        province="ขอนแก่น",
    )
    return repo, store_run(repo, [_site(agency)])


def _sheet(repo: Repository, run_id: int, lang: str = "th"):  # type: ignore[no-untyped-def]
    [site] = repo.load_site_reports(run_id, agency_codes=["6400199"])
    return itas_sheet(
        site, catalog=load_catalog("ita-2566"), catalog_id="ita-2566", run_id=run_id,
        titles=repo.evidence_page_titles(site.site_scan_id), lang=lang,
    )


def test_sheet_rows(stored: tuple[Repository, int]) -> None:
    repo, run_id = stored
    sheet = _sheet(repo, run_id)
    assert [r.code for r in sheet.rows] == [f"O{n}" for n in range(1, 44)] + ["X1"]
    rows = {r.code: r for r in sheet.rows}

    o1 = rows["O1"]
    assert (o1.title, o1.answer_label(), o1.urls) == ("โครงสร้าง", "มี", (PDF,))  # only meeting
    assert o1.explanation == (
        "เผยแพร่โครงสร้างบนเว็บไซต์หลักของหน่วยงาน เป็นเอกสาร PDF “structure-2566.pdf” หน้า 2, 3\n"
        "เข้าถึงได้ที่ หน้าแรก > ข้อมูลพื้นฐาน > โครงสร้าง > ดาวน์โหลด"
    )
    assert o1.missing == ""

    o2 = rows["O2"]
    assert (o2.answer_label(), o2.urls) == ("ไม่มี", (EXEC,))
    assert o2.explanation.startswith(
        "พบข้อมูลผู้บริหารที่ หน้าแรก > ข้อมูลพื้นฐาน > คณะผู้บริหาร แต่ยังไม่ครบตามเกณฑ์\nต้องมี: "
    )
    assert o2.missing == "• ไม่มีรูปถ่ายของผู้บริหาร"  # the lead sentence is not repeated

    o3 = rows["O3"]
    assert (o3.answer_label(), o3.urls) == ("ไม่มี", ())
    assert o3.explanation.startswith("ไม่พบอำนาจหน้าที่ที่ใช้ได้บนเว็บไซต์หลักของหน่วยงาน\nต้องมี: ")
    assert o3.missing == "• ไม่พบอำนาจหน้าที่: ค้นหาลิงก์และหน้าที่มีคำว่า “อำนาจหน้าที่”"

    o5 = rows["O5"]
    assert (o5.answer_label(), o5.urls) == ("มี", (CONTACT, FB))  # best first
    assert o5.explanation == (
        "เผยแพร่ข้อมูลการติดต่อบนเว็บไซต์หลักของหน่วยงาน เป็นหน้าเว็บ “ติดต่อเรา อบต.บ้านใหม่”\n"
        "เข้าถึงได้ที่ หน้าแรก > ติดต่อเรา"
    )
    assert rows["O6"].answer_label() == "ตรวจไม่ได้"
    assert rows["O6"].explanation.startswith("ตรวจข้อนี้ไม่ได้: อ่านเอกสารไม่ได้")
    assert rows["O4"].answer_label() == "ไม่ได้ตรวจ"  # in the catalog, not in the results

    en = {r.code: r for r in _sheet(repo, run_id, "en").rows}
    assert en["O1"].answer_label("en") == "yes" and en["O2"].answer_label("en") == "no"
    assert en["O1"].explanation.endswith("Reached from Home > ข้อมูลพื้นฐาน > โครงสร้าง > ดาวน์โหลด")


def test_xlsx_cell_by_cell(stored: tuple[Repository, int], tmp_path: Path) -> None:
    repo, run_id = stored
    sheet = _sheet(repo, run_id)
    path = tmp_path / "itas.xlsx"
    name = "6400199 องค์การบริหารส่วนตำบลบ้านใหม่"[:31]  # Excel's limit
    assert write_itas_xlsx([sheet], path) == [name]
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == "แบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) — องค์การบริหารส่วนตำบลบ้านใหม่"
    assert ws["A2"].value.startswith(f"เว็บไซต์ {HOME}/ · ตรวจเมื่อ 3 ธ.ค. 2569 01:03 น. · การตรวจหมายเลข {run_id}")
    assert "ตรวจทาน" in ws["A3"].value
    assert [c.value for c in ws[5]] == ["ข้อ", "รายการ", "มี/ไม่มี", "URL", "คำอธิบายเพิ่มเติม", "สิ่งที่ยังขาด"]
    o1 = [c.value for c in ws[6]]
    assert o1[:4] == ["O1", "โครงสร้าง", "มี", PDF]
    assert o1[4] == sheet.rows[0].explanation and o1[5] is None  # empty cell
    o2 = [c.value for c in ws[7]]
    assert o2[:4] == ["O2", "ข้อมูลผู้บริหาร", "ไม่มี", EXEC]
    assert o2[5] == "• ไม่มีรูปถ่ายของผู้บริหาร"
    o5 = [c.value for c in ws[10]]
    assert o5[:4] == ["O5", "ข้อมูลการติดต่อ", "มี", f"{CONTACT}\n{FB}"]  # one URL per line
    assert ws["C9"].value == "ไม่ได้ตรวจ" and ws["C11"].value == "ตรวจไม่ได้"
    assert ws.max_row == 5 + 44
    # the foreign item's title is text, not a formula
    x1 = ws.cell(row=5 + 44, column=2)
    assert x1.value == '=HYPERLINK("http://evil","x")'
    assert x1.data_type == "s" and x1.quotePrefix


def test_formula_injection_escaped(tmp_path: Path) -> None:
    from reports.itas import ItasRow, ItasSheet

    evil = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
    sheet = ItasSheet(
        agency_code="=1", agency_name="=HYPERLINK(\"http://evil\")", url="https://x.go.th/",
        site_status="ok", scanned_at=None, run_id=1, catalog_id="ita-2566",
        rows=[ItasRow(code, title, "has_not", (), expl, miss)
              for code, title, expl, miss in [(evil[0], evil[1], evil[2], evil[3]),
                                               ("O2", evil[4], evil[5], "ok")]],
    )
    path = tmp_path / "evil.xlsx"
    write_itas_xlsx([sheet], path)
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere
    ws = openpyxl.load_workbook(path).active
    cells = [ws["A6"], ws["B6"], ws["E6"], ws["F6"], ws["B7"]]
    assert [c.value for c in cells] == [evil[0], evil[1], evil[2], evil[3], evil[4]]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert ws["E7"].value == "\rx" or ws["E7"].value == "\nx"  # XML may normalise CR
    assert not ws["F7"].quotePrefix  # ordinary text untouched

    rows = list(csv.reader(io.StringIO(render_itas_csv([sheet]))))
    assert rows[1][:6] == ["'=1", "'=HYPERLINK(\"http://evil\")", "'" + evil[0], "'" + evil[1],
                           "ไม่มี", ""]
    assert rows[1][6:] == ["'" + evil[2], "'" + evil[3]]


def test_sheet_names_short_unique_and_legal() -> None:
    from reports.itas import ItasSheet

    def s(code: str | None, name: str) -> ItasSheet:
        return ItasSheet(code, name, "https://x.go.th/", "ok", None, 1, "ita-2566")

    names = sheet_names([
        s(None, "เทศบาลตำบลหนองสองห้อง อำเภอหนองสองห้อง"),
        s(None, "เทศบาลตำบลหนองสองห้อง อำเภอหนองสองห้อง"),
        s("64/1", "a[b]:c*?"),
        s(None, "History"),
    ])
    assert all(len(n) <= 31 for n in names)
    assert len({n.lower() for n in names}) == 4
    assert names[1].endswith(" (2)") and names[2] == "64_1 a_b__c__" and names[3] == "history_"


def test_cli_itas_xlsx_all_and_csv(sqlite_url: str, tmp_path: Path) -> None:
    repo = Repository(Database(sqlite_url))
    ids = [
        repo.upsert_agency(code=f"640010{n}", name="อบต.ทดสอบ", homepage=f"https://t{n}.go.th/")
        for n in (1, 2)
    ]
    run_id = store_run(repo, [
        _site(ids[0]),
        Site("https://t2.go.th/", all_error(["O1"]), agency_id=ids[1], status=SiteStatus.UNREACHABLE),
    ])
    runner = CliRunner()
    one = tmp_path / "one.xlsx"
    result = runner.invoke(app, ["report", "itas", str(run_id), "--agency", "6400101",
                                 "-o", str(one), "--db", sqlite_url])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(one).sheetnames == ["6400101 อบต.ทดสอบ"]

    both = tmp_path / "all.xlsx"
    result = runner.invoke(app, ["report", "itas", str(run_id), "--all", "-o", str(both),
                                 "--db", sqlite_url])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(both)
    assert wb.sheetnames == ["6400101 อบต.ทดสอบ", "6400102 อบต.ทดสอบ"]
    down = wb["6400102 อบต.ทดสอบ"]
    assert down["C6"].value == "ตรวจไม่ได้" and "เข้าเว็บไซต์ไม่ได้" in down["E6"].value

    table = tmp_path / "all.csv"
    result = runner.invoke(app, ["report", "itas", str(run_id), "--all", "-o", str(table),
                                 "--db", sqlite_url])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["รหัสหน่วยงาน", "หน่วยงาน", "ข้อ", "รายการ", "มี/ไม่มี", "URL",
                       "คำอธิบายเพิ่มเติม", "สิ่งที่ยังขาด"]
    assert rows[1][:6] == ["6400101", "อบต.ทดสอบ", "O1", "โครงสร้าง", "มี", PDF]
    assert len(rows) == 1 + 44 + 43

    ambiguous = runner.invoke(app, ["report", "itas", str(run_id), "-o", str(one), "--db", sqlite_url])
    assert ambiguous.exit_code == 2


def test_explanation_says_what_the_page_is_without_the_site_name() -> None:
    """The CMS appends the site's name to every title; the explanation keeps the page's own
    title, and a Latin item title is set off by spaces in the Thai sentence."""
    from datetime import UTC, datetime

    from reports._model import SiteReport
    from reports.itas import _clean_title, _site_name_parts
    from rules._result import Evidence

    titles = {
        f"{HOME}/a": "ข่าวประชาสัมพันธ์ | อบต.บ้านใหม่",
        f"{HOME}/b": "กระดานถาม-ตอบ | อบต.บ้านใหม่",
        f"{HOME}/c": "แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ – ๒๕๗๐) | อบต.บ้านใหม่",
    }
    parts = _site_name_parts(titles, "องค์การบริหารส่วนตำบลบ้านใหม่")
    assert _clean_title(titles[f"{HOME}/c"], parts) == "แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ – ๒๕๗๐)"
    assert _clean_title("องค์การบริหารส่วนตำบลบ้านใหม่ - ติดต่อเรา", parts) == "ติดต่อเรา"
    assert _clean_title("อบต.บ้านใหม่", parts) == "อบต.บ้านใหม่"  # nothing else: kept

    site = SiteReport(
        seed_url=f"{HOME}/", final_url=f"{HOME}/", status="ok", reason="", pages_fetched=3,
        started_at=datetime(2026, 1, 1, tzinfo=UTC), finished_at=datetime(2026, 1, 1, tzinfo=UTC),
        agency_name="องค์การบริหารส่วนตำบลบ้านใหม่",
        items=[item("O8", "pass", Evidence(url=f"{HOME}/b", kind="page",
                                           click_path=["หน้าแรก", "กระดานถาม-ตอบ (Q&A)"],
                                           click_path_urls=[], matched=""),
                    title_th="Q&A")],
    )
    sheet = itas_sheet(site, catalog=None, catalog_id="ita-2566", run_id=1, titles=titles)
    assert [r.code for r in sheet.rows] == ["O8"]  # no catalog: the judged items only
    assert sheet.rows[0].explanation == (
        "เผยแพร่ Q&A บนเว็บไซต์หลักของหน่วยงาน เป็นหน้าเว็บ “กระดานถาม-ตอบ”\n"
        "เข้าถึงได้ที่ หน้าแรก > กระดานถาม-ตอบ (Q&A)"
    )
