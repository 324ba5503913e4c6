# The platform's image: the web process (gunicorn), the Celery worker and beat all run from it.
# See docker-compose.yml and the "Déployer" section of the README.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's runtime libraries and fonts (PDF exports). pygraphviz's wheel carries Graphviz and cairo but
# links them against the system's X11 client libraries, which the slim image lacks: without them, importing
# the actor map (and so starting the site or a worker) fails on libXrender.so.1.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation \
        libx11-6 libxext6 libxrender1 \
    && rm -rf /var/lib/apt/lists/*

# pg_dump and pg_restore for `manage.py backup` and `restore`, of the server's major version (pg_dump refuses
# a newer server): PostgreSQL's own Debian repository, set up by Debian's postgresql-common script.
ARG PG_MAJOR=16
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-common ca-certificates \
    && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
    && apt-get install -y --no-install-recommends postgresql-client-${PG_MAJOR} \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --home-dir /home/fabrique --uid 10001 --user-group fabrique

WORKDIR /app
# The production pins only (`make requirements` compiles them beside requirements.txt, at the same versions):
# no test runner, browser driver or S3 test server in the image.
COPY requirements.prod.txt ./
RUN pip install -r requirements.prod.txt

# France's administrative division (`manage.py import_reference_data`) ships as a pinned npm package;
# Node.js is only needed at build time to fetch it.
COPY package.json .npmrc ./
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && npm install --no-audit --no-fund --no-package-lock \
    && apt-get purge -y nodejs npm && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* /root/.npm

COPY --chown=root:root . .
# The static files are collected once, into the image (root's, read-only to the application), rather than by
# every web replica as it starts: each one redid the same work, ~35 s on a 2-core machine, before answering.
# collectstatic loads the production settings but opens no connection: these values only let them load.
RUN SECRET_KEY=collectstatic-at-build DATABASE_URL=postgres://unused@unused.invalid/unused \
    ALLOWED_HOSTS=localhost CONTACT_EMAIL=unused@localhost \
    python manage.py collectstatic --noinput
# The only place the application writes to: uploaded media (without STORAGE_URL).
RUN mkdir -p /app/media && chown fabrique:fabrique /app/media

USER fabrique
ENV MEDIA_ROOT=/app/media
EXPOSE 8000

# docker-compose.yml runs the migrations before this, in its one-shot `migrate` service.
# gunicorn.conf.py (read from /app) sets the metrics' multiprocess folder and the logs' format; the platform
# logs each request itself, so gunicorn keeps no access log.
CMD ["gunicorn", "fabrique.wsgi", "--bind", "0.0.0.0:8000"]
