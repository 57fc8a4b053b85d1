# Two images (see docker-compose.yml):
#  - `app` (the default): gunicorn serves the portal; the same image runs the
#    Celery worker and beat;
#  - `proxy`: nginx in front of it, with the static files collected by `app`.
FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=coordination.settings \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media

# ffmpeg makes the mobile video renditions and posters, gettext compiles the
# translations, DejaVu gives the PDF letters and labels their Vietnamese glyphs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg gettext fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, pinned by the lock file, so that code changes reuse this layer.
COPY pyproject.toml requirements.lock README.md ./
RUN pip install -c requirements.lock . && rm -rf build ./*.egg-info

COPY . .

# Translations and static files are built into the image, with no secret: the
# running containers get theirs from the environment, and refuse to start without.
RUN python manage.py compilemessages \
    && DEBUG=0 python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home app \
    && mkdir -p /data/media /data/beat \
    && chown -R app:app /data
USER app

EXPOSE 8000
# gunicorn's settings (gthread workers, so that slow phone connections do not hold a whole
# process; timeouts; restarts after GUNICORN_MAX_REQUESTS; the access log) are in
# coordination/gunicorn_conf.py, tuned by WEB_CONCURRENCY and GUNICORN_* without rebuilding.
CMD ["gunicorn", "--config", "python:coordination.gunicorn_conf", "coordination.wsgi"]

# nginx with the portal's static files and its configuration (deploy/nginx/).
FROM nginx:1.27-alpine AS proxy
RUN rm /etc/nginx/conf.d/default.conf
COPY deploy/nginx/portal.conf.template /etc/nginx/templates/portal.conf.template
COPY --from=app /app/staticfiles /srv/static

# `docker build .` without a target makes the portal's image.
FROM app
