"""Per-item rule files (data, under catalogs/) and the code that loads and applies them.

from rules import load_catalog, evaluate
catalog = load_catalog("ita-2566")
results = evaluate(catalog, site_crawl)     # one ItemResult per item, catalog order
"""

from ._catalog import Catalog, Indicator, ItemRule, SubIndicator
from ._engine import evaluate
from ._errors import RuleError
from ._loader import catalog_dir, list_catalogs, load_catalog, validate_catalog_dir
from ._normalize import normalize_th
from ._result import Evidence, ItemResult, ItemStatus, Reason

__all__ = [
    "Catalog",
    "Evidence",
    "Indicator",
    "ItemResult",
    "ItemRule",
    "ItemStatus",
    "Reason",
    "RuleError",
    "SubIndicator",
    "catalog_dir",
    "evaluate",
    "list_catalogs",
    "load_catalog",
    "normalize_th",
    "validate_catalog_dir",
]
