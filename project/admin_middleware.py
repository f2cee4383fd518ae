"""Sessions, users and messages for the admin alone.

The admin's login and forms need them; the clock's page, its API and the
probes use none of them (no cookie, no user), yet the three ran on every
request and cost about a fifth of the page's CPU time. So they wrap the
admin's URLs only. CSRF protection stays in settings.MIDDLEWARE for every
request: it works through a view hook that only Django's own chain calls.
"""

from django.utils.module_loading import import_string

from project.urls import ADMIN_PREFIX

ADMIN_MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]


class AdminOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin = get_response
        for path in reversed(ADMIN_MIDDLEWARE):
            self.admin = import_string(path)(self.admin)

    def __call__(self, request):
        if request.path_info.startswith(f"/{ADMIN_PREFIX}"):
            return self.admin(request)
        return self.get_response(request)
