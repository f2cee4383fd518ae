from stack.health import views

PROBES = {"/healthz": views.liveness, "/readyz": views.readiness}


class HealthProbeMiddleware:
    """Answers /healthz and /readyz before the Host header is validated.

    Docker's HEALTHCHECK and orchestrators' probes reach the container by its
    own address, which DJANGO_ALLOWED_HOSTS rightly need not name; the probes
    reveal nothing, so they are served whatever the Host header says.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        return probe(request)
