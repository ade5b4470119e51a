"""The agency registry file: every bad row reported with its line and reason, good rows kept,
Thai or English headers, CSV in UTF-8/BOM/cp874 and XLSX, upsert by code."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from oitwatch.cli import app
from oitwatch.registry import read_registry
from storage import AgencyInput, Repository

runner = CliRunner()


def _flat(text: str) -> str:
    """Output without the console's line wrapping."""
    return " ".join(text.split())

HEADER_TH = ["รหัส", "ชื่อหน่วยงาน", "ประเภท", "จังหวัด", "อำเภอ", "เว็บไซต์", "catalog"]
ROWS = [
    ["6400101", "องค์การบริหารส่วนตำบลบ้านโคก", "อบต.", "จังหวัดขอนแก่น", "อำเภอเมืองขอนแก่น",
     "www.bankhok.go.th", "ita-2566"],                                                    # line 2
    ["6400102", "เทศบาลตำบลท่าพระ", "ทต.", "ขอนแก่น", "เมืองขอนแก่น", "https://thapra.go.th/", ""],  # 3
    ["", "อบต.ไม่มีรหัส", "อบต.", "ขอนแก่น", "", "www.norhat.go.th", ""],  # 4 no code
    ["6400104", "อบต.เว็บเสีย", "อบต.", "ขอนแก่น", "", "www.x", ""],  # 5 bad URL
    ["6400101", "ซ้ำ", "อบต.", "ขอนแก่น", "", "www.dup.go.th", ""],  # 6 repeated code
    ["6400106", "อบต.ชุดกฎผิด", "อบต.", "ขอนแก่น", "", "www.cat.go.th", "ita-1999"],  # 7 bad catalog
    ["6400107", "", "อบต.", "ขอนแก่น", "", "ftp://files.go.th", ""],  # 8 two problems
    ["๖๔๐๐๑๐๘", "หน่วยงานแปลก", "สหกรณ์", "ขอนแก่น", "", "", ""],  # 9 kept, 2 warnings
]
EXPECTED_BAD = {
    4: "code is empty",
    5: "homepage 'www.x' is not a valid URL",
    6: "code '6400101' repeats line {first}",
    7: "catalog 'ita-1999' does not exist",
    8: "name is empty",
}


