"""Which installed catalogues the images keep: the project's languages."""

from django.conf import settings
from django.test import override_settings

from stack import translations

LOCALE = "django.middleware.locale.LocaleMiddleware"


def catalogue(root, package, locale):
    path = root / package / "locale" / locale / "LC_MESSAGES" / "django.mo"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    return path


def test_a_site_in_one_language_keeps_that_language_alone():
    with override_settings(LANGUAGE_CODE="en-us"):
        assert translations.kept_locales(settings) == {"en", "en_US"}


def test_a_site_whose_requests_choose_keeps_every_language_it_offers():
    languages = [("de", "German"), ("pt-br", "Brazilian Portuguese")]
    middleware = [*settings.MIDDLEWARE, LOCALE]
    with override_settings(LANGUAGES=languages, MIDDLEWARE=middleware):
        assert translations.kept_locales(settings) == {
            "en",
            "en_US",
            "de",
            "pt",
            "pt_BR",
        }


def test_a_site_that_names_its_languages_keeps_them_without_the_middleware():
    with override_settings(LANGUAGES=[("fr", "French")]):
        assert translations.kept_locales(settings) == {"en", "en_US", "fr"}


def test_locale_middleware_with_django_s_languages_keeps_them_all():
    with override_settings(MIDDLEWARE=[*settings.MIDDLEWARE, LOCALE]):
        kept = translations.kept_locales(settings)
    assert {"de", "fr", "zh_Hans", "sr_Latn"} <= kept


def test_without_i18n_only_the_site_s_language_is_kept():
    languages = [("fr", "French")]
    with override_settings(USE_I18N=False, LANGUAGES=languages):
        assert translations.kept_locales(settings) == {"en", "en_US"}


def test_it_finds_the_catalogues_of_the_other_languages(tmp_path):
    english = catalogue(tmp_path, "django", "en")
    german = catalogue(tmp_path, "django", "de")
    swiss = catalogue(tmp_path, "django", "de_CH")
    other = catalogue(tmp_path, "allauth", "fr")
    found = translations.unused_catalogues(tmp_path, {"en", "de"})
    assert found == sorted([swiss, other])
    assert english.exists() and german.exists()
