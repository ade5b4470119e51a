"""What the rules engine returns for one item of a catalog.

Plain data, like the crawler's models: storage and reports read these and
never call back into the engine.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

__all__ = ["Evidence", "ItemResult", "ItemStatus", "Reason"]


class ItemStatus(str, enum.Enum):
    PASS = "pass"  # evidence found and it meets the requirements
    PARTIAL = "partial"  # evidence found, but a requirement is unmet (reasons say which)
    FAIL = "fail"  # no acceptable evidence found
    ERROR = "error"  # the item could not be judged (e.g. the site was unreachable)


@dataclass(frozen=True, slots=True)
class Reason:
    """One sentence of explanation, in Thai (shown first) and English.

    ``rejects`` marks a sentence that counts against the evidence: a disqualifier, an
    unmet requirement, another agency's name, content that could not be read or was
    not fetched. A pass never carries one (tests/rules/test_no_contradicted_pass.py).
    It is not stored (storage keeps th/en only) and not compared: the same sentence
    is one reason whichever code path made it."""

    th: str
    en: str
    rejects: bool = field(default=False, compare=False)

    def rejecting(self) -> Reason:
        """This sentence, marked as a rejection."""
        return self if self.rejects else Reason(self.th, self.en, True)


@dataclass(slots=True)
class Evidence:
    url: str
    kind: str  # "page" | "document" | "image" | "external"
    click_path: list[str]  # human labels from the home page: ["หน้าแรก", "ข้อมูลพื้นฐาน", "โครงสร้าง"]
    click_path_urls: list[str]  # the URLs of the same steps
    matched: str  # what matched, e.g. 'link text "โครงสร้างส่วนราชการ"'
    sha256: str = ""  # of the evidence body when it was fetched
    score: float = 0.0  # how strongly it matched; evidence lists are sorted best first
    meets_requirements: bool = True  # False for a candidate that fails a requirement
    document_pages: list[int] = field(default_factory=list)  # 1-based pages of a document that matched
    image_url: str = ""  # the image a QR code was read from ("screenshot:<sha256>" for a screenshot)
    screenshot: str = ""  # sha256 of a PNG of the evidence page, in the screenshot store


@dataclass(slots=True)
class ItemResult:
    code: str  # "O18"
    title_th: str
    title_en: str
    status: ItemStatus
    evidence: list[Evidence] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
