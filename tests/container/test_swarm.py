"""deploy/swarm/stack.yaml on a real single-node swarm: three web replicas of
one image behind nginx, on PostgreSQL, under load, through updates and faults.

The suite makes the swarm if none is active (and leaves it at the end only
then), deploys the stack under a name of its own with secrets of its own, and
removes them all. One image is enough: the stack runs either the same way,
and the images' own suites cover both. The tests run in file order on that
one deployment: the updates and rotations first, the faults last, so that no
fault's after-effects fall into another test's load.
"""

import http.client
import ipaddress
import re
import secrets
import socket
import ssl
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from containers import compose, contract, swarm, wait
from containers.commands import clean_environment, run_python
from containers.container import Container
from containers.docker import docker, new_name
from containers.http import TRUSTED, free_port, request
from containers.processes import gunicorn_pids
from stack import facts
from tests.container.load import Load, beside_slow_clients, status_of

REPLICAS = 3
# The database, and the role that owns it (stack.env).
OWNER = facts.fact("PROJECT_DATABASE")
VARIANT = next(iter(contract.variants()))
# How long a visitor may wait for the page while slow clients hold connections.
SERVED_WITHIN_SECONDS = 1
# The longest a load around an update or a fault may run, if nothing stops it.
LOAD_AT_MOST = 180


@pytest.fixture(scope="module")
def single_node_swarm(engine):
    created = swarm.init()
    yield
    if created:
        swarm.leave()


# The tag of the version the rolling update deploys.
ROLLED_TAG = f"{VARIANT}-rolled"


def build(repository, version, tag=VARIANT):
    """The variant's image, built by compose as `make run` builds it, under
    APP_TAG `tag`."""
    docker(
        *("compose", "build", "web"),
        env=compose.environment(
            VARIANT, APP_IMAGE=repository, APP_TAG=tag, APP_VERSION=version
        ),
        timeout=900,
    )
    return f"{repository}:{tag}"


@pytest.fixture(scope="module")
def app_image(engine):
    """The repository compose.yaml names the images in (APP_IMAGE), built now.
    The rolling update's version, ROLLED_TAG, is removed at the end, once no
    task uses it."""
    repository = compose.service(VARIANT)["image"].rpartition(":")[0]
    build(repository, "dev")
    yield repository
    docker("rmi", f"{repository}:{ROLLED_TAG}", check=False)


@pytest.fixture(scope="module")
def stack(single_node_swarm, app_image):
    """The stack, deployed on an empty database: every replica starts at once."""
    deployed = swarm.SwarmStack(
        new_name("swarm"),
        {
            "APP_IMAGE": app_image,
            "APP_TAG": VARIANT,
            "HTTP_PORT": str(free_port()),
            "HTTPS_PORT": str(free_port()),
            "WEB_REPLICAS": str(REPLICAS),
        },
    )
    deployed.create_secrets()
    try:
        deployed.deploy()
        deployed.wait_running("db", 1)
        deployed.wait_running("web", REPLICAS)
        deployed.wait_running("proxy", 1)
        wait.answer(deployed.url + "/readyz", swarm.WAIT_SECONDS, 200)
        yield deployed
    finally:
        deployed.remove()


def readyz(url):
    try:
        return request(url + "/readyz", timeout=2).status
    except (OSError, http.client.HTTPException):
        return None


def visits(stack):
    return request(stack.url + "/api/time").json()["visits"]


def psql(stack, query):
    """Rows of a query, run by psql inside the database's container."""
    (container,) = stack.containers("db")
    result = Container(container).exec(
        *("psql", f"--username={OWNER}", f"--dbname={OWNER}", "--no-align"),
        *("--tuples-only", "--field-separator=|", "--command", query),
    )
    return [line.split("|") for line in result.stdout.splitlines() if line]


def served_by(container):
    """Page views a task's gunicorn logged (its access log is its stdout)."""
    return Container(container).logs().count('"GET / HTTP/1.1" 200')


# A 5xx status in nginx's access line, after the request's quoted line.
FAILED_ANSWER = re.compile(r'HTTP/[\d.]+" 5\d\d ')


def proxy_errors(stack):
    """nginx's complaints about the replicas, and the answers it failed."""
    failed = [
        line
        for line in stack.logs("proxy").splitlines()
        if "[error]" in line or FAILED_ANSWER.search(line)
    ]
    return "\n".join(failed)


