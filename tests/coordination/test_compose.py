"""docker-compose.yml: no default secrets, nginx the only way in, and an environment the portal starts with.

`docker-compose config` resolves the file against a .env made from
.env.example with fresh secrets, as a deployer would make it.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import requires_binary
from tests.coordination.processes import ROOT, clean_env, run_python

SECRETS = [
    "SECRET_KEY",
    "POSTGRES_PASSWORD",
    "S3_ACCESS_KEY",
    "S3_SECRET_KEY",
    "TLS_CERTIFICATE",
    "TLS_CERTIFICATE_KEY",
]
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "portal.conf.template"


def env_example_filled() -> dict[str, str]:
    """.env.example's lines, with a fresh value for each secret it leaves empty."""
    fresh = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "POSTGRES_PASSWORD": secrets.token_urlsafe(32),
        "S3_ACCESS_KEY": "portal-" + secrets.token_hex(8),
        "S3_SECRET_KEY": secrets.token_urlsafe(32),
    }
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value or fresh.pop(name, "")
    assert not fresh, f".env.example has no empty line for {fresh}"
    return values


def compose_config(tmp_path: Path, values: dict[str, str]) -> subprocess.CompletedProcess:
    program = requires_binary("docker-compose", "apt-get install docker-compose")
    env_file = tmp_path / "test.env"
    env_file.write_text("".join(f"{name}={value}\n" for name, value in values.items()), encoding="utf-8")
    return subprocess.run(
        [program, "--env-file", str(env_file), "--project-directory", str(ROOT), "config"],
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )


def as_data(program: str, text: str) -> dict:
    """The YAML that docker-compose printed, read by docker-compose's own Python (which has a YAML reader)."""
    interpreter = Path(program).read_text(errors="replace").splitlines()[0].removeprefix("#!").split()
    reader = subprocess.run(
        [*interpreter, "-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))"],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(reader.stdout)


@pytest.fixture
def complete_values():
    return env_example_filled()


@pytest.fixture
def config(tmp_path, complete_values) -> dict:
    result = compose_config(tmp_path, complete_values)
    assert result.returncode == 0, result.stderr
    return as_data(shutil.which("docker-compose"), result.stdout)


@pytest.mark.parametrize("secret", SECRETS)
def test_a_missing_secret_stops_compose_naming_it(tmp_path, complete_values, secret):
    del complete_values[secret]

    result = compose_config(tmp_path, complete_values)

    assert result.returncode != 0
    assert f"set {secret} in .env" in result.stderr


def test_env_example_as_it_is_is_refused(tmp_path):
    values = dict(
        line.partition("=")[::2]
        for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )

    result = compose_config(tmp_path, values)

    assert result.returncode != 0
    assert "see .env.example" in result.stderr


def published(service: dict) -> list[dict]:
    """The service's published ports as {host_ip, published, target}, whichever syntax compose printed."""
    ports = []
    for port in service.get("ports", []):
        if isinstance(port, str):
            *host, target = port.split("/")[0].split(":")
            host_ip, published_port = (host[0], host[1]) if len(host) == 2 else ("", host[0] if host else "")
            port = {"host_ip": host_ip, "published": published_port, "target": target}
        ports.append({key: str(port.get(key, "")) for key in ("host_ip", "published", "target")})
    return ports


def mounts(service: dict) -> dict[str, dict]:
    """The service's volumes by where they are mounted, as {source, read_only}."""
    found = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, str):
            source, target, *mode = volume.split(":")
            volume = {"source": source, "target": target, "read_only": mode == ["ro"]}
        found[volume["target"]] = {"source": volume["source"], "read_only": bool(volume.get("read_only"))}
    return found


def test_only_nginx_is_published_and_mailpit_on_loopback(config):
    services = config["services"]

    assert {port["target"] for port in published(services["nginx"])} == {"80", "443", "9443"}
    for name in ("web", *worker_services(services), "beat", "postgres", "pgbouncer", "redis", "minio"):
        assert published(services[name]) == [], name
    [mailpit] = published(services["mailpit"])
    assert mailpit["host_ip"] == "127.0.0.1"
    assert mailpit["target"] == "8025"
    # MinIO's web console is off, not only unpublished.
    assert services["minio"]["environment"]["MINIO_BROWSER"] == "off"


def test_nginx_has_the_certificate_and_the_media(config, complete_values):
    nginx = mounts(config["services"]["nginx"])

    assert nginx["/etc/nginx/tls/certificate.pem"] == {
        "source": str(ROOT / complete_values["TLS_CERTIFICATE"]),
        "read_only": True,
    }
    assert nginx["/etc/nginx/tls/key.pem"] == {
        "source": str(ROOT / complete_values["TLS_CERTIFICATE_KEY"]),
        "read_only": True,
    }
    assert nginx["/data/media"]["read_only"] is True
    assert config["services"]["nginx"]["build"]["target"] == "proxy"


