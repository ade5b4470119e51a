"""Screenshots stored by content: ``root/ab/cdef….png`` named by SHA-256.

The same banner shows on every page of a site and on every nightly scan;
content addressing stores it once, and a report can cite the hash as
evidence that cannot change afterwards. Files are written once, through a
temporary file and an atomic rename, so a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path

__all__ = ["ScreenshotStore"]

_SHA256 = re.compile(r"[0-9a-f]{64}")


class ScreenshotStore:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        if not _SHA256.fullmatch(sha256):  # never let a caller's string build a path
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / f"{sha256[2:]}.png"

    def put(self, png: bytes) -> tuple[str, Path]:
        """Store ``png`` (if not there yet); (sha256, path)."""
        digest = hashlib.sha256(png).hexdigest()
        path = self.path_for(digest)
        if path.exists():
            return digest, path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".png")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(png)
                file.flush()
                os.fsync(file.fileno())
            # Same content under the same name: a concurrent writer that won
            # the race wrote identical bytes, so replacing is harmless.
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        return digest, path

    def get(self, sha256: str) -> bytes | None:
        try:
            return self.path_for(sha256).read_bytes()
        except FileNotFoundError:
            return None

    def __contains__(self, sha256: object) -> bool:
        return isinstance(sha256, str) and bool(_SHA256.fullmatch(sha256)) and self.path_for(sha256).exists()

