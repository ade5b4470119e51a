"""Shared hypothesis settings and input strategies for the fuzz tests."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

T = TypeVar("T")


# OITWATCH_FUZZ_SCALE=20: twenty times the examples, and random ones (a longer bug
# hunt on a developer's machine; a failure prints the example to keep as @example).
_SCALE = float(os.environ.get("OITWATCH_FUZZ_SCALE", "1") or 1)


def fuzz(examples: int) -> settings:
    """Deterministic fuzzing: the same examples on every run and in CI (derandomize),
    no example database written into the repository, no per-example deadline (two
    loaded cores make timings noisy; :func:`bounded` asserts a generous time bound)."""
    return settings(
        max_examples=max(1, int(examples * _SCALE)),
        derandomize=_SCALE == 1,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def bounded(call: Callable[[], T], seconds: float = 10.0) -> T:
    """Run ``call`` in a thread and fail if it has not returned within ``seconds``
    (catastrophic regex backtracking, a parser loop). The thread cannot be killed, so
    a hang fails the test without stopping the run; the bound is far above the
    milliseconds a normal input takes, so load does not make it flaky."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise AssertionError(f"did not finish within {seconds:g} s")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


# Text that looks like what agency pages hold: Thai letters and marks, digits (Arabic
# and Thai), month abbreviations' dots, separators, markup characters and a little of
# everything else (surrogates excluded: decoded pages never contain them).
THAI = "".join(chr(c) for c in range(0x0E01, 0x0E5C))
PUNCT = " .,-–—/:;()[]{}<>\"'=&?#%~\t\n\r\u200b\ufeff\u00ad"
thaiish = st.text(
    alphabet=st.one_of(
        st.sampled_from(THAI + "0123456789" + PUNCT + "abcdefghijklmnopqrstuvwxyzABCDEF"),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=400,
)

# Fragments that make parsers take their less common paths.
HTML_BITS = [
    "<a href='",
    "'>",
    "</a>",
    '<a href="/x?a=1&b=2">',
    "<area href='/m'>",
    "<iframe src='",
    "<frame src='/f'>",
    "<meta http-equiv='refresh' content='0; url=",
    "<base href='",
    "<img src='",
    "' srcset='a.png 480w, b.png 2x,, ,'>",
    "<img data-src='/q.png' width='10'",
    " height='1px'>",
    "<div style=\"background:url('/bg.jpg')\">",
    "</div>",
    "<table><tr><td>",
    "</td></tr></table>",
    "<ul><li>",
    "</li></ul>",
    "<dl><dt>ข้อมูล</dt><dd>",
    "</dd></dl>",
    "<form action='",
    "' method='POST'><input type='file' name='f'><textarea name='t'>",
    "</textarea></form>",
    '<style>.a{background:url("/s.png")}</style>',
    "<script>var a='<a href=x>';",
    "</script>",
    "<noscript><a href='/n'>n</a></noscript>",
    "<template><a href='/t'>t</a></template>",
    "<title>",
    "</title>",
    "<h1>",
    "</h1>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<svg><a href='/s'>",
    "javascript:alert(1)",
    "mailto:a@b",
    "http://[::1]/",
    "http://xn--/",
    "http://a:99999/",
    "//evil.example/",
    "../../..",
    "%",
    "%zz",
    "%E0%B8",
    "\x00",
    "&#0;",
    "&amp;",
    "&#x110000;",
    "ข่าว",
    "ประกาศ",
    "2566",
    "\u200b",
]
html_docs = st.lists(st.one_of(st.sampled_from(HTML_BITS), thaiish), max_size=40).map("".join)
