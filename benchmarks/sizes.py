"""Image sizes: the total, the base it is built on, and what the project adds."""

import json
import re

from tests.container.stack import ROOT, build_context_image, run


def base_image(web):
    """The final stage's base: the build argument its last FROM names, as
    compose passes it, or else the Dockerfile's pinned default."""
    dockerfile = (ROOT / web["build"]["dockerfile"]).read_text(encoding="utf-8")
    argument = re.findall(r"^FROM \$\{(\w+)\}\s*$", dockerfile, flags=re.MULTILINE)[-1]
    passed = (web["build"].get("args") or {}).get(argument)
    if passed:
        return passed
    return re.search(rf"^ARG {argument}=(\S+)", dockerfile, flags=re.MULTILINE)[1]


def image_facts(image):
    facts = json.loads(run("docker", "image", "inspect", image).stdout)[0]
    return {
        "image": image,
        "size_mb": facts["Size"] / 1e6,
        "layers": len(facts["RootFS"]["Layers"]),
        "user": facts["Config"].get("User") or "root",
        # A pulled image has a registry digest; a stand-in built here has none.
        "from_registry": bool(facts["RepoDigests"]),
    }


def image_sizes(web):
    image, base = image_facts(web["image"]), image_facts(base_image(web))
    return {
        **image,
        "base": base,
        "added_mb": image["size_mb"] - base["size_mb"],
        "added_layers": image["layers"] - base["layers"],
    }


def build_context_mb():
    """What `docker build` sends, after .dockerignore: a scratch image holding
    nothing but a copy of the context has exactly that size."""
    with build_context_image("moscow-bench-context:latest") as image:
        return image_facts(image)["size_mb"]
