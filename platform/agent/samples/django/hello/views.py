import os

from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse

from .models import Visit


def index(request):
    Visit.objects.create()
    return JsonResponse(
        {
            "index": reverse("hello:index"),
            "go": reverse("hello:go"),
            "static": static("hello/app.css"),
            "visits": Visit.objects.count(),
            "uid": os.getuid(),
            "path": request.path,
        }
    )


def go(request):
    return redirect("hello:index")
