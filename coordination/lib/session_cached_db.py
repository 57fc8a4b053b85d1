"""Django's cached database sessions, read with the keys the person's page read late last time.

The session is the first thing a signed-in request reads from the cache, and the only thing whose key
is known before anything is read. `percache` names, per session and address, a key that holds the keys
that page read after the person's values on the person's last visit; it is read here, in the session's
own round trip, so the person's values and all of the page's kept parts then come in one more.
"""

from __future__ import annotations

from django.contrib.sessions.backends import cached_db


class SessionStore(cached_db.SessionStore):
    def load(self):
        from coordination.lib import percache

        along = percache.session_along(self.session_key)
        if not along:
            return super().load()
        try:
            found = self._cache.get_many([self.cache_key, *along])
        except Exception:
            found = {}
        percache.session_found(found)
        data = found.get(self.cache_key)
        # Not in the cache (or unreadable): Django's own way, from the database.
        return data if data is not None else super().load()
