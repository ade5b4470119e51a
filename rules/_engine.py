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
3. **Requirements.** Each ``require`` check runs on the candidate. A miss makes the
   candidate partial (``if_missing: partial``, the default) or not acceptable at all
   (``if_missing: fail``). A check that cannot judge the candidate:
   - an HTML page that was not fetched: unverified, partial — the reason says why the
     crawler did not fetch it when it said (page budget, depth, robots …). A page fetched
     under another spelling of its URL (http/https, "www.", a trailing slash) or reached
     by a redirect the crawler had fetched already is the same page, and is used;
   - a document or image whose text could not be read (no text layer and no OCR, an old
     non-Unicode Thai font, not fetched because of the size cap …): partial for every
     requirement that would judge a readable text, the reason naming them and the
     crawler's note. Only a requirement that needs no text (O1's chart, met by the file
     itself) lets such a candidate pass. Unreadable content is never a pass;
   - an off-site link the rule's ``external`` patterns vouch for: nothing.
4. **Collections.** A page that does not pass alone is judged again together with the
   other pages of its listing (``?page=N`` continuations: same path and parameters but
   the page number) and the documents its own content links to (not menu or footer
   links, not documents another item found by their own label), within bounds. The
   whole replaces the page's verdict when it is better, or as good and missing nothing
   more: monthly reports over two pages, a statistics page whose year is in its PDF.
5. **Agency name.** A candidate whose text names another local administration than the
   site's own (อบต./เทศบาล ... with a different name: a copied document) is marked
   down with both names: it is not the agency's own evidence. Another candidate that
   names the right agency can still pass.
6. **Status.** pass if a candidate meets every requirement; partial if one was found
   but misses a requirement; fail otherwise. A pass never carries a rejecting reason
   (``Reason.rejects``). Evidence is best-first, the near-misses after the good ones,
   at most ``MAX_EVIDENCE``.
