# One image for web, worker and beat (docker-compose.yml runs it with different commands).

# Front-end assets are built from npm packages in a Node stage, so the Python image needs no Node.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts/build_assets.py scripts/
COPY static static
RUN python3 scripts/build_assets.py

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# WeasyPrint (board pack PDFs) needs Pango.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
COPY --from=assets /app/static/vendor static/vendor
RUN SECRET_KEY=collectstatic-only DEBUG=false python manage.py collectstatic --no-input -v 0 \
    && useradd --create-home --uid 1000 app && mkdir -p var/media && chown -R app var
USER app
EXPOSE 8000
CMD ["gunicorn", "send_tracker.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
