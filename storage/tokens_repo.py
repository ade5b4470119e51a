"""API tokens: created once (the caller shows the token one time), kept as SHA-256 only.

    tokens = TokenRepository(db)
    record, token = tokens.create("สนจ.ขอนแก่น")   # print token once; it is not stored
    tokens.verify(token)                            # TokenRecord, or None (unknown/revoked)
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from .errors import NotFoundError, StorageError
from .models import ApiToken, utcnow
from .repo import Transactions

__all__ = ["TOKEN_PREFIX", "TokenRecord", "TokenRepository", "hash_token"]

TOKEN_PREFIX = "oitw_"
_SHOWN = 9  # "oitw_" + 4 characters: enough to tell tokens apart, useless to an attacker
# last_used_at is written at most this often per token: a dashboard session makes many
# requests, and one write per request would serialise them on SQLite.
_TOUCH_EVERY = timedelta(minutes=5)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class TokenRecord:
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _record(row: ApiToken) -> TokenRecord:
    return TokenRecord(row.id, row.name, row.prefix, row.created_at, row.last_used_at, row.revoked_at)


class TokenRepository(Transactions):
    def create(self, name: str) -> tuple[TokenRecord, str]:
        name = name.strip()
        if not name or len(name) > 200 or "\x00" in name:
            raise StorageError("a token needs a name of 1 to 200 characters")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = ApiToken(name=name, prefix=token[:_SHOWN], token_sha256=hash_token(token))
        with self._write() as s:
            s.add(row)
            s.flush()
            return _record(row), token

    def verify(self, token: str | None) -> TokenRecord | None:
        """The active token with this value, or None. Compared by hash (a unique index
        lookup), then once more in constant time."""
        if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        digest = hash_token(token)
        with self._read() as s:
            row = s.scalar(select(ApiToken).where(ApiToken.token_sha256 == digest))
            if row is None or row.revoked_at is not None:
                return None
            if not hmac.compare_digest(row.token_sha256, digest):
                return None
            record = _record(row)
        now = utcnow()
        if record.last_used_at is None or now - record.last_used_at > _TOUCH_EVERY:
            with self._write() as s:
                s.execute(update(ApiToken).where(ApiToken.id == record.id).values(last_used_at=now))
        return record

    def get(self, token_id: int) -> TokenRecord | None:
        with self._read() as s:
            row = s.get(ApiToken, token_id)
            return _record(row) if row is not None else None

    def list(self) -> list[TokenRecord]:
        with self._read() as s:
            return [_record(r) for r in s.scalars(select(ApiToken).order_by(ApiToken.id))]

    def revoke(self, token_id: int) -> TokenRecord:
        with self._write() as s:
            row = s.get(ApiToken, token_id)
            if row is None:
                raise NotFoundError(f"no API token with id {token_id}")
            if row.revoked_at is None:
                row.revoked_at = utcnow()
            s.flush()
            return _record(row)
