"""The installed packages' translation catalogues that the project can never
load, removed from the image: `python -m stack.translations DIR` (the images'
build runs it on the virtual environment, ~15 MB for Django alone).

The project speaks LANGUAGE_CODE, and every language of LANGUAGES when it
lets requests choose one (LocaleMiddleware) or names its own LANGUAGES. The
project's own catalogues are never touched.
"""

import sys
from pathlib import Path

LOCALE_MIDDLEWARE = "django.middleware.locale.LocaleMiddleware"


def kept_locales(settings):
    """The locale folder names Django may load: each language's own (pt_BR)
    and the one it falls back to (pt)."""
    from django.conf import global_settings
    from django.utils.translation import to_locale

    codes = [settings.LANGUAGE_CODE]
    if settings.USE_I18N and (
        LOCALE_MIDDLEWARE in settings.MIDDLEWARE
        or settings.LANGUAGES != global_settings.LANGUAGES
    ):
        codes += [code for code, _ in settings.LANGUAGES]
    locales = {to_locale(code) for code in codes}
    return locales | {locale.partition("_")[0] for locale in locales}


def unused_catalogues(root, kept):
    """The compiled catalogues under root whose locale is not kept."""
    return sorted(
        path
        for path in Path(root).rglob("locale/*/LC_MESSAGES/*.mo")
        if path.parent.parent.name not in kept
    )


def main(root):
    from django.conf import settings

    kept = kept_locales(settings)
    removed = unused_catalogues(root, kept)
    for path in removed:
        path.unlink()
    print(
        f"translations: kept {', '.join(sorted(kept))}; "
        f"removed {len(removed)} catalogues of other languages"
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m stack.translations DIR")
    main(sys.argv[1])
