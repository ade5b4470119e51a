"""The agency registry file a monitor keeps: read, check and normalise it (no database here).

A registry is a CSV or XLSX sheet with one agency per row::

    code,name,type,province,district,homepage,catalog
    6400101,องค์การบริหารส่วนตำบลบ้านโคก,อบต.,ขอนแก่น,เมืองขอนแก่น,www.bankhok.go.th,ita-2566

Headers may be Thai or English (รหัส, ชื่อ, ประเภท, จังหวัด, อำเภอ, เว็บไซต์, catalog …), in
any order; a title row above the header is skipped. CSV may be UTF-8 (with or without the BOM
Excel writes), UTF-16 (Excel's "Unicode text") or windows-874/TIS-620 (what Thai Excel's plain
"CSV" saves). Every bad row is reported with its line number as the spreadsheet shows it
(header = line 1 in a file without a title row) and the reason; the good rows are kept.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from storage import AgencyInput

from ._urls import SeedError, normalize_seed

__all__ = [
    "AGENCY_TYPES",
    "RegistryError",
    "RegistryFile",
    "RegistryProblem",
    "agency_type_of",
    "check_homepage",
    "normalize_district",
    "normalize_province",
    "read_registry",
    "write_registry_csv",
]

#: Agency types a monitor is expected to use (the NACC's groups of agencies).
AGENCY_TYPES: tuple[str, ...] = (
    "อบจ.",
    "เทศบาลนคร",
    "เทศบาลเมือง",
    "เทศบาลตำบล",
    "อบต.",
    "กรุงเทพมหานคร",
    "เมืองพัทยา",
    "ส่วนราชการ",
    "จังหวัด",
    "รัฐวิสาหกิจ",
    "องค์การมหาชน",
    "หน่วยงานอิสระ",
    "สถาบันอุดมศึกษา",
)

# Other spellings of the same types (compared after _key()).
_TYPE_ALIASES: dict[str, str] = {
    "อบจ": "อบจ.",
    "องค์การบริหารส่วนจังหวัด": "อบจ.",
    "pao": "อบจ.",
    "provincial administrative organization": "อบจ.",
    "ทน": "เทศบาลนคร",
    "city municipality": "เทศบาลนคร",
    "ทม": "เทศบาลเมือง",
    "town municipality": "เทศบาลเมือง",
    "ทต": "เทศบาลตำบล",
    "subdistrict municipality": "เทศบาลตำบล",
    "tambon municipality": "เทศบาลตำบล",
    "อบต": "อบต.",
    "องค์การบริหารส่วนตำบล": "อบต.",
    "sao": "อบต.",
    "tao": "อบต.",
    "subdistrict administrative organization": "อบต.",
    "กทม": "กรุงเทพมหานคร",
    "bangkok metropolitan administration": "กรุงเทพมหานคร",
    "government agency": "ส่วนราชการ",
    "ministry department": "ส่วนราชการ",
    "state enterprise": "รัฐวิสาหกิจ",
    "public organization": "องค์การมหาชน",
}

# field -> accepted header names (compared after _key())
_HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("code", "agency code", "agency_code", "id", "รหัส", "รหัสหน่วยงาน", "รหัส อปท",
             "รหัสองค์กรปกครองส่วนท้องถิ่น"),
    "name": ("name", "agency", "agency name", "agency_name", "ชื่อ", "ชื่อหน่วยงาน", "หน่วยงาน",
             "ชื่อ อปท"),
    "type": ("type", "agency type", "agency_type", "ประเภท", "ประเภทหน่วยงาน", "ประเภท อปท"),
    "province": ("province", "จังหวัด"),
    "district": ("district", "amphoe", "อำเภอ", "อำเภอ/เขต", "เขต"),
    "homepage": ("homepage", "homepage url", "homepage_url", "url", "website", "web site",
                 "web", "เว็บไซต์", "เว็บไซต์หลัก", "ที่อยู่เว็บไซต์", "เว็บ"),
    "catalog": ("catalog", "ชุดกฎ", "แบบตรวจ"),
}
_REQUIRED = ("code", "name", "homepage")
_FIELD_TH = {
    "code": "รหัส", "name": "ชื่อ", "type": "ประเภท", "province": "จังหวัด", "district": "อำเภอ",
    "homepage": "เว็บไซต์", "catalog": "catalog",
}
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


class RegistryError(Exception):
    """The file as a whole cannot be read (no header, unknown format, …)."""

    def __init__(self, th: str, en: str) -> None:
        super().__init__(en)
        self.th = th
        self.en = en


@dataclass(frozen=True, slots=True)
class RegistryProblem:
    line: int  # as the spreadsheet shows it
    th: str
    en: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.en}"


@dataclass(slots=True)
class RegistryFile:
    path: Path
    rows: list[AgencyInput] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # line of each good row
    errors: list[RegistryProblem] = field(default_factory=list)  # rows rejected
    warnings: list[RegistryProblem] = field(default_factory=list)  # rows kept, but look
    header_line: int = 1
    columns: dict[str, str] = field(default_factory=dict)  # field -> header as written
    encoding: str = ""


def _key(text: str) -> str:
    """Header/alias comparison key: NFC, lower case, no dots, single spaces."""
    text = unicodedata.normalize("NFC", text).replace("\ufeff", "").replace("\u200b", "")
    text = text.strip().lower().replace(".", "").replace("_", " ")
    return re.sub(r"\s+", " ", text)


_HEADER_INDEX = {_key(alias): name for name, aliases in _HEADERS.items() for alias in aliases}
_TYPE_INDEX = {_key(t): t for t in AGENCY_TYPES} | {_key(a): t for a, t in _TYPE_ALIASES.items()}


def agency_type_of(raw: str) -> str | None:
    """The registry's spelling of an agency type ("อบต", "เทศบาล ตำบล" → "อบต." /
    "เทศบาลตำบล"), or None for a type it does not know."""
    return _TYPE_INDEX.get(_key(raw))


def _clean(value: Any) -> str:
    """A cell as text: numbers without ".0", Thai digits and spacing normalised."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value)).replace("\u200b", "").replace("\ufeff", "")
    return re.sub(r"\s+", " ", text).strip()


