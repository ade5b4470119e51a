"""The crawler: fetches one agency website politely and returns a SiteCrawl."""

from ._models import ClickStep, Form, Link, Page, PageKind, SiteCrawl, SiteStatus, Skip

__all__ = ["ClickStep", "Form", "Link", "Page", "PageKind", "SiteCrawl", "SiteStatus", "Skip"]
