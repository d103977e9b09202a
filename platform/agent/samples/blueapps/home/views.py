"""Pages behind the framework's login middleware: it signs the user in (login is_login, then ESB
bk_login.get_user) before these run."""
from django.http import JsonResponse
from django.utils.html import escape
from django.http import HttpResponse


def _user(request):
    u = request.user
    return {
        "username": u.username,
        "chname": u.get_property("chname") or "",
        "is_superuser": u.is_superuser,
    }


def index(request):
    u = _user(request)
    return HttpResponse(
        "<!doctype html><title>blueapps sample</title>"
        "<h1 id='user'>%s</h1><p id='chname'>%s</p><p id='superuser'>%s</p>"
        % (escape(u["username"]), escape(u["chname"]), u["is_superuser"])
    )


def whoami(request):
    return JsonResponse(_user(request))
