"""Fuzzing the crawler's readers of hostile bytes: HTML (links, context, images,
forms), charset detection, robots.txt, sitemaps, URL normalisation and content
kinds. Property: every input ends, quickly, with a result; nothing raises."""

from __future__ import annotations

import pytest
from fuzzing import THAI, bounded, fuzz, html_docs, thaiish
from hypothesis import example, given
from hypothesis import strategies as st

from crawler._charset import codec_for_label, decode_html, sniff_meta_charset
from crawler._content import extension, kind_of_response, kind_of_url, media_type, sniff
from crawler._parse import MAX_CONTEXT, MAX_IMAGES, parse_html
from crawler._robots import ROBOTS_MAX_BYTES, RobotsRules
from crawler._sitemap import parse_sitemap
from crawler._url import Scope, dedup_key, host_port, normalize_url, site_key

PAGE = "http://www.agency.go.th/th/index.php"


# ------------------------------------------------------------------- HTML


@fuzz(200)
@given(html_docs, st.integers(min_value=0, max_value=50))
def test_parse_html_never_raises_and_respects_its_caps(html: str, max_links: int) -> None:
    page = bounded(lambda: parse_html(html, PAGE, max_links=max_links))
    assert len(page.links) <= max_links
    assert len(page.images) <= MAX_IMAGES
    for link in page.links:
        assert link.url.startswith(("http://", "https://"))
        assert normalize_url(link.url) is not None
        assert len(link.context) <= MAX_CONTEXT + 2  # the window plus its "…" marks
    for image in page.images:
        assert image.url.startswith(("http://", "https://"))


@fuzz(100)
@given(st.binary(max_size=2000))
def test_parse_html_of_any_decoded_bytes(body: bytes) -> None:
    text, _codec = decode_html(body)
    bounded(lambda: parse_html(text, PAGE))


def test_parse_html_deep_nesting_is_bounded() -> None:
    # 20,000 nested blocks: the context walk stops after 40 ancestors.
    deep = "<div>" * 20_000 + "<a href='/x'>x</a>" + "</div>" * 20_000
    page = bounded(lambda: parse_html(deep, PAGE), 20)
    assert [link.url for link in page.links] == ["http://www.agency.go.th/x"]
    # 100,000 links: test_named_cases.py::test_page_with_100000_links (crawl and parser).


# ---------------------------------------------------------------- charsets


@fuzz(200)
@given(st.binary(max_size=3000), st.one_of(st.none(), thaiish))
@example(b"\xef\xbb\xbf\xff", "utf-8")
@example(b"", "\x00")  # found: codecs.lookup raised ValueError (embedded null)
@example(b"<p>\xff", "base64")  # found: a bytes-to-bytes codec, decode raised LookupError
@example(b"<meta charset=zlib><p>", None)
@example(b"<p>\xff", "idna")  # found: raises UnicodeError even with errors="replace"
@example(b"<p>\xff", "punycode")
@example(b"<meta charset=utf-16>\xe0", None)
@example("ภาษาไทย".encode("cp874"), "UTF-8")
def test_decode_html_never_raises(body: bytes, header: str | None) -> None:
    text, codec = bounded(lambda: decode_html(body, header))
    assert isinstance(text, str) and codec
    assert body.decode(codec, errors="replace") is not None  # the codec named really exists


_CP874_TEXT = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) not in "<>&") + "".join(
    ch for ch in THAI if ch.encode("cp874", "ignore")
)


@fuzz(200)
@given(
    st.text(alphabet=_CP874_TEXT, min_size=1, max_size=300),
    st.sampled_from(
        [None, "tis-620", "TIS620", "windows-874", "x-windows-874", "iso-8859-11", "utf-8"]
    ),
)
def test_undeclared_or_declared_tis620_round_trips(text: str, header: str | None) -> None:
    """Thai written in TIS-620/cp874 comes back as the same text, whether the header
    names it, names UTF-8 wrongly, or says nothing (when the bytes are not also valid
    UTF-8: then no decoder can tell)."""
    body = f"<html><body><p>{text}</p></body></html>".encode("cp874")
    decoded, codec = decode_html(body, header)
    try:
        body.decode("utf-8")
        ambiguous = True
    except UnicodeDecodeError:
        ambiguous = False
    if header not in (None, "utf-8") or not ambiguous:
        assert codec == "cp874" and text in decoded


@fuzz(200)
@given(thaiish)
@example("\x00")
@example("utf-8\x00")
@example("x" * 10_000)
def test_codec_for_label_never_raises(label: str) -> None:
    codec = codec_for_label(label)
    assert codec is None or isinstance(codec, str)


@fuzz(200)
@given(
    st.lists(
        st.sampled_from(
            [
                b"<meta ",
                b"charset=",
                b"'",
                b'"',
                b"tis-620",
                b"utf-8",
                b">",
                b" ",
                b"content='text/html;",
                b"\x00",
                b"<",
            ]
        ),
        max_size=60,
    )
)
def test_sniff_meta_charset_never_raises(parts: list[bytes]) -> None:
    bounded(lambda: sniff_meta_charset(b"".join(parts) * 50))


# ------------------------------------------------------------------ robots


_ROBOTS_BITS = st.sampled_from(
    [
        "User-agent: *\n",
        "User-agent: oitwatch\n",
        "Disallow: /",
        "Allow: /",
        "*",
        "$",
        "?",
        "%",
        "%2F",
        "%E0%B8",
        "Crawl-delay: ",
        "Crawl-delay: 1e999",
        "Crawl-delay: nan",
        "-5",
        "Sitemap: ",
        "http://",
        "\n",
        "\r",
        "#",
        ":",
        "ข่าว",
        "\x00",
        "Request-rate: 1/0",
        "\ufeff",
    ]
)
_ROBOTS_TEXT = st.lists(st.one_of(_ROBOTS_BITS, thaiish), max_size=40).map("".join)


