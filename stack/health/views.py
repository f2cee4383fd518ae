from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from stack.health.checks import not_ready


@never_cache
@require_safe
def liveness(request):
    """200 while the process serves requests; it touches no database."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readiness(request):
    """200 only when the data volume takes writes and the database answers and
    is migrated, else 503 and the reason's one word (the log says more)."""
    if reason := not_ready():
        return JsonResponse({"status": "unavailable", "reason": reason}, status=503)
    return JsonResponse({"status": "ok"})
