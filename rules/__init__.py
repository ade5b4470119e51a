"""Per-item rule files (data, under catalogs/) and the code that loads and applies them.

from rules import load_catalog, evaluate
catalog = load_catalog("ita-2566")          # or load_catalog(default_catalog())
results = evaluate(catalog, site_crawl, agency_name=None)   # one ItemResult per judged item
score = estimate_score(catalog, results)    # OIT estimate: indicators, grade, not judged
"""

from ._catalog import Catalog, Grade, Indicator, ItemRule, SubIndicator
from ._engine import evaluate
from ._errors import RuleError
from ._loader import (
    catalog_dir,
    default_catalog,
    list_catalogs,
    load_catalog,
    validate_catalog_dir,
)
from ._normalize import normalize_th
from ._result import Evidence, ItemResult, ItemStatus, Reason
from ._score import ScoreEstimate, estimate_score

__all__ = [
    "Catalog",
    "Evidence",
    "Grade",
    "Indicator",
    "ItemResult",
    "ItemRule",
    "ItemStatus",
    "Reason",
    "RuleError",
    "ScoreEstimate",
    "SubIndicator",
    "catalog_dir",
    "default_catalog",
    "estimate_score",
    "evaluate",
    "list_catalogs",
    "load_catalog",
    "normalize_th",
    "validate_catalog_dir",
]
