"""Settings chosen by the environment the platform runs the app in (BK_ENV)."""
import os

ENVIRONMENT = os.environ.get("BK_ENV", "development")
if ENVIRONMENT == "production":
    from config.prod import *  # noqa: F401,F403
elif ENVIRONMENT == "testing":
    from config.stag import *  # noqa: F401,F403
else:
    raise RuntimeError("this sample runs on the platform only (BK_ENV testing or production)")
