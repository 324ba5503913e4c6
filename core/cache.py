"""The platform's cache backend: Django's Redis cache, except that Redis being unreachable is a miss, never an
error. The cache only ever speeds things up (the actor map's layout, allauth's rate-limit counters), so when
Redis is down every page still answers: reads miss, writes are dropped, `add` succeeds as on an empty cache
(allauth's rate-limit lock is then granted: the limits are lifted during the outage rather than locking
everyone out). Each failure is logged, at most once every LOG_EVERY seconds per process.

After a failure Redis is not asked again for RETRY_AFTER seconds, so a Redis that hangs (rather than refusing
connections) costs one socket timeout, not one per cache call. `/sante/` calls `check()`, which bypasses all
this and raises, so supervision sees the outage that pages do not.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Errors of an unreachable or failing Redis; anything else (a value that cannot be pickled) is a bug.
UNAVAILABLE = (RedisError, OSError)
RETRY_AFTER = 5.0
LOG_EVERY = 60.0


class FailSafeRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0
        self._logged_at = float("-inf")

    def _call(self, operation: str, fallback, call):
        now = time.monotonic()
        if now < self._down_until:
            return fallback
        try:
            return call()
        except UNAVAILABLE as error:
            self._down_until = now + RETRY_AFTER
            if now - self._logged_at >= LOG_EVERY:
                self._logged_at = now
                logger.warning("Cache unavailable (%s), treated as a miss", operation, exc_info=error)
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            "add", True, lambda: super(FailSafeRedisCache, self).add(key, value, timeout, version)
        )

    def get(self, key, default=None, version=None):
        return self._call("get", default, lambda: super(FailSafeRedisCache, self).get(key, default, version))

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            "set", None, lambda: super(FailSafeRedisCache, self).set(key, value, timeout, version)
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            "touch", False, lambda: super(FailSafeRedisCache, self).touch(key, timeout, version)
        )

    def delete(self, key, version=None):
        return self._call("delete", False, lambda: super(FailSafeRedisCache, self).delete(key, version))

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, lambda: super(FailSafeRedisCache, self).get_many(keys, version))

    def has_key(self, key, version=None):
        return self._call("has_key", False, lambda: super(FailSafeRedisCache, self).has_key(key, version))

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._call(
            "incr", missing, lambda: super(FailSafeRedisCache, self).incr(key, delta, version)
        )
        if result is missing:
            # What Django's caches raise for a key they do not hold: an empty cache holds none.
            raise ValueError(f"Key '{key}' not found")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            "set_many", list(data), lambda: super(FailSafeRedisCache, self).set_many(data, timeout, version)
        )

    def delete_many(self, keys, version=None):
        return self._call(
            "delete_many", None, lambda: super(FailSafeRedisCache, self).delete_many(keys, version)
        )

    def clear(self):
        return self._call("clear", False, lambda: super(FailSafeRedisCache, self).clear())

    def check(self) -> bool:
        """A write read back, raising when Redis is unreachable (for /sante/, never for pages)."""
        key, value = "health:check", str(time.time())
        super().set(key, value, 10)
        ok = super().get(key) == value
        super().delete(key)
        if ok:
            self._down_until = 0.0
        return ok
