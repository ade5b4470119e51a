"""Renders finished scan results for people (table) and programs (JSON, CSV)."""

from ._csv import render_csv
from ._json import render_json, run_to_dict
from ._model import RunReport, SiteReport
from ._score import score_line, site_score
from ._table import print_table, site_table
from ._thai import format_datetime
from .diff import (
    AgencyDiff,
    Change,
    ChangeKind,
    RunDiff,
    diff_runs,
    print_diff,
    render_diff_csv,
    render_diff_json,
)
from .itas import ItasRow, ItasSheet, itas_sheet, render_itas_csv, write_itas_xlsx

__all__ = [
    "AgencyDiff",
    "Change",
    "ChangeKind",
    "ItasRow",
    "ItasSheet",
    "RunDiff",
    "RunReport",
    "SiteReport",
    "diff_runs",
    "format_datetime",
    "itas_sheet",
    "print_diff",
    "print_table",
    "render_csv",
    "render_diff_csv",
    "render_diff_json",
    "render_itas_csv",
    "render_json",
    "run_to_dict",
    "score_line",
    "site_score",
    "site_table",
    "write_itas_xlsx",
]
