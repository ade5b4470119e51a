"""The read-only dashboard pages over the real server (SQLite and PostgreSQL): the overview
heat map, its filters, sorting, counts and chart; the agency page; the item page; the run
diff; downloads; languages; hostile text; 404 and 400 pages.

Every expectation is computed from the database (or from reports.diff / rules), never
from the page itself."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict

import httpx
import pytest
from openpyxl import load_workbook
from selectolax.lexbor import LexborHTMLParser
from sqlalchemy import select

from benchmarks.campaign_data import HOSTILE
from reports.diff import diff_runs
from rules import estimate_score, load_catalog
from storage.models import Agency, EvidenceRow, ItemResultRow, SiteScan

from web_support import Seeded

CATALOG = load_catalog("ita-2566")
CODES = [i.code for i in CATALOG.items]


def _html(r: httpx.Response) -> LexborHTMLParser:
    assert r.status_code == 200, (r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    return LexborHTMLParser(r.text)


def _statuses(seeded: Seeded, run_id: int) -> dict[str, dict[str, str]]:
    """agency code -> item code -> status, straight from the database."""
    query = (
        select(Agency.code, ItemResultRow.code, ItemResultRow.status)
        .join(SiteScan, ItemResultRow.site_scan_id == SiteScan.id)
        .join(Agency, SiteScan.agency_id == Agency.id)
        .where(SiteScan.run_id == run_id)
    )
    out: dict[str, dict[str, str]] = defaultdict(dict)
    with seeded.repo.db.session() as s:
        for agency, code, status in s.execute(query):
            out[agency][code] = status
    return out


def _agencies(seeded: Seeded) -> dict[str, tuple[str, str, str, str]]:
    """code -> (name, province, district, type)."""
    return {a.code: (a.name, a.province, a.district, a.type)
            for a in seeded.repo.list_agencies() if a.code}


def _heatmap(doc: LexborHTMLParser) -> list[tuple[str, dict[str, str], str]]:
    """[(agency code, {item: class status}, score text)] in table order."""
    rows = []
    for tr in doc.css("table#heatmap tr.agency"):
        cells: dict[str, str] = {}
        for td in tr.css("td[title]"):
            code = td.attributes["title"].split()[0]
            (cls,) = [c for c in td.attributes["class"].split() if c.startswith("s-")]
            cells[code] = cls.removeprefix("s-")
        rows.append((tr.attributes["data-agency-code"], cells,
                     tr.css_first("td.score").attributes["data-score"]))
    return rows


def _score(statuses: dict[str, str]) -> float | None:
    est = estimate_score(CATALOG, statuses)
    return None if est.oit is None else round(est.oit, 2)


# -- the overview ----------------------------------------------------------------------------


def test_heatmap_cells_are_the_database_statuses(api: httpx.Client, seeded: Seeded) -> None:
    newest = seeded.campaign.run_ids[-1]
    doc = _html(api.get("/"))
    assert doc.css_first("#run-line").attributes["data-run-id"] == str(newest)
    db = _statuses(seeded, newest)
    rows = _heatmap(doc)
    assert sorted(code for code, _, _ in rows) == sorted(seeded.campaign.agency_codes)
    for code, cells, score in rows:
        assert set(cells) == set(CODES)
        expected = {c: db[code].get(c, "none") for c in CODES}
        assert cells == expected, code
        assert score == (f"{_score(db[code]):.2f}" if _score(db[code]) is not None else "")
    # every agency link goes to that agency's scan of this run, cells to its item anchors
    scan_of = dict(zip(seeded.campaign.agency_codes, seeded.campaign.site_scan_ids[-1]))
    for tr in doc.css("table#heatmap tr.agency"):
        code = tr.attributes["data-agency-code"]
        assert tr.css_first("a.agency-link").attributes["href"] == f"/scans/{scan_of[code]}"
        first = tr.css_first("td[title] a").attributes["href"]
        assert first == f"/scans/{scan_of[code]}#item-{CODES[0]}"


def test_an_older_run_is_shown_when_asked(api: httpx.Client, seeded: Seeded) -> None:
    older = seeded.campaign.run_ids[0]
    doc = _html(api.get("/", params={"run": older}))
    db = _statuses(seeded, older)
    for code, cells, _ in _heatmap(doc):
        assert cells == {c: db[code].get(c, "none") for c in CODES}


@pytest.mark.parametrize("field", ["province", "district", "type"])
def test_filters_select_exactly_the_matching_agencies(
    api: httpx.Client, seeded: Seeded, field: str
) -> None:
    agencies = _agencies(seeded)
    index = {"province": 1, "district": 2, "type": 3}[field]
    values = Counter(v[index] for v in agencies.values())
    value = sorted(values)[1]
    doc = _html(api.get("/", params={field: value}))
    # the select offers the registry's values, the chosen one selected
    select_el = doc.css_first(f"form#filters select[name={field}]")
    offered = [o.attributes.get("value") for o in select_el.css("option")][1:]
    if field != "district":
        assert offered == sorted(values)
    assert select_el.css_first("option[selected]").attributes["value"] == value
    shown = {code for code, _, _ in _heatmap(doc)}
    assert shown == {c for c, v in agencies.items() if v[index] == value}
    assert len(shown) == values[value]


def test_sort_by_score_both_ways_and_by_name(api: httpx.Client, seeded: Seeded) -> None:
    db = _statuses(seeded, seeded.campaign.run_ids[-1])
    agencies = _agencies(seeded)
    down = _heatmap(_html(api.get("/", params={"sort": "score"})))
    scores = [_score(db[code]) for code, _, _ in down]
    judged = [s for s in scores if s is not None]
    assert judged == sorted(judged, reverse=True) and len(set(judged)) > 3
    assert all(s is None for s in scores[len(judged):])  # no estimate: last
    up = _heatmap(_html(api.get("/", params={"sort": "-score"})))
    up_scores = [_score(db[code]) for code, _, _ in up]
    assert [s for s in up_scores if s is not None] == sorted(judged)
    by_name = [code for code, _, _ in _heatmap(_html(api.get("/", params={"sort": "name"})))]
    assert by_name == sorted(agencies, key=lambda c: (agencies[c][0], c))


def test_pagination_and_counts_over_the_whole_selection(api: httpx.Client, seeded: Seeded) -> None:
    db = _statuses(seeded, seeded.campaign.run_ids[-1])
    total = len(seeded.campaign.agency_codes)
    everything = [code for code, _, _ in _heatmap(_html(api.get("/", params={"per_page": 500})))]
    seen: list[str] = []
    for number in range(1, 6):
        doc = _html(api.get("/", params={"per_page": 7, "page": number}))
        rows = [code for code, _, _ in _heatmap(doc)]
        assert len(rows) == min(7, total - 7 * (number - 1))
        seen += rows
        # counts are over all agencies, not the page
        for tr in doc.css("table#item-counts tr.item-count"):
            code = tr.attributes["data-item"]
            fails = sum(1 for a in db.values() if a.get(code) == "fail")
            assert tr.css_first("td.missing-sentence").text() == (
                f"{code} ไม่พบ {fails} จาก {total} หน่วยงาน"
            )
            assert int(tr.css_first("td.n-pass").text()) == sum(
                1 for a in db.values() if a.get(code) == "pass")
        if number == 1:
            assert doc.css_first(".pager a.next") is not None
    assert seen == everything
    # a page after the last is empty, not an error
    assert _heatmap(_html(api.get("/", params={"per_page": 7, "page": 9}))) == []


def test_counts_sentence_in_english_and_within_a_filter(api: httpx.Client, seeded: Seeded) -> None:
    db = _statuses(seeded, seeded.campaign.run_ids[-1])
    agencies = _agencies(seeded)
    province = sorted({v[1] for v in agencies.values()})[0]
    chosen = [c for c, v in agencies.items() if v[1] == province]
    doc = _html(api.get("/", params={"province": province, "lang": "en"}))
    sentences = {tr.attributes["data-item"]: tr.css_first("td.missing-sentence").text()
                 for tr in doc.css("table#item-counts tr.item-count")}
    assert set(sentences) == set(CODES)
    for code, sentence in sentences.items():
        fails = sum(1 for a in chosen if db[a].get(code) == "fail")
        assert sentence == f"{code} missing at {fails} of {len(chosen)} agencies"


def test_score_distribution_chart_counts_every_scored_agency(
    api: httpx.Client, seeded: Seeded
) -> None:
    db = _statuses(seeded, seeded.campaign.run_ids[-1])
    doc = _html(api.get("/"))
    svg = doc.css_first("svg#score-distribution")
    assert svg is not None
    bins = svg.css("g.bin")
    assert len(bins) == 10
    scores = [s for s in (_score(v) for v in db.values()) if s is not None]
    for g in bins:
        low, high = int(g.attributes["data-low"]), int(g.attributes["data-high"])
        inside = [s for s in scores if low <= s < high or (high == 100 and s == 100)]
        assert int(g.attributes["data-count"]) == len(inside), (low, high)
    assert "<script" not in svg.html


# -- the agency page ---------------------------------------------------------------------------


def _db_items(seeded: Seeded, site_scan_id: int) -> dict[str, tuple[str, list[dict], list[str]]]:
    with seeded.repo.db.session() as s:
        rows = s.scalars(select(ItemResultRow).where(ItemResultRow.site_scan_id == site_scan_id))
        return {
            r.code: (r.status, list(r.reasons),
                     [e.url for e in s.scalars(select(EvidenceRow).where(
                         EvidenceRow.item_result_id == r.id).order_by(EvidenceRow.rank))])
            for r in rows
        }


def test_agency_page_shows_every_item_with_reasons_and_evidence(
    api: httpx.Client, seeded: Seeded
) -> None:
    scan_id = seeded.campaign.site_scan_ids[-1][0]
    doc = _html(api.get(f"/scans/{scan_id}"))
    db = _db_items(seeded, scan_id)
    assert len(db) == len(CODES)
    for code, (status, reasons, urls) in db.items():
        tr = doc.css_first(f"table#items tr#item-{code}")
        assert tr is not None, code
        cell = tr.css_first(".status")
        assert f"s-{status}" in cell.attributes["class"].split()
        assert cell.text().strip() == {"pass": "ผ่าน", "partial": "ไม่ครบ", "fail": "ไม่พบ",
                                       "error": "ตรวจไม่ได้"}[status]
        assert [li.text() for li in tr.css(".reasons li")] == [r["th"] for r in reasons]
        links = tr.css("a.evidence")
        assert [a.attributes["href"] for a in links] == urls
        for a in links:
            assert a.attributes["rel"] == "noopener noreferrer nofollow"
        assert len(tr.css("a.archived")) == len(urls)
        assert len(tr.css(".click-path")) == len(urls)
        assert all(a.attributes["href"].startswith("/evidence/") for a in tr.css("a.archived"))
        assert not tr.css("img.thumb")  # no PNG in the store: no broken thumbnail
    english = _html(api.get(f"/scans/{scan_id}", params={"lang": "en"}))
    for code, (_, reasons, _) in db.items():
        tr = english.css_first(f"tr#item-{code}")
        assert [li.text() for li in tr.css(".reasons li")] == [r["en"] for r in reasons]
    # the estimate with its grade, and the ITAS sheet link
    statuses = {c: v[0] for c, v in db.items()}
    est = estimate_score(CATALOG, statuses)
    assert doc.css_first("#score .oit-value").text() == f"{est.oit:.2f}"
    assert doc.css_first("#score .grade").text() == est.grade.th
    assert doc.css_first("a.itas-download").attributes["href"] == f"/scans/{scan_id}/itas.xlsx"


def test_agency_page_history_across_runs(api: httpx.Client, seeded: Seeded) -> None:
    agency_id = seeded.campaign.agency_ids[3]
    code = seeded.campaign.agency_codes[3]
    doc = _html(api.get(f"/agencies/{agency_id}"))
    # /agencies/{id} is the newest complete scan
    assert doc.css_first("#agency-code").text() == code
    newest = seeded.campaign.site_scan_ids[-1][3]
    assert doc.css_first("a.itas-download").attributes["href"] == f"/scans/{newest}/itas.xlsx"
    runs = [th.attributes["data-run-id"] for th in doc.css("table#history th.run")]
    assert runs == [str(r) for r in seeded.campaign.run_ids]  # newest last
    per_run = {r: _statuses(seeded, r)[code] for r in seeded.campaign.run_ids}
    for tr in doc.css("table#history tr.history-item"):
        item = tr.attributes["data-item"]
        for td in tr.css("td"):
            run = int(td.attributes["data-run-id"])
            assert f"s-{per_run[run].get(item, 'none')}" in td.attributes["class"]


def test_itas_sheet_download(api: httpx.Client, seeded: Seeded) -> None:
    scan_id = seeded.campaign.site_scan_ids[-1][1]
    r = api.get(f"/scans/{scan_id}/itas.xlsx")
    assert r.status_code == 200
    assert "attachment" in r.headers["content-disposition"]
    assert re.fullmatch(r'attachment; filename="[A-Za-z0-9._-]+\.xlsx"',
                        r.headers["content-disposition"])
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.active
    codes = [ws.cell(row=n, column=1).value for n in range(6, 6 + len(CODES))]
    assert codes == CODES


# -- the item page -----------------------------------------------------------------------------


def test_item_page_lists_every_agency_of_the_run(api: httpx.Client, seeded: Seeded) -> None:
    run = seeded.campaign.run_ids[-1]
    code = "O10"
    db = _statuses(seeded, run)
    doc = _html(api.get(f"/runs/{run}/items/{code}"))
    rows = {tr.attributes["data-agency-code"]: tr
            for tr in doc.css("table#item-agencies tr.agency")}
    assert set(rows) == set(seeded.campaign.agency_codes)
    for agency, tr in rows.items():
        assert f"s-{db[agency].get(code, 'none')}" in tr.css_first("td.status").attributes["class"]
    fails = sum(1 for a in db.values() if a.get(code) == "fail")
    assert doc.css_first("#item-sentence").text() == (
        f"{code} ไม่พบ {fails} จาก {len(db)} หน่วยงาน")
    # the pass rate over both runs
    points = doc.css("svg#pass-rate g.point")
    assert [p.attributes["data-run"] for p in points] == [str(r) for r in seeded.campaign.run_ids]
    for p in points:
        statuses = [a.get(code) for a in _statuses(seeded, int(p.attributes["data-run"])).values()]
        judged = [s for s in statuses if s in ("pass", "partial", "fail")]
        rate = round(100 * judged.count("pass") / len(judged), 1)
        assert float(p.attributes["data-rate"]) == rate
    # a filter narrows the list like the overview
    province = sorted({v[1] for v in _agencies(seeded).values()})[2]
    narrowed = _html(api.get(f"/runs/{run}/items/{code}", params={"province": province}))
    shown = {tr.attributes["data-agency-code"] for tr in narrowed.css("tr.agency")}
    assert shown == {c for c, v in _agencies(seeded).items() if v[1] == province}


# -- the run diff ------------------------------------------------------------------------------


def test_diff_page_lists_the_changes_reports_diff_computes(
    api: httpx.Client, seeded: Seeded
) -> None:
    a, b = seeded.campaign.run_ids
    diff = diff_runs(seeded.repo, a, b)
    expected = [(e.agency_code, c.kind.value, c.item_code or "")
                for e in diff.agencies for c in e.changes]
    assert expected  # the seeded runs differ
    doc = _html(api.get(f"/runs/{b}/diff"))  # against: the previous run by default
    assert doc.css_first("#diff-runs").attributes["data-run-a"] == str(a)
    shown = [(tr.attributes["data-agency-code"], tr.attributes["data-kind"],
              tr.attributes["data-item"]) for tr in doc.css("table#diff tr.change")]
    assert shown == expected
    explicit = _html(api.get(f"/runs/{b}/diff", params={"against": a}))
    assert len(explicit.css("table#diff tr.change")) == len(expected)
    # the CSV download has one row per change
    r = api.get(f"/runs/{b}/diff", params={"format": "csv"})
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [(x[0], x[-1], x[5]) for x in rows[1:]] == expected
    # the first run has nothing before it
    first = _html(api.get(f"/runs/{a}/diff"))
    assert first.css_first("#no-previous") is not None


# -- downloads ---------------------------------------------------------------------------------


def test_csv_and_xlsx_hold_the_rows_of_the_table(api: httpx.Client, seeded: Seeded) -> None:
    params = {"sort": "-score"}
    table = _heatmap(_html(api.get("/", params=params)))
    r = api.get("/", params={**params, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8 Thai
    assert re.fullmatch(r'attachment; filename="[A-Za-z0-9._-]+\.csv"',
                        r.headers["content-disposition"])
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    first_item = header.index(CODES[0])
    label = {"pass": "ผ่าน", "partial": "ไม่ครบ", "fail": "ไม่พบ", "error": "ตรวจไม่ได้",
             "none": ""}
    assert [x[0] for x in body] == [code for code, _, _ in table]
    for (code, cells, score), row in zip(table, body, strict=True):
        assert row[first_item:] == [label[cells[c]] for c in CODES]
        if score:
            assert float(row[first_item - 1]) == pytest.approx(float(score))
        else:
            assert row[first_item - 1] == ""
    # hostile names are neutralised, never formulas, and kept as text
    names = [x[1] for x in body]
    assert any(HOSTILE[0] in n for n in names)
    assert not any(n.startswith(("=", "+", "-", "@")) for n in names)
    x = api.get("/", params={**params, "format": "xlsx"})
    assert x.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    ws = load_workbook(io.BytesIO(x.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert [v[0] for v in values[1:]] == [code for code, _, _ in table]
    for (code, cells, score), row in zip(table, values[1:], strict=True):
        assert [v or "" for v in row[first_item:]] == [label[cells[c]] for c in CODES]
        assert (row[first_item - 1] is None) == (score == "")
        if score:
            assert row[first_item - 1] == pytest.approx(float(score))


def test_item_page_and_agency_downloads(api: httpx.Client, seeded: Seeded) -> None:
    run = seeded.campaign.run_ids[-1]
    r = api.get(f"/runs/{run}/items/O3", params={"format": "csv"})
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert sorted(x[0] for x in rows[1:]) == sorted(seeded.campaign.agency_codes)
    scan_id = seeded.campaign.site_scan_ids[-1][2]
    x = api.get(f"/scans/{scan_id}", params={"format": "xlsx"})
    ws = load_workbook(io.BytesIO(x.content)).active
    assert [row[0].value for row in ws.iter_rows(min_row=2)] == CODES


def test_a_formula_in_crawled_text_stays_text(api: httpx.Client, seeded: Seeded) -> None:
    from web._downloads import Table, _csv_bytes, _xlsx_bytes

    table = Table("t", ["a", "b"], [["=HYPERLINK(\"http://evil\")", 3], ["@SUM(1)", "+1"]])
    text = _csv_bytes(table).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text and "'+1" in text
    ws = load_workbook(io.BytesIO(_xlsx_bytes(table))).active
    cell = ws.cell(row=2, column=1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert cell.quotePrefix
    assert ws.cell(row=2, column=2).value == 3


# -- languages, hostile text, errors -----------------------------------------------------------


def test_thai_shows_buddhist_era_and_english_the_common_era(
    api: httpx.Client, seeded: Seeded
) -> None:
    run = seeded.repo.run_header(seeded.campaign.run_ids[-1])
    assert run is not None
    from reports._thai import BANGKOK

    year = run.started_at.astimezone(BANGKOK).year
    thai = _html(api.get("/"))
    assert str(year + 543) in thai.css_first("#run-line").text()
    assert thai.css_first("html").attributes["lang"] == "th"
    cell = thai.css_first("table#heatmap td.s-pass")
    assert cell.attributes["title"].endswith(" ผ่าน")
    english = _html(api.get("/", params={"lang": "en"}))
    assert english.css_first("html").attributes["lang"] == "en"
    line = english.css_first("#run-line").text()
    assert str(year) in line and str(year + 543) not in line
    assert english.css_first("table#heatmap td.s-pass").attributes["title"].endswith(" pass")
    # links keep the language chosen by URL
    assert "lang=en" in english.css_first("a.agency-link").attributes["href"]
    # the switch (a cookie) works for every later page
    switch = thai.css_first("#lang-switch").attributes["href"]
    with httpx.Client(base_url=str(api.base_url), follow_redirects=True) as client:
        r = client.get(switch)
        doc = _html(r)
        assert doc.css_first("html").attributes["lang"] == "en"
        scan_id = seeded.campaign.site_scan_ids[-1][0]
        page = _html(client.get(f"/scans/{scan_id}"))
        assert page.css_first("html").attributes["lang"] == "en"
        assert str(year + 543) not in page.css_first("#site-facts").text()


@pytest.mark.parametrize("lang", ["th", "en"])
def test_hostile_names_show_as_text(api: httpx.Client, seeded: Seeded, lang: str) -> None:
    run = seeded.campaign.run_ids[-1]
    pages = ["/", f"/scans/{seeded.campaign.site_scan_ids[-1][0]}",
             f"/scans/{seeded.campaign.site_scan_ids[-1][1]}", f"/runs/{run}/items/O1",
             f"/runs/{run}/diff", f"/agencies/{seeded.campaign.agency_ids[2]}"]
    for path in pages:
        r = api.get(path, params={"lang": lang})
        assert r.status_code == 200, path
        raw = r.text
        assert "<script>alert" not in raw, path
        assert "<img src=x" not in raw, path
        assert "onerror=alert" not in raw or "&lt;img src=x onerror=alert(1)&gt;" in raw, path
        doc = LexborHTMLParser(raw)
        scripts = [s.attributes.get("src") for s in doc.css("script")]
        assert scripts == ["/static/app.js"], path
        assert not doc.css("img[onerror]"), path
    overview = api.get("/", params={"lang": lang, "sort": "name"}).text
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in overview
    agency = api.get(f"/scans/{seeded.campaign.site_scan_ids[-1][0]}").text
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in agency
    # the Rich markup is printed as written
    names = [a.text() for a in LexborHTMLParser(overview).css("a.agency-link")]
    assert any(HOSTILE[2] in n for n in names)
    assert any(HOSTILE[1] in n for n in names)


@pytest.mark.parametrize("path", [
    "/?run=999999", "/scans/999999", "/agencies/999999", "/runs/999999/items/O1",
    "/runs/999999/diff", "/evidence/999999/archived", "/scans/999999/itas.xlsx",
    "/screenshots/" + "0" * 64 + ".png", "/screenshots/../../etc/passwd",
    "/screenshots/" + "A" * 64 + ".png", "/screenshots/abc.png", "/no/such/page",
])
def test_unknown_things_give_the_404_page(api: httpx.Client, seeded: Seeded, path: str) -> None:
    r = api.get(path)
    assert r.status_code == 404, (path, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")
    assert LexborHTMLParser(r.text).css_first("h1").text().startswith("404")


def test_unknown_item_of_a_run_is_404(api: httpx.Client, seeded: Seeded) -> None:
    run = seeded.campaign.run_ids[-1]
    for code in ("O999", "Z1", "<script>"):
        r = api.get(f"/runs/{run}/items/{code}")
        assert r.status_code == 404, code
        page = r.text.replace('<script src="/static/app.js" defer></script>', "")
        assert "<script>" not in page


@pytest.mark.parametrize("query", [
    {"page": "-1"}, {"page": "0"}, {"per_page": "99999"}, {"per_page": "0"}, {"run": "abc"},
    {"run": "99999999999999"}, {"sort": "bogus"}, {"format": "pdf"}, {"table": "x"},
    {"province": "x" * 5000},
])
def test_bad_parameters_give_the_400_page(api: httpx.Client, query: dict[str, str]) -> None:
    r = api.get("/", params=query)
    assert r.status_code == 400, (query, r.status_code)
    assert r.headers["content-type"].startswith("text/html")
    assert "คำขอไม่ถูกต้อง" in r.text


@pytest.mark.parametrize("path", [
    "/scans/abc", "/scans/0", "/scans/99999999999", "/agencies/-3", "/runs/x/diff",
    "/runs/1/diff?against=abc", "/runs/1/diff?against=0", "/evidence/1e3/archived",
    "/runs/99999999999/items/O1", "/scans/1?format=doc",
])
def test_bad_path_parameters_give_400_never_500(api: httpx.Client, path: str) -> None:
    r = api.get(path)
    assert r.status_code == 400, (path, r.status_code, r.text[:300])


def test_every_word_of_the_page_templates_exists_in_both_languages() -> None:
    from web._i18n import STRINGS
    from web._render import TEMPLATES_DIR

    mine = ["_macros.html", "overview.html", "agency_page.html", "item_page.html",
            "diff_page.html", "archived_missing.html"]
    keys: set[str] = set()
    for name in mine:
        source = (TEMPLATES_DIR / name).read_text(encoding="utf-8")
        keys |= set(re.findall(r"""\bt\(["']([a-z_]+)["']\)""", source))
    keys |= {f"sort_{k}" for k in ("score", "asc_score", "name", "asc_name")}
    keys |= {f"scan_{k}" for k in ("failed", "running", "queued")}
    keys |= {f"kind_{k}" for k in ("page", "document", "image", "external")}
    assert len(keys) > 60
    for key in sorted(keys):
        assert key in STRINGS, key
        assert STRINGS[key]["th"] and STRINGS[key]["en"], key


def test_pages_issue_a_fixed_number_of_queries_whatever_the_agencies(
    api: httpx.Client, seeded: Seeded
) -> None:
    """No query per agency or per item: the 1,000-agency overview costs what the 30-agency
    one does."""
    from sqlalchemy import event

    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.split(None, 1)[0].upper() in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            statements.append(statement)

    engine = seeded.repo.db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        run = seeded.campaign.run_ids[-1]
        for path, limit in (("/", 10), ("/?per_page=5&page=2", 10), (f"/runs/{run}/items/O7", 10),
                            (f"/scans/{seeded.campaign.site_scan_ids[-1][4]}", 14)):
            statements.clear()
            assert api.get(path).status_code == 200
            assert len(statements) <= limit, (path, len(statements), statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_why_a_site_was_not_scanned_is_said_in_thai(api: httpx.Client, seeded: Seeded) -> None:
    # the seed makes every 25th site unreachable ("connection refused")
    scan_id = seeded.campaign.site_scan_ids[-1][24]
    th = LexborHTMLParser(api.get(f"/scans/{scan_id}").text).css_first("#site-status .reason")
    assert th is not None and th.text().startswith("เครื่องแม่ข่ายไม่รับการเชื่อมต่อ")
    assert "connection refused" in th.text()  # the crawler's own words stay, after the Thai
    en = LexborHTMLParser(api.get(f"/scans/{scan_id}", params={"lang": "en"}).text)
    assert en.css_first("#site-status .reason").text() == "connection refused"
