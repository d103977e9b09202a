from bkapi_component.open.client import Client
from django.conf import settings


def new_client(bk_app_code, bk_app_secret, **auth):
    """An SDK client for the platform's ESB, as this app, with the user in `auth`."""
    c = Client(
        endpoint=settings.BK_PAAS_INNER_HOST,
        bk_api_ver=settings.DEFAULT_BK_API_VER,
        language=getattr(settings, "LANGUAGE_CODE", None),
    )
    c.update_bkapi_authorization(bk_app_code=bk_app_code, bk_app_secret=bk_app_secret, **auth)
    return c


def ComponentClient(app_code, app_secret, common_args=None):  # noqa: N802 (the name blueapps loads)
    """What the framework builds outside a web request: `common_args` name the user."""
    return new_client(app_code, app_secret, **(common_args or {}))