def normalize_province(value: str) -> str:
    """ "จังหวัดขอนแก่น", "จ. ขอนแก่น", " ขอนแก่น " -> "ขอนแก่น" (so filters match)."""
    text = _clean(value)
    for prefix in ("จังหวัด", "จ."):
        if text.startswith(prefix):
            text = text[len(prefix):].strip()
            break
    return text


def normalize_district(value: str) -> str:
    """ "อำเภอเมืองขอนแก่น", "อ.เมืองขอนแก่น" -> "เมืองขอนแก่น"; Bangkok's "เขต…" is kept."""
    text = _clean(value)
    for prefix in ("อำเภอ", "อ."):
        if text.startswith(prefix):
            text = text[len(prefix):].strip()
            break
    return text


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        pass
    if host == "localhost":
        return True
    labels = host.rstrip(".").split(".")
    if len(labels) < 2 or any(not label for label in labels):
        return False
    try:
        tld = labels[-1].encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return tld.startswith("xn--") or (len(tld) >= 2 and tld.isalpha())


def check_homepage(raw: str) -> tuple[str | None, str | None, str | None]:
    """(url, th problem, en problem): the registry's check of a homepage, also used by the
    dashboard's agency form and the API."""
    try:
        url = normalize_seed(raw)
    except SeedError:
        url = None
    if url is not None:
        host = urlsplit(url).hostname or ""
        if " " not in raw.strip() and _valid_host(host):
            return url, None, None
    return (
        None,
        f"เว็บไซต์ '{raw}' ไม่ใช่ที่อยู่เว็บที่ถูกต้อง (เช่น https://www.example.go.th)",
        f"homepage '{raw}' is not a valid URL (e.g. https://www.example.go.th)",
    )


