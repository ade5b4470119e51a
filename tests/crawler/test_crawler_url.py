"""URL normalisation, de-duplication keys and scope (crawler._url)."""

from __future__ import annotations

import pytest

from crawler._url import Scope, dedup_key, normalize_url, registrable_domain, site_key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # scheme and host lower-cased, default port dropped, fragment dropped
        ("HTTP://WWW.Abc.GO.TH:80/a#top", "http://www.abc.go.th/a"),
        ("https://x.go.th:443/", "https://x.go.th/"),
        ("https://x.go.th:8443/", "https://x.go.th:8443/"),
        ("http://x.go.th", "http://x.go.th/"),
        # dot segments
        ("http://x.go.th/a/./b/../c", "http://x.go.th/a/c"),
        ("http://x.go.th/a/b/..", "http://x.go.th/a/"),
        ("http://x.go.th/../../a", "http://x.go.th/a"),
        # query sorted, session and tracking parameters dropped
        ("http://x.go.th/?b=2&a=1", "http://x.go.th/?a=1&b=2"),
        (
            (
                "http://x.go.th/p?x=1&PHPSESSID=zz&utm_source=fb&utm_medium=a&fbclid=1&gclid=2"
                "&sid=3&sessionid=4&jsessionid=5"
            ),
            "http://x.go.th/p?x=1",
        ),
        ("http://x.go.th/page;jsessionid=ABC123?x=1", "http://x.go.th/page?x=1"),
        ("http://x.go.th/?", "http://x.go.th/"),
        # percent-encoding: hex upper-cased, unreserved decoded, reserved kept escaped
        ("http://x.go.th/a%2Fb%41%7e", "http://x.go.th/a%2FbA~"),
        ("http://x.go.th/a b", "http://x.go.th/a%20b"),
        ("http://x.go.th/a+b?c=d+e", "http://x.go.th/a+b?c=d+e"),
        # credentials removed; tabs and newlines inside the URL removed
        ("http://user:pw@x.go.th/", "http://x.go.th/"),
        ("  http://x.go.th/a\n\tb ", "http://x.go.th/ab"),
        # IDN host to punycode; IPv6 literal kept
        ("http://ทดสอบ.com/", "http://xn--l3cfk7dp.com/"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


def test_thai_slug_round_trips() -> None:
    raw = "http://x.go.th/ข่าว/ประชาสัมพันธ์?q=ทดสอบ"
    encoded = normalize_url(raw)
    assert encoded is not None and encoded.isascii()
    # the same URL written encoded, in lower-case hex, or normalised twice is the same URL
    assert normalize_url(encoded) == encoded
    assert normalize_url(encoded.lower().replace("http://x.go.th", "http://X.GO.TH")) == encoded
    from urllib.parse import unquote

    assert unquote(encoded) == raw


@pytest.mark.parametrize(
    "raw",
    [
        "javascript:void(0)",
        "mailto:a@b.go.th",
        "tel:021234567",
        "data:text/html,x",
        "ftp://x.go.th/",
        "http://x.go.th:99999/",
        "http:///nohost",
        "",
    ],
)
def test_unusable(raw: str) -> None:
    assert normalize_url(raw) is None


def test_relative_and_base() -> None:
    assert normalize_url("../x", "http://a.go.th/b/c/d") == "http://a.go.th/b/x"
    assert (
        normalize_url("?page_id=5", "http://a.go.th/index.php")
        == "http://a.go.th/index.php?page_id=5"
    )
    assert normalize_url("//cdn.a.go.th/f.pdf", "https://a.go.th/") == "https://cdn.a.go.th/f.pdf"


def test_dedup_key_ignores_scheme() -> None:
    assert dedup_key("http://a.go.th/x") == dedup_key("https://a.go.th/x")


def test_registrable_domain_uses_public_suffixes() -> None:
    assert registrable_domain("www.abc.go.th") == "abc.go.th"
    assert registrable_domain("eservice.abc.go.th") == "abc.go.th"
    assert registrable_domain("xyz.go.th") == "xyz.go.th"
    assert registrable_domain("www.school.ac.th") == "school.ac.th"
    assert registrable_domain("127.0.0.1") == ""


def test_scope_subdomains_are_one_site() -> None:
    scope = Scope.of("http://www.abc.go.th/")
    assert "http://eservice.abc.go.th/form" in scope
    assert "https://abc.go.th/" in scope
    assert "http://www.abc.go.th:8080/" in scope
    assert "http://xyz.go.th/" not in scope
    assert "https://www.facebook.com/abc" not in scope
    assert "https://process3.gprocurement.go.th/" not in scope
    assert "https://itas.nacc.go.th/go/eit/abc123" not in scope


def test_scope_ip_hosts_include_the_port() -> None:
    scope = Scope.of("http://127.0.0.1:8001/")
    assert "http://127.0.0.1:8001/a" in scope
    assert "http://127.0.0.1:8002/a" not in scope
    assert "http://localhost:8001/" not in scope
    assert site_key("http://localhost:8001/") == "localhost:8001"


def test_scope_google_sites_is_per_site() -> None:
    scope = Scope.of("https://sites.google.com/view/school/home")
    assert "https://sites.google.com/view/school/about" in scope
    assert "https://sites.google.com/view/other/about" not in scope
    assert "https://docs.google.com/forms/d/x" not in scope


def test_scope_follows_a_moved_home_page() -> None:
    scope = Scope.of("http://old.go.th/")
    scope.add("https://www.new.go.th/")
    assert "https://new.go.th/a" in scope
    assert "http://old.go.th/b" in scope
