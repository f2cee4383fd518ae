import secrets

import pytest

from containers.commands import run_python

PATHS = ["/", "/api/time", "/healthz", "/readyz", "/no-such-page"]
PRODUCTION = {
    "DJANGO_HTTPS": "true",
    "DJANGO_HSTS_PRELOAD": "true",
    "DJANGO_ALLOWED_HOSTS": "clock.example.com",
}


def csp_directives(response):
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part)
    }


def deploy_check(data_dir, **variables):
    # Nothing inherited: the environment is exactly the one being checked.
    env = {
        "DJANGO_SETTINGS_MODULE": "stack.settings",
        "DJANGO_DATA_DIR": str(data_dir),
        **variables,
    }
    return run_python(
        *("manage.py", "check", "--deploy", "--fail-level", "WARNING"),
        env=env,
        check=False,
    )


@pytest.fixture
def https(settings):
    """What DJANGO_HTTPS=true sets (stack/settings.py)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("directive", "sources"),
    [
        ("default-src", ["'none'"]),
        ("script-src", ["'self'"]),
        ("style-src", ["'self'"]),
        ("frame-ancestors", ["'none'"]),
    ],
)
def test_it_restricts_content_to_its_own_origin(client, path, directive, sources):
    assert csp_directives(client.get(path))[directive] == sources


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("unsafe", ["'unsafe-inline'", "'unsafe-eval'"])
def test_it_allows_no_inline_or_evaluated_code(client, path, unsafe):
    assert unsafe not in client.get(path)["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
    ],
)
def test_it_sends_protective_headers(client, path, header, value):
    assert client.get(path)[header] == value


def test_it_passes_the_deployment_checks_in_production(tmp_path):
    result = deploy_check(
        tmp_path, **PRODUCTION, DJANGO_SECRET_KEY=secrets.token_urlsafe(50)
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_fails_the_deployment_checks_without_https(tmp_path):
    variables = {**PRODUCTION, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    del variables["DJANGO_HTTPS"]
    result = deploy_check(tmp_path, **variables)
    assert result.returncode != 0
    # W004: no HSTS; W008: no redirect to HTTPS.
    assert "security.W004" in result.stderr
    assert "security.W008" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/api/time", "/admin/login/"])
def test_it_redirects_plain_http_to_https(https, client, path):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{path}"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_it_answers_probes_over_plain_http(https, client, path):
    assert client.get(path).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/healthz"])
def test_it_sends_hsts_over_https(https, client, path):
    response = client.get(path, secure=True)
    assert response["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


@pytest.mark.django_db
def test_it_sends_no_hsts_by_default(client):
    assert "Strict-Transport-Security" not in client.get("/", secure=True)