# -- reading the cells ------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # Thai Excel saves "CSV" in windows-874 (a superset of TIS-620)
        return data.decode("cp874"), "cp874"
    except UnicodeDecodeError as exc:
        raise RegistryError(
            f"อ่านไฟล์ไม่ได้: ไม่ใช่ UTF-8 หรือ TIS-620 (ไบต์ที่ {exc.start})",
            f"cannot read the file: neither UTF-8 nor TIS-620/windows-874 (byte {exc.start})",
        ) from None


def _csv_rows(path: Path) -> tuple[Iterator[list[Any]], str]:
    text, encoding = _decode(path.read_bytes())
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    # Rows are numbered by record, as a spreadsheet shows them (a quoted cell holding a
    # newline is still one row there, though two lines in a text editor).
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    return (row for row in reader), encoding


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[list[Any]]:
    try:
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
        raise RegistryError("ไม่มี openpyxl", f"openpyxl is not installed: {exc}") from exc
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise RegistryError(
            f"เปิดไฟล์ Excel ไม่ได้: {exc}", f"cannot open the Excel file: {exc}"
        ) from exc
    try:
        if sheet is not None:
            if sheet not in book.sheetnames:
                raise RegistryError(
                    f"ไม่มีแผ่นงานชื่อ '{sheet}' (มี: {', '.join(book.sheetnames)})",
                    f"no sheet named '{sheet}' (sheets: {', '.join(book.sheetnames)})",
                )
            ws = book[sheet]
        else:
            ws = book.worksheets[0]
        last = 0
        for row in ws.iter_rows():
            cells = [c for c in row if getattr(c, "row", None) is not None]
            number = cells[0].row if cells else last + 1
            while last + 1 < number:  # read-only mode skips empty rows: keep numbering
                last += 1
                yield []
            last = number
            yield [c.value for c in row]
    finally:
        book.close()


def _rows(path: Path, sheet: str | None) -> tuple[Iterator[list[Any]], str]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path, sheet), "xlsx"
    if suffix == ".xls":
        raise RegistryError(
            "ไฟล์ .xls รุ่นเก่าอ่านไม่ได้ ให้บันทึกเป็น .xlsx หรือ CSV",
            "old .xls files are not supported: save the sheet as .xlsx or CSV",
        )
    return _csv_rows(path)


def _find_header(rows: list[list[str]]) -> tuple[int, dict[str, int], list[str]]:
    """Index of the header row among the first rows, field -> column, unknown headers."""
    for index, row in enumerate(rows[:10]):
        found: dict[str, int] = {}
        for column, cell in enumerate(row):
            name = _HEADER_INDEX.get(_key(cell))
            if name is not None and name not in found:
                found[name] = column
        if len(found) >= 2 and ("code" in found or "homepage" in found):
            unknown = [c for i, c in enumerate(row) if c and i not in found.values()]
            return index, found, unknown
    raise RegistryError(
        "ไม่พบแถวหัวตาราง ต้องมีคอลัมน์ รหัส, ชื่อ และ เว็บไซต์ (หรือ code, name, homepage)",
        "no header row found: the sheet needs the columns code, name and homepage "
        "(or รหัส, ชื่อ, เว็บไซต์)",
    )


