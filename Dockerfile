# Front-end packages come from npm at build time; nothing is fetched at run time.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
RUN useradd --create-home --uid 1000 app
# Debian's Chromium prints results as PDF (assessments/taking/pdf.py), driven
# by Playwright, which never downloads a browser of its own here; DejaVu gives
# the page's system-ui font stack a font to fall back on.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
ENV PDF_CHROMIUM_PATH=/usr/bin/chromium
COPY pyproject.toml README.md ./
COPY config ./config
COPY assessments ./assessments
COPY ratelimits ./ratelimits
RUN pip install --no-cache-dir .
COPY --from=assets /app/node_modules ./node_modules
COPY manage.py ./
COPY templates ./templates
COPY static ./static
# collectstatic needs settings but no real secret or database.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input
USER app
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --no-input && python manage.py load_default_bank && exec gunicorn config.wsgi --bind 0.0.0.0:8000 --workers 3 --access-logfile -"]
