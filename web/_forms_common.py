"""What every form page shares: who may write, reading and checking posted fields, the
problems shown on a form, pagination, and keeping the reader's language across a post.

A form with problems is shown again (400) with what was typed and one message per field,
in the reader's language, naming the field; nothing is written until every field is good."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from fastapi import Request
from starlette.datastructures import FormData

from storage.forms_repo import FormsRepository

from ._deps import PageError, repo_of, session_of
from ._i18n import LANGS, text
from ._render import checked_form
from ._security import Session

__all__ = [
    "THAI_DIGITS",
    "Page",
    "Problems",
    "Values",
    "forms_repo",
    "lang_query",
    "page_of",
    "read_checkbox",
    "read_int",
    "read_text",
    "require_writer",
    "with_lang",
    "writable_form",
]

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f]")


def forms_repo(request: Request) -> FormsRepository:
    """The form queries over the app's database (one object per app, made on first use)."""
    state = request.app.state
    if not hasattr(state, "forms_repo"):
        state.forms_repo = FormsRepository(repo_of(request).db)
    return state.forms_repo  # type: ignore[no-any-return]


def lang_query(request: Request) -> str:
    """"?lang=en" when the reader chose the language by the query string (not the cookie),
    so a form posted from such a page answers, and redirects, in the same language."""
    lang = request.query_params.get("lang")
    return f"?lang={lang}" if lang in LANGS else ""


def with_lang(request: Request, path: str) -> str:
    suffix = lang_query(request)
    if not suffix:
        return path
    return path + ("&" if "?" in path else "?") + suffix[1:]


def require_writer(request: Request) -> Session:
    """Changing data needs a signed-in session (the 401 page else)."""
    session = session_of(request)
    if session is None:
        raise PageError(401, "forbidden")
    return session


async def writable_form(request: Request) -> FormData:
    """The posted form of a signed-in reader, after the CSRF and Origin check."""
    require_writer(request)
    return await checked_form(request)


class Problems:
    """Per field, the first thing wrong with it, in Thai and English; the message starts
    with the field's label so the reader knows which box to fix."""

    def __init__(self) -> None:
        self.by_field: dict[str, dict[str, str]] = {}

    def add(self, name: str, label_key: str, th: str, en: str) -> None:
        if name not in self.by_field:
            self.by_field[name] = {
                "th": f"{text(label_key, 'th')}: {th}",
                "en": f"{text(label_key, 'en')}: {en}",
            }

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def __contains__(self, name: object) -> bool:
        return name in self.by_field

    def items(self) -> list[tuple[str, dict[str, str]]]:
        return list(self.by_field.items())

    def get(self, name: str) -> dict[str, str] | None:
        return self.by_field.get(name)


@dataclass
class Values:
    """What was typed, to show again in the form (control characters made visible as "�",
    never sent back raw), and the checked values."""

    shown: dict[str, str] = field(default_factory=dict)
    checked: dict[str, bool] = field(default_factory=dict)

    def __getitem__(self, name: str) -> str:
        return self.shown.get(name, "")

    def on(self, name: str) -> bool:
        return self.checked.get(name, False)


def read_text(
    form: FormData,
    name: str,
    label_key: str,
    values: Values,
    problems: Problems,
    *,
    max_len: int,
    required: bool = False,
    multiline: bool = False,
) -> str:
    """A text field, trimmed; "" when empty or wrong (the problem is noted)."""
    raw = form.get(name)
    if raw is None:
        raw = ""
    if not isinstance(raw, str):  # a file where text belongs
        problems.add(name, label_key, "ต้องเป็นข้อความ ไม่ใช่ไฟล์", "must be text, not a file")
        values.shown[name] = ""
        return ""
    pattern = _CONTROL if multiline else _CONTROL_ONE_LINE
    values.shown[name] = pattern.sub("\ufffd", raw[: max_len * 2 + 100])
    value = raw.strip()
    if pattern.search(value):
        problems.add(name, label_key, "มีอักขระควบคุม (เช่น NUL) ที่ใช้ไม่ได้",
                     "contains a control character (such as NUL) that is not allowed")
        return ""
    if len(value) > max_len:
        problems.add(name, label_key, f"ยาวเกิน {max_len} ตัวอักษร ({len(value)})",
                     f"longer than {max_len} characters ({len(value)})")
        return ""
    if required and not value:
        problems.add(name, label_key, "ต้องกรอก", "is required")
    return value


def read_checkbox(form: FormData, name: str, values: Values) -> bool:
    on = form.get(name) in ("on", "1", "true", "yes")
    values.checked[name] = on
    return on


def read_int(
    form: FormData,
    name: str,
    label_key: str,
    values: Values,
    problems: Problems,
    *,
    low: int,
    high: int,
) -> int | None:
    """A whole number in [low, high]; None when empty or wrong (the problem is noted)."""
    raw = read_text(form, name, label_key, values, problems, max_len=10_000)
    if not raw or name in problems:
        return None
    digits = raw.translate(THAI_DIGITS).replace(",", "").replace(" ", "")
    if not re.fullmatch(r"[+-]?\d+", digits):
        problems.add(name, label_key, f"'{raw}' ไม่ใช่จำนวนเต็ม", f"'{raw}' is not a whole number")
        return None
    # Length first: int() of a 5,000-digit string is refused by Python itself.
    number = int(digits) if len(digits.lstrip("+-")) <= 12 else high + 1
    if not low <= number <= high:
        problems.add(name, label_key, f"ต้องอยู่ระหว่าง {low:,} ถึง {high:,}",
                     f"must be between {low:,} and {high:,}")
        return None
    return number


@dataclass(frozen=True, slots=True)
class Page:
    """Which slice of a long list this page shows."""

    number: int
    size: int
    total: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def first(self) -> int:
        return min(self.total, self.offset + 1)

    @property
    def last(self) -> int:
        return min(self.total, self.offset + self.size)


def page_of(number: int, size: int, total: int) -> Page:
    size = max(1, size)
    pages = max(1, math.ceil(total / size))
    return Page(min(max(1, number), pages), size, total)
