"""Small bounded in-process stores: events already seen, and answers waiting to be shared.

Both live in one process's memory on purpose: a retry reaches the process that acked the
first delivery, and a share button is clicked within minutes. Never unbounded.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass

from assistant.types import Answer


class SeenEvents:
    """Remembers event keys for ``ttl_s`` seconds so that a second delivery is dropped."""

    def __init__(self, ttl_s: float = 3600.0, capacity: int = 10_000) -> None:
        self._ttl_s = ttl_s
        self._capacity = capacity
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, keys: list[str]) -> bool:
        """Record ``keys``; True unless one of them was recorded before (and not yet expired)."""
        now = time.monotonic()
        with self._lock:
            self._expire(now)
            repeated = any(key in self._seen for key in keys)
            for key in keys:
                self._seen[key] = now
                self._seen.move_to_end(key)
            while len(self._seen) > self._capacity:
                self._seen.popitem(last=False)
            return not repeated

    def _expire(self, now: float) -> None:
        while self._seen:
            key, seen_at = next(iter(self._seen.items()))
            if now - seen_at < self._ttl_s:
                return
            del self._seen[key]


@dataclass(frozen=True)
class PendingShare:
    """An answer shown privately (``/brief``) that its asker may share in the channel."""

    question: str
    """The question as asked."""
    answer: Answer
    """The answer shown to the asker."""


class ShareableAnswers:
    """Answers behind "Share in channel" buttons, keyed by the button's value."""

    def __init__(self, capacity: int = 1000) -> None:
        self._capacity = capacity
        self._items: OrderedDict[str, PendingShare] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, question: str, answer: Answer) -> str:
        """Keep the answer; return the key to put in the button (well under Slack's 2,000 chars)."""
        key = uuid.uuid4().hex
        with self._lock:
            self._items[key] = PendingShare(question=question, answer=answer)
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)
        return key

    def get(self, key: str) -> PendingShare | None:
        """The answer behind ``key``, or None once it has been evicted."""
        with self._lock:
            return self._items.get(key)
