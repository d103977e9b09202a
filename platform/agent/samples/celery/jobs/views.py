import json

from django.http import HttpResponse

from .models import Done
from .tasks import record


def _json(data):
    return HttpResponse(json.dumps(data), content_type="application/json")


def index(request):
    return _json({"done": Done.objects.count()})


def enqueue(request):
    """Queue a task that writes a row with the given note (the worker, not this process, writes it)."""
    note = request.GET.get("note", "")[:100]
    record.delay(note)
    return _json({"queued": note})
