"""Image sizes: the total, the base it is built on, and what the project adds."""

from benchmarks.results import ImageFacts, ImageSize
from containers import contract, images


def facts(reference):
    image = contract.image(reference)
    return ImageFacts(
        image=reference,
        size_mb=image.size_mb,
        layers=image.layers,
        user=image.user,
        from_registry=image.from_registry,
    )


def image_sizes(reference, base):
    image, base = facts(reference), facts(base)
    return ImageSize(
        image=image.image,
        size_mb=image.size_mb,
        layers=image.layers,
        user=image.user,
        from_registry=image.from_registry,
        base=base,
        added_mb=image.size_mb - base.size_mb,
        added_layers=image.layers - base.layers,
    )


def build_context_mb():
    """What `docker build` sends, after .dockerignore: a scratch image holding
    nothing but a copy of the context has exactly that size."""
    with images.build_context_image() as image:
        return contract.image(image).size_mb
