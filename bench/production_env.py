"""What the benchmarks' and the worker tests' own DEBUG=0 processes need to start.

With DEBUG=0 the web application and the Celery worker refuse a PostgreSQL
address without a password (coordination/lib/deploy.py). The PostgreSQL of a
developer's machine and of CI trusts local connections, so their DATABASE_URL
has none: these processes get one that such a server does not check. A server
that does check passwords already has one in DATABASE_URL, which is kept.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit, urlunsplit

UNCHECKED_PASSWORD = "trusted-locally-not-checked"  # noqa: S105 (not a secret: the server trusts the connection)


def database_url_with_password(url: str) -> str:
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres") or parts.password:
        return url
    user, _, host = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"{user}:{UNCHECKED_PASSWORD}@{host}"))


def secret_key() -> str:
    return "bench-only-" + secrets.token_urlsafe(40)
