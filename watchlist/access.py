"""Accounts and API keys: creating them, checking credentials, checking permissions.

Passwords are hashed with scrypt (memory-hard, in the standard library); API keys are random
256-bit secrets of which only a SHA-256 digest is stored, so a stolen database yields no key.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import functools
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from watchlist.errors import (
    AuthenticationError,
    ConflictError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
)
from watchlist.models import (
    ApiKey,
    DashboardSession,
    Role,
    Scope,
    SignInAttempt,
    SignInOutcome,
    User,
)
from watchlist.models.base import utcnow

KEY_PREFIX = "wl_"
MIN_PASSWORD_LENGTH = 12
_SCRYPT = {"n": 2**15, "r": 8, "p": 1}
_SCRYPT_MAXMEM = 64 * 1024 * 1024
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-@")

# --- passwords -------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    """`scrypt$n$r$p$salt$digest`, salt and digest in base64."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, _SCRYPT["n"], _SCRYPT["r"], _SCRYPT["p"])
    parts = (_SCRYPT["n"], _SCRYPT["r"], _SCRYPT["p"], _b64(salt), _b64(digest))
    return "scrypt$" + "$".join(str(part) for part in parts)


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` is the one `stored` was made from (in constant time)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_SCRYPT_MAXMEM, dklen=32
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# --- users -----------------------------------------------------------------------------------


def check_name(name: str, what: str) -> str:
    """A user or key name: 1-100 characters, lower-case letters, digits and `._-@`."""
    if not name or len(name) > 100 or not set(name) <= _NAME_CHARS:
        raise InputError(
            f"{what} name {name!r} must be 1-100 lower-case letters, digits or . _ - @."
        )
    return name


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters.")
    return password


def create_user(session: Session, name: str, role: Role, password: str) -> User:
    """A new dashboard account."""
    check_name(name, "user")
    _check_password(password)
    if session.scalar(sa.select(User.id).where(User.name == name)) is not None:
        raise ConflictError(f"there is already a user named {name!r}.")
    user = User(name=name, role=role, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


def authenticate_user(session: Session, name: str, password: str) -> User:
    """The active user with this name and password; the same error whatever was wrong."""
    user = session.scalar(sa.select(User).where(User.name == name))
    stored = user.password_hash if user is not None else _dummy_hash()
    valid = verify_password(password, stored)  # hashed even for unknown names: same timing
    if user is None or not valid or user.disabled_at is not None:
        raise AuthenticationError("unknown user name or wrong password.")
    user.last_login_at = utcnow()
    return user


def get_user(session: Session, name: str) -> User:
    user = session.scalar(sa.select(User).where(User.name == name))
    if user is None:
        raise NotFoundError(f"there is no user named {name!r}.")
    return user


def list_users(session: Session) -> Sequence[User]:
    return session.scalars(sa.select(User).order_by(User.name)).all()


def set_user_disabled(session: Session, name: str, disabled: bool) -> User:
    """Disable (or re-enable) an account; it is never deleted, its decisions keep their author.
    Disabling ends every session of the account."""
    user = get_user(session, name)
    user.disabled_at = utcnow() if disabled else None
    if disabled:
        end_sessions(session, user.id)
    return user


def set_password(session: Session, name: str, password: str) -> User:
    """Give the account a new password, ending every session it has."""
    user = get_user(session, name)
    user.password_hash = hash_password(_check_password(password))
    end_sessions(session, user.id)
    return user


def change_own_password(session: Session, user: User, current: str, new: str) -> User:
    """A signed-in user's change of password: the current one must be given."""
    if not verify_password(current, user.password_hash):
        raise AuthenticationError("the current password is wrong; nothing was changed.")
    return set_password(session, user.name, new)


# --- signing in, throttled -------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Throttle:
    """How many failed sign-ins an account or a client address may have within the window."""

    account_failures: int
    address_failures: int
    window: dt.timedelta


@dataclasses.dataclass(frozen=True)
class SignIn:
    """How a sign-in attempt ended: the user, or nobody; `wait` when it was throttled."""

    user: User | None
    wait: dt.timedelta | None = None


def sign_in(session: Session, name: str, password: str, address: str, throttle: Throttle) -> SignIn:
    """Check a password unless the account or address is throttled; every attempt is recorded.
    A throttled attempt is refused without looking at the password at all."""
    wait = sign_in_wait(session, name, address, throttle)
    if wait is not None:
        outcome, found = SignInOutcome.THROTTLED, SignIn(None, wait)
    else:
        try:
            outcome, found = (
                SignInOutcome.SUCCEEDED,
                SignIn(authenticate_user(session, name, password)),
            )
        except AuthenticationError:
            outcome, found = SignInOutcome.FAILED, SignIn(None)
    session.add(SignInAttempt(name=name[:100], address=address[:64], outcome=outcome))
    return found


def sign_in_wait(
    session: Session, name: str, address: str, throttle: Throttle
) -> dt.timedelta | None:
    """How long sign-ins for this account or from this address must wait, if they must."""
    now = utcnow()
    since = now - throttle.window
    last_success = session.scalar(
        sa.select(sa.func.max(SignInAttempt.created_at)).where(
            SignInAttempt.name == name, SignInAttempt.outcome == SignInOutcome.SUCCEEDED
        )
    )
    account_since = max(since, _aware(last_success)) if last_success else since
    waits = [
        _wait(session, SignInAttempt.name == name, account_since, throttle.account_failures),
        _wait(session, SignInAttempt.address == address, since, throttle.address_failures),
    ]
    found = [w + throttle.window - now for w in waits if w is not None]
    return max(found) if found else None


def _wait(
    session: Session, who: sa.ColumnElement[bool], since: dt.datetime, limit: int
) -> dt.datetime | None:
    """When the failure that keeps `who` at its limit happened, if `who` is at it."""
    times = session.scalars(
        sa.select(SignInAttempt.created_at)
        .where(who, SignInAttempt.outcome == SignInOutcome.FAILED, SignInAttempt.created_at > since)
        .order_by(SignInAttempt.created_at.desc())
        .limit(limit)
    ).all()
    return _aware(times[-1]) if len(times) >= limit else None


def _aware(moment: dt.datetime) -> dt.datetime:
    """A stored time as UTC (SQLite gives it back without its zone)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def recent_sign_ins(session: Session, limit: int) -> Sequence[SignInAttempt]:
    """The newest sign-in attempts, newest first."""
    return session.scalars(
        sa.select(SignInAttempt).order_by(SignInAttempt.id.desc()).limit(limit)
    ).all()


# --- dashboard sessions ----------------------------------------------------------------------


def start_session(session: Session, user: User) -> str:
    """A new session for `user`; the token its cookie carries (only a digest is stored)."""
    token = secrets.token_urlsafe(32)
    session.add(DashboardSession(digest=_key_digest(token), user_id=user.id))
    session.flush()
    return token


def session_user(session: Session, token: str, max_age: dt.timedelta) -> User | None:
    """The active user of a session that has not ended and is younger than `max_age`."""
    user = session.scalar(
        sa.select(User)
        .join(DashboardSession, DashboardSession.user_id == User.id)
        .where(
            DashboardSession.digest == _key_digest(token),
            DashboardSession.ended_at.is_(None),
            DashboardSession.created_at > utcnow() - max_age,
        )
    )
    if user is None or user.disabled_at is not None:
        return None
    return user


def end_session(session: Session, token: str) -> None:
    """End one session (signing out)."""
    session.execute(
        sa.update(DashboardSession)
        .where(DashboardSession.digest == _key_digest(token), DashboardSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_sessions(session: Session, user_id: int) -> None:
    """End every session of an account."""
    session.execute(
        sa.update(DashboardSession)
        .where(DashboardSession.user_id == user_id, DashboardSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def require_role(user: User, needed: Role) -> None:
    """Refuse unless the user's role is `needed` or above (viewer < analyst < admin)."""
    order = list(Role)
    if order.index(user.role) < order.index(needed):
        raise PermissionDeniedError(f"this needs the {needed.value} role.")


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_hex(16))


# --- API keys --------------------------------------------------------------------------------


def parse_scopes(values: Iterable[str]) -> list[Scope]:
    """Scopes from their names; an unknown one is an error naming the valid ones."""
    scopes: list[Scope] = []
    for value in values:
        try:
            scopes.append(Scope(value))
        except ValueError:
            valid = ", ".join(scope.value for scope in Scope)
            raise InputError(f"unknown scope {value!r}; use one of: {valid}.") from None
    if not scopes:
        raise InputError("an API key needs at least one scope.")
    return sorted(set(scopes), key=list(Scope).index)


def create_api_key(session: Session, name: str, scopes: Iterable[Scope]) -> tuple[ApiKey, str]:
    """A new key and its secret; the secret is returned this once and never stored."""
    check_name(name, "API key")
    if session.scalar(sa.select(ApiKey.id).where(ApiKey.name == name)) is not None:
        raise ConflictError(f"there is already an API key named {name!r}.")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(
        name=name,
        prefix=secret[:10],
        digest=_key_digest(secret),
        scopes=[scope.value for scope in scopes],
    )
    session.add(key)
    session.flush()
    return key, secret


def revoke_api_key(session: Session, name: str) -> ApiKey:
    key = session.scalar(sa.select(ApiKey).where(ApiKey.name == name))
    if key is None:
        raise NotFoundError(f"there is no API key named {name!r}.")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    return key


def list_api_keys(session: Session) -> Sequence[ApiKey]:
    return session.scalars(sa.select(ApiKey).order_by(ApiKey.name)).all()


@dataclasses.dataclass(frozen=True)
class KeyHolder:
    """Who an accepted API key belongs to and what it may do."""

    id: int
    name: str
    scopes: tuple[str, ...]


def authenticate_key(session: Session, secret: str) -> KeyHolder:
    """The active key with this secret (one indexed read: it runs on every API request)."""
    # On the session's connection (after flushing, as the ORM would): a Core read skips the
    # ORM's per-statement work.
    session.flush()
    row = session.connection().execute(_ACTIVE_KEY, {"digest": _key_digest(secret)}).first()
    if row is None:
        raise AuthenticationError("the API key is unknown or revoked.")
    return KeyHolder(row.id, row.name, tuple(row.scopes))


_ACTIVE_KEY = sa.select(ApiKey.id, ApiKey.name, ApiKey.scopes).where(
    ApiKey.digest == sa.bindparam("digest"), ApiKey.revoked_at.is_(None)
)


def require_scope(key: ApiKey | KeyHolder, needed: Scope) -> None:
    """Refuse unless the key has `needed` (or `admin`, which includes everything)."""
    if needed.value not in key.scopes and Scope.ADMIN.value not in key.scopes:
        raise PermissionDeniedError(f"this API key lacks the {needed.value!r} scope.")


def _key_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
