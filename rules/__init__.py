"""Per-item rule files (data, under catalogs/) and the code that loads and applies them."""

from ._result import Evidence, ItemResult, ItemStatus, Reason

__all__ = ["Evidence", "ItemResult", "ItemStatus", "Reason"]
