"""API keys: making one, checking one on each call, and the trail of calls (docs/api.md).

A key reads `yiti_<prefix>_<secret>`: the prefix finds the key's row, the SHA-256 of the whole key is compared in
constant time (the key is random and long, so a slow password hash adds nothing), and only that hash is stored.
"""

import hashlib
import hmac
import secrets
import time
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from yiti.core.network import client_ip
from yiti.security.events import record
from yiti.security.models import ApiCall, ApiKey, AuthEvent

PREFIX = "yiti"
# last_used_at is written at most this often per key, so that a busy system does not write on every call.
LAST_USED_REFRESH = timedelta(seconds=60)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(key: ApiKey) -> str:
    """Give `key` (not yet saved) a new secret; returns the key to show once. Only its hash is kept."""
    prefix = secrets.token_hex(4)
    while ApiKey.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    token = f"{PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    key.prefix, key.key_hash = prefix, _digest(token)
    return token


def revoke(key: ApiKey, by: Any) -> None:
    if key.revoked_at is None:
        key.revoked_at, key.revoked_by = timezone.now(), by
        key.save(update_fields=["revoked_at", "revoked_by"])


def _prefix_of(token: str) -> str:
    parts = token.split("_", 2)  # the secret itself may hold "_"
    return parts[1][:16] if len(parts) == 3 and parts[0] == PREFIX else ""


def check(request: Any, token: str) -> Any:
    """The account `token` acts for, with the key's limits set on the request; None (401) and a logged refusal for
    an unknown, revoked or expired key; 429 past the key's calls per minute."""
    prefix = _prefix_of(token)
    request.api_key_prefix = prefix
    key = ApiKey.objects.select_related("account").filter(prefix=prefix).first() if prefix else None
    if key is None or not hmac.compare_digest(key.key_hash, _digest(token)):
        return _refuse(request, None, "unknown key")
    if key.revoked_at is not None:
        return _refuse(request, key, "revoked")
    if key.expires_at <= timezone.now():
        return _refuse(request, key, "expired")
    if not key.account.is_active:
        return _refuse(request, key, "account inactive")
    request.api_key = key
    _hold_to_rate(key)
    grants = {grant.content_type.model_class()._meta.label_lower: grant.actions()  # type: ignore[union-attr]
              for grant in key.grants.select_related("content_type") if grant.content_type.model_class() is not None}
    request.api_allows = lambda model_label, action: action in grants.get(model_label, ())
    request.user = key.account
    _audit_as(key.account)
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_REFRESH:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now, last_used_from=client_ip(request))
    return key.account


def _refuse(request: Any, key: ApiKey | None, why: str) -> None:
    request.api_key = key
    record(AuthEvent.Kind.API_KEY_REFUSED, request, user=key.account if key else None,
           detail=f"{why}: {request.api_key_prefix or '?'} {request.method} {request.path}")
    return None


def _hold_to_rate(key: ApiKey) -> None:
    window = f"api-key-calls:{key.pk}:{int(time.time() // 60)}"
    cache.add(window, 0, timeout=120)
    try:
        calls = cache.incr(window)
    except ValueError:  # the window expired between add and incr
        cache.set(window, 1, timeout=120)
        calls = 1
    if calls > key.rate_limit:
        raise HttpError(429, _("This API key has made more than %(limit)d calls this minute; try again in a "
                               "minute.") % {"limit": key.rate_limit})


def _audit_as(account: Any) -> None:
    """Changes made through the key are logged as its account's (auditlog's middleware ran before the key was
    known, with no user): its per-request context is a dict, given the actor here."""
    from auditlog.context import auditlog_value

    try:
        auditlog_value.get()["actor"] = account
    except LookupError:
        pass


def log_call(request: Any, status: int, started: float) -> None:
    """One row of the API calls' trail, for every call that presented a key (valid or not)."""
    key = getattr(request, "api_key", None)
    ApiCall.objects.create(
        key=key, key_prefix=getattr(request, "api_key_prefix", "")[:16],
        account=key.account if key is not None else None, method=request.method[:10],
        path=request.get_full_path()[:300], status=status, remote_addr=client_ip(request),
        duration_ms=int((time.monotonic() - started) * 1000))
