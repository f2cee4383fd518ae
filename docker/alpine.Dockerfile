# A Django project on python:3.13-alpine, run as a non-root user.
#
# The base comes in as a build argument, pinned to the tag and digest from the
# publisher's record; override it to build from a mirror or a private registry:
#   docker build --build-arg PYTHON_ALPINE_IMAGE=registry.example/python:3.13-alpine3.24 ...
ARG PYTHON_ALPINE_IMAGE=python:3.13-alpine3.24@sha256:79e7a9b9ff1cbceff819f856fb374477792a5967759d94df266de7b7b4120e6f

# The port the metrics are served on (stack/metrics_exporter.py), defined once
# for both stages: the final image serves on it, and the build checks that
# what serving on it needs is installed.
ARG METRICS_PORT=9000

# ---------------------------------------------------------------------------
# Build stage: dependencies in a virtual environment, static files, bytecode.
# Nothing from here reaches the final image but /opt/venv and /app.
FROM ${PYTHON_ALPINE_IMAGE} AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1

# Dependencies first: this layer is rebuilt only when the pins change.
# The venv has no pip of its own; the base's pip installs into it.
# The project's hash-pinned requirements (stack.env's PROJECT_REQUIREMENTS,
# which compose passes), the stack's own among them.
ARG APP_REQUIREMENTS=requirements.txt
COPY ${APP_REQUIREMENTS} /tmp/requirements.txt
RUN --mount=type=cache,target=/root/.cache/pip \
    set -eux; \
    python3 -m venv --without-pip /opt/venv; \
    pip --python /opt/venv/bin/python install \
        --require-hashes --no-deps --only-binary=:all: --no-compile \
        --requirement /tmp/requirements.txt; \
    # Translations' sources (.po), never read at run time; the catalogues of
    # languages the project does not speak go once its settings are here.
    find /opt/venv/lib -name '*.po' -exec rm -f {} +; \
    # Bytecode now, because the read-only image cannot write it at run time;
    # unchecked-hash pycs are used without comparing against the sources, and
    # hold no install time. pip compiles nothing first (--no-compile; its
    # PIP_NO_COMPILE=1 reads as the opposite), or compileall keeps pip's
    # timestamped pycs.
    python3 -m compileall -q -j 0 --invalidation-mode unchecked-hash /opt/venv/lib

# The project's source, as .dockerignore lets it in: whatever its layout, the
# image holds what the project holds.
WORKDIR /app
COPY . ./

# Preflight first (stack/preflight.py): a build that stops with one line
# naming the missing package beats a container that restarts for ever. It sees
# the final stage's METRICS_PORT, as a build argument of this stage. Then the
# translations the project never loads go (stack/translations.py), and the
# static files are collected. All three import the settings (the stack's, on
# the project's own), which need a key: a throwaway one, used by this RUN
# alone, so that no key is generated into the image. Bytecode first, or the
# imports write timestamped pycs that compileall keeps.
ARG METRICS_PORT
RUN set -eux; \
    python3 -m compileall -q -j 0 --invalidation-mode unchecked-hash /app; \
    export DJANGO_SETTINGS_MODULE=stack.settings DJANGO_SECRET_KEY=collectstatic-only; \
    /opt/venv/bin/python -m stack.preflight; \
    /opt/venv/bin/python -m stack.translations /opt/venv/lib; \
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

# The project's name (stack.env's PROJECT_NAME, which compose passes).
ARG APP_NAME=app
ARG APP_VERSION=dev
ARG APP_REVISION=unknown
LABEL org.opencontainers.image.title="${APP_NAME}" \
      org.opencontainers.image.description="A Django project served by gunicorn (rootless Alpine image)" \
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

ARG METRICS_PORT
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=stack.settings \
    DJANGO_DATA_DIR=/data \
    PORT=8000 \
    METRICS_PORT=${METRICS_PORT}

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
