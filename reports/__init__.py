"""Renders finished scan results for people (table) and programs (JSON, CSV)."""

from ._csv import render_csv
from ._json import render_json, run_to_dict
from ._model import RunReport, SiteReport
from ._score import score_line, site_score
from ._table import print_table, site_table
from ._thai import format_datetime

__all__ = [
    "RunReport",
    "SiteReport",
    "format_datetime",
    "print_table",
    "render_csv",
    "render_json",
    "run_to_dict",
    "score_line",
    "site_score",
    "site_table",
]
