"""Who may change the ledger: the holder of the API token (setting `api_token`, env
CLAIMLEDGER_API_TOKEN). Without a token the web UI and the API are read-only.

- The API takes `Authorization: Bearer <token>` on every write; cookies never authorize
  an API write, so a forged cross-site request cannot make one.
- The web UI's login form checks the token once and sets a signed, HttpOnly,
  SameSite=Strict session cookie naming the analyst (the "who" of the audit trail).
- Every form carries a CSRF token: an HMAC of a random per-browser cookie, checked on
  every POST together with the Origin header when the browser sends one.
Signing keys derive from the token, so changing the token ends every session.
- Wrong tokens are throttled per client (`Throttle`): after a few within a minute, that
  client's next attempts are refused (429, Retry-After) until the oldest ages out, so
  that guessing the token takes years rather than hours.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import secrets
import threading
import time
from collections import OrderedDict, deque

from fastapi import Request

SESSION_COOKIE = "claimledger_session"
CSRF_COOKIE = "claimledger_csrf"
SESSION_SECONDS = 12 * 3600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TooManyAttempts(Exception):
    """Too many wrong tokens from one client: it must wait `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"too many wrong tokens: try again in {retry_after} seconds")
        self.message, self.retry_after = str(self), retry_after


class Throttle:
    """Wrong tokens per client (its address): `attempts` within `window` seconds, then
    nothing until the oldest of them is `window` old. At most `clients` are remembered
    (the longest quiet forgotten first), so that a flood of addresses cannot fill memory."""

    def __init__(self, attempts: int = 5, window: float = 60.0, clients: int = 10_000, clock=time.monotonic):
        self.attempts, self.window, self.clients, self.clock = attempts, window, clients, clock
        self._failures: OrderedDict[str, deque] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, client: str) -> int:
        """Seconds this client must wait before its next attempt (0: it may try now)."""
        with self._lock:
            failures = self._recent(client)
            if failures is None or len(failures) < self.attempts:
                return 0
            return max(1, math.ceil(failures[0] + self.window - self.clock()))

    def failed(self, client: str) -> None:
        with self._lock:
            failures = self._recent(client)
            if failures is None:
                failures = self._failures[client] = deque(maxlen=self.attempts)
                while len(self._failures) > self.clients:
                    self._failures.popitem(last=False)
            failures.append(self.clock())
            self._failures.move_to_end(client)

    def _recent(self, client: str) -> deque | None:
        failures = self._failures.get(client)
        if failures is None:
            return None
        while failures and failures[0] <= self.clock() - self.window:
            failures.popleft()
        return failures


class Auth:
    def __init__(self, token: str | None, throttle: Throttle | None = None):
        self.throttle = throttle or Throttle()
        self.token = (token or "").strip()
        seed = self.token.encode() if self.token else secrets.token_bytes(32)
        self._key = hashlib.sha256(b"claimledger-publish\x00" + seed).digest()

    @property
    def enabled(self) -> bool:
        return bool(self.token)

    def _sign(self, text: str) -> str:
        return _b64(hmac.new(self._key, text.encode(), hashlib.sha256).digest())

    def check_token(self, given: str | None) -> bool:
        if not self.enabled or not given:
            return False
        return hmac.compare_digest(given.strip().encode(), self.token.encode())

    def verify(self, request: Request, given: str | None) -> bool:
        """`check_token`, throttled: raises TooManyAttempts for a client that has sent
        too many wrong tokens lately (before looking at this one); counts a wrong one."""
        client = request.client.host if request.client else "unknown"
        wait = self.throttle.wait(client)
        if wait:
            raise TooManyAttempts(wait)
        if self.check_token(given):
            return True
        if given and self.enabled:
            self.throttle.failed(client)
        return False

    # -- the API: a bearer token

    def bearer_ok(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        return scheme.lower() == "bearer" and self.check_token(value)

    # -- the web UI: a signed session cookie

    def make_session(self, who: str) -> str:
        payload = _b64(json.dumps({"who": who, "at": int(time.time())}).encode())
        return f"{payload}.{self._sign(payload)}"

    def session_user(self, request: Request) -> str | None:
        """The analyst's name from a valid, unexpired session cookie, else None."""
        if not self.enabled:
            return None
        cookie = request.cookies.get(SESSION_COOKIE, "")
        payload, _, signature = cookie.partition(".")
        if not payload or not hmac.compare_digest(signature.encode(), self._sign(payload).encode()):
            return None
        try:
            data = json.loads(_unb64(payload))
        except ValueError:
            return None
        if not isinstance(data, dict) or time.time() - float(data.get("at", 0)) > SESSION_SECONDS:
            return None
        who = data.get("who")
        return who if isinstance(who, str) and who else None

    # -- CSRF: double submit, signed

    @staticmethod
    def new_csrf_seed() -> str:
        return secrets.token_urlsafe(24)

    def csrf_token(self, seed: str) -> str:
        return self._sign("csrf:" + seed)

    def csrf_ok(self, request: Request, submitted: str | None) -> bool:
        seed = request.cookies.get(CSRF_COOKIE)
        if not seed or not submitted:
            return False
        if not hmac.compare_digest(submitted.encode(), self.csrf_token(seed).encode()):
            return False
        origin = request.headers.get("origin")
        if origin and origin != "null":
            expected = f"{request.url.scheme}://{request.headers.get('host', '')}"
            return origin == expected
        return True