def threads_per_replica(container):
    """Requests one replica works on at once: its workers times their threads."""
    replica = Container(container)
    _, workers = gunicorn_pids(replica)
    config = "runpy.run_path('/app/docker/gunicorn.conf.py')"
    threads = replica.exec("python", "-c", f"import runpy; print({config}['threads'])")
    return len(workers) * int(threads.stdout)


def test_it_applies_each_migration_once_when_replicas_start_together(stack):
    applied = psql(
        stack, "SELECT app, name, count(*) FROM django_migrations GROUP BY 1, 2"
    )
    assert applied
    assert [row for row in applied if row[2] != "1"] == []
    # No replica failed or was replaced on the way: the first three still run.
    tasks = stack.all_tasks("web")
    assert len(tasks) == REPLICAS, stack.history("web")
    assert {task["Status"]["State"] for task in tasks} == {"running"}


def test_it_publishes_nginx_alone_on_the_host(stack):
    published = {
        service: stack.inspect(service)["Endpoint"].get("Ports", [])
        for service in ("proxy", "web", "db")
    }
    assert {port["PublishMode"] for port in published["proxy"]} == {"host"}
    assert sorted(port["PublishedPort"] for port in published["proxy"]) == sorted(
        int(stack.variables[port]) for port in ("HTTP_PORT", "HTTPS_PORT")
    )
    assert published["web"] == published["db"] == []


def logged(stack, service, text):
    """The one line of a service's log (every task's) that holds `text`."""

    def found():
        lines = [line for line in stack.logs(service).splitlines() if text in line]
        return lines[0] if len(lines) == 1 else None

    return wait.until(found, 30, f"{text} in the {service} log")


def test_it_follows_a_request_id_from_nginx_to_the_replicas(stack):
    sent = f"swarm-{new_name('trace')}"
    answered = request(stack.url + "/api/time", headers={"X-Request-ID": sent})
    assert answered.headers["x-request-id"] == sent
    assert logged(stack, "proxy", sent)
    assert '"GET /api/time HTTP/1.1" 200 ' in logged(stack, "web", sent)
    # None sent: nginx's own $request_id.
    made = request(stack.url + "/api/time").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert logged(stack, "web", made)


def test_it_logs_the_clients_address_not_nginxs_nor_one_the_client_wrote(stack):
    sent = f"swarm-{new_name('client')}"
    spoofed = "198.51.100.77"
    headers = {"X-Request-ID": sent, "X-Forwarded-For": spoofed}
    assert request(stack.url + "/", headers=headers).status == 200
    # nginx's access line starts with the address it took the request from;
    # gunicorn's has it after the time, level and logger.
    client = logged(stack, "proxy", sent).split()[0]
    in_app = logged(stack, "web", sent).split()[4]
    assert in_app == client
    assert in_app != spoofed
    # Not an address of the network nginx shares with the replicas.
    front = ipaddress.ip_network(stack.variables["FRONT_SUBNET"])
    assert ipaddress.ip_address(in_app) not in front


def test_it_answers_404_for_the_metrics_through_nginx(stack):
    assert request(stack.url + "/metrics").status == 404


def test_it_refuses_a_host_the_site_does_not_serve_and_names_no_version(stack):
    """nginx passes any Host on; the replicas' ALLOWED_HOSTS refuse it. nginx
    still says it is nginx (the stock image cannot drop the header), with no
    version."""
    answer = request(stack.url + "/", headers={"Host": "evil.example"})
    assert answer.status == 400
    assert answer.headers["server"] == "nginx"


def test_it_redirects_plain_http_to_https_the_admin_included(stack):
    for path in ("/", "/admin/login/?next=/admin/"):
        answer = request(stack.plain_url + path)
        assert answer.status == 308
        assert answer.headers["location"] == stack.url + path
        assert b"csrfmiddlewaretoken" not in answer.body


def test_it_serves_https_over_http2_with_hsts(stack):
    tls = ssl.create_default_context(cadata=stack.authority)
    tls.set_alpn_protocols(["h2", "http/1.1"])
    port = int(stack.variables["HTTPS_PORT"])
    with (
        socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
        tls.wrap_socket(raw, server_hostname="127.0.0.1") as connection,
    ):
        assert connection.selected_alpn_protocol() == "h2"
    page = request(stack.url + "/")
    assert page.status == 200
    assert page.headers["strict-transport-security"].startswith("max-age=")


