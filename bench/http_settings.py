"""The settings of the HTTP benchmark's server: the portal's own, with the benchmark's probe page
added to the URLs (bench.http_urls). Never used outside bench/run_http.py."""

from coordination.settings import *  # noqa: F403

ROOT_URLCONF = "bench.http_urls"
