"""Words of the dashboard's forms (start a scan, agencies, schedules): key -> th/en.
Merged into web._i18n.STRINGS."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {}
