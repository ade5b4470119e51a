"""Does a page need a browser to show its links?

Rendering costs a few hundred milliseconds and a browser process; fetching
costs a few. So the crawler renders only pages whose static HTML shows a menu
built by scripts: an empty menu container, scripts that write links, menu
data in a script, or hardly any links next to scripts. The reason is
returned too, so a report can say why a page was rendered.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["needs_rendering", "rendering_reason"]

_MAX_HTML = 3_000_000  # characters inspected; menus sit near the top
_FEW_LINKS = 5
# id/class words of containers that scripts fill with a menu or a whole app.
_MOUNT = re.compile(r"(^|[\s_-])(menu|menus|nav|navbar|navigation|sidebar|app|root|__next|__nuxt)"
                    r"($|[\s_-])", re.IGNORECASE)
_CONTAINERS = "nav, menu, ul, ol, div, aside, header"
_WRITES_MARKUP = re.compile(r"document\.write(ln)?\s*\(", re.IGNORECASE)
_BUILDS_LINKS = re.compile(r"innerHTML|insertAdjacentHTML|createElement\(\s*['\"]a['\"]|\.append",
                           re.IGNORECASE)
_LINK_MARKUP = re.compile(r"<a[\s>]|<li[\s>]|href", re.IGNORECASE)
_MENU_DATA_KEYS = re.compile(r"[\"']?\b(url|href|link)\b[\"']?\s*:", re.IGNORECASE)
_NOSCRIPT_BLOCK = re.compile(r"<noscript[^>]*>(.{0,2000}?)</noscript>", re.IGNORECASE | re.DOTALL)
_NOSCRIPT = re.compile(r"enable\s+javascript|javascript\s+(is\s+)?(required|disabled)|เปิด\s*(การใช้งาน\s*)?javascript",
                       re.IGNORECASE)


def needs_rendering(html: str, link_count: int) -> bool:
    """True when the static HTML shows a script-built menu (see the module doc)."""
    return bool(rendering_reason(html, link_count))


def rendering_reason(html: str, link_count: int) -> str:
    """Why to render the page, or "" when its static HTML is enough."""
    tree = LexborHTMLParser(html[:_MAX_HTML])
    scripts = tree.css("script")
    for node in tree.css(_CONTAINERS):
        if _is_empty(node) and _is_mount(node):
            return f"empty menu container {_describe(node)} filled by scripts"
    for script in scripts:
        code = script.text(deep=True) or ""
        if not code.strip():
            continue
        if _WRITES_MARKUP.search(code) and _LINK_MARKUP.search(code):
            return "a script writes the menu with document.write"
        if _BUILDS_LINKS.search(code) and _LINK_MARKUP.search(code) and "menu" in code.lower():
            return "a script builds the menu"
        if "menu" in code.lower() and len(_MENU_DATA_KEYS.findall(code)) >= 3:
            return "menu data (links) inside a script"
    # On the raw HTML: parsers move a <noscript> in <head> and its text apart.
    for block in _NOSCRIPT_BLOCK.findall(html[:_MAX_HTML]):
        if _NOSCRIPT.search(block):
            return "the page asks for JavaScript"
    if link_count < _FEW_LINKS and scripts:
        return f"only {link_count} link(s) and {len(scripts)} script(s)"
    return ""


def _is_empty(node: LexborNode) -> bool:
    # No child elements and no text: comments and whitespace do not count.
    child = node.child
    while child is not None:
        if child.tag == "-text":
            if (child.text_content or "").strip():
                return False
        elif child.tag != "-comment":
            return False
        child = child.next
    return True


def _is_mount(node: LexborNode) -> bool:
    attributes = node.attributes
    tag = node.tag
    names = " ".join(v for k, v in attributes.items() if k in ("id", "class") and v)
    if tag in ("nav", "menu") and not names:
        return True
    return bool(_MOUNT.search(names))


def _describe(node: LexborNode) -> str:
    attributes = node.attributes
    parts = [node.tag or ""]
    if attributes.get("id"):
        parts.append(f'id="{attributes["id"]}"')
    if attributes.get("class"):
        parts.append(f'class="{attributes["class"]}"')
    return "<" + " ".join(parts) + ">"
