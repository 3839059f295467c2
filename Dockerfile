# The app under gunicorn. docker-compose.yml runs this one image twice: as the
# one-shot migrate step, and as the app, in as many containers as asked for.

# Front-end packages come from npm at build time; nothing is fetched at run
# time. Node 24 is a long-term support line (until April 2028); this stage
# only runs npm ci, so a newer LTS can replace it freely.
FROM node:24-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# The app as a wheel: every module, template, static file and the default
# bank's data, as tests/test_wheel.py checks from an installed copy.
FROM python:3.13-slim-bookworm AS wheel
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY templates ./templates
COPY static ./static
COPY config ./config
COPY assessments ./assessments
COPY ratelimits ./ratelimits
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    DJANGO_NODE_MODULES=/app/node_modules \
    DJANGO_STATIC_ROOT=/app/staticfiles
WORKDIR /app
RUN useradd --create-home --uid 1000 app
# Debian's Chromium prints results as PDF (assessments/taking/pdf.py), driven
# by Playwright, which never downloads a browser of its own here; DejaVu gives
# the page's system-ui font stack a font to fall back on.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
ENV PDF_CHROMIUM_PATH=/usr/bin/chromium
# Exactly the versions in requirements.lock, each file checked against its
# hash, so every build gets the same packages (docs/operations.md says how
# to regenerate the lock after changing pyproject.toml).
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
# The app itself, installed from its wheel without touching the locked
# dependencies; it runs from site-packages, so django-admin (with
# DJANGO_SETTINGS_MODULE above) replaces manage.py.
COPY --from=wheel /wheels /wheels
RUN pip install --no-cache-dir --no-deps /wheels/*.whl && rm -rf /wheels
COPY --from=assets /app/node_modules ./node_modules
COPY deploy/healthcheck.py ./deploy/healthcheck.py
# collectstatic needs settings but no real secret or database.
RUN DJANGO_SECRET_KEY=collectstatic-only django-admin collectstatic --no-input
USER app
EXPOSE 8000
# Only the server: migrations are the compose file's one-shot migrate step,
# run once before any app container starts, however many there are.
# gunicorn's settings come from GUNICORN_* variables (config/gunicorn.py).
CMD ["gunicorn", "--config", "python:config.gunicorn", "config.wsgi"]
