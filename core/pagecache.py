"""Whole public pages for anonymous visitors, kept in the shared cache.

A page is stored under the *version* of the content, one token in the shared cache.
Saving or deleting any model instance (``post_save``, ``post_delete``, ``m2m_changed``
of every model but those listed in ``IGNORED``; a model added later is covered
without being named) moves the version, so every cached page that could show the
change is stale at once, on every worker and every app server. Nothing has to find
and delete entries: those under an old version are never read again and expire.

Inside a transaction the version moves when it commits (other connections see the
change only then; a reader in between would cache the old page under a new version),
and also at once when this process has stored a page since it last moved the
version, for readers on the same connection (a test, or a request that writes and
then reads).

Time moves content too: an initiative whose publication time lies ahead appears at
that time. Domain apps tell the cache when the next such moment is
(``register_next_change``); the time is kept beside the version, and the first
request at or after it moves the version (and sends ``schedule_reached``).

Who is served from the cache: GET and HEAD requests that carry neither a session
cookie nor a messages cookie (so never a signed-in user, nor anyone with a message
waiting). What is stored: a 200 answer to such a GET that set no cookie, used no CSRF
token, queued no message, saw no authenticated user and was not marked private or
uncacheable by its view. The middleware stands before the session, authentication
and locale middleware, so a hit costs one cache read (of the version, the page and
the next scheduled change at once) and nothing else; the
language is part of the address (``/en/…``), and the key is the whole address with
its query string.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime
from email.utils import formatdate

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers

VERSION_KEY = "pagecache:version"

# Changes to these apps' models never show on a public page: sign-in sessions and
# lock-outs, the admin's log, content types and permissions (written by migrate).
IGNORED_APPS = frozenset({"sessions", "axes", "admin", "contenttypes"})
IGNORED_MODELS = frozenset({"auth.permission"})

# Sent when a registered scheduled moment has passed and the version moved for it:
# other caches keyed on the data (the lists' facet counts) listen.
schedule_reached = Signal()

_next_change_sources: list[Callable[[], datetime | None]] = []
_NEVER = -1.0  # stored as the next change when nothing is scheduled


class _ProcessState(threading.local):
    stored_since_move = False
    # The version this thread saw last: a hit asks for it, the page under it and its
    # next scheduled change in one round trip, and asks again only if it has moved.
    version: str | None = None


_state = _ProcessState()


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _seconds() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", 600)


# --- The version -------------------------------------------------------------


def _new_token() -> str:
    # The clock and a random part: a version evicted from the cache is never reused, so
    # pages stored under it can never come back.
    return f"{time.time_ns():x}{secrets.token_hex(3)}"


def current_version() -> str:
    cache = _cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_token(), None)
        version = cache.get(VERSION_KEY)
    return version


def move_version() -> str:
    """Make every cached page stale now."""
    version = _new_token()
    _cache().set(VERSION_KEY, version, None)
    _state.stored_since_move = False
    _state.version = version
    return version


def content_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Something a public page may show changed (or will, when the transaction commits)."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        move_version()
        return
    if _state.stored_since_move:
        move_version()
    # Once per transaction: Django makes a new list of commit hooks whenever it drops some
    # (a commit, a rollback, a savepoint rolled back), so the hook is registered again then.
    if getattr(connection, "_pagecache_hooks", None) is not connection.run_on_commit:
        transaction.on_commit(move_version, using=using)
        connection._pagecache_hooks = connection.run_on_commit


def _model_changed(sender, **kwargs) -> None:
    meta = sender._meta
    if meta.app_label in IGNORED_APPS or meta.label_lower in IGNORED_MODELS:
        return
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed: once, after the links changed
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a sign-in, which no page shows
    content_changed(kwargs.get("using") or DEFAULT_DB_ALIAS)


def connect_signals() -> None:
    """Listen to every model's writes (core.apps calls this once)."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_model_changed, dispatch_uid=f"core.pagecache.{signal!r}")


# --- Scheduled changes -------------------------------------------------------


def register_next_change(source: Callable[[], datetime | None]) -> Callable:
    """Register a callable that returns when public content next changes by itself (an
    initiative's future publication time), or None. Called once per version."""
    if source not in _next_change_sources:
        _next_change_sources.append(source)
    return source


def next_change() -> float:
    """The earliest registered moment still ahead, as a POSIX time, or ``_NEVER``."""
    moments = [moment for source in _next_change_sources if (moment := source()) is not None]
    return min(moments).timestamp() if moments else _NEVER


