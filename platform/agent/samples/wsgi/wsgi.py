"""A plain WSGI app: JSON about its prefix, user, environment and Python compatibility."""
import collections
import json
import os

try:
    import six

    SIX = six.__version__
except ImportError:
    SIX = None


def application(environ, start_response):
    env = os.environ
    body = json.dumps(
        {
            "script_name": environ.get("SCRIPT_NAME"),
            "path_info": environ.get("PATH_INFO"),
            "uid": os.getuid(),
            "APP_ID": env.get("APP_ID"),
            "BK_ENV": env.get("BK_ENV"),
            "BK_LOG_DIR": env.get("BK_LOG_DIR"),
            "BKAPP_QUOTE": env.get("BKAPP_QUOTE"),
            "DB_NAME": env.get("DB_NAME"),
            "collections_callable": hasattr(collections, "Callable"),
            "six": SIX,
        }
    ).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
