"""The compose file's nginx configuration, run for real in front of the portal under gunicorn.

deploy/nginx/portal.conf.template is rendered as the nginx image renders it,
with this machine's addresses in place of the compose services' (gunicorn on
a free port for `web`, a stand-in for MinIO), its ports moved to free ones and
its files to a temporary directory. The portal runs as production runs it:
DEBUG=0, real secrets, behind the proxy it trusts.
"""

from __future__ import annotations

import datetime
import http.client
import http.server
import ipaddress
import os
import re
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client

from bench.production_env import database_url_with_password
from mediafiles.models import Audience, Kind, MediaFile, State
from tests import factories as f
from tests.conftest import requires_binary, requires_postgres
from tests.coordination.processes import ROOT, production_env, program
from tests.coordination.test_production_start import free_port

TEMPLATE = ROOT / "deploy" / "nginx" / "portal.conf.template"
START_SECONDS = 60
HASHED_CSS = "css/site.0123456789ab.css"


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for localhost and 127.0.0.1, and its key, as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "certificate.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def nginx_version(binary: str) -> tuple[int, ...]:
    text = subprocess.run([binary, "-v"], capture_output=True, text=True, check=True).stderr
    return tuple(int(part) for part in re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", text).groups())


class StorageStandIn(http.server.BaseHTTPRequestHandler):
    """Answers as MinIO would to a signed GET, saying which method and Host header reached it."""

    def do_GET(self):  # noqa: N802 (the handler's name is fixed)
        body = f"{self.command} {self.headers['Host']} {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_PUT = do_POST = do_DELETE = do_GET  # noqa: N815 (what nginx must never let through)

    def log_message(self, *args):
        pass


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, f"stopped:\n{log.read_text()[-3000:]}"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"nothing on port {port} after {START_SECONDS} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def shared_database_url() -> str:
    """The database this test run really uses, for the gunicorn process to share it."""
    db = connection.settings_dict
    credentials = db["USER"] or ""
    if db["PASSWORD"]:
        credentials += ":" + db["PASSWORD"]
    port = f":{db['PORT']}" if db["PORT"] else ""
    return database_url_with_password(f"postgres://{credentials}@{db['HOST'] or ''}{port}/{db['NAME']}")


@pytest.fixture
def stack(tmp_path, transactional_db):
    """nginx in front of gunicorn, as docker-compose.yml runs them; yields the ports and files."""
    requires_postgres()
    nginx = requires_binary("nginx", "apt-get install nginx")
    ports = {name: free_port() for name in ("http", "https", "storage", "gunicorn")}
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    static_root = tmp_path / "srv" / "static"
    (static_root / "css").mkdir(parents=True)
    (static_root / HASHED_CSS).write_text("main { margin: 0 }\n")
    (static_root / "css" / "plain.css").write_text("p { margin: 0 }\n")
    cert, key = self_signed(tmp_path)

    storage = http.server.ThreadingHTTPServer(("127.0.0.1", 0), StorageStandIn)
    threading.Thread(target=storage.serve_forever, daemon=True).start()

    site_url = f"https://localhost:{ports['https']}"
    conf = TEMPLATE.read_text()
    for old, new in [
        ("${SITE_URL}", site_url),
        ("server web:8000;", f"server 127.0.0.1:{ports['gunicorn']};"),
        ("server minio:9000;", f"server 127.0.0.1:{storage.server_address[1]};"),
        ("listen 80 default_server;", f"listen 127.0.0.1:{ports['http']} default_server;"),
        ("listen 443 ssl default_server;", f"listen 127.0.0.1:{ports['https']} ssl default_server;"),
        ("listen 9443 ssl default_server;", f"listen 127.0.0.1:{ports['storage']} ssl default_server;"),
        ("/etc/nginx/tls/certificate.pem", str(cert)),
        ("/etc/nginx/tls/key.pem", str(key)),
        ("root /srv;", f"root {tmp_path / 'srv'};"),
        ("alias /data/media/;", f"alias {media_root}/;"),
    ]:
        assert old in conf, old
        conf = conf.replace(old, new)
    if nginx_version(nginx) < (1, 25, 1):
        conf = conf.replace("http2 on;", "")  # the image's nginx is newer; this one predates the directive
    (tmp_path / "portal.conf").write_text(conf)
    (tmp_path / "nginx.conf").write_text(
        f"""
        {"user root;" if os.geteuid() == 0 else ""}
        daemon off;
        worker_processes 1;
        pid {tmp_path}/nginx.pid;
        error_log {tmp_path}/nginx-error.log;
        events {{ worker_connections 64; }}
        http {{
            include /etc/nginx/mime.types;
            default_type application/octet-stream;
            access_log off;
            client_body_temp_path {tmp_path}/body;
            proxy_temp_path {tmp_path}/proxy;
            fastcgi_temp_path {tmp_path}/fastcgi;
            uwsgi_temp_path {tmp_path}/uwsgi;
            scgi_temp_path {tmp_path}/scgi;
            include {tmp_path}/portal.conf;
        }}
        """
    )

    env = production_env(
        tmp_path,
        SECRET_KEY=settings.SECRET_KEY,
        DATABASE_URL=shared_database_url(),
        DB_CONN_MAX_AGE="0",
        ALLOWED_HOSTS="localhost,127.0.0.1",
        SITE_URL=site_url,
        MEDIA_ROOT=str(media_root),
        MEDIA_ACCEL_REDIRECT_PREFIX="/protected-media/",
        TRUST_X_FORWARDED_PROTO="1",
        TRUSTED_PROXY_COUNT="1",
        S3_BUCKET="",
    )
    gunicorn_log, nginx_log = tmp_path / "gunicorn.log", tmp_path / "nginx.log"
    with gunicorn_log.open("w") as log:
        web = subprocess.Popen(
            [program("gunicorn"), "coordination.wsgi", "--bind", f"127.0.0.1:{ports['gunicorn']}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    with nginx_log.open("w") as log:
        proxy = subprocess.Popen(
            [nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(ports["gunicorn"], web, gunicorn_log)
        wait_for_port(ports["https"], proxy, tmp_path / "nginx-error.log")
        yield {"ports": ports, "cert": cert, "site_url": site_url}
    finally:
        stop(proxy)
        stop(web)
        storage.shutdown()


def https(stack, path: str, *, port: str = "https", method: str = "GET", headers=None) -> http.client.HTTPResponse:
    context = ssl.create_default_context(cafile=str(stack["cert"]))
    conn = http.client.HTTPSConnection("localhost", stack["ports"][port], context=context, timeout=30)
    conn.request(method, path, headers=headers or {})
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def plain_http(stack, path: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("localhost", stack["ports"]["http"], timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def test_plain_http_goes_to_the_site_over_https(stack):
    redirect = plain_http(stack, "/accounts/login/?next=/family/")
    health = plain_http(stack, "/healthz")

    assert redirect.status == 301, redirect.body
    assert redirect.getheader("Location") == f"{stack['site_url']}/accounts/login/?next=/family/"
    assert health.status == 200


def test_pages_come_from_the_portal_as_https(stack):
    response = https(stack, "/accounts/login/", headers={"X-Forwarded-Proto": "http"})

    # The portal took nginx's word that this is HTTPS (no redirect loop), not the client's.
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains"
    assert "script-src 'self'" in response.getheader("Content-Security-Policy")
    assert "; secure" in response.getheader("Set-Cookie").lower()


def test_static_files_are_served_by_nginx(stack):
    hashed = https(stack, f"/static/{HASHED_CSS}")
    plain = https(stack, "/static/css/plain.css")

    assert hashed.status == 200
    assert hashed.body == b"main { margin: 0 }\n"
    assert hashed.getheader("Content-Type") == "text/css"
    assert hashed.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert plain.status == 200
    assert plain.getheader("Cache-Control") == "public, max-age=3600"


def test_private_media_is_sent_by_nginx_after_the_portal_checked(stack):
    school = f.SchoolFactory()
    teacher = f.StaffFactory(school=school, role="teacher").user
    photo = b"\xff\xd8\xff\xe0 a photo's bytes " * 100
    media = MediaFile.objects.create(
        school=school,
        uploaded_by=teacher,
        audience=Audience.STAFF,
        kind=Kind.IMAGE,
        state=State.READY,
        original_name="lop-la-1.jpg",
        content_type="image/jpeg",
        size=len(photo),
        received=len(photo),
    )
    media.original.save("original", ContentFile(photo), save=True)
    client = Client()
    client.force_login(teacher)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    url = f"/media/{media.pk}/original"

    whole = https(stack, url, headers={"Cookie": cookie})
    part = https(stack, url, headers={"Cookie": cookie, "Range": "bytes=0-9"})
    anonymous = https(stack, url)
    direct = https(stack, f"/protected-media/{media.original.name}")

    assert whole.status == 200
    assert whole.body == photo
    assert whole.getheader("Content-Type") == "image/jpeg"
    assert whole.getheader("Content-Security-Policy") == "default-src 'none'; sandbox"
    assert part.status == 206
    assert part.body == photo[:10]
    assert anonymous.status == 302
    assert direct.status == 404


def test_object_storage_is_reachable_for_reading_only(stack):
    signed = "/coordination-media/schools/1/media/x/original?X-Amz-Signature=abc"

    read = https(stack, signed, port="storage")
    write = https(stack, signed, port="storage", method="PUT")
    admin = https(stack, "/minio/admin/v3/info", port="storage")

    assert read.status == 200
    # MinIO checks the signature against the host the link was signed for: it gets it unchanged.
    assert read.body.decode() == f"GET localhost:{stack['ports']['storage']} {signed}"
    assert write.status == 403
    assert admin.status == 404
