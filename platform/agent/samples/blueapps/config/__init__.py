"""What blueapps reads from the app's own `config` package (PaaS v2, community edition)."""
import os

RUN_VER = "open"
APP_CODE = os.environ.get("APP_ID", "")
SECRET_KEY = os.environ.get("APP_TOKEN", "")
BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BK_URL = os.environ.get("BK_PAAS_HOST")


def get_env_or_raise(key):
    value = os.environ.get(key)
    if not value:
        raise RuntimeError("environment variable %s is required" % key)
    return value
