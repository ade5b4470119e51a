"""Loading and validating a catalog folder: ``catalog.yaml`` plus one file per item.

A catalog may ``extends:`` another one. It then inherits the parent's hub labels,
generic link texts, vocabulary, grade bands and — unless it lists its own
``indicators`` — the parent's items, structure and rule files (its own ``oN.yaml``
files replace the parent's). A catalog with its own ``indicators`` judges an item with
its own rule file, or with a parent's rule file named by ``same_as``; an item marked
``unknown`` is listed and never judged. Years in rule files are written relative to the
catalog's fiscal year (``{Y}``, ``current``), so a parent's rule file serves every year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._catalog import Catalog, Exclusion, Find, Grade, Indicator, ItemRule, SubIndicator
from ._errors import RuleError
from ._expand import expand_vocabulary, fill_years
from ._match import Patterns
from ._normalize import normalize_th
from ._result import Reason
from ._schema import (
    AlsoSpec,
    CatalogFile,
    NotSpec,
    RuleFile,
    compile_keywords,
    validate_model,
)
from ._yaml import YamlDoc, load_yaml
from .checks import CheckContext, Requirement, build_requirement

__all__ = [
    "CATALOGS_DIR",
    "catalog_dir",
    "default_catalog",
    "list_catalogs",
    "load_catalog",
    "validate_catalog_dir",
]

CATALOGS_DIR = Path(__file__).parent / "catalogs"
CATALOG_FILE = "catalog.yaml"
FIXTURES_DIR = "fixtures"

# keys of catalog.yaml that belong to one catalog and are never inherited
_OWN_KEYS = {"id", "fiscal_year", "title", "source", "extends", "status", "note"}


def list_catalogs() -> list[str]:
    """Ids of the catalogs shipped in ``rules/catalogs/``."""
    if not CATALOGS_DIR.is_dir():
        return []
    return sorted(p.name for p in CATALOGS_DIR.iterdir() if (p / CATALOG_FILE).is_file())


def default_catalog() -> str:
    """The newest complete catalog shipped (``--catalog`` when none is given)."""
    best: tuple[int, str] | None = None
    for cid in list_catalogs():
        try:
            doc = load_yaml(CATALOGS_DIR / cid / CATALOG_FILE)
        except RuleError:
            continue
        data = doc.data if isinstance(doc.data, dict) else {}
        year = data.get("fiscal_year")
        if data.get("status", "complete") != "complete" or not isinstance(year, int):
            continue
        if best is None or (year, cid) > best:
            best = (year, cid)
    if best is None:
        raise RuleError(CATALOGS_DIR, "no complete catalog is shipped")
    return best[1]


def catalog_dir(catalog_id: str) -> Path:
    """The folder of a shipped catalog, e.g. ``rules/catalogs/ita-2566``."""
    folder = CATALOGS_DIR / catalog_id
    if not (folder / CATALOG_FILE).is_file():
        available = ", ".join(list_catalogs()) or "none"
        raise RuleError(folder / CATALOG_FILE, f"no such catalog (available: {available})")
    return folder


def _resolve(id_or_path: str | Path, near: Path | None = None) -> Path:
    if isinstance(id_or_path, str) and "/" not in id_or_path and "\\" not in id_or_path:
        if near is not None and (near / id_or_path / CATALOG_FILE).is_file():
            return near / id_or_path  # a sibling folder (a catalog copied with its parent)
        builtin = CATALOGS_DIR / id_or_path
        if builtin.is_dir():
            return builtin
    path = Path(id_or_path)
    if path.is_dir():
        return path
    if path.name == CATALOG_FILE and path.is_file():
        return path.parent
    available = ", ".join(list_catalogs()) or "none"
    raise RuleError(path / CATALOG_FILE, f"no such catalog (available: {available})")


def load_catalog(id_or_path: str | Path) -> Catalog:
    """Load a catalog by id (``"ita-2566"``) or from a folder path.

    Raises RuleError for the first problem; ``err.all_errors`` holds every problem.
    """
    catalog, errors = _load(_resolve(id_or_path))
    if errors:
        first = errors[0]
        first.all_errors = errors
        raise first
    assert catalog is not None
    return catalog


def validate_catalog_dir(path: str | Path) -> list[RuleError]:
    """Every problem in a catalog folder ([] when it is valid)."""
    try:
        folder = _resolve(path)
    except RuleError as e:
        return [e]
    return _load(folder)[1]


def _reason(t: object) -> Reason:
    return Reason(th=t.th, en=t.en)  # type: ignore[attr-defined]


# --- catalog.yaml and its parents -------------------------------------------------------------


@dataclass(slots=True)
class _Level:
    """One catalog.yaml of the chain (the catalog, its parent, ...)."""

    folder: Path
    doc: YamlDoc
    raw: dict[str, Any]
    cf: CatalogFile


@dataclass(slots=True)
class _Chain:
    levels: list[_Level] = field(default_factory=list)  # [catalog, parent, grandparent ...]

    @property
    def own(self) -> _Level:
        return self.levels[0]

    def effective_raw(self) -> dict[str, Any]:
        """catalog.yaml data with inherited keys filled in from the parents."""
        merged: dict[str, Any] = {}
        vocab: dict[str, Any] = {}
        for level in reversed(self.levels):
            for k, v in level.raw.items():
                if k == "vocabulary" and isinstance(v, dict):
                    vocab.update(v)
                elif k not in _OWN_KEYS or level is self.own:
                    merged[k] = v
        if vocab:
            merged["vocabulary"] = vocab
        for k in _OWN_KEYS:
            if k not in self.own.raw:
                merged.pop(k, None)
        return merged

    def own_structure(self) -> bool:
        return "indicators" in self.own.raw

    def rule_file(self, code: str, start: int) -> Path | None:
        """``o<code>.yaml`` in the chain, from level ``start`` up."""
        for level in self.levels[start:]:
            for ext in ("yaml", "yml"):
                path = level.folder / f"{code.lower()}.{ext}"
                if path.is_file():
                    return path
        return None

    def structure_owner(self) -> int:
        """Index of the level whose ``indicators`` the catalog uses."""
        for i, level in enumerate(self.levels):
            if "indicators" in level.raw:
                return i
        return 0


def _read_level(folder: Path, errors: list[RuleError]) -> _Level | None:
    cat_path = folder / CATALOG_FILE
    if not cat_path.is_file():
        errors.append(RuleError(cat_path, "missing: every catalog folder needs a catalog.yaml"))
        return None
    try:
        doc = load_yaml(cat_path)
    except RuleError as e:
        errors.append(e)
        return None
    if not isinstance(doc.data, dict):
        errors.append(RuleError(cat_path, "should be a mapping (id, fiscal_year, ...)"))
        return None
    raw = doc.data
    year = raw.get("fiscal_year")
    data = fill_years(raw, year) if isinstance(year, int) else raw
    cf, errs = validate_model(CatalogFile, data, doc)
    errors.extend(errs)
    if cf is None:
        return None
    if cf.id != folder.name:
        errors.append(
            RuleError(
                doc.path,
                f"id '{cf.id}' does not match the folder name '{folder.name}'",
                field="id",
                line=doc.line_of(["id"]),
            )
        )
    return _Level(folder=folder, doc=doc, raw=raw, cf=cf)


def _read_chain(folder: Path, errors: list[RuleError]) -> _Chain | None:
    chain = _Chain()
    seen: set[Path] = set()
    current: Path | None = folder
    while current is not None:
        resolved = current.resolve()
        if resolved in seen:
            errors.append(
                RuleError(
                    chain.levels[-1].doc.path,
                    "'extends' goes round in a circle: "
                    + " → ".join(lv.cf.id for lv in chain.levels),
                    field="extends",
                    line=chain.levels[-1].doc.line_of(["extends"]),
                )
            )
            return None
        seen.add(resolved)
        level = _read_level(current, errors)
        if level is None:
            return None
        chain.levels.append(level)
        parent_id = level.cf.extends
        if parent_id is None:
            current = None
            continue
        try:
            current = _resolve(parent_id, near=level.folder.parent)
        except RuleError:
            errors.append(
                RuleError(
                    level.doc.path,
                    f"no catalog '{parent_id}' to extend "
                    f"(available: {', '.join(list_catalogs()) or 'none'})",
                    field="extends",
                    line=level.doc.line_of(["extends"]),
                )
            )
            return None
    return chain


def _check_duplicates(cf: CatalogFile, doc: YamlDoc) -> list[RuleError]:
    errors = []
    seen: set[str] = set()
    for i, ind in enumerate(cf.indicators or []):
        for j, sub in enumerate(ind.sub_indicators):
            for k, it in enumerate(sub.items):
                code = it.code.upper()
                if code in seen:
                    loc: list[str | int] = [
                        "indicators",
                        i,
                        "sub_indicators",
                        j,
                        "items",
                        k,
                        "code",
                    ]
                    errors.append(
                        RuleError(
                            doc.path,
                            f"item {code} is listed twice",
                            field=f"indicators[{i}].sub_indicators[{j}].items[{k}].code",
                            line=doc.line_of(loc),
                        )
                    )
                seen.add(code)
    return errors


# --- the whole catalog ------------------------------------------------------------------------


@dataclass(slots=True)
class _ItemEntry:
    code: str
    th: str
    en: str
    same_as: str | None
    unknown: bool
    note: str


def _load(folder: Path) -> tuple[Catalog | None, list[RuleError]]:
    errors: list[RuleError] = []
    chain = _read_chain(folder, errors)
    if chain is None:
        return None, errors
    own = chain.own
    # the effective catalog.yaml: own keys plus inherited ones, years of this catalog
    eff_doc = YamlDoc(own.doc.path, None, own.doc.root)
    eff = fill_years(chain.effective_raw(), own.cf.fiscal_year)
    cf, errs = validate_model(CatalogFile, eff, eff_doc)
    if errs:
        # an inherited part is broken: the parent's own validation names the line
        errors.extend(e for e in errs if e not in errors)
        return None, errors
    assert cf is not None and cf.indicators is not None
    owner = chain.levels[chain.structure_owner()]
    errors.extend(_check_duplicates(cf, owner.doc))
    if chain.own_structure():
        for ind in cf.indicators:
            for sub in ind.sub_indicators:
                for it in sub.items:
                    if it.same_as and chain.rule_file(it.same_as, 1) is None:
                        errors.append(
                            RuleError(
                                own.doc.path,
                                f"item {it.code}: same_as {it.same_as}: no such rule file in "
                                "the parent catalogs",
                                field="indicators",
                                line=own.doc.line_of(["indicators"]),
                            )
                        )

    entries: dict[str, _ItemEntry] = {}
    for ind in cf.indicators:
        for sub in ind.sub_indicators:
            for it in sub.items:
                entries.setdefault(
                    it.code.upper(),
                    _ItemEntry(
                        it.code.upper(),
                        it.th,
                        it.en,
                        it.same_as.upper() if it.same_as else None,
                        it.unknown,
                        it.note or "",
                    ),
                )
    vocabulary: dict[str, Any] = dict(eff.get("vocabulary") or {})
    ctx = CheckContext(catalog_id=cf.id, fiscal_year=cf.fiscal_year)

    # the catalog's own rule files: each must be an item of the catalog
    own_files = sorted(
        p for p in [*folder.glob("*.yaml"), *folder.glob("*.yml")] if p.name != CATALOG_FILE
    )
    rules: dict[str, ItemRule] = {}
    for path in own_files:
        code = path.stem.upper()
        entry = entries.get(code)
        rule, errs = _load_rule(path, ctx, vocabulary, entry, listed=code in entries)
        errors.extend(errs)
        if rule is None:
            continue
        if rule.code in rules:
            other = rules[rule.code].file
            errors.append(
                RuleError(
                    path,
                    f"duplicate item code {rule.code} (also in {other.name if other else '?'})",
                    field="code",
                    line=1,
                )
            )
            continue
        rules[rule.code] = rule

    # rule files of the parents: for items with same_as, and for every item when the
    # structure is inherited
    inherit_by_code = not chain.own_structure()
    for code, entry in entries.items():
        if code in rules or entry.unknown:
            continue
        source_code = entry.same_as or (code if inherit_by_code else None)
        if source_code is None:
            continue
        path = chain.rule_file(source_code, 1)
        if path is None:
            continue
        rule, errs = _load_rule(path, ctx, vocabulary, entry, listed=True, as_code=code)
        if errs:
            errors.extend(errs)
            continue
        if rule is not None:
            rules[code] = rule

    if errors:
        return None, errors

    items: list[ItemRule] = []
    for code, entry in entries.items():
        rule = rules.get(code)
        if rule is None or entry.unknown:
            items.append(
                ItemRule(
                    code=code,
                    title_th=entry.th,
                    title_en=entry.en,
                    implemented=False,
                    unknown=entry.unknown,
                    note=entry.note,
                )
            )
        else:
            items.append(rule)
    structure = [
        Indicator(
            code=ind.code,
            title_th=ind.title.th,
            title_en=ind.title.en,
            sub_indicators=tuple(
                SubIndicator(
                    code=sub.code,
                    title_th=sub.title.th,
                    title_en=sub.title.en,
                    items=tuple(it.code.upper() for it in sub.items),
                )
                for sub in ind.sub_indicators
            ),
        )
        for ind in cf.indicators
    ]
    hubs = cf.hubs
    generic = sorted(
        {normalize_th(g) for g in cf.generic_link_texts or []} - {""}, key=len, reverse=True
    )
    catalog = Catalog(
        id=cf.id,
        fiscal_year=cf.fiscal_year,
        title_th=cf.title.th,
        title_en=cf.title.en,
        items=items,
        structure=structure,
        path=folder,
        hubs=Find(keywords=compile_keywords(hubs.keywords), url=Patterns.of(hubs.url))
        if hubs is not None
        else Find(),
        generic_link_texts=tuple(generic),
        extends=cf.extends,
        status=cf.status,
        note=cf.note or "",
        grades=tuple(Grade(g.min, g.th, g.en) for g in cf.grades or []),
        grades_note=cf.grades_note or "",
        source=cf.source or "",
    )
    return catalog, []


# --- one rule file ----------------------------------------------------------------------------


def _build_part(
    code: str,
    title_th: str,
    title_en: str,
    find: Any,
    nots: list[NotSpec],
    raw_require: Any,
    ctx: CheckContext,
    doc: YamlDoc,
    loc: list[str | int],
) -> tuple[ItemRule | None, list[RuleError]]:
    errors: list[RuleError] = []
    requirements: list[Requirement] = []
    if isinstance(raw_require, list):
        for i, raw in enumerate(raw_require):
            req, errs = build_requirement(raw, ctx, doc, [*loc, "require", i])
            errors.extend(errs)
            if req is not None:
                requirements.append(req)
    if errors:
        return None, errors
    return (
        ItemRule(
            code=code,
            title_th=title_th,
            title_en=title_en,
            find=Find(
                keywords=compile_keywords(find.keywords),
                url=Patterns.of(find.url),
                external=Patterns.of(find.external),
            ),
            exclusions=tuple(
                Exclusion(
                    keywords=compile_keywords(n.keywords),
                    url=Patterns.of(n.url),
                    reason=_reason(n.reason),
                    look_alike=n.look_alike,
                )
                for n in nots
            ),
            requirements=tuple(requirements),
        ),
        [],
    )


def _load_rule(
    path: Path,
    ctx: CheckContext,
    vocabulary: dict[str, Any],
    entry: _ItemEntry | None,
    *,
    listed: bool,
    as_code: str | None = None,
) -> tuple[ItemRule | None, list[RuleError]]:
    """Load ``path`` for the item ``entry`` of the catalog being loaded. ``as_code``: the
    file belongs to a parent catalog and judges this catalog's item ``as_code``."""
    try:
        doc = load_yaml(path)
    except RuleError as e:
        return None, [e]
    if not isinstance(doc.data, dict):
        return None, [
            RuleError(path, "should be a mapping of fields (code, title, find, ...)", line=1)
        ]
    errors: list[RuleError] = []
    data = fill_years(doc.data, ctx.fiscal_year)
    data, errs = expand_vocabulary(data, vocabulary, doc)
    errors.extend(errs)
    expected = path.stem.upper()
    raw_code = data.get("code")
    code_ok = not isinstance(raw_code, str) or raw_code.upper() == expected
    if not code_ok:
        errors.append(
            RuleError(
                path,
                f"code {str(raw_code).upper()} does not match the file name (expected {expected})",
                field="code",
                line=doc.line_of(["code"]),
            )
        )
    rf, errs = validate_model(RuleFile, data, doc)
    # `require` entries are checked below, entry by entry, whatever else is wrong
    errors.extend(
        e
        for e in errs
        if not ((e.field or "").startswith("require[") or ".require[" in (e.field or ""))
    )
    same_as = as_code is not None and entry is not None and entry.same_as is not None
    if rf is not None and code_ok:
        if not listed:
            errors.append(
                RuleError(
                    path,
                    f"item {rf.code} is not listed in catalog.yaml",
                    field="code",
                    line=doc.line_of(["code"]),
                )
            )
        elif entry is not None and not same_as:
            if normalize_th(rf.title.th) != normalize_th(entry.th):
                errors.append(
                    RuleError(
                        path,
                        f"differs from catalog.yaml ('{entry.th}')",
                        field="title.th",
                        line=doc.line_of(["title", "th"]),
                    )
                )
    code = as_code or (rf.code if rf is not None else expected)
    main, errs = (
        _build_part(
            code,
            rf.title.th,
            rf.title.en,
            rf.find,
            rf.not_,
            data.get("require"),
            ctx,
            doc,
            [],
        )
        if rf is not None
        else (None, _require_errors(data.get("require"), ctx, doc))
    )
    errors.extend(errs)
    also: list[ItemRule] = []
    raw_also = data.get("also")
    if rf is not None and isinstance(raw_also, list):
        for i, part in enumerate(rf.also):
            raw_part = raw_also[i] if i < len(raw_also) and isinstance(raw_also[i], dict) else {}
            built, errs = _also_part(code, i, part, raw_part, ctx, doc)
            errors.extend(errs)
            if built is not None:
                also.append(built)
    errors.sort(key=lambda e: e.line or 0)
    if rf is None or main is None or errors:
        return None, errors
    title_th = entry.th if (same_as and entry) else rf.title.th
    title_en = entry.en if (same_as and entry) else rf.title.en
    rule = ItemRule(
        code=code,
        title_th=title_th,
        title_en=title_en,
        requirement_th=rf.requirement.th,
        requirement_en=rf.requirement.en,
        source=rf.source,
        find=main.find,
        exclusions=main.exclusions,
        requirements=main.requirements,
        file=path,
        also=tuple(also),
        agency_check=rf.agency_check,
        same_as=entry.same_as if (same_as and entry) else None,
        note=entry.note if entry else "",
    )
    return rule, []


def _require_errors(raw_require: Any, ctx: CheckContext, doc: YamlDoc) -> list[RuleError]:
    """Problems of the ``require`` entries alone (when the rest of the file is broken)."""
    errors: list[RuleError] = []
    if isinstance(raw_require, list):
        for i, raw in enumerate(raw_require):
            errors.extend(build_requirement(raw, ctx, doc, ["require", i])[1])
    return errors


def _also_part(
    code: str,
    i: int,
    part: AlsoSpec,
    raw: dict[str, Any],
    ctx: CheckContext,
    doc: YamlDoc,
) -> tuple[ItemRule | None, list[RuleError]]:
    return _build_part(
        f"{code}+{i + 1}",
        part.name.th,
        part.name.en,
        part.find,
        part.not_,
        raw.get("require"),
        ctx,
        doc,
        ["also", i],
    )