def test_the_portal_runs_in_production_behind_nginx(config, complete_values):
    env = config["services"]["web"]["environment"]

    assert env["DEBUG"] == "0"
    assert env["SECRET_KEY"] == complete_values["SECRET_KEY"]
    # Through the pooler, without server-side cursors (they cannot outlive a pooled transaction).
    assert f":{complete_values['POSTGRES_PASSWORD']}@pgbouncer:5432/" in env["DATABASE_URL"]
    assert env["DISABLE_SERVER_SIDE_CURSORS"] == "1"
    assert env["TRUST_X_FORWARDED_PROTO"] == "1"
    assert env["SECURE_SSL_REDIRECT"] == "1"
    assert env["SECURE_COOKIES"] == "1"
    assert int(env["SECURE_HSTS_SECONDS"]) > 0
    # The location nginx keeps internal for the portal's X-Accel-Redirect answers.
    prefix = env["MEDIA_ACCEL_REDIRECT_PREFIX"]
    assert re.search(rf"location {re.escape(prefix)} {{\s*internal;\s*alias /data/media/;", NGINX_TEMPLATE.read_text())
    # The same environment for the workers and beat.
    for name in worker_services(config["services"]):
        assert config["services"][name]["environment"] == env, name
    assert config["services"]["beat"]["environment"] == env


def test_the_portal_starts_with_the_compose_environment(config):
    """With the compose file's environment, as .env.example asks for it, the start guard lets the portal run."""
    env = {name: str(value) for name, value in config["services"]["web"]["environment"].items()}

    result = run_python(
        "from django.conf import settings; from coordination.lib.deploy import unsafe_secrets; "
        "print(unsafe_secrets(settings))",
        clean_env(**env),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_nginx_proxies_to_the_compose_services(config):
    template = NGINX_TEMPLATE.read_text()

    assert "server web:8000;" in template
    assert "server minio:9000;" in template
    assert "web" in config["services"]
    assert "minio" in config["services"]
    # Storage through nginx is for reading signed links only.
    assert re.search(r"limit_except GET {\s*deny all;\s*}", template)


CELERY_BEAT = ["celery", "-A", "coordination", "beat"]


def celery_command(service: dict) -> list[str]:
    command = service.get("command") or []
    return command.split() if isinstance(command, str) else [str(part) for part in command]


def worker_services(services: dict) -> dict[str, set[str]]:
    """The services that run a Celery worker, with the queues each consumes (its -Q)."""
    workers = {}
    for name, service in services.items():
        command = celery_command(service)
        if command[:1] == ["celery"] and "worker" in command:
            assert "-Q" in command, f"{name} consumes Celery's default queue, not one the code names"
            workers[name] = set(command[command.index("-Q") + 1].split(","))
    return workers


def test_each_queue_the_code_routes_to_has_a_worker_of_its_own(config):
    from coordination.celery import routed_queues, task_queue

    routed = routed_queues()
    workers = worker_services(config["services"])
    # The router is the one that sends: a media task to media, a delivery to notifications.
    assert task_queue("mediafiles.tasks.media_process") == "media"
    assert task_queue("notifications.tasks.notify_deliver") == "notifications"
    assert task_queue("accounts.tasks.staff_welcome_send") == "default"
    assert {"default", "media", "notifications"} <= set(routed)

    consumed = set().union(*workers.values())
    unconsumed = {queue: tasks for queue, tasks in routed.items() if queue not in consumed}
    assert not unconsumed, f"no worker in docker-compose.yml consumes {unconsumed}"
    idle = {name: queues - set(routed) for name, queues in workers.items() if queues - set(routed)}
    assert not idle, f"workers wait on queues nothing is routed to: {idle}"
    # One queue per worker service, so that each is scaled on its own.
    assert sorted(len(queues) for queues in workers.values()) == [1] * len(routed)


def test_beat_runs_alone_and_the_web_through_the_gunicorn_config(config):
    services = config["services"]
    beats = [name for name, service in services.items() if celery_command(service)[:4] == CELERY_BEAT]
    assert beats == ["beat"]
    assert int(services["beat"].get("scale", 1)) == 1
    assert "--beat" not in " ".join(" ".join(celery_command(services[name])) for name in worker_services(services))
    web = celery_command(services["web"])
    assert web == ["gunicorn", "--config", "python:coordination.gunicorn_conf", "coordination.wsgi"]


def test_the_pooler_pools_transactions_and_migrations_bypass_it(config, complete_values):
    services = config["services"]
    pooler = services["pgbouncer"]["environment"]
    assert pooler["POOL_MODE"] == "transaction"
    assert pooler["DB_HOST"] == "postgres"
    assert pooler["DB_PASSWORD"] == complete_values["POSTGRES_PASSWORD"]
    assert re.fullmatch(r"[\w./-]+:v?\d+(\.\d+)*[\w.-]*", services["pgbouncer"]["image"]), "an image pinned by tag"
    assert "@postgres:5432/" in services["migrate"]["environment"]["DATABASE_URL"]
    assert services["backup"]["environment"]["PGHOST"] == "postgres"
