"""Loading and validating a catalog folder: ``catalog.yaml`` plus one file per item."""

from __future__ import annotations

from pathlib import Path

from ._catalog import Catalog, Exclusion, Find, Indicator, ItemRule, SubIndicator
from ._errors import RuleError
from ._match import Patterns
from ._normalize import normalize_th
from ._result import Reason
from ._schema import CatalogFile, RuleFile, compile_keywords, validate_model
from ._yaml import YamlDoc, load_yaml
from .checks import CheckContext, Requirement, build_requirement

__all__ = ["CATALOGS_DIR", "catalog_dir", "list_catalogs", "load_catalog", "validate_catalog_dir"]

CATALOGS_DIR = Path(__file__).parent / "catalogs"
CATALOG_FILE = "catalog.yaml"


def list_catalogs() -> list[str]:
    """Ids of the catalogs shipped in ``rules/catalogs/``."""
    if not CATALOGS_DIR.is_dir():
        return []
    return sorted(p.name for p in CATALOGS_DIR.iterdir() if (p / CATALOG_FILE).is_file())


def catalog_dir(catalog_id: str) -> Path:
    """The folder of a shipped catalog, e.g. ``rules/catalogs/ita-2566``."""
    folder = CATALOGS_DIR / catalog_id
    if not (folder / CATALOG_FILE).is_file():
        available = ", ".join(list_catalogs()) or "none"
        raise RuleError(folder / CATALOG_FILE, f"no such catalog (available: {available})")
    return folder


def _resolve(id_or_path: str | Path) -> Path:
    if isinstance(id_or_path, str) and "/" not in id_or_path and "\\" not in id_or_path:
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


def _load(folder: Path) -> tuple[Catalog | None, list[RuleError]]:
    errors: list[RuleError] = []
    cat_path = folder / CATALOG_FILE
    cf: CatalogFile | None = None
    if not cat_path.is_file():
        errors.append(RuleError(cat_path, "missing: every catalog folder needs a catalog.yaml"))
    else:
        try:
            doc = load_yaml(cat_path)
        except RuleError as e:
            errors.append(e)
        else:
            if not isinstance(doc.data, dict):
                errors.append(RuleError(cat_path, "should be a mapping (id, fiscal_year, ...)"))
            else:
                cf, errs = validate_model(CatalogFile, doc.data, doc)
                errors.extend(errs)
            if cf is not None:
                errors.extend(_check_catalog_file(cf, folder, doc))

    catalog_items: dict[str, tuple[str, str]] = {}
    if cf is not None:
        for ind in cf.indicators:
            for sub in ind.sub_indicators:
                for it in sub.items:
                    catalog_items.setdefault(it.code.upper(), (it.th, it.en))
    ctx = CheckContext(
        catalog_id=cf.id if cf else folder.name, fiscal_year=cf.fiscal_year if cf else 0
    )

    rules: dict[str, ItemRule] = {}
    files = sorted(
        p for p in [*folder.glob("*.yaml"), *folder.glob("*.yml")] if p.name != CATALOG_FILE
    )
    for path in files:
        rule, errs = _load_rule(path, ctx, catalog_items if cf is not None else None)
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

    if cf is None or errors:
        return None, errors

    items: list[ItemRule] = []
    for code, (th, en) in catalog_items.items():
        items.append(
            rules.get(code) or ItemRule(code=code, title_th=th, title_en=en, implemented=False)
        )
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
    generic = sorted({normalize_th(g) for g in cf.generic_link_texts} - {""}, key=len, reverse=True)
    catalog = Catalog(
        id=cf.id,
        fiscal_year=cf.fiscal_year,
        title_th=cf.title.th,
        title_en=cf.title.en,
        items=items,
        structure=structure,
        path=folder,
        hubs=Find(keywords=compile_keywords(cf.hubs.keywords), url=Patterns.of(cf.hubs.url)),
        generic_link_texts=tuple(generic),
    )
    return catalog, []


def _check_catalog_file(cf: CatalogFile, folder: Path, doc: YamlDoc) -> list[RuleError]:
    errors = []
    if cf.id != folder.name:
        errors.append(
            RuleError(
                doc.path,
                f"id '{cf.id}' does not match the folder name '{folder.name}'",
                field="id",
                line=doc.line_of(["id"]),
            )
        )
    seen: set[str] = set()
    for i, ind in enumerate(cf.indicators):
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


def _load_rule(
    path: Path, ctx: CheckContext, catalog_items: dict[str, tuple[str, str]] | None
) -> tuple[ItemRule | None, list[RuleError]]:
    try:
        doc = load_yaml(path)
    except RuleError as e:
        return None, [e]
    if not isinstance(doc.data, dict):
        return None, [
            RuleError(path, "should be a mapping of fields (code, title, find, ...)", line=1)
        ]
    errors: list[RuleError] = []
    expected = path.stem.upper()
    raw_code = doc.data.get("code")
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
    rf, errs = validate_model(RuleFile, doc.data, doc)
    # `require` entries are checked below, entry by entry, whatever else is wrong
    errors.extend(e for e in errs if not (e.field or "").startswith("require["))
    if rf is not None and code_ok and catalog_items is not None:
        if rf.code not in catalog_items:
            errors.append(
                RuleError(
                    path,
                    f"item {rf.code} is not listed in catalog.yaml",
                    field="code",
                    line=doc.line_of(["code"]),
                )
            )
        else:
            th, _en = catalog_items[rf.code]
            if normalize_th(rf.title.th) != normalize_th(th):
                errors.append(
                    RuleError(
                        path,
                        f"differs from catalog.yaml ('{th}')",
                        field="title.th",
                        line=doc.line_of(["title", "th"]),
                    )
                )
    requirements: list[Requirement] = []
    raw_require = doc.data.get("require")
    if isinstance(raw_require, list):
        for i, raw in enumerate(raw_require):
            req, errs = build_requirement(raw, ctx, doc, ["require", i])
            errors.extend(errs)
            if req is not None:
                requirements.append(req)
    errors.sort(key=lambda e: e.line or 0)
    if rf is None:
        return None, errors
    if errors:
        return None, errors
    rule = ItemRule(
        code=rf.code,
        title_th=rf.title.th,
        title_en=rf.title.en,
        requirement_th=rf.requirement.th,
        requirement_en=rf.requirement.en,
        source=rf.source,
        find=Find(
            keywords=compile_keywords(rf.find.keywords),
            url=Patterns.of(rf.find.url),
            external=Patterns.of(rf.find.external),
        ),
        exclusions=tuple(
            Exclusion(
                keywords=compile_keywords(n.keywords),
                url=Patterns.of(n.url),
                reason=_reason(n.reason),
            )
            for n in rf.not_
        ),
        requirements=tuple(requirements),
        file=path,
    )
    return rule, []