def read_registry(
    path: Path, *, sheet: str | None = None, catalogs: Iterable[str] | None = None
) -> RegistryFile:
    """Read and check a registry file. Raises RegistryError only when the file as a whole is
    unusable; row problems are in ``errors`` (rejected) and ``warnings`` (kept)."""
    path = Path(path)
    if not path.is_file():
        raise RegistryError(f"ไม่พบไฟล์ {path}", f"no such file: {path}")
    if catalogs is None:
        from rules import list_catalogs

        catalogs = list_catalogs()
    known_catalogs = sorted(catalogs)
    raw_rows, encoding = _rows(path, sheet)
    rows = [[_clean(c) for c in row] for row in raw_rows]
    header_index, columns, unknown = _find_header(rows)
    missing = [f for f in _REQUIRED if f not in columns]
    if missing:
        raise RegistryError(
            "ไม่มีคอลัมน์ " + ", ".join(_FIELD_TH[f] for f in missing),
            "missing column(s): " + ", ".join(missing),
        )
    result = RegistryFile(path=path, header_line=header_index + 1, encoding=encoding)
    result.columns = {f: rows[header_index][i] for f, i in columns.items()}
    for name in unknown:
        result.warnings.append(RegistryProblem(
            header_index + 1, f"ไม่รู้จักคอลัมน์ '{name}' จึงข้ามไป",
            f"column '{name}' is not known and was ignored"))
    seen_codes: dict[str, int] = {}
    seen_homepages: dict[str, tuple[int, str]] = {}
    for offset, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        if not any(row):
            continue  # blank line

        def cell(name: str, row: list[str] = row) -> str:
            index = columns.get(name)
            return row[index] if index is not None and index < len(row) else ""

        problems: list[tuple[str, str]] = []
        code = cell("code").translate(_THAI_DIGITS)
        name = cell("name")
        if not code:
            problems.append(("ไม่มีรหัสหน่วยงาน", "code is empty"))
        elif len(code) > 32:
            problems.append((f"รหัส '{code}' ยาวเกิน 32 ตัวอักษร",
                             f"code '{code}' is longer than 32 characters"))
        elif code in seen_codes:
            problems.append((f"รหัส '{code}' ซ้ำกับบรรทัด {seen_codes[code]}",
                             f"code '{code}' repeats line {seen_codes[code]}"))
        if not name:
            problems.append(("ไม่มีชื่อหน่วยงาน", "name is empty"))
        raw_homepage = cell("homepage")
        homepage = None
        if raw_homepage:
            homepage, th, en = check_homepage(raw_homepage)
            if th and en:
                problems.append((th, en))
        raw_catalog = cell("catalog")
        if raw_catalog and raw_catalog not in known_catalogs:
            problems.append((
                f"ไม่มีชุดกฎ '{raw_catalog}' (มี: {', '.join(known_catalogs)})",
                f"catalog '{raw_catalog}' does not exist (known: {', '.join(known_catalogs)})",
            ))
        if problems:
            result.errors.extend(RegistryProblem(offset, th, en) for th, en in problems)
            continue
        seen_codes[code] = offset
        raw_type = cell("type")
        agency_type = agency_type_of(raw_type) if raw_type else None
        if raw_type and agency_type is None:
            agency_type = raw_type
            result.warnings.append(RegistryProblem(
                offset, f"ประเภท '{raw_type}' ไม่อยู่ในรายการที่รู้จัก แต่บันทึกไว้ตามที่เขียน",
                f"type '{raw_type}' is not a known agency type; stored as written"))
        if homepage is None:
            result.warnings.append(RegistryProblem(
                offset, "ไม่มีเว็บไซต์: บันทึกหน่วยงานไว้แต่จะไม่ถูกตรวจ",
                "no homepage: the agency is stored but cannot be scanned"))
        else:
            from storage._convert import homepage_key

            key = homepage_key(homepage)
            if key in seen_homepages:
                other_line, other_code = seen_homepages[key]
                result.warnings.append(RegistryProblem(
                    offset,
                    f"เว็บไซต์เดียวกับรหัส '{other_code}' (บรรทัด {other_line}): ตรวจครั้งเดียวต่อรอบ",
                    f"same homepage as code '{other_code}' (line {other_line}): "
                    "scanned once per campaign"))
            else:
                seen_homepages[key] = (offset, code)
        result.rows.append(AgencyInput(
            code=code,
            name=name,
            type=agency_type,
            province=normalize_province(cell("province")) or None,
            district=normalize_district(cell("district")) or None,
            homepage=homepage,
            catalog=raw_catalog or None,
        ))
        result.lines.append(offset)
    return result


REGISTRY_COLUMNS = ("code", "name", "type", "province", "district", "homepage", "catalog")


def write_registry_csv(path: Path, agencies: Iterable[Any]) -> None:
    """Write agencies (anything with the registry's attribute names) as a CSV that
    read_registry reads back and Excel opens as Thai (UTF-8 with BOM)."""
    with Path(path).open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(REGISTRY_COLUMNS)
        for agency in agencies:
            writer.writerow([getattr(agency, c, None) or "" for c in REGISTRY_COLUMNS])
