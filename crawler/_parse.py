"""HTML → title, visible text, headings, links (with their labels), forms and
the images a QR code could be in.

Thai is written without spaces between words, so text is joined with no
separator inside inline elements and with a space at block boundaries:
``<span>ข้อมูล</span><span>พื้นฐาน</span>`` must stay "ข้อมูลพื้นฐาน" for the
rules to match it, while two table cells must not run together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ._content import extension, kind_of_url
from ._models import Form, Link
from ._url import normalize_url

__all__ = ["ImageRef", "ParsedPage", "parse_html"]

MAX_LINKS = 2000
MAX_IMAGES = 200  # image references kept per page
MAX_CONTEXT = 300
MAX_TEXT = 1_000_000  # characters of visible text kept per page

# Elements whose boundaries separate words. Cells and list items included.
_BLOCKS = (
    "address,article,aside,blockquote,br,caption,dd,details,dialog,div,dl,dt,fieldset,"
    "figcaption,figure,footer,form,h1,h2,h3,h4,h5,h6,header,hr,li,main,nav,ol,option,p,pre,"
    "section,summary,table,tbody,td,tfoot,th,thead,tr,ul,button,label,select,textarea,img,"
    "area,frame,iframe"
)
_CONTEXT_FALLBACK = frozenset(
    {
        "p",
        "div",
        "td",
        "th",
        "section",
        "article",
        "aside",
        "nav",
        "header",
        "footer",
        "figure",
        "blockquote",
        "form",
        "dl",
        "ul",
        "ol",
        "table",
        "main",
        "body",
    }
)
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "about:", "ftp:", "file:", "sms:")
_REFRESH_URL = re.compile(r"""url\s*=\s*['"]?\s*([^'"\s>][^'">]*)""", re.IGNORECASE)
_WS = re.compile(r"\s+")
_TAB_NL = re.compile(r"[\t\n\r]")  # dropped from URLs by browsers (and normalize_url)
# Zero-width characters that Thai CMSs scatter in text: they only break matching.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


def _clean(text: str | None) -> str:
    if not text:
        return ""
    return _WS.sub(" ", text.translate(_ZERO_WIDTH)).strip()


@dataclass(frozen=True, slots=True)
class ImageRef:
    """An image shown on a page (``<img>``, a link to an image file, a CSS
    background): where a QR code may hide. Internal to the crawler."""

    url: str  # absolute and normalised
    title: str  # alt / title of the image, or the text of the link to it
    context: str  # text of the enclosing row, item or block (as for links)
    tiny: bool = False  # declared width and height both under 32 px: an icon
    link_url: str = ""  # where the enclosing <a> goes (a QR image often links its own URL)


@dataclass
class ParsedPage:
    title: str = ""
    text: str = ""
    headings: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)
    images: list[ImageRef] = field(default_factory=list)


def _attr(node: LexborNode, name: str) -> str:
    value = node.attributes.get(name)
    return value if isinstance(value, str) else ""


def _window(text: str, needle: str, size: int = MAX_CONTEXT) -> str:
    """At most ``size`` characters of ``text``, around ``needle`` if present."""
    if len(text) <= size:
        return text
    at = text.find(needle) if needle else -1
    if at < 0:
        return text[:size].rstrip() + "…"
    start = max(0, at - (size - len(needle)) // 2)
    end = min(len(text), start + size)
    start = max(0, end - size)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


class _Context:
    """Finds the text around a link, caching per ancestor (one big layout
    table would otherwise be re-read for each of its links)."""

    def __init__(self) -> None:
        self._cache: dict[int, str] = {}

    def _text(self, node: LexborNode) -> str:
        key = node.mem_id
        if key not in self._cache:
            self._cache[key] = _clean(node.text(deep=True))
        return self._cache[key]

    def _item_text(self, node: LexborNode) -> str:
        text = self._text(node)
        if node.tag == "dd":
            # The label of a <dd> is its <dt>.
            prev = node.prev
            while prev is not None and prev.tag != "dt":
                prev = prev.prev
            if prev is not None:
                text = self._text(prev) + " " + text
        return text

    def of(self, node: LexborNode, own_text: str) -> str:
        """Text of the enclosing table row, else list item / definition, else
        the nearest block that says more than the link itself."""
        fallback: LexborNode | None = None
        parent = node.parent
        hops = 0
        while parent is not None and parent.tag not in ("html", "-document") and hops < 40:
            tag = parent.tag
            if tag in ("tr", "li", "dt", "dd"):
                text = self._item_text(parent)
                # An item holding only the link adds nothing: look further up
                # (a list of files inside a table row labelled in another cell).
                if len(text) > 2 * MAX_CONTEXT and fallback is not None:
                    break  # a layout table's row: the nearer block is the real context
                if tag == "tr" or text != own_text:
                    return _window(text, own_text)
            elif fallback is None and tag in _CONTEXT_FALLBACK and self._text(parent) != own_text:
                fallback = parent
            parent = parent.parent
            hops += 1
        return _window(self._text(fallback), own_text) if fallback is not None else ""


def _link_title(node: LexborNode) -> str:
    parts: list[str] = []
    for name in ("title", "aria-label", "alt"):
        parts.append(_attr(node, name))
    for img in node.css("img"):
        for name in ("alt", "title", "aria-label"):
            parts.append(_attr(img, name))
    seen: dict[str, None] = {}
    for part in parts:
        part = _clean(part)
        if part:
            seen.setdefault(part, None)
    return " ".join(seen)


def parse_html(html: str, page_url: str, *, max_links: int = MAX_LINKS) -> ParsedPage:
    """Parse a decoded HTML document found at ``page_url`` (its final URL)."""
    tree = LexborHTMLParser(html)
    result = ParsedPage()

    base_url = page_url
    base = tree.css_first("base[href]")
    if base is not None:
        base_url = normalize_url(_attr(base, "href"), page_url) or page_url

    # Banners are often a CSS background set in a <style> block: keep its URLs.
    style_urls = [u for node in tree.css("style") for u in _css_urls(node.text(deep=True) or "")]
    # Scripts and styles are never text; remove them before reading any text.
    for node in tree.css("script, style, template"):
        node.decompose()
    for node in tree.css(_BLOCKS):
        node.insert_before(" ")
        node.insert_after(" ")

    title = tree.css_first("title")
    result.title = _clean(title.text()) if title is not None else ""

    context = _Context()
    for node in tree.css("a[href], area[href], frame[src], iframe[src], meta[http-equiv]"):
        if len(result.links) >= max_links:
            break
        link = _link(node, base_url, page_url, context)
        if link is not None:
            result.links.append(link)

    for form in tree.css("form"):
        result.forms.append(_form(form, base_url))

    result.images = _images(tree, base_url, context, style_urls)

    result.headings = [
        text for node in tree.css("h1, h2, h3, h4, h5, h6") if (text := _clean(node.text()))
    ]

    # <noscript> links were kept above (menus built by JavaScript often have a
    # <noscript> fallback) but a browser with scripts does not show its text.
    for node in tree.css("noscript"):
        node.decompose()
    body = tree.body
    result.text = _clean(body.text(deep=True) if body is not None else "")[:MAX_TEXT]
    return result


def _link(node: LexborNode, base_url: str, page_url: str, context: _Context) -> Link | None:
    tag = node.tag
    if tag == "meta":
        if _attr(node, "http-equiv").strip().lower() != "refresh":
            return None
        match = _REFRESH_URL.search(_attr(node, "content"))
        if match is None:
            return None
        raw, kind = match.group(1).strip(), "meta-refresh"
    elif tag in ("frame", "iframe"):
        raw, kind = _attr(node, "src"), tag
    else:
        raw, kind = _attr(node, "href"), tag or "a"
    if not raw.strip() or raw.strip().lower().startswith(_SKIP_SCHEMES):
        return None
    url = normalize_url(raw, base_url)
    if url is None:
        return None
    if kind == "meta-refresh":
        return Link(url=url, text="", title="", context="", tag=kind, source_url=page_url)
    text = _clean(node.text(deep=True)) if tag == "a" else ""
    title = (
        _link_title(node)
        if tag != "frame" and tag != "iframe"
        else _clean(_attr(node, "title") or _attr(node, "name"))
    )
    ctx = context.of(node, text) if tag != "frame" else ""
    return Link(url=url, text=text, title=title, context=ctx, tag=kind, source_url=page_url)


_NOT_FIELDS = frozenset({"hidden", "submit", "button", "image", "reset"})


def _form(node: LexborNode, base_url: str) -> Form:
    action_raw = _attr(node, "action").strip()
    action = ""
    if action_raw and not action_raw.lower().startswith(_SKIP_SCHEMES):
        action = normalize_url(action_raw, base_url) or ""
    method = _attr(node, "method").strip().lower() or "get"
    names: list[str] = []
    has_textarea = False
    has_file = False
    for field_node in node.css("input, select, textarea"):
        kind = _attr(field_node, "type").strip().lower()
        if field_node.tag == "textarea":
            has_textarea = True
        if field_node.tag == "input" and kind == "file":
            has_file = True
        if field_node.tag == "input" and kind in _NOT_FIELDS:
            continue
        name = _attr(field_node, "name").strip()
        if name and name not in names:
            names.append(name)
    return Form(
        action=action,
        method=method if method in ("get", "post") else "get",
        field_names=tuple(names),
        has_textarea=has_textarea,
        has_file_upload=has_file,
    )


# ------------------------------------------------------------------ images

_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""", re.IGNORECASE)
_NOT_RASTER = ("svg", "ico")  # Pillow reads neither; icons and logos anyway
_LAZY_SRC = ("data-src", "data-lazy-src", "data-original", "data-lazy")
_TINY = 32


