from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from apps.clock import moscow
from apps.clock.models import record_visit, visit_count


@never_cache
@csrf_exempt  # GET and HEAD only: a POST gets 405, not a CSRF 403.
@require_safe
def index(request):
    """The page; a GET is a visit, a HEAD only asks whether the page is there."""
    visits = record_visit() if request.method == "GET" else visit_count()
    return render(
        request,
        "clock/index.html",
        {**moscow.as_page(moscow.moscow_time()), "visits": visits},
    )


@never_cache
@csrf_exempt  # GET and HEAD only: a POST gets 405, not a CSRF 403.
@require_safe
def api_time(request):
    """The Moscow time and the visit count, read without counting a visit."""
    return JsonResponse(
        {**moscow.as_json(moscow.moscow_time()), "visits": visit_count()}
    )