7. **Further parts** (``also``, e.g. O43's EIT QR code) are judged the same way; the
   item passes when every part passes, fails when none was found, else is partial.

ITA hub pages (one page listing many items with links) are recognised: a link's row
says which item it is (never the O-number printed in it), and the hub's year says
which assessment the documents were submitted for (see ``checks/year_binding.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from crawler._models import ClickStep, Link, Page, PageKind, SiteCrawl

from ._agency import AgencyName, agency_names, others_among, own_agency
from ._catalog import Catalog, ItemRule
from ._labels import CONTEXT_MAX, LabelMatch, _short, match_link, match_page
from ._match import readable_pattern
from ._normalize import normalize_th
from ._result import Evidence, ItemResult, ItemStatus, Reason
from ._site import Candidate, SiteIndex, is_generic_label, listing_key, strip_fragment
from ._thaidate import read_years
from .checks._requirement import Requirement

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
    # which items found each target by a label that is not a look-alike: a document
    # another item claims is not part of this item's collection
    found_by: dict[str, set[str]] = {}
    for code, entries in collected.items():
        for e in entries:
            if e.direct_find and not e.disqualified:
                for k in {e.cand.key, strip_fragment(e.cand.url)}:
                    found_by.setdefault(k, set()).add(code)
    return [_evaluate_item(catalog, rule, site, collected, own, found_by) for rule in rules]


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
    # found by its own label, title or URL, not only by the row around a link: a claim
    # strong enough to keep it out of another item's collection
    direct_find: bool = False
    # link sources (not menus) where the link's own text, title or URL matched, and the
    # labels of those links: the listings this candidate is an entry of
    listed_on: dict[str, list[str]] = field(default_factory=dict)

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
            if not m.used_context and not m.not_hits:
                said = entry.listed_on.setdefault(src, [])
                for t in (link.text.strip(), link.title.strip()):
                    if t and t not in said:
                        said.append(t)
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
            if from_page or not m.used_context:
                entry.direct_find = True
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

# Every reason a candidate is marked down for is a rejection (Reason.rejects): a pass
# never carries one.
NOT_FETCHED = Reason(
    th="ยังไม่ได้ตรวจเนื้อหา: หน้านี้ไม่ได้ถูกดึงมาตรวจ "
    "(การตรวจถึงขีดจำกัดจำนวนหน้าหรือความลึกก่อนถึงหน้านี้ หรือไม่ได้ตามลิงก์นี้)",
    en="content not checked: the page was not fetched "
    "(the crawl reached its page or depth limits first, or did not follow this link)",
    rejects=True,
)
EXTERNAL_NOT_CHECKED = Reason(
    th="ยังไม่ได้ตรวจเนื้อหา: ลิงก์ไปยังเว็บไซต์ภายนอก ซึ่งไม่ได้เปิดตรวจ",
    en="content not checked: the link leads to another website, which is not opened",
    rejects=True,
)
SELF_LINK = Reason(
    th="ลิงก์ชี้กลับมาที่หน้าเดิม (#) ไม่ได้พาไปยังข้อมูล",
    en="the link points back to the page it is on ('#'), not to the information",
    rejects=True,
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

# Why the crawler skipped a URL (crawler Skip.reason), for the "not fetched" reason.
_SKIP_WHY = {
    "budget": ("การตรวจถึงจำนวนหน้าสูงสุดหรือหมดเวลาที่กำหนด", "the crawl's page budget or time ran out"),
    "depth": ("หน้านี้อยู่ลึกเกินขีดจำกัดความลึกของการตรวจ", "the page is beyond the crawl's depth limit"),
    "robots": ("robots.txt ของเว็บไซต์ไม่อนุญาตให้เข้าตรวจ", "the site's robots.txt disallows it"),
    "trap": ("ลิงก์มีลักษณะวนซ้ำไม่สิ้นสุด (เช่น ปฏิทิน)", "the link looks like a crawler trap (e.g. a calendar)"),
    "size": ("ไฟล์ใหญ่เกินขนาดที่กำหนด", "the file is larger than the size limit"),
    "type": ("ไม่ใช่ชนิดไฟล์ที่ตรวจ", "not a kind of file the crawl reads"),
    "ssrf": ("ที่อยู่ชี้ไปยังเครือข่ายภายใน", "the address points into a private network"),
    "scope": ("ลิงก์พาออกไปนอกเว็บไซต์", "the link leads off the site"),
}


@dataclass(slots=True)
class _Verdict:
    entry: _Cand
    level: str  # pass | partial | fail | disqualified
    reasons: list[Reason] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unmet: int = 0
    view: Candidate | None = None  # the view judged, when not the candidate itself
    failed: set[str] = field(default_factory=set)  # names of the requirements not met

    @property
    def cand(self) -> Candidate:
        return self.view if self.view is not None else self.entry.cand

    def sort_key(self) -> tuple[int, int, float, int]:
        return (_RANK[self.level], self.unmet, -self.cand.score, len(self.cand.path))

    def reject(self, reason: Reason) -> None:
        """One more unmet point, and the sentence saying so."""
        self.unmet += 1
        self.reasons.append(reason.rejecting())


@dataclass(frozen=True, slots=True)
class _Context:
    own: AgencyName | None  # the site's agency, for copied documents
    foreign: frozenset[str]  # targets only other items found: not part of this one's collection


# Requirements about what a set of entries covers together (every month, the first six
# months): the only ones the other entries of a listing may meet for an entry. Other
# requirements (elements, the year of a report) are one document's own: last year's
# report must not lend its contents to this year's.
COVERAGE_CHECKS = frozenset({"monthly_reports", "year_first_half"})


def _judge(
    rule: ItemRule, entry: _Cand, ctx: _Context, siblings: list[_Cand] | None = None
) -> _Verdict:
    c = entry.cand
    if entry.disqualified:
        return _Verdict(
            entry,
            "disqualified",
            [rule.exclusions[i].reason.rejecting() for i in entry.not_hits],
        )
    if c.kind == "page" and c.page is not None and not c.fetched:
        # a broken link publishes nothing: not acceptable evidence
        code = c.page.status
        v = _Verdict(entry, "fail")
        v.reject(
            Reason(
                th=f"ลิงก์ไปยังหน้าที่เปิดไม่ได้ (HTTP {code})" if code else "เปิดหน้านี้ไม่ได้",
                en=f"the link leads to a page that does not open (HTTP {code})"
                if code
                else "the page could not be opened",
            )
        )
        return v
    v = _judge_view(rule, entry, c, ctx)
    if v.level != "pass" and c.kind == "page" and c.fetched and c.page is not None:
        # a listing over ?page=N pages whose entries are documents is judged as a whole;
        # the page alone keeps its verdict when the whole is no better
        members = _collection(c, ctx)
        if members:
            whole = _judge_view(rule, entry, c.view(members=members), ctx)
            # better, or as good and missing nothing the page alone has (then its
            # details are the collection's: "February missing" on both pages)
            if whole.sort_key()[:2] < v.sort_key()[:2] or (
                whole.level == v.level and whole.failed <= v.failed
            ):
                pages = sum(1 for m in members if m.kind == PageKind.PAGE)
                docs = len(members) - pages
                parts = [f"{pages + 1} pages of the listing"] if pages else []
                parts += [f"{docs} linked document(s)"] if docs else []
                whole.found.append("judged as a whole: " + ", ".join(parts))
                v = whole
    if v.level != "pass" and siblings and c.readable and v.failed <= COVERAGE_CHECKS:
        v = _judge_with_siblings(rule, entry, v, siblings, ctx)
    return v


def _judge_with_siblings(
    rule: ItemRule, entry: _Cand, v: _Verdict, siblings: list[_Cand], ctx: _Context
) -> _Verdict:
    """An entry of a listing whose other entries are the same item (one summary per
    month, each a detail page or a file) is judged with them: their pages, the documents
    those pages link to, and their link labels ("สขร.1 ตุลาคม 2565")."""
    c = v.cand
    members: list[Page] = list(c.members)
    seen = {id(m) for m in members}
    if c.page is not None:
        seen.add(id(c.page))
    extra: list[str] = []
    shared = {listing_key(src)[0] for src in entry.listed_on}
    for sib in siblings:
        sc = sib.cand
        for src, labels in sib.listed_on.items():
            if listing_key(src)[0] in shared:
                extra.extend(labels)  # what the listing says of it, not what other pages do
        if sc.page is None or not sc.readable:
            continue
        more = [sc.page]
        if sc.page.kind == PageKind.PAGE:
            more += [
                d
                for d in c.site.linked_documents([sc.page])
                if strip_fragment(d.final_url or d.url) not in ctx.foreign
            ]
        for m in more:
            if id(m) not in seen:
                seen.add(id(m))
                members.append(m)
    whole = _judge_view(rule, entry, c.view(members=tuple(members), extra=tuple(extra)), ctx)
    if whole.sort_key()[:2] < v.sort_key()[:2] or (
        whole.level == v.level and whole.failed <= v.failed and whole.unmet <= v.unmet
    ):
        whole.found.append(f"judged with the {len(siblings)} other entries of its listing")
        return whole
    return v


def _listing_siblings(entries: list[_Cand]) -> dict[int, list[_Cand]]:
    """For each candidate, the other candidates of the same item listed (outside menus,
    by links that name them) on the same listing or its other ?page=N pages."""
    groups: dict[str, list[_Cand]] = {}
    for e in entries:
        if e.disqualified or not e.cand.found:
            continue
        for key in {listing_key(src)[0] for src in e.listed_on}:
            groups.setdefault(key, []).append(e)
    out: dict[int, list[_Cand]] = {}
    for e in entries:
        if e.disqualified:
            continue
        sibs: dict[int, _Cand] = {}
        for key in {listing_key(src)[0] for src in e.listed_on}:
            for other in groups.get(key, []):
                if other is not e:
                    sibs[id(other)] = other
        if sibs:
            out[id(e)] = list(sibs.values())
    return out


def _collection(c: Candidate, ctx: _Context) -> tuple[Page, ...]:
    """The other pages of the candidate's listing and the documents its own content links
    to — minus documents another item found and this one did not (a link to the
    strategic plan on an annual-report page is not part of the report)."""
    site = c.site
    assert c.page is not None
    pages = site.pagination(c.page)
    docs = []
    for d in site.linked_documents([c.page, *pages]):
        key = strip_fragment(d.final_url or d.url)
        if key in ctx.foreign or strip_fragment(d.url) in ctx.foreign or c.is_excluded(d.url):
            continue
        docs.append(d)
    return (*pages, *docs)


def _judge_view(rule: ItemRule, entry: _Cand, c: Candidate, ctx: _Context) -> _Verdict:
    v = _Verdict(entry, "pass", view=c if c is not entry.cand else None)
    failed_hard = False
    unverified = False
    not_read: list[str] = []
    # What a check that cannot judge a candidate means: for an off-site link the rule's
    # `external` patterns vouch for, nothing; for a page, nothing (e.g. links inside a
    # document); for a document or image whose text could not be read, the requirement
    # is unchecked (partial) when it would judge a readable text, else nothing; for an
    # HTML page that was not fetched, or an off-site link found only by its label, the
    # content is unverified (partial).
    for req in rule.requirements:
        out = req.check.run(c) if req.check.judges_kind(c.kind) else None
        if out is None or out.met is None:
            if c.kind == "external" and c.vouched:
                v.skipped.append(req.name)
            elif c.kind in ("document", "image"):
                if not c.readable and _needs_text(req, c):
                    not_read.append(_requirement_label(req))
                else:
                    v.skipped.append(req.name)
            elif c.kind == "page" and c.fetched:
                v.skipped.append(req.name)
            else:
                unverified = True
            continue
        if out.met:
            if out.found:
                v.found.append(out.found)
            continue
        v.reject(req.reason)
        v.failed.add(req.name)
        if out.detail is not None and out.detail != req.reason:
            v.reasons.append(out.detail.rejecting())
        if req.if_missing == "fail":
            failed_hard = True
    if not_read:
        v.reject(_not_read(c, not_read))
        v.failed.add("(not read)")
    if unverified:
        v.reject(_not_fetched(c) if c.kind == "page" else EXTERNAL_NOT_CHECKED)
        v.failed.add("(not fetched)")
    if rule.agency_check:
        flag = _agency_flag(c, ctx.own)
        if flag is not None:
            v.reject(flag)  # a copied document is not the agency's own evidence
            v.failed.add("(another agency)")
    if v.unmet and entry.self_only and c.found:
        # e.g. a Facebook icon linking to "#": the link leads nowhere
        v.reasons.append(SELF_LINK)
        failed_hard = True
    if failed_hard:
        v.level = "fail"
    elif v.unmet:
        v.level = "partial"
    return v


def _needs_text(req: Requirement, c: Candidate) -> bool:
    """Whether ``req`` would judge ``c`` if its text could be read: a probe reads the
    unreadable target as an empty text. A check that also says nothing then (links
    inside a document) never needed the text; O1's chart image, met by its file type,
    never gets here."""
    probe = replace(c.view(blank=True), kind="document")
    if not req.check.judges_kind("document"):
        return False
    out = req.check.run(probe)
    return out is not None and out.met is not None


_REQUIREMENT_LABELS = {
    "elements": ("องค์ประกอบที่กำหนด", "the required elements"),
    "text_any": ("ข้อความที่กำหนด", "the required text"),
    "text_all": ("ข้อความที่กำหนด", "the required text"),
    "year_mentioned": ("ปีของข้อมูล", "the year"),
    "year_in_force": ("ปีที่แผนมีผลบังคับใช้", "the years the plan is in force"),
    "year_report": ("ปีของรายงาน", "the year of the report"),
    "year_first_half": ("ช่วง ๖ เดือนแรกของปีงบประมาณ", "the first six months covered"),
    "year_done": ("ปีที่ดำเนินการ", "the year it was done"),
    "monthly_reports": ("ข้อมูลครบทุกเดือน", "every month covered"),
    "not_whole_law": ("ไม่ใช่การยกกฎหมายมาทั้งฉบับ", "that no whole law is pasted"),
}


def _requirement_label(req: Requirement) -> str:
    """``th|en`` naming what a requirement checks ("องค์ประกอบที่กำหนด: ...")."""
    th, en = _REQUIREMENT_LABELS.get(req.name, (req.name, req.name.replace("_", " ")))
    elements = getattr(req.check, "elements", None)
    if elements:
        th = f"{th} ({', '.join(e.th for e in elements)})"
        en = f"{en} ({', '.join(e.en for e in elements)})"
    return f"{th}|{en}"


def _not_read(c: Candidate, labels: list[str]) -> Reason:
    """What could not be checked in an unreadable document or image, and why (the
    crawler's note: "scanned document, text not read: Tesseract is not installed")."""
    th_what = " และ ".join(dict.fromkeys(x.split("|", 1)[0] for x in labels))
    en_what = " and ".join(dict.fromkeys(x.split("|", 1)[1] for x in labels))
    page = c.page if c.fetched else None
    note = page.note if page is not None else ""
    if page is None:
        th_why, en_why = _skip_why(c)
        th = f"ยังไม่ได้ตรวจ {th_what}: ไฟล์นี้ไม่ได้ถูกดึงมาตรวจ ({th_why})"
        en = f"not checked for {en_what}: the file was not fetched ({en_why})"
    elif c.kind == "image":
        th = f"หลักฐานเป็นรูปภาพ ซึ่งไม่ได้อ่านข้อความในรูป จึงยังตรวจไม่ได้ว่ามี {th_what}"
        en = f"the evidence is an image whose text is not read, so it is not checked for {en_what}"
    else:
        if page.text.strip():
            th_why = "ข้อความในไฟล์อ่านไม่ออก เป็นฟอนต์ภาษาไทยแบบเก่าที่ไม่ใช่ Unicode"
            en_why = "its text is not readable: an old non-Unicode Thai font"
        else:
            th_why = "ไม่มีข้อความในไฟล์ให้อ่าน เช่น ภาพสแกนที่ไม่ได้ถอดข้อความ"
            en_why = "no text could be read from it, e.g. a scan without OCR"
        th = f"อ่านเนื้อหาในไฟล์เอกสารไม่ได้ ({th_why}) จึงยังตรวจไม่ได้ว่ามี {th_what}"
        # the crawler's note says why in its own words: it replaces ours in English
        en = f"document content not read ({note or en_why}), so it is not checked for {en_what}"
        if note:
            th += f" — {note}"
        return Reason(th=th, en=en, rejects=True)
    if note:
        th += f" — {note}"
        en += f" — {note}"
    return Reason(th=th, en=en, rejects=True)


def _skip_why(c: Candidate) -> tuple[str, str]:
    skip = c.site.skip_for(c.url) or c.site.skip_for(c.key)
    if skip is None:
        return (
            "การตรวจถึงขีดจำกัดก่อนถึงลิงก์นี้ หรือไม่ได้ตามลิงก์นี้",
            "the crawl reached its limits first, or did not follow this link",
        )
    th, en = _SKIP_WHY.get(skip.reason, ("ถูกข้าม", f"skipped ({skip.reason})"))
    if skip.detail:
        th += f": {skip.detail}"
        en += f": {skip.detail}"
    return th, en


def _not_fetched(c: Candidate) -> Reason:
    """NOT_FETCHED, naming why the crawler skipped the page when it said."""
    skip = c.site.skip_for(c.url) or c.site.skip_for(c.key)
    if skip is None:
        return NOT_FETCHED
    th, en = _skip_why(c)
    return Reason(
        th=f"ยังไม่ได้ตรวจเนื้อหา: หน้านี้ไม่ได้ถูกดึงมาตรวจ ({th})",
        en=f"content not checked: the page was not fetched ({en})",
        rejects=True,
    )


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


def _names_in(site: SiteIndex, page: Page) -> list[AgencyName]:
    """Agency names in a page's own text, read once per page (every item looks)."""
    cache = site.agency_cache
    key = id(page)
    out = cache.get(key)
    if out is None:
        out = agency_names(" ".join([page.title, *page.headings, page.text]))
        cache[key] = out
    return out


def _agency_flag(c: Candidate, own: AgencyName | None) -> Reason | None:
    """Another local administration named in the evidence (a copied document)."""
    if own is None or not c.readable or c.page is None:
        return None
    names: list[AgencyName] = []
    for page in (c.page, *c.members):
        names.extend(_names_in(c.site, page))
    others = others_among(names, own)
    if not others:
        return None
    names = ", ".join(f"“{a.shown}”" for a in others[:3])
    return Reason(
        th=f"หลักฐานระบุชื่อหน่วยงานอื่น {names} ไม่ใช่ “{own.shown}” "
        "จึงยังไม่ใช่ข้อมูลของหน่วยงานเอง (อาจคัดลอกเอกสารมาจากหน่วยงานอื่น)",
        en=f"the evidence names another agency, {names}, not “{own.shown}”, "
        "so it is not the agency's own (possibly copied from another agency)",
        rejects=True,
    )


@dataclass(slots=True)
class _PartResult:
    status: ItemStatus
    verdicts: list[_Verdict]
    reasons: list[Reason]


def _judge_part(
    catalog: Catalog, rule: ItemRule, site: SiteIndex, entries: list[_Cand], ctx: _Context
) -> _PartResult:
    excluded = frozenset(e.cand.key for e in entries if e.disqualified)
    for e in entries:
        e.cand.excluded = excluded
    siblings = _listing_siblings(entries)
    verdicts = sorted(
        (_judge(rule, e, ctx, siblings.get(id(e))) for e in entries), key=_Verdict.sort_key
    )
    best = verdicts[0] if verdicts else None

    if best is not None and best.level == "pass":
        reasons = [
            Reason(
                th=f"{_th('พบ', rule.title_th)}: {_path_text(best.cand)}",
                en=f"found {rule.title_en}: {_path_text(best.cand)}",
            )
        ]
        # what was not looked at in passing evidence (nothing the rule needed): said, not held against it
        if best.skipped and best.cand.kind == "document" and not best.cand.readable:
            reasons.append(_document_not_read(best.cand))
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
                    rejects=True,
                ),
                *best.reasons,
            ]
        )
        return _PartResult(ItemStatus.PARTIAL, verdicts, reasons)

    th, en = _looked_for(rule)
    if verdicts:
        lead = Reason(
            th=_th("ไม่พบ", rule.title_th, "ที่ใช้ได้") + (f" ({th})" if th else ""),
            en=f"no acceptable {rule.title_en} found" + (f" ({en})" if en else ""),
            rejects=True,
        )
    else:
        lead = Reason(
            th=_th("ไม่พบ", rule.title_th) + (f": {th}" if th else ""),
            en=f"no {rule.title_en} found" + (f": {en}" if en else ""),
            rejects=True,
        )
    seen: list[Reason] = []
    for v in verdicts:
        seen.extend(v.reasons)
    return _PartResult(ItemStatus.FAIL, verdicts, _dedupe([lead, *seen]))


