"""Static files as collected into the image, each URL worked out once per
process.

The manifest of hashed names is written at build time and read once, so an
asset's URL cannot change while a process lives; yet `{% static %}` joins,
quotes and looks it up again on every page view. Kept the first time, the
page costs less CPU: DOCKER.md ("What the figures changed") has the
measurement that keeps this class here.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class UrlsOnceManifestStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name, force=False):
        key = (name, force)
        if key not in self._urls:
            self._urls[key] = super().url(name, force)
        return self._urls[key]
