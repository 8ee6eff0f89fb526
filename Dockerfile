# One image for web, worker and beat (docker-compose.yml chooses the command).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=brandhub.settings.production BRANDHUB_VAR_DIR=/app/var
WORKDIR /app
COPY pyproject.toml README.md ./
COPY brandhub brandhub
COPY brands brands
COPY campaigns campaigns
RUN pip install .
COPY . .
# Static files, translations and the PDFs' base font are built into the image; the secret key is only needed to
# import settings.
RUN DJANGO_SECRET_KEY=build-only python manage.py compile_translations \
 && DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput --verbosity 0 \
 && DJANGO_SECRET_KEY=build-only python manage.py prepare_fonts \
 && useradd --system --uid 1000 brandhub && mkdir -p /app/var && chown -R brandhub /app/var
USER brandhub
EXPOSE 8000
CMD ["gunicorn", "brandhub.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