def test_it_ignores_the_scheme_a_client_claims(stack):
    """Had the replicas seen `http`, they would redirect; had they seen both
    `X-Forwarded-Proto: https` and `X-Forwarded-Ssl: off`, gunicorn would
    refuse the request as contradictory."""
    forged = {
        "X-Forwarded-Proto": "http",
        "X-Forwarded-Ssl": "off",
        "X-Forwarded-Protocol": "http",
        "X-Forwarded-For": "203.0.113.9",
    }
    assert request(stack.url + "/api/time", headers=forged).status == 200


def test_it_takes_an_admin_login_post_over_https(stack):
    """The POST a browser sends, with its Origin: CSRF passes (a refused
    token would be 403), the login is refused for its password alone, and
    the cookies are Secure."""
    form = request(stack.url + "/admin/login/")
    cookie = form.headers["set-cookie"]
    assert "; Secure" in cookie
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)[1]
    answer = request(
        stack.url + "/admin/login/",
        method="POST",
        headers={
            "Origin": stack.url,
            "Cookie": cookie.split(";", 1)[0],
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=f"csrfmiddlewaretoken={token}&username=nobody&password=wrong",
    )
    assert answer.status == 200
    assert "errornote" in answer.text


# What each service's tasks run as, and the capabilities they get back.
HARDENING = {
    "proxy": {"User": "101:0", "CapAdd": [], "Init": True},
    "web": {"User": "65532:0", "CapAdd": [], "Init": True},
    "db": {
        "User": "",
        "CapAdd": ["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"],
        "Init": None,
    },
}


@pytest.mark.parametrize("service", sorted(HARDENING))
def test_it_runs_tasks_hardened(stack, service):
    """What swarm applies of compose.yaml's hardening (read-only root, no
    capabilities, an init, limits), read from the running task containers.
    Not no-new-privileges: `stack deploy` ignores `security_opt`."""
    expected = HARDENING[service]
    for container in stack.containers(service):
        details = Container(container).inspect()
        host = details["HostConfig"]
        assert host["ReadonlyRootfs"] is True
        assert host["CapDrop"] == ["ALL"]
        added = [name.removeprefix("CAP_") for name in host["CapAdd"] or []]
        assert added == expected["CapAdd"]
        assert host.get("Init") == expected["Init"]
        assert host["Memory"] > 0
        assert host["NanoCpus"] > 0
        assert details["Config"]["User"] == expected["User"]


def test_it_counts_every_page_view_across_replicas(stack, reliability, load_seconds):
    containers = stack.containers("web")
    before = visits(stack)
    served_before = {container: served_by(container) for container in containers}
    tally = Load(stack.url, clients=12, seconds=load_seconds).run()
    counted = visits(stack) - before
    served = {c: served_by(c) - served_before[c] for c in containers}
    reliability(
        VARIANT,
        "swarm",
        "page views through nginx",
        {
            **tally.summary(),
            "visits_counted": counted,
            "served_by_replica": sorted(served.values()),
        },
    )
    assert tally.ok > 0
    assert tally.ok == tally.sent, proxy_errors(stack)
    assert counted == tally.ok
    # Each replica's own access log: every view served by one of them, and
    # the load spread over more than one.
    assert sum(served.values()) == tally.ok
    assert sum(1 for n in served.values() if n) > 1, served


def test_it_serves_others_while_slow_clients_trickle_their_headers(stack, reliability):
    """1,000 connections trickling their headers for 30 s, reopened as nginx
    closes them (far more than the replicas have threads): the page is still
    served within SERVED_WITHIN_SECONDS (p99)."""
    port = int(stack.variables["HTTPS_PORT"])
    figures = beside_slow_clients(
        port,
        lambda: status_of(port, "/", TRUSTED),
        tls=TRUSTED,
        server_name="127.0.0.1",
    )
    figures["replica_threads"] = sum(
        threads_per_replica(c) for c in stack.containers("web")
    )
    reliability(VARIANT, "swarm", "beside slow clients", figures)
    assert figures["ok"] == figures["requests"], figures
    assert figures["p99_ms"] < 1000 * SERVED_WITHIN_SECONDS, figures
    # nginx's client_header_timeout closed each slow connection at least once.
    assert figures["closed_by_server"] >= figures["slow_connections"], figures


def test_it_rolls_out_a_new_version_by_its_tag_under_load_without_failing_a_request(
    stack, app_image, reliability
):
    rebuilt = build(app_image, "rolled", tag=ROLLED_TAG)
    before = visits(stack)
    load = Load(stack.url, clients=6, seconds=LOAD_AT_MOST).start()
    try:
        time.sleep(2)
        started = time.monotonic()
        state = stack.roll("web", APP_TAG=ROLLED_TAG)
        took = time.monotonic() - started
        time.sleep(2)
    finally:
        tally = load.stop()
    counted = visits(stack) - before
    images = {task["Spec"]["ContainerSpec"]["Image"] for task in stack.tasks("web")}
    reliability(
        VARIANT,
        "swarm",
        "rolling update",
        {
            **tally.summary(),
            "visits_counted": counted,
            "update": state,
            "update_seconds": round(took, 1),
        },
    )
    assert state == "completed"
    assert images == {rebuilt}
    assert tally.ok > 0
    assert tally.missed_at == [], proxy_errors(stack)
    assert counted == tally.ok


def test_it_rolls_back_an_update_whose_replicas_cannot_start(stack, reliability):
    """A setting the app refuses: the first new task exits at once, and the
    engine undoes the update while the old replicas go on serving."""
    containers = sorted(stack.containers("web"))
    before = visits(stack)
    load = Load(stack.url, clients=6, seconds=LOAD_AT_MOST).start()
    try:
        time.sleep(2)
        state = stack.roll("web", DJANGO_ALLOWED_HOSTS="https://clock.example.com/")
        time.sleep(2)
    finally:
        tally = load.stop()
        # Later deploys take the stack file's default again.
        del stack.variables["DJANGO_ALLOWED_HOSTS"]
    counted = visits(stack) - before
    reliability(
        VARIANT,
        "swarm",
        "failed update rolled back",
        {**tally.summary(), "visits_counted": counted, "update": state},
    )
    assert state == "rollback_completed"
    assert sorted(stack.containers("web")) == containers
    assert tally.ok > 0
    assert tally.missed_at == [], proxy_errors(stack)
    assert counted == tally.ok


def test_it_refuses_a_second_stack_on_a_taken_front_subnet(stack, tmp_path):
    other = new_name("swarm")
    env_file = tmp_path / "other.env"
    env_file.write_text(f"FRONT_SUBNET={stack.variables['FRONT_SUBNET']}\n")
    result = run_python(
        *(str(swarm.DEPLOY), "--resolve-image", "never", str(env_file), other),
        env=clean_environment(),
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"overlaps network {stack.name}_front" in result.stderr
    assert other not in docker("stack", "ls").stdout


def rolled_under_load(stack, topic, **changes):
    """Redeploy with `changes` under load; the tally, the page views counted
    and the update's end state."""
    before = visits(stack)
    load = Load(stack.url, clients=6, seconds=LOAD_AT_MOST).start()
    try:
        time.sleep(2)
        started = time.monotonic()
        state = stack.roll("web", **changes)
        took = time.monotonic() - started
        time.sleep(2)
    finally:
        tally = load.stop()
    counted = visits(stack) - before
    figures = {
        **tally.summary(),
        "visits_counted": counted,
        "update": state,
        "update_seconds": round(took, 1),
    }
    return tally, counted, state, figures


def new_secret(name, value):
    docker("secret", "create", name, "-", input=value)


def db_exec(stack, sql):
    (container,) = stack.containers("db")
    return (
        Container(container)
        .exec(
            *("psql", f"--username={OWNER}", f"--dbname={OWNER}", "--no-align"),
            *("--tuples-only", "--set=ON_ERROR_STOP=1"),
            input=sql,
        )
        .stdout
    )


def rotate_password(stack, reliability, new_user, figures_name):
    """DOCKER.md's procedure: a second login role acting as the owner, with
    the new password; the replicas rolled over to it; then the owner's
    password dropped (the first time) or the former login role and its
    secret (each time after). Under load, not one request may fail."""
    old_user = stack.variables.get("DATABASE_USER", OWNER)
    old_secret = stack.variables["DATABASE_PASSWORD_SECRET"]
    password = secrets.token_urlsafe(32)
    secret = f"{stack.name}_{new_user}_password"
    new_secret(secret, password)
    db_exec(
        stack,
        f"CREATE ROLE {new_user} LOGIN PASSWORD '{password}' IN ROLE {OWNER};\n"
        f"ALTER ROLE {new_user} SET role TO {OWNER};\n",
    )
    database = stack.containers("db")
    tally, counted, state, figures = rolled_under_load(
        stack, "password", DATABASE_USER=new_user, DATABASE_PASSWORD_SECRET=secret
    )
    # Nothing but the replicas restarted: the database is the same container.
    assert stack.containers("db") == database
    if old_user == OWNER:
        db_exec(stack, f"ALTER ROLE {OWNER} PASSWORD NULL;\n")
    else:
        db_exec(stack, f"DROP ROLE {old_user};\n")
        docker("secret", "rm", old_secret)
    reliability(VARIANT, "swarm", figures_name, figures)
    assert state == "completed"
    assert tally.ok > 0
    assert tally.missed_at == [], proxy_errors(stack)
    assert counted == tally.ok
    # Each login role and whether it has no password: the owner's is gone,
    # the new role's is the one the replicas use.
    logins = db_exec(
        stack, "SELECT rolname, rolpassword IS NULL FROM pg_authid WHERE rolcanlogin;\n"
    )
    passwordless = dict(
        row.split("|") for row in logins.split() if row.startswith(OWNER)
    )
    assert passwordless == {OWNER: "t", new_user: "f"}
    # The replicas serve on the new login, after the old one lost its password.
    assert request(stack.url + "/").status == 200
    assert readyz(stack.url) == 200


def test_it_rotates_the_database_password_under_load_without_failing_a_request(
    stack, reliability
):
    rotate_password(stack, reliability, f"{OWNER}_2", "database password rotated")


def admin_session(stack, username):
    """A new admin's session cookie, from the login form."""
    (container,) = stack.containers("web")[:1]
    password = secrets.token_urlsafe(16)
    Container(container).exec(
        *("python", "manage.py", "createsuperuser", "--noinput"),
        f"--username={username}",
        "--email=keeper@example.org",
        env={"DJANGO_SUPERUSER_PASSWORD": password},
    )
    form = request(stack.url + "/admin/login/")
    csrf = form.headers["set-cookie"].split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)[1]
    status, session = with_session(
        stack,
        csrf,
        "/admin/login/",
        "POST",
        body=f"csrfmiddlewaretoken={token}&username={username}&password={password}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 302
    return session


def with_session(stack, session, path, method="GET", body=None, headers=None):
    """A request with a session cookie, as a browser sends it: the answer's
    status, and the session cookie a browser would keep (a new one when
    Django cycles the session's key)."""
    port = int(stack.variables["HTTPS_PORT"])
    connection = http.client.HTTPSConnection(
        "127.0.0.1", port, timeout=30, context=TRUSTED
    )
    # A browser's POST says where it comes from: Django's CSRF check over
    # HTTPS wants the Origin.
    origin = {"Origin": stack.url} if method == "POST" else {}
    try:
        connection.request(
            method,
            path,
            body=body,
            headers={"Cookie": session, **origin, **(headers or {})},
        )
        answer = connection.getresponse()
        answer.read()
        cookies = [v for k, v in answer.getheaders() if k.lower() == "set-cookie"]
    finally:
        connection.close()
    renewed = [c.split(";")[0] for c in cookies if c.startswith("sessionid=")]
    return answer.status, (renewed or [session])[-1]


def admin_statuses(stack, browser):
    """What the replicas answer a browser on the admin's index: 200, or a
    redirect (302) to its login once they no longer take its session.
    `browser` holds its session cookie, renewed as it goes."""
    statuses = set()
    for _ in range(3 * REPLICAS):
        status, browser["session"] = with_session(stack, browser["session"], "/admin/")
        statuses.add(status)
    return statuses


def test_it_rotates_the_secret_key_under_load_keeping_sessions_until_the_end(
    stack, reliability
):
    """DOCKER.md's three deploys: the new key accepted everywhere, then signing
    with the old one accepted, then the old one dropped. A browser in use
    through the switch stays logged in (Django re-signs its session with the
    new key on its next request); one idle through it is logged out."""
    old = stack.variables["DJANGO_SECRET_KEY_SECRET"]
    new = f"{stack.name}_django_secret_key_2"
    new_secret(new, secrets.token_urlsafe(50))
    active = {"session": admin_session(stack, "active")}
    idle = {"session": admin_session(stack, "idle")}
    steps = [
        ("new key accepted", {"DJANGO_SECRET_KEY_FALLBACKS_SECRET": new}),
        (
            "new key signs",
            {
                "DJANGO_SECRET_KEY_SECRET": new,
                "DJANGO_SECRET_KEY_FALLBACKS_SECRET": old,
            },
        ),
        ("old key dropped", {"DJANGO_SECRET_KEY_FALLBACKS_SECRET": new}),
    ]
    sessions = []
    for name, changes in steps:
        tally, counted, state, figures = rolled_under_load(stack, name, **changes)
        reliability(VARIANT, "swarm", f"secret key rotated: {name}", figures)
        assert state == "completed", name
        assert tally.ok > 0
        assert tally.missed_at == [], proxy_errors(stack)
        assert counted == tally.ok
        sessions.append(admin_statuses(stack, active))
        if name != "new key signs":
            sessions.append(admin_statuses(stack, idle))
    # No service uses the old key's secret any more.
    docker("secret", "rm", old)
    # Active, idle; active; active, idle.
    assert sessions == [{200}, {200}, {200}, {200}, {302}]


def test_it_replaces_a_killed_replica_losing_only_its_requests_in_flight(
    stack, reliability
):
    victim = stack.containers("web")[0]
    in_flight_at_most = threads_per_replica(victim)
    before = visits(stack)
    load = Load(stack.url, clients=6, seconds=120).start()
    try:
        time.sleep(2)
        docker("kill", victim)
        killed = time.monotonic()
        wait.until(
            lambda: victim not in stack.containers("web"),
            60,
            "swarm seeing the kill",
            interval=swarm.POLL_SECONDS,
        )
        replaced = stack.wait_running("web", REPLICAS)
        took = time.monotonic() - killed
        time.sleep(2)
    finally:
        tally = load.stop()
    counted = visits(stack) - before
    reliability(
        VARIANT,
        "swarm",
        "a replica killed",
        {
            **tally.summary(),
            "visits_counted": counted,
            "in_flight_at_most": in_flight_at_most,
            "replaced_within_seconds": round(took, 1),
        },
    )
    assert victim not in replaced
    assert tally.ok > 0
    assert len(tally.missed_at) <= in_flight_at_most
    # A resent request may count twice; an answered one is never lost.
    assert counted >= tally.ok


def test_it_rides_out_a_database_restart_without_restarting_replicas(
    stack, reliability
):
    containers = sorted(stack.containers("web"))
    probes = []
    before = visits(stack)
    load = Load(stack.url, clients=6, seconds=LOAD_AT_MOST).start()
    try:
        time.sleep(2)
        outage_start = time.monotonic()
        with ThreadPoolExecutor(1) as executor:
            restart = executor.submit(stack.update, "db", "--force")
            # /readyz through nginx, until the database is back and it
            # answers 200 again.
            while not restart.done() or probes[-1][1] != 200:
                probes.append((time.monotonic(), readyz(stack.url)))
                time.sleep(0.2)
                assert time.monotonic() - outage_start < 120
            restart.result()
        recovered = probes[-1][0]
        time.sleep(3)
    finally:
        tally = load.stop()
    counted = visits(stack) - before
    outside = [t for t in tally.missed_at if t < outage_start or t > recovered]
    reliability(
        VARIANT,
        "swarm",
        "database restarted",
        {
            **tally.summary(),
            "visits_counted": counted,
            "outage_seconds": round(recovered - outage_start, 1),
            "readyz_503": sum(status == 503 for _, status in probes),
            "failed_outside_outage": len(outside),
        },
    )
    assert 503 in [status for _, status in probes]
    assert outside == []
    assert counted >= tally.ok
    assert sorted(stack.containers("web")) == containers, stack.history("web")


def test_it_rotates_the_database_password_right_after_a_database_restart(
    stack, reliability
):
    """The order an operator may meet them in: the restart above, then a
    rotation at once, which fails no request either."""
    rotate_password(
        stack, reliability, f"{OWNER}_3", "database password rotated after a restart"
    )
