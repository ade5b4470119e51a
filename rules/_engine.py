"""``evaluate(catalog, site_crawl)``: one ItemResult per item of the catalog.

For each item:

1. **Candidates.** Every fetched page whose title / own headings / URL match the
   rule's ``find``, every link whose label (text, title, or the row around a
   "เปิด" link) or URL matches it, and every off-site link matching ``external``.
   Candidates are merged by target URL; the shortest click path is kept. Things
   that match a ``not`` entry are collected too (look-alikes).
2. **Disqualification.** A candidate matching a ``not`` entry does not count: when
   the target page's own title/main heading/URL is a look-alike, or when nothing
   but look-alike labels point to it. Its reason is reported.
3. **Requirements.** Each ``require`` check runs on the candidate, unless it
   cannot judge that kind of candidate (e.g. the text of a PDF: skipped, noted).
   A miss makes the candidate partial (``if_missing: partial``, the default) or
   not acceptable at all (``if_missing: fail``).
4. **Status.** pass if a candidate meets every requirement; partial if one was
   found but misses a requirement; fail otherwise. Evidence is best-first, the
   near-misses after the good ones, at most ``MAX_EVIDENCE``.
5. **Further parts** (``also``, e.g. O43's EIT QR code) are judged the same way; the
   item passes when every part passes, fails when none was found, else is partial.
6. **Agency name.** Best evidence whose text names another local administration than
   the site's own (อบต./เทศบาล ... with a different name) is flagged with both names.

ITA hub pages (one page listing many items with links) are recognised: a link's row
says which item it is (never the O-number printed in it), and the hub's year says
which assessment the documents were submitted for (see ``checks/year_binding.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler._models import ClickStep, Link, Page, PageKind, SiteCrawl

from ._agency import AgencyName, other_agencies, own_agency
from ._catalog import Catalog, ItemRule
from ._labels import CONTEXT_MAX, LabelMatch, _short, match_link, match_page
from ._match import readable_pattern
from ._normalize import normalize_th
from ._result import Evidence, ItemResult, ItemStatus, Reason
from ._site import Candidate, SiteIndex, is_generic_label, strip_fragment
from ._thaidate import read_years

__all__ = ["MAX_EVIDENCE", "evaluate"]

MAX_EVIDENCE = 5
HOME_LABEL = "หน้าแรก"

_SITE_STATUS = {
    "unreachable": ("เข้าเว็บไซต์ไม่ได้", "site unreachable"),
    "blocked": ("เว็บไซต์ไม่อนุญาตให้เข้าตรวจ", "site blocked the crawler"),
    "error": ("ตรวจเว็บไซต์ไม่ได้", "site could not be crawled"),
}


HUB_MIN_ITEMS = 6  # a page whose (non-menu) links name this many items is an ITA hub page


def evaluate(
    catalog: Catalog,
    site_crawl: SiteCrawl,
    agency_name: str | None = None,
    *,
    only: list[str] | None = None,
) -> list[ItemResult]:
    """Judge every item of ``catalog`` that has a rule file, in catalog order.

    ``agency_name``: the site's agency as the registry knows it (e.g.
    "องค์การบริหารส่วนตำบลบึงกระจับ"); without it the name is read from the home page
    title, else the name found on most pages. ``only``: judge just these item codes
    (the rule-file tests).

    Items listed in catalog.yaml without a rule file, or marked unknown, are not judged
    at all: reporting them as errors would bury the real findings (the catalog and the
    score estimate say which ones they are)."""
    every_rule = [r for r in catalog.items if r.implemented]
    rules = every_rule
    if only is not None:
        wanted = {c.upper() for c in only}
        rules = [r for r in rules if r.code in wanted]
    status = getattr(site_crawl.status, "value", site_crawl.status)
    if status != "ok":
        th, en = _SITE_STATUS.get(str(status), _SITE_STATUS["error"])
        reason = Reason(th=f"{th}: {site_crawl.reason}", en=f"{en}: {site_crawl.reason}")
        return [
            ItemResult(r.code, r.title_th, r.title_en, ItemStatus.ERROR, [], [reason])
            for r in rules
        ]
    site = SiteIndex(site_crawl)
    generic = catalog.generic_link_texts
    site.generic_texts = generic
    for seen in site.links:
        seen.generic = is_generic_label(seen.n_text, generic) and is_generic_label(
            seen.n_title, generic
        )
    # every item is collected (hub pages are recognised by how many items they list)
    collected = {
        r.code: _collect(catalog, r, site) for rule in every_rule for r in (rule, *rule.also)
    }
    _find_hubs(catalog, site, collected)
    for entries in collected.values():
        for e in entries:
            e.cand.hubs = [u for u in e.sources if u in site.hub_pages]
    home = site.page_for(site.home_url)
    own = own_agency(
        agency_name,
        home.title if home is not None else "",
        [" ".join([p.title, p.text[:5000]]) for p in site.html_pages[:60]],
    )
    return [_evaluate_item(catalog, rule, site, collected, own) for rule in rules]


def _find_hubs(catalog: Catalog, site: SiteIndex, collected: dict[str, list[_Cand]]) -> None:
    """Pages whose own (non-menu) links lead to many different items: ITA hub pages."""
    items_by_page: dict[str, set[str]] = {}
    for code, entries in collected.items():
        if "+" in code:
            continue
        for e in entries:
            for src in e.link_sources:
                items_by_page.setdefault(src, set()).add(code)
    for url, codes in items_by_page.items():
        if len(codes) < HUB_MIN_ITEMS:
            continue
        page = site.page_for(url)
        if page is None:
            continue
        site.hub_pages[url] = page.title
        heads = [n for _, n in site.own_headings(page)[:3]]
        facts = read_years(site.norm(page.title) + " " + " ".join(heads), catalog.fiscal_year)
        years = {y for y in facts.years if abs(y - catalog.fiscal_year) <= 10}
        years |= {y for y in facts.fiscal_years if abs(y - catalog.fiscal_year) <= 10}
        site.hub_years[url] = years


# --- candidates ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Cand:
    cand: Candidate
    clean_find: bool = False  # found by a label that is not a look-alike
    page_not_hit: bool = False  # the target page itself looks like a look-alike
    not_hits: list[int] = field(default_factory=list)
    self_only: bool = True  # found only through links to the page they are on ("#")
    sources: set[str] = field(default_factory=set)  # pages with links that led here
    link_sources: set[str] = field(default_factory=set)  # of those: not menu links

    @property
    def disqualified(self) -> bool:
        return bool(self.not_hits) and (self.page_not_hit or not self.clean_find)


def _merge(
    found: dict[str, _Cand],
    site: SiteIndex,
    key: str,
    url: str,
    kind: str,
    path: list[ClickStep],
    m: LabelMatch,
    *,
    from_page: bool,
    link: Link | None = None,
    self_link: bool = False,
) -> None:
    entry = found.get(key)
    if entry is None:
        page = site.page_for(url) or site.page_for(key)
        entry = _Cand(Candidate(key=key, url=url, kind=kind, site=site, page=page, path=path))
        found[key] = entry
    c = entry.cand
    if len(path) < len(c.path) or (
        len(path) == len(c.path)
        and path
        and _vague(c.path[-1].text, site)
        and not _vague(path[-1].text, site)
    ):
        c.path = path  # the shortest path; of equals, one whose last label says something
    for what in [*m.matched, *(f"{a} (look-alike)" for a in m.alike)]:
        if what not in c.matched:
            c.matched.append(what)
    score = m.score or m.alike_weight
    if score > c.score:
        c.score = score
        if link is not None:
            c.link = link
    if m.external_hit:
        c.vouched = True
    if link is not None and m.found:
        src = strip_fragment(link.source_url)
        entry.sources.add(src)
        if not site.is_template_link(link.url):
            entry.link_sources.add(src)
        for t in (link.text, link.title, link.context if len(link.context) <= CONTEXT_MAX else ""):
            t = t.strip()
            if t and t not in c.labels:
                c.labels.append(t)
    if m.found:
        c.found = True
        if not self_link:
            entry.self_only = False
        if not m.not_hits:
            entry.clean_find = True
    for i in m.not_hits:
        if i not in entry.not_hits:
            entry.not_hits.append(i)
    if from_page and m.not_hits:
        entry.page_not_hit = True


def _vague(label: str, site: SiteIndex) -> bool:
    return is_generic_label(site.norm(label), site.generic_texts)


def _collect(catalog: Catalog, rule: ItemRule, site: SiteIndex) -> list[_Cand]:
    found: dict[str, _Cand] = {}
    for page in site.html_pages:
        m = match_page(rule, page, site)
        if m.found or m.not_hits:
            key = strip_fragment(page.final_url or page.url)
            _merge(found, site, key, key, "page", list(page.click_path), m, from_page=True)
    generic = catalog.generic_link_texts
    for seen in site.links:
        link = seen.link
        m = match_link(
            rule,
            text=link.text,
            title=link.title,
            context=link.context,
            n_text=seen.n_text,
            n_title=seen.n_title,
            n_context=seen.n_context,
            n_url=seen.n_url,
            external=seen.external,
            generic=generic,
            tag=link.tag,
            generic_label=seen.generic,
        )
        if not (m.found or m.not_hits):
            continue
        target = site.page_for(link.url)
        key = strip_fragment(target.final_url or target.url) if target else strip_fragment(link.url)
        kind = site.kind_of(link.url)
        label = link.text.strip() or link.title.strip()
        if m.used_context and link.context.strip():
            label = _short(link.context, 60)
            if link.text.strip() and link.text.strip() not in link.context:
                label += f" [{link.text.strip()}]"
        step = ClickStep(url=link.url, text=_short(label or link.url, 100))
        self_link = seen.self_link
        path = list(seen.path) if self_link else [*seen.path, step]
        _merge(
            found,
            site,
            key,
            link.url,
            kind,
            path,
            m,
            from_page=False,
            link=link,
            self_link=self_link,
        )
    return list(found.values())


# --- judging ---------------------------------------------------------------------------------

_RANK = {"pass": 0, "partial": 1, "fail": 2, "disqualified": 3}

NOT_FETCHED = Reason(
    th="ยังไม่ได้ตรวจเนื้อหา: หน้านี้ไม่ได้ถูกดึงมาตรวจ (เกินขอบเขตการตรวจหรือถูกข้าม)",
    en="content not checked: the page was not fetched (crawl limits or skipped)",
)
EXTERNAL_NOT_CHECKED = Reason(
    th="ยังไม่ได้ตรวจเนื้อหา: ลิงก์ไปยังเว็บไซต์ภายนอก ซึ่งไม่ได้เปิดตรวจ",
    en="content not checked: the link leads to another website, which is not opened",
)
SELF_LINK = Reason(
    th="ลิงก์ชี้กลับมาที่หน้าเดิม (#) ไม่ได้พาไปยังข้อมูล",
    en="the link points back to the page it is on ('#'), not to the information",
)
EXTERNAL_NOT_OPENED = Reason(
    th="หลักฐานเป็นลิงก์ไปยังระบบภายนอก ซึ่งไม่ได้เปิดตรวจเนื้อหา",
    en="the evidence is a link to another system, whose content was not opened",
)
DOCUMENT_NOT_READ = Reason(
    th="หลักฐานเป็นไฟล์เอกสาร ยังไม่ได้ตรวจเนื้อหาในไฟล์: อ่านข้อความในไฟล์ไม่ได้ "
    "(ยังไม่ได้ถอดข้อความ หรือเป็นภาพสแกน)",
    en="document content not read: no text was extracted from the file "
    "(not extracted yet, or a scanned image)",
)
IMAGE_NOT_READ = Reason(
    th="หลักฐานเป็นรูปภาพ ยังไม่ได้ตรวจเนื้อหาในรูป",
    en="the evidence is an image whose content was not checked",
)


@dataclass(slots=True)
class _Verdict:
    entry: _Cand
    level: str  # pass | partial | fail | disqualified
    reasons: list[Reason] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unmet: int = 0

    @property
    def cand(self) -> Candidate:
        return self.entry.cand

    def sort_key(self) -> tuple[int, int, float, int]:
        return (_RANK[self.level], self.unmet, -self.cand.score, len(self.cand.path))


def _judge(rule: ItemRule, entry: _Cand) -> _Verdict:
    c = entry.cand
    if entry.disqualified:
        return _Verdict(entry, "disqualified", [rule.exclusions[i].reason for i in entry.not_hits])
    v = _Verdict(entry, "pass")
    if c.kind == "page" and c.page is not None and not c.fetched:
        # a broken link publishes nothing: not acceptable evidence
        code = c.page.status
        v.level, v.unmet = "fail", 1
        v.reasons.append(
            Reason(
                th=f"ลิงก์ไปยังหน้าที่เปิดไม่ได้ (HTTP {code})" if code else "เปิดหน้านี้ไม่ได้",
                en=f"the link leads to a page that does not open (HTTP {code})"
                if code
                else "the page could not be opened",
            )
        )
        return v
    failed_hard = False
    unverified = False
    # What a check that cannot judge a candidate means: for a document or an image,
    # nothing (skipped, noted); for an off-site link the rule's `external` patterns
    # vouch for, nothing; for an HTML page that was not fetched, or an off-site link
    # found only by its label, the content is unverified (partial).
    lenient = c.kind in ("document", "image") or (c.kind == "external" and c.vouched)
    for req in rule.requirements:
        out = req.check.run(c) if req.check.judges_kind(c.kind) else None
        if out is None or out.met is None:
            if lenient or (c.kind == "page" and c.fetched):
                v.skipped.append(req.name)
            else:
                unverified = True
            continue
        if out.met:
            if out.found:
                v.found.append(out.found)
            continue
        v.unmet += 1
        v.reasons.append(req.reason)
        if out.detail is not None and out.detail != req.reason:
            v.reasons.append(out.detail)
        if req.if_missing == "fail":
            failed_hard = True
    if unverified:
        v.unmet += 1
        v.reasons.append(NOT_FETCHED if c.kind == "page" else EXTERNAL_NOT_CHECKED)
    if v.unmet and entry.self_only and c.found:
        # e.g. a Facebook icon linking to "#": the link leads nowhere
        v.reasons.append(SELF_LINK)
        failed_hard = True
    if failed_hard:
        v.level = "fail"
    elif v.unmet:
        v.level = "partial"
    return v


def _dedupe(reasons: list[Reason]) -> list[Reason]:
    out: list[Reason] = []
    for r in reasons:
        if r not in out:
            out.append(r)
    return out


def _path_text(c: Candidate) -> str:
    return " > ".join([HOME_LABEL, *[s.text for s in c.path]])


def _looked_for(rule: ItemRule) -> tuple[str, str]:
    kws = [k.raw for k in rule.find.keywords.keywords if k.regex is None][:6]
    th = en = ""
    if kws:
        quoted = ", ".join(f"“{k}”" for k in kws)
        th = f"ค้นหาลิงก์และหน้าที่มีคำว่า {quoted}"
        en = f"looked for links and pages labelled {quoted}"
    if rule.find.external.patterns:
        pats = ", ".join(
            dict.fromkeys(readable_pattern(p.pattern) for p in rule.find.external.patterns[:6])
        )
        th += (" และ" if th else "ค้นหา") + f"ลิงก์ไปยัง {pats}"
        en += (" and " if en else "looked for ") + f"links to {pats}"
    return th, en


def _th(word: str, title: str, after: str = "") -> str:
    """Thai words around an item title, with spaces only next to Latin letters:
    "ไม่พบโครงสร้างที่ใช้ได้", "ไม่พบ E-Service ที่ใช้ได้"."""
    out = f"{word} {title}" if title[:1].isascii() else f"{word}{title}"
    if after:
        out += f" {after}" if title[-1:].isascii() else after
    return out


_MAX_DOCUMENT_PAGES_LISTED = 5


def _document_pages(rule: ItemRule, page: Page) -> list[int]:
    """The pages of a document where the item's words appear: the evidence row says where
    to look in a 40-page PDF. Text checks' words first; the rule's find keywords otherwise."""
    checks = [r.check for r in rule.requirements if r.check.reads_words]
    hits: list[int] = []
    for number, raw in enumerate(page.doc_pages, start=1):
        text = normalize_th(raw)
        if not text:
            continue
        if (
            any(check.matches_text(text) for check in checks)
            if checks
            else rule.find.keywords.first(text) is not None
        ):
            hits.append(number)
            if len(hits) == _MAX_DOCUMENT_PAGES_LISTED:
                break
    return hits


def _evidence(rule: ItemRule, v: _Verdict, site: SiteIndex) -> Evidence:
    c = v.cand
    page = c.page if c.fetched else None
    url = page.final_url if page is not None and page.final_url else c.url
    matched = "; ".join([*c.matched, *v.found])
    if v.skipped and c.kind in ("document", "image", "external"):
        matched += f" (not checked: {', '.join(v.skipped)})"
    return Evidence(
        url=url,
        kind=c.kind,
        click_path=[HOME_LABEL, *[s.text for s in c.path]],
        click_path_urls=[site.home_url, *[s.url for s in c.path]],
        matched=matched,
        sha256=page.sha256 if page is not None else "",
        score=round(c.score, 2),
        meets_requirements=v.level == "pass",
        document_pages=_document_pages(rule, page)
        if page is not None and page.kind == PageKind.DOCUMENT and page.doc_pages
        else [],
        image_url=c.link.image_url if c.link is not None else "",
    )


def _agency_flag(best: _Verdict, own: AgencyName | None) -> Reason | None:
    if own is None:
        return None
    text = best.cand.raw_text()
    if not text:
        return None
    others = other_agencies(text, own)
    if not others:
        return None
    names = ", ".join(f"“{a.shown}”" for a in others[:3])
    return Reason(
        th=f"หลักฐานระบุชื่อหน่วยงานอื่น {names} ไม่ใช่ “{own.shown}” "
        "(อาจคัดลอกเอกสารมาจากหน่วยงานอื่น ควรตรวจสอบ)",
        en=f"the evidence names another agency, {names}, not “{own.shown}” "
        "(possibly copied from another agency; check it)",
    )


def _not_read(c: Candidate) -> Reason:
    """"document content not read", with the crawler's note on why when it gave one
    ("scanned document, text not read: Tesseract is not installed")."""
    note = getattr(c.page, "note", "") if c.page is not None else ""
    if not note:
        return DOCUMENT_NOT_READ
    return Reason(th=f"{DOCUMENT_NOT_READ.th} — {note}", en=f"{DOCUMENT_NOT_READ.en} — {note}")


@dataclass(slots=True)
class _PartResult:
    status: ItemStatus
    verdicts: list[_Verdict]
    reasons: list[Reason]


def _judge_part(
    catalog: Catalog, rule: ItemRule, site: SiteIndex, entries: list[_Cand]
) -> _PartResult:
    excluded = frozenset(e.cand.key for e in entries if e.disqualified)
    for e in entries:
        e.cand.excluded = excluded
    verdicts = sorted((_judge(rule, e) for e in entries), key=_Verdict.sort_key)
    best = verdicts[0] if verdicts else None

    if best is not None and best.level == "pass":
        reasons = [
            Reason(
                th=f"{_th('พบ', rule.title_th)}: {_path_text(best.cand)}",
                en=f"found {rule.title_en}: {_path_text(best.cand)}",
            )
        ]
        if best.skipped and best.cand.kind == "document" and best.cand.content() is None:
            reasons.append(_not_read(best.cand))
        elif best.skipped and best.cand.kind == "image":
            reasons.append(IMAGE_NOT_READ)
        elif best.skipped and best.cand.kind == "external":
            reasons.append(EXTERNAL_NOT_OPENED)
        return _PartResult(ItemStatus.PASS, verdicts, reasons)

    if best is not None and best.level == "partial":
        reasons = _dedupe(
            [
                Reason(
                    th=f"{_th('พบ', rule.title_th, 'ที่')} {_path_text(best.cand)} "
                    "แต่ยังไม่ครบตามข้อกำหนด",
                    en=f"found {rule.title_en} at {_path_text(best.cand)}, "
                    "but it does not meet every requirement",
                ),
                *best.reasons,
            ]
        )
        if best.skipped and best.cand.kind == "document" and best.cand.content() is None:
            reasons.append(_not_read(best.cand))
        return _PartResult(ItemStatus.PARTIAL, verdicts, reasons)

    th, en = _looked_for(rule)
    if verdicts:
        lead = Reason(
            th=_th("ไม่พบ", rule.title_th, "ที่ใช้ได้") + (f" ({th})" if th else ""),
            en=f"no acceptable {rule.title_en} found" + (f" ({en})" if en else ""),
        )
    else:
        lead = Reason(
            th=_th("ไม่พบ", rule.title_th) + (f": {th}" if th else ""),
            en=f"no {rule.title_en} found" + (f": {en}" if en else ""),
        )
    seen: list[Reason] = []
    for v in verdicts:
        seen.extend(v.reasons)
    return _PartResult(ItemStatus.FAIL, verdicts, _dedupe([lead, *seen]))


def _evaluate_item(
    catalog: Catalog,
    rule: ItemRule,
    site: SiteIndex,
    collected: dict[str, list[_Cand]],
    own: AgencyName | None,
) -> ItemResult:
    result = ItemResult(rule.code, rule.title_th, rule.title_en, ItemStatus.FAIL)
    main = _judge_part(catalog, rule, site, collected[rule.code])
    parts = [(p, _judge_part(catalog, p, site, collected[p.code])) for p in rule.also]

    result.evidence = [_evidence(rule, v, site) for v in main.verdicts[:MAX_EVIDENCE]]
    result.status = main.status
    result.reasons = list(main.reasons)
    if parts:
        statuses = [main.status, *(r.status for _, r in parts)]
        if all(st == ItemStatus.PASS for st in statuses):
            result.status = ItemStatus.PASS
        elif all(st == ItemStatus.FAIL for st in statuses):
            result.status = ItemStatus.FAIL
        else:
            result.status = ItemStatus.PARTIAL
        for part, pr in parts:
            if pr.status != ItemStatus.PASS:
                result.reasons.append(
                    Reason(th=f"ส่วนที่ต้องมีด้วย: {part.title_th}", en=f"also required: {part.title_en}")
                )
            result.reasons.extend(pr.reasons)
            room = MAX_EVIDENCE - len(result.evidence)
            if room > 0:
                result.evidence.extend(_evidence(part, v, site) for v in pr.verdicts[: min(room, 2)])
        if result.status != ItemStatus.PASS:
            for e in result.evidence:
                e.meets_requirements = False
        # passing evidence first, best first within each group
        result.evidence.sort(key=lambda e: not e.meets_requirements)
    result.reasons = _dedupe(result.reasons)

    best = main.verdicts[0] if main.verdicts else None
    if rule.agency_check and best is not None and best.level in ("pass", "partial"):
        flag = _agency_flag(best, own)
        if flag is not None:
            result.reasons.append(flag)
    return result