@fuzz(200)
@given(_ROBOTS_TEXT, st.one_of(st.sampled_from(["/", "/a?b=1", "/%E0%B8%82"]), thaiish))
@example("User-agent: *\nCrawl-delay: 1e999\n", "/")
@example("User-agent: *\nCrawl-delay: nan\n", "/")
def test_robots_parse_and_allows_never_raise(text: str, path: str) -> None:
    rules = bounded(lambda: RobotsRules.parse(text.encode("utf-8", "surrogatepass")))
    assert isinstance(rules.allows("http://www.agency.go.th" + path), bool)
    delay = rules.crawl_delay
    # A delay is a finite number of seconds or none (1e999 or nan must not reach the limiter).
    assert delay is None or 0 <= delay < float("inf")


@fuzz(100)
@given(st.binary(max_size=2000))
def test_robots_of_any_bytes(body: bytes) -> None:
    rules = bounded(lambda: RobotsRules.parse(body))
    rules.allows(PAGE)


@pytest.mark.parametrize(
    "line", [b"Disallow: /" + b"*a" * 30 + b"*b$\n", b"Disallow: /*" + b"a*" * 200 + b"$\n"]
)
def test_robots_at_the_size_cap_full_of_wildcards_is_bounded(line: bytes) -> None:
    """500 KiB of wildcard rules against 2 KB URLs: Protego matches without a
    backtracking regex, so each check is linear (about 0.1 s here, measured; see
    README.md), never exponential."""
    body = b"User-agent: *\n" + line * (ROBOTS_MAX_BYTES // len(line))
    rules = bounded(lambda: RobotsRules.parse(body[:ROBOTS_MAX_BYTES]), 30)
    url = "http://www.agency.go.th/" + "a" * 2000
    assert bounded(lambda: [rules.allows(url + str(i)) for i in range(10)], 60)


# ---------------------------------------------------------------- sitemaps


_SITEMAP_BITS = st.sampled_from(
    [
        b"<?xml version='1.0'?>",
        b"<urlset>",
        b"</urlset>",
        b"<sitemapindex>",
        b"<loc>",
        b"</loc>",
        b"<ns:loc a='b'>",
        b"</ns:loc >",
        b"<![CDATA[",
        b"]]>",
        b"&amp;",
        b"&#0;",
        b"&#x110000;",
        b"http://www.agency.go.th/a",
        b"\n",
        b"<",
        b"\x1f\x8b",
    ]
)


@fuzz(200)
@given(
    st.lists(st.one_of(_SITEMAP_BITS, st.binary(max_size=20)), max_size=60).map(b"".join),
    st.integers(min_value=1, max_value=5),
)
def test_parse_sitemap_never_raises(body: bytes, max_urls: int) -> None:
    _index, urls = bounded(lambda: parse_sitemap(body, 100_000, max_urls))
    assert len(urls) <= max_urls and all(isinstance(u, str) for u in urls)


def test_gzipped_sitemap_bomb_is_capped() -> None:
    import gzip

    bomb = gzip.compress(b"<urlset>" + b"<url><loc>http://a.go.th/x</loc></url>" * 2_000_000)
    _index, urls = bounded(lambda: parse_sitemap(bomb, 1_000_000, 10**9))
    assert 0 < len(urls) <= 1_000_000 // 30


# -------------------------------------------------------------------- URLs


_URL_BITS = st.sampled_from(
    [
        "http://",
        "https://",
        "HTTP://",
        "//",
        "www.agency.go.th",
        "[::1]",
        "[::ffff:7f00:1]",
        "[v1.x]",
        "[",
        "]",
        ":",
        ":80",
        ":0",
        ":65536",
        ":-1",
        "@",
        "user:pw@",
        "/",
        "/..",
        "/./",
        "?",
        "&",
        "=",
        "#",
        "%",
        "%2F",
        "%zz",
        "%E0%B8%82",
        "ข่าว",
        "xn--",
        "ก.go.th",
        ";jsessionid=1",
        "utm_source=x",
        "\t",
        "\n",
        " ",
        "\\",
        "\x00",
        "\u3002",
        "\ufeff",
        "ß",
        "\u0130",
    ]
)
_URLS = st.lists(st.one_of(_URL_BITS, thaiish), max_size=20).map("".join)


@fuzz(400)
@given(_URLS, st.one_of(st.none(), st.just(PAGE), _URLS))
@example("http://[::1", None)
@example("http://;\u00a1", None)  # found: the IDNA 2003 fallback let ";" into the host
@example("http://a.go.th:99999999999999999999/", None)
@example("http://\u3002/", None)
def test_normalize_url_never_raises_and_is_idempotent(url: str, base: str | None) -> None:
    out = bounded(lambda: normalize_url(url, base))
    if out is None:
        return
    assert out.startswith(("http://", "https://"))
    assert normalize_url(out) == out  # one URL, one spelling
    site_key(out)
    host_port(out)
    dedup_key(out)
    assert out in Scope.of(out)
    kind_of_url(out)
    extension(out)


@fuzz(200)
@given(st.binary(max_size=1100), thaiish, _URLS)
@example(b"", "", "http://[")  # found: urlsplit's ValueError came out of extension()
def test_content_kinds_never_raise(body: bytes, content_type: str, url: str) -> None:
    sniff(body)
    kind_of_response(media_type(content_type), url)