def _document_not_read(c: Candidate) -> Reason:
    """DOCUMENT_NOT_READ with the crawler's note on why, when it gave one."""
    note = c.page.note if c.page is not None else ""
    if not note:
        return DOCUMENT_NOT_READ
    return Reason(th=f"{DOCUMENT_NOT_READ.th} — {note}", en=f"{DOCUMENT_NOT_READ.en} — {note}")


def _evaluate_item(
    catalog: Catalog,
    rule: ItemRule,
    site: SiteIndex,
    collected: dict[str, list[_Cand]],
    own: AgencyName | None,
    found_by: dict[str, set[str]],
) -> ItemResult:
    result = ItemResult(rule.code, rule.title_th, rule.title_en, ItemStatus.FAIL)
    main = _judge_part(
        catalog, rule, site, collected[rule.code], _context(rule, own, found_by)
    )
    parts = [
        (p, _judge_part(catalog, p, site, collected[p.code], _context(p, own, found_by)))
        for p in rule.also
    ]

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
                    Reason(
                        th=f"ส่วนที่ต้องมีด้วย: {part.title_th}",
                        en=f"also required: {part.title_en}",
                        rejects=True,
                    )
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
    return result


def _context(rule: ItemRule, own: AgencyName | None, found_by: dict[str, set[str]]) -> _Context:
    """What judging one item (or part) needs beyond its candidates: the site's agency
    (when the rule checks it) and the targets only other items found."""
    foreign = frozenset(k for k, codes in found_by.items() if rule.code not in codes)
    return _Context(own=own if rule.agency_check else None, foreign=foreign)
