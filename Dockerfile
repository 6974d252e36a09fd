# ZEL application image: the web (gunicorn), the Celery worker and Celery beat share it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# WeasyPrint needs Pango; gettext compiles the translations.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN ZEL_ENV=production DEBUG=false SECRET_KEY=build-only-not-secret ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
 && python manage.py compilemessages --ignore=.venv -v0 || true

RUN useradd --system --home /app zel && mkdir -p /app/var/private && chown -R zel /app/var
USER zel
EXPOSE 8000
CMD ["gunicorn", "zel.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
