# A Django project on python:3.13-alpine, run as a non-root user.
#
# The base comes in as a build argument, pinned to the tag and digest from the
# publisher's record; override it to build from a mirror or a private registry:
#   docker build --build-arg PYTHON_ALPINE_IMAGE=registry.example/python:3.13-alpine3.24 ...
ARG PYTHON_ALPINE_IMAGE=python:3.13-alpine3.24@sha256:79e7a9b9ff1cbceff819f856fb374477792a5967759d94df266de7b7b4120e6f

# ---------------------------------------------------------------------------
# Build stage: dependencies in a virtual environment, static files, bytecode.
# Nothing from here reaches the final image but /opt/venv and /app.
FROM ${PYTHON_ALPINE_IMAGE} AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1

# Dependencies first: this layer is rebuilt only when the pins change.
# The venv has no pip of its own; the base's pip installs into it.
COPY requirements/base.txt /tmp/requirements.txt
RUN --mount=type=cache,target=/root/.cache/pip \
    set -eux; \
    python3 -m venv --without-pip /opt/venv; \
    pip --python /opt/venv/bin/python install \
        --require-hashes --no-deps --only-binary=:all: --no-compile \
        --requirement /tmp/requirements.txt; \
    # Translations: the site speaks English alone (LANGUAGE_CODE en-us, no
    # LocaleMiddleware), so other languages' catalogues are never loaded, and
    # .po files are the catalogues' sources, never read at run time (~15 MB).
    find /opt/venv/lib -name '*.po' -exec rm -f {} +; \
    find /opt/venv/lib -path '*/locale/*/LC_MESSAGES/*.mo' ! -path '*/locale/en/*' -exec rm -f {} +; \
    # Bytecode now, because the read-only image cannot write it at run time;
    # unchecked-hash pycs are used without comparing against the sources, and
    # hold no install time. pip compiles nothing first (--no-compile; its
    # PIP_NO_COMPILE=1 reads as the opposite), or compileall keeps pip's
    # timestamped pycs.
    python3 -m compileall -q -j 0 --invalidation-mode unchecked-hash /opt/venv/lib; \
    /opt/venv/bin/python -c 'import django, gunicorn, whitenoise; print(django.__version__)'

# The project's source, as .dockerignore lets it in: whatever its layout, the
# image holds what the project holds.
WORKDIR /app
COPY . ./

# collectstatic imports the settings (the stack's, on the project's own),
# which need a key: a throwaway one, used by this command alone, so that no
# key is generated into the image. Bytecode first, or collectstatic's imports
# write timestamped pycs that compileall keeps.
RUN set -eux; \
    python3 -m compileall -q -j 0 --invalidation-mode unchecked-hash /app; \
    DJANGO_SETTINGS_MODULE=stack.settings DJANGO_SECRET_KEY=collectstatic-only \
        /opt/venv/bin/python manage.py collectstatic --noinput -v 0; \
    install -d -m 0770 /rootfs/data

# ---------------------------------------------------------------------------
FROM ${PYTHON_ALPINE_IMAGE}

# The base ships its standard library without bytecode, and the read-only
# image cannot write any: compiled once here, or every start compiles what it
# imports. Before the app's build arguments, so a new version reuses the layer;
# site-packages (pip, removed below) is left out.
RUN set -eux; \
    stdlib="$(python3 -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')"; \
    python3 -m compileall -q -j 0 --invalidation-mode unchecked-hash -x '/site-packages/' "${stdlib}"; \
    python3 -c 'import importlib.util, os; assert os.path.exists(importlib.util.cache_from_source(os.__file__))'

ARG APP_VERSION=dev
ARG APP_REVISION=unknown
LABEL org.opencontainers.image.title="moscow-clock" \
      org.opencontainers.image.description="The current time in Moscow: a Django app served by gunicorn (rootless Alpine image)" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${APP_VERSION}" \
      org.opencontainers.image.revision="${APP_REVISION}"

# The same numeric user and group as distroless's "nonroot", so that one data
# volume serves either image. pip goes: nothing installs at run time.
ARG APP_UID=65532
RUN set -eux; \
    addgroup -S -g "${APP_UID}" nonroot; \
    adduser -S -D -H -u "${APP_UID}" -G nonroot -h /nonexistent -s /sbin/nologin nonroot; \
    pip_dir="$(python3 -c 'import os, pip; print(os.path.dirname(pip.__file__))')"; \
    rm -rf "${pip_dir}" "${pip_dir}"-*.dist-info; \
    IFS=':'; for dir in ${PATH}; do rm -f "${dir}/pip" "${dir}"/pip3*; done; unset IFS; \
    if python3 -c 'import pip' 2>/dev/null || command -v pip pip3; then exit 1; fi

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=stack.settings \
    DJANGO_DATA_DIR=/data \
    PORT=8000 \
    METRICS_PORT=9000

# Owned by root, so read-only to the app; /data is the app's and group 0's
# (an orchestrator may run the image as any UID in group 0).
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
COPY --from=build --chown=${APP_UID}:0 /rootfs/ /

WORKDIR /app
USER ${APP_UID}:${APP_UID}
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]
CMD ["python", "-m", "gunicorn", "--config", "/app/docker/gunicorn.conf.py"]
