# A Django project on distroless Python: no shell, no package manager, non-root.
#
# Bases come in as build arguments, pinned to the tag and digest from the
# publishers' records; override them to build from a mirror or a private
# registry. The distroless tag has no digest here because no publisher's
# record of one was at hand: pin it from a registry answer
# (`docker buildx imagetools inspect`), never from memory.
ARG PYTHON_BUILD_IMAGE=python:3.13-slim-trixie@sha256:881d80734ee05dca6f7f42dcb080975652a53c7eda9ba1f03bb8da31aa6a6ec2
ARG DISTROLESS_IMAGE=gcr.io/distroless/python3-debian13:nonroot

# The port the metrics are served on (stack/metrics_exporter.py), defined once
# for both stages: the final image serves on it, and the build checks that
# what serving on it needs is installed.
ARG METRICS_PORT=9000

# ---------------------------------------------------------------------------
# Build stage, on a Debian image of the same Python minor version (3.13) as
# distroless. Nothing from here reaches the final image but /opt/venv, /app
# and the empty /data.
FROM ${PYTHON_BUILD_IMAGE} AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1

# Dependencies first: this layer is rebuilt only when the pins change.
# distroless runs /usr/bin/python3.13, so the venv is made through that path
# (a link to the builder's interpreter where it lives in /usr/local): its
# pyvenv.cfg then says home = /usr/bin, which exists in the final image.
# The project's hash-pinned requirements (stack.env's PROJECT_REQUIREMENTS,
# which compose passes), the stack's own among them.
ARG APP_REQUIREMENTS=requirements.txt
COPY ${APP_REQUIREMENTS} /tmp/requirements.txt
RUN --mount=type=cache,target=/root/.cache/pip \
    set -eux; \
    [ -e /usr/bin/python3.13 ] || ln -s /usr/local/bin/python3.13 /usr/bin/python3.13; \
    /usr/bin/python3.13 -m venv --without-pip /opt/venv; \
    grep -qx 'home = /usr/bin' /opt/venv/pyvenv.cfg; \
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
# imports write timestamped pycs that compileall keeps. /data is made here
# because the final image has no shell to make it.
ARG METRICS_PORT
RUN set -eux; \
    python3 -m compileall -q -j 0 --invalidation-mode unchecked-hash /app; \
    export DJANGO_SETTINGS_MODULE=stack.settings DJANGO_SECRET_KEY=collectstatic-only; \
    /opt/venv/bin/python -m stack.preflight; \
    /opt/venv/bin/python -m stack.translations /opt/venv/lib; \
    /opt/venv/bin/python manage.py collectstatic --noinput -v 0; \
    install -d -m 0770 /rootfs/data

# ---------------------------------------------------------------------------
FROM ${DISTROLESS_IMAGE}

# Debian compiles a package's bytecode when it installs it, which distroless
# never does, so the base's standard library has none, and the read-only image
# cannot write any: compiled once here, by the base's own interpreter, or every
# start compiles what it imports. As root (0), since the stdlib is root's; exec
# form, since there is no shell. Before the app's build arguments, so a new
# version reuses the layer.
USER 0:0
RUN ["/usr/bin/python3.13", "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash", "/usr/lib/python3.13"]

# The project's name (stack.env's PROJECT_NAME, which compose passes).
ARG APP_NAME=app
ARG APP_VERSION=dev
ARG APP_REVISION=unknown
LABEL org.opencontainers.image.title="${APP_NAME}" \
      org.opencontainers.image.description="A Django project served by gunicorn (distroless image)" \
      org.opencontainers.image.version="${APP_VERSION}" \
      org.opencontainers.image.revision="${APP_REVISION}"

ARG METRICS_PORT
ENV PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=stack.settings \
    DJANGO_DATA_DIR=/data \
    PORT=8000 \
    METRICS_PORT=${METRICS_PORT}

# The base's "nonroot" user, the same numeric user as in the Alpine image.
ARG APP_UID=65532

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
# The base's entry point is the system interpreter, without the venv: the
# command names the venv's `python`, found first on PATH, as in the Alpine image.
ENTRYPOINT []
CMD ["python", "-m", "gunicorn", "--config", "/app/docker/gunicorn.conf.py"]
