"""needs_rendering's heuristic and the content-addressed screenshot store."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from render import ScreenshotStore, needs_rendering, rendering_reason

MANY_LINKS = "".join(f'<a href="/p{i}">หน้า {i}</a>' for i in range(40))


@pytest.mark.parametrize(
    ("html", "links", "why"),
    [
        ('<ul id="menu"></ul><script src="/menu.js"></script>' + MANY_LINKS, 40, "empty menu container"),
        ('<ul id="menu"> <!-- filled by menu.js --> </ul>', 40, "empty menu container"),
        ("<nav></nav>" + MANY_LINKS, 40, "empty menu container"),
        ('<div id="app"></div><script src="/app.js"></script>', 0, "empty menu container"),
        ('<div class="navbar-nav main-menu"></div>', 12, "empty menu container"),
        ("<script>document.write('<li><a href=\"/ita\">ITA</a></li>')</script>" + MANY_LINKS, 40,
         "document.write"),
        (('<script>var menu = [{"title": "ITA", "url": "/ita"}, {"title": "O1", "url": "/o1"},'
          ' {"title": "O2", "url": "/o2"}];</script>'), 8, "menu data"),
        ("<script>$('#m').append('<li><a href=/x>x</a></li>'); // menu</script>", 8, "builds the menu"),
        ("<noscript>Please enable JavaScript to view this site.</noscript>", 8, "asks for JavaScript"),
        ('<script src="/site.js"></script><a href="/">หน้าแรก</a>', 1, "only 1 link"),
    ],
)
def test_script_built_menus_need_rendering(html: str, links: int, why: str) -> None:
    assert needs_rendering(html, links)
    assert why in rendering_reason(html, links)


@pytest.mark.parametrize(
    ("html", "links"),
    [
        ("<nav>" + MANY_LINKS + "</nav><script>gtag('config', 'G-1');</script>", 40),
        ("<p>หน้าแรก</p>" + MANY_LINKS, 40),
        ('<ul class="list"></ul>' + MANY_LINKS, 40),  # an empty list that is no menu
        ("<script>document.write(new Date().getFullYear() + 543)</script>" + MANY_LINKS, 40),
        ("<p>A short static page without scripts</p>", 0),
        ("", 0),
    ],
)
def test_ordinary_pages_need_no_rendering(html: str, links: int) -> None:
    assert not needs_rendering(html, links), rendering_reason(html, links)


def test_store_is_content_addressed_and_write_once(tmp_path: Path) -> None:
    store = ScreenshotStore(tmp_path / "shots")
    png = b"\x89PNG\r\n\x1a\n" + b"pixels"
    digest, path = store.put(png)
    assert digest == hashlib.sha256(png).hexdigest()
    assert path == tmp_path / "shots" / digest[:2] / f"{digest[2:]}.png"
    assert path.read_bytes() == png
    mtime = path.stat().st_mtime_ns
    assert store.put(png) == (digest, path)
    assert path.stat().st_mtime_ns == mtime  # not written again
    assert store.get(digest) == png and digest in store
    assert store.get("0" * 64) is None
    assert list(path.parent.iterdir()) == [path]  # no temporary files left


def test_store_refuses_names_that_are_not_digests(tmp_path: Path) -> None:
    store = ScreenshotStore(tmp_path)
    with pytest.raises(ValueError):
        store.path_for("../../etc/passwd")
    assert "../x" not in store


def test_store_concurrent_writers_of_the_same_image(tmp_path: Path) -> None:
    store = ScreenshotStore(tmp_path)
    png = b"\x89PNG" + bytes(range(256)) * 100
    results: list[tuple[str, Path]] = []
    threads = [threading.Thread(target=lambda: results.append(store.put(png))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1
    assert results[0][1].read_bytes() == png
    assert len(list(results[0][1].parent.iterdir())) == 1