def _csv(path: Path, encoding: str, header: list[str] = HEADER_TH) -> Path:
    lines = [",".join(header)] + [",".join(row) for row in ROWS]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def _xlsx(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "อปท"
    sheet.append(["ทะเบียน อปท. จังหวัดขอนแก่น (ปรับปรุง ม.ค. 2567)"])  # a title row: line 1
    sheet.append(HEADER_TH)                                               # header: line 2
    for row in ROWS:
        sheet.append([int(c) if c.isdigit() else c for c in row])  # codes as numbers, as Excel does
    book.save(path)
    return path


def _check(result, line_offset: int = 0) -> None:  # type: ignore[no-untyped-def]
    bad: dict[int, str] = {}
    for p in result.errors:
        bad[p.line] = bad.get(p.line, "") + str(p) + "; "
    assert set(bad) == {line + line_offset for line in EXPECTED_BAD}
    for line, reason in EXPECTED_BAD.items():
        assert reason.format(first=2 + line_offset) in bad[line + line_offset], bad
    assert "homepage 'ftp://files.go.th' is not a valid URL" in " ".join(
        str(p) for p in result.errors if p.line == 8 + line_offset)
    assert [row.code for row in result.rows] == ["6400101", "6400102", "6400108"]
    assert result.lines == [2 + line_offset, 3 + line_offset, 9 + line_offset]
    first, second, odd = result.rows
    assert (first.province, first.district, first.homepage, first.catalog) == (
        "ขอนแก่น", "เมืองขอนแก่น", "http://www.bankhok.go.th", "ita-2566")
    assert second.type == "เทศบาลตำบล" and second.catalog is None
    assert odd.type == "สหกรณ์" and odd.homepage is None  # kept, with warnings
    warned = " ".join(str(w) for w in result.warnings)
    assert f"line {9 + line_offset}: type 'สหกรณ์' is not a known agency type" in warned
    assert "no homepage" in warned


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp874"])
def test_csv_bad_rows_reported_by_line_good_rows_kept(tmp_path: Path, encoding: str) -> None:
    result = read_registry(_csv(tmp_path / "reg.csv", encoding))
    assert result.encoding == encoding
    _check(result)


def test_xlsx_with_title_row_and_numeric_codes(tmp_path: Path) -> None:
    result = read_registry(_xlsx(tmp_path / "reg.xlsx"))
    assert result.header_line == 2
    _check(result, line_offset=1)


def test_english_headers_any_order_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "en.csv"
    path.write_text("Homepage URL;Name;Code;Province\nwww.a.go.th;A;1;Loei\n", encoding="utf-8")
    result = read_registry(path)
    assert result.errors == []
    assert result.rows == [AgencyInput(code="1", name="A", province="Loei",
                                       homepage="http://www.a.go.th")]


def test_missing_required_column_is_a_file_error(tmp_path: Path) -> None:
    from oitwatch.registry import RegistryError

    path = tmp_path / "no-url.csv"
    path.write_text("code,name,province\n1,A,Loei\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="homepage"):
        read_registry(path)


def test_cli_import_reports_every_bad_line_keeps_good_rows_and_upserts(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'reg.sqlite3'}"
    path = _xlsx(tmp_path / "reg.xlsx")
    result = runner.invoke(app, ["agencies", "import", str(path), "--db", db])
    assert result.exit_code == 1, result.output  # rows were rejected
    assert "Traceback" not in result.output
    for line, reason in EXPECTED_BAD.items():
        assert f"line {line + 1}: {reason.format(first=3)}" in result.output
        assert f"บรรทัด {line + 1}:" in result.output
    assert "3 new" in _flat(result.output)

    listing = runner.invoke(app, ["agencies", "list", "--province", "จ.ขอนแก่น", "--db", db,
                                  "--format", "csv"])
    assert listing.exit_code == 0
    assert [line.split(",")[0] for line in listing.stdout.splitlines()] == [
        "code", "6400108", "6400101", "6400102"]  # ordered by province, district, code

    again = runner.invoke(app, ["agencies", "import", str(path), "--db", db])
    assert "0 new, 0 updated, 3 unchanged" in _flat(again.output)

    fixed = tmp_path / "fix.csv"
    fixed.write_text("code,name,homepage\n6400102,เทศบาลตำบลท่าพระ (ใหม่),www.thapra.go.th\n",
                     encoding="utf-8")
    done = runner.invoke(app, ["agencies", "import", str(fixed), "--db", db])
    assert done.exit_code == 0 and "1 updated" in _flat(done.output)
    rows = runner.invoke(app, ["agencies", "list", "--search", "6400102", "--db", db,
                               "--format", "json"])
    assert '"name": "เทศบาลตำบลท่าพระ (ใหม่)"' in rows.stdout
    assert '"province": "ขอนแก่น"' in rows.stdout  # an absent column keeps the stored value


def test_dry_run_stores_nothing(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'dry.sqlite3'}"
    path = _csv(tmp_path / "reg.csv", "utf-8-sig")
    result = runner.invoke(app, ["agencies", "import", str(path), "--dry-run", "--db", db])
    assert result.exit_code == 1 and "3 good rows, 5 bad rows" in _flat(result.output)
    listing = runner.invoke(app, ["agencies", "list", "--db", db, "--format", "json"])
    assert listing.stdout.strip() == "[]"


def test_import_is_one_transaction(any_repo: Repository) -> None:
    """A row the database refuses leaves nothing of the import behind."""
    from storage import StorageError

    good = AgencyInput(code="A1", name="A", homepage="http://a.go.th")
    too_long = AgencyInput(code="B" * 40, name="B", homepage="http://b.go.th")
    with pytest.raises((StorageError, ValueError)):
        any_repo.import_agencies([good, too_long])
    assert any_repo.list_agencies() == []
    stats = any_repo.import_agencies([good])
    assert (stats.inserted, stats.updated, stats.unchanged) == (1, 0, 0)


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["agencies", "import", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2 and "nope.csv" in result.output


def test_example_registry_matches_the_sample_server_ports() -> None:
    """docs/examples/agencies.csv points at `python -m oitwatch.sampleserver --port 8601`,
    which serves the sample sites on 8601, 8602, ... in name order."""
    from oitwatch.sampleserver import SampleServer

    result = read_registry(Path(__file__).resolve().parents[2] / "docs/examples/agencies.csv")
    assert result.errors == [] and result.warnings == []
    names = [d.name for d in SampleServer().site_dirs()]
    assert [(r.code, r.homepage) for r in result.rows] == [
        (f"demo-{name}", f"http://127.0.0.1:{8601 + i}/") for i, name in enumerate(names)]