def _css_urls(css: str) -> list[str]:
    """URLs in ``url(...)`` of a style attribute or block (backgrounds)."""
    return [m.group(2).strip() for m in _CSS_URL.finditer(css[:200_000])]


def _best_srcset(srcset: str) -> str:
    """The largest candidate of a ``srcset`` ("a.png 480w, b.png 1200w" → b.png):
    a QR code in a banner is only readable at its largest size."""
    best, best_size = "", -1.0
    for part in srcset.split(","):
        bits = part.split()
        if not bits:
            continue
        size = 1.0
        if len(bits) > 1 and bits[1][:-1].replace(".", "", 1).isdigit():
            size = float(bits[1][:-1]) * (1.0 if bits[1].endswith("w") else 1000.0)
        if size > best_size:
            best, best_size = bits[0], size
    return best


def _dimension(node: LexborNode, name: str) -> int | None:
    value = _attr(node, name).strip().removesuffix("px")
    return int(value) if value.isdigit() else None


def _images(
    tree: LexborHTMLParser, base_url: str, context: _Context, style_urls: list[str]
) -> list[ImageRef]:
    found: dict[str, ImageRef] = {}

    def add(raw: str, title: str, ctx: str, tiny: bool = False, link_url: str = "") -> None:
        raw = raw.strip()
        if not raw or raw.lower().startswith(_SKIP_SCHEMES) or len(found) >= MAX_IMAGES:
            return
        url = normalize_url(raw, base_url)
        if url is None or url in found or extension(url) in _NOT_RASTER:
            return
        if kind_of_url(url) in ("document", "other"):  # a stylesheet's font, a PDF link
            return
        found[url] = ImageRef(
            url=url, title=_clean(title), context=ctx, tiny=tiny, link_url=link_url
        )

    for node in tree.css("img, a[href], [style]"):
        if len(found) >= MAX_IMAGES:
            break  # add() would refuse every further image anyway
        tag = node.tag
        if tag == "img":
            src = _attr(node, "src")
            if not src.strip() or src.strip().lower().startswith("data:"):
                src = next((v for n in _LAZY_SRC if (v := _attr(node, n).strip())), src)
            srcset = _attr(node, "srcset") or _attr(node, "data-srcset")
            src = _best_srcset(srcset) or src
            title = " ".join(
                dict.fromkeys(filter(None, (_attr(node, "alt"), _attr(node, "title"))))
            )
            width, height = _dimension(node, "width"), _dimension(node, "height")
            tiny = width is not None and height is not None and max(width, height) < _TINY
            anchor = node.parent
            while anchor is not None and anchor.tag not in ("a", "body"):
                anchor = anchor.parent
            href = _attr(anchor, "href") if anchor is not None and anchor.tag == "a" else ""
            add(src, title, context.of(node, _clean(title)), tiny, href)
        elif (
            tag == "a"
            # The raw href's extension first: normalising every link of a page of
            # 100,000 links only to find they are not images took seconds.
            and kind_of_url(_TAB_NL.sub("", _attr(node, "href")).strip()) == "image"
            and kind_of_url(normalize_url(_attr(node, "href"), base_url) or "") == "image"
        ):
            text = _clean(node.text(deep=True))
            title = " ".join(filter(None, (text, _link_title(node))))
            add(_attr(node, "href"), title, context.of(node, text))
        style = _attr(node, "style")
        if "url(" in style.lower():
            own = _clean(node.text(deep=True))  # a banner's own caption, else its block's
            ctx = _window(own, "") if own else context.of(node, "")
            for raw in _css_urls(style):
                add(raw, _attr(node, "title"), ctx)
    for raw in style_urls:
        if kind_of_url(normalize_url(raw, base_url) or "") == "image":
            add(raw, "", "")
    return list(found.values())