def _next_key(version: str) -> str:
    return f"pagecache:next:{version}"


def prime(version: str | None = None) -> None:
    """Work out and keep the next scheduled change of the current version (a request does
    this when it first meets a version; tests call it before counting a page's queries)."""
    version = version or current_version()
    _cache().set(_next_key(version), next_change(), _seconds())


# --- The middleware ----------------------------------------------------------


def _enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


def _exempt(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in _exempt_prefixes())


def _exempt_prefixes() -> tuple[str, ...]:
    prefixes = getattr(settings, "PAGE_CACHE_EXEMPT_PREFIXES", None)
    if prefixes is None:
        prefixes = ("/admin/", "/healthz", "/readyz", "/i18n/")
        prefixes += tuple(
            f"{lang}accounts/" for lang in ["/", *(f"/{code}/" for code, _ in settings.LANGUAGES)]
        )
    return tuple(prefixes)


def anonymous_request(request: HttpRequest) -> bool:
    """No session and no message waiting: nothing that could make the page personal."""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _page_key(request: HttpRequest, version: str) -> str | None:
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost: let Django answer it
        return None
    address = f"{request.scheme}://{host}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:40]
    return f"pagecache:page:{version}:{digest}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and (storage.used or storage.added_new or storage._queued_messages):
        return False
    user = getattr(request, "_cached_user", None)
    # Only look if authentication already ran (and loaded the user): never load it here.
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    if not vary <= {"cookie", "accept-language", "accept-encoding"}:
        return False
    return b"csrfmiddlewaretoken" not in response.content


def _public(response: HttpResponse) -> None:
    response["Cache-Control"] = f"public, max-age={getattr(settings, 'PAGE_CACHE_MAX_AGE', 5)}"
    patch_vary_headers(response, ["Cookie"])


def _private(response: HttpResponse) -> None:
    if "Cache-Control" not in response:
        response["Cache-Control"] = "private, no-store"


class PageCacheMiddleware:
    """Serve and store whole pages for anonymous visitors (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or _exempt(request.path_info):
            return self.get_response(request)
        if not anonymous_request(request):
            response = self.get_response(request)
            _private(response)
            return response
        if not _enabled():
            response = self.get_response(request)
            _public(response) if _storable(request, response) else _private(response)
            return response

        cache = _cache()
        version = _state.version
        if version is None:
            version = current_version()
        key = _page_key(request, version)
        if key is None:
            return self.get_response(request)
        next_key = _next_key(version)
        found = cache.get_many([VERSION_KEY, key, next_key])
        if found.get(VERSION_KEY) != version:
            version = found.get(VERSION_KEY) or current_version()
            key, next_key = _page_key(request, version), _next_key(version)
            found = cache.get_many([key, next_key])
        _state.version = version
        moment = found.get(next_key)
        if moment is None:
            moment = next_change()
            cache.set(next_key, moment, _seconds())
        if moment != _NEVER and time.time() >= moment:
            version = move_version()
            schedule_reached.send(sender=PageCacheMiddleware)
            key = _page_key(request, version)
        elif (entry := found.get(key)) is not None:
            response = self._from_entry(request, entry)
            response["X-Page-Cache"] = "hit"
            return response

        response = self.get_response(request)
        if not _storable(request, response):
            _private(response)
            return response
        entry = self._entry(response)
        cache.set(key, entry, _seconds())
        _state.stored_since_move = True
        response = self._from_entry(request, entry, response)
        response["X-Page-Cache"] = "stored"
        return response

    @staticmethod
    def _entry(response: HttpResponse) -> dict:
        content = response.content
        etag = f'"{hashlib.blake2b(content, digest_size=16).hexdigest()}"'
        response["ETag"] = etag
        response["Last-Modified"] = formatdate(time.time(), usegmt=True)
        _public(response)
        return {
            "content": content,
            "headers": list(response.items()),
            "etag": etag,
            "modified": int(time.time()),
        }

    @staticmethod
    def _from_entry(request, entry: dict, response: HttpResponse | None = None) -> HttpResponse:
        if response is None:
            response = HttpResponse(entry["content"])
            for name, value in entry["headers"]:
                response[name] = value
            if request.method == "HEAD":
                response.content = b""  # the headers (Content-Length too) as for GET
        return get_conditional_response(
            request, etag=entry["etag"], last_modified=entry["modified"], response=response
        )
