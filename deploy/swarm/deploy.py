#!/usr/bin/env python3
"""Deploy, or deploy again, the swarm stack with the settings of one env file.

    python3 deploy/swarm/deploy.py [--resolve-image never] [--config] ENV_FILE STACK

`docker stack deploy` reads its variables from the environment alone, so a
redeploy that forgets one silently takes the stack file's default again. Here
the env file (NAME=value lines, `#` comments) is the whole configuration: a
stack variable set in the shell but not in the file is dropped, and a name in
the file that the stack does not use (a typo) is refused. And since a front
subnet that another network holds leaves the tasks in "New" for ever while
`docker stack deploy` reports success, a taken FRONT_SUBNET is refused first.
Every refusal is one line, and nothing is deployed.

The project's facts come from stack.env, at the project's root: the image's
repository is PROJECT_NAME, the database, its role and the secrets are named
after PROJECT_DATABASE, unless the env file says otherwise. `--config` prints
the stack as it would be deployed, and deploys nothing.

Python's standard library only: it runs wherever the docker command does.
"""

import argparse
import ipaddress
import os
import re
import subprocess
import sys
from pathlib import Path

STACK_FILE = Path(__file__).with_name("stack.yaml")
FACTS_FILE = Path(__file__).resolve().parents[2] / "stack.env"
FACTS = ("PROJECT_NAME", "PROJECT_DATABASE")
# Each secret's default name: PROJECT_DATABASE, then this. The former key's
# is the key's own until a rotation names another.
SECRETS = {
    "DJANGO_SECRET_KEY_SECRET": "django_secret_key",
    "DJANGO_SECRET_KEY_FALLBACKS_SECRET": "django_secret_key",
    "DATABASE_PASSWORD_SECRET": "database_password",
    "DATABASE_INIT_PASSWORD_SECRET": "database_password",
    "TLS_CERTIFICATE_SECRET": "tls_certificate",
    "TLS_KEY_SECRET": "tls_key",
}
VARIABLE = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Refused(Exception):
    """Why the deploy does not go ahead, in one line."""


def stack_variables(text):
    """{variable: its default in the stack file, or None}."""
    return {name: default or None for name, default in VARIABLE.findall(text)}


def read_env_file(path):
    """{NAME: value} of an env file, as `docker run --env-file` reads one:
    no quotes or expansion, the value is the rest of the line."""
    variables = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise Refused(f"{path} cannot be read: {error.strerror}.") from None
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, equals, value = line.partition("=")
        if not equals or not NAME.fullmatch(name.strip()):
            raise Refused(f"{path}:{number}: {line!r} is not NAME=value.")
        variables[name.strip()] = value
    return variables


def project_defaults(facts_file=FACTS_FILE):
    """The variables stack.env's facts give: the image's repository, the
    database role and the secrets' names."""
    facts = read_env_file(facts_file)
    if missing := [name for name in FACTS if not facts.get(name, "").strip()]:
        raise Refused(f"{facts_file} sets no {', '.join(missing)}.")
    database = facts["PROJECT_DATABASE"].strip()
    return {
        "APP_IMAGE": facts["PROJECT_NAME"].strip(),
        "PROJECT_DATABASE": database,
        "DATABASE_USER": database,
        **{name: f"{database}_{secret}" for name, secret in SECRETS.items()},
    }


def unknown_names(variables, known):
    return sorted(set(variables) - set(known))


def subnets_in_use():
    """{network name: [its subnets]} of every network this engine knows (on
    a swarm manager, every swarm network too)."""
    ids = docker("network", "ls", "--quiet").split()
    listing = docker(
        "network",
        "inspect",
        "--format",
        "{{.Name}}{{range .IPAM.Config}} {{.Subnet}}{{end}}",
        *ids,
    )
    found = {}
    for line in listing.splitlines():
        name, *subnets = line.split()
        found[name] = subnets
    return found


def holder(subnet, in_use, own):
    """The first network but `own` whose subnet overlaps `subnet`, or None."""
    wanted = ipaddress.ip_network(subnet, strict=False)
    for name, subnets in sorted(in_use.items()):
        for other in subnets:
            network = ipaddress.ip_network(other, strict=False)
            if (
                name != own
                and network.version == wanted.version
                and (network.overlaps(wanted))
            ):
                return f"{name} ({other})"
    return None


def docker(*args):
    result = subprocess.run(
        ["docker", *args], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise Refused(f"docker {args[0]} {args[1]}: {result.stderr.strip()}")
    return result.stdout


def deploy(env_file, stack, resolve_image, config_only=False):
    known = stack_variables(STACK_FILE.read_text(encoding="utf-8"))
    variables = {**project_defaults(), **read_env_file(env_file)}
    if unknown := unknown_names(variables, known):
        raise Refused(
            f"{env_file} sets {', '.join(unknown)}, which {STACK_FILE.name} "
            "does not use: a misspelt name would leave its default in place."
        )
    environment = {k: v for k, v in os.environ.items() if k not in known}
    if config_only:
        subprocess.run(
            [*("docker", "stack", "config", "--compose-file", str(STACK_FILE))],
            env={**environment, **variables},
            check=True,
        )
        return
    subnet = variables.get("FRONT_SUBNET") or known["FRONT_SUBNET"]
    try:
        ipaddress.ip_network(subnet, strict=False)
    except ValueError:
        raise Refused(f"FRONT_SUBNET={subnet!r} is not a subnet.") from None
    if taken := holder(subnet, subnets_in_use(), own=f"{stack}_front"):
        raise Refused(
            f"FRONT_SUBNET={subnet} overlaps network {taken}: "
            f"give stack {stack} a subnet of its own in {env_file}."
        )
    subprocess.run(
        [
            *("docker", "stack", "deploy", "--prune"),
            *("--resolve-image", resolve_image),
            *("--compose-file", str(STACK_FILE), stack),
        ],
        env={**environment, **variables},
        check=True,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("env_file", help="NAME=value lines: the stack's settings")
    parser.add_argument("stack", help="the stack's name")
    parser.add_argument(
        "--resolve-image",
        choices=("always", "changed", "never"),
        default="always",
        help="ask the registry for each tag's digest (always, the default), "
        "or use the nodes' own images (never: images built on a single node)",
    )
    parser.add_argument(
        "--config",
        action="store_true",
        help="print the stack as it would be deployed, and deploy nothing",
    )
    options = parser.parse_args(argv)
    try:
        deploy(options.env_file, options.stack, options.resolve_image, options.config)
    except Refused as refused:
        sys.exit(f"deploy.py: {refused}")
    except subprocess.CalledProcessError as failed:
        sys.exit(failed.returncode)


if __name__ == "__main__":
    main()
