from django.conf import settings

from .client import new_client


def get_client_by_request(request):
    """The signed-in browser's client: its bk_token cookie (the framework calls this before the
    user is known, to fetch the user's info)."""
    return new_client(settings.APP_CODE, settings.SECRET_KEY, bk_token=request.COOKIES.get("bk_token", ""))


def get_client_by_user(user):
    username = getattr(user, "username", user)
    return new_client(settings.APP_CODE, settings.SECRET_KEY, bk_username=username)
