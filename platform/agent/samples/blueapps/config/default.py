from blueapps.conf.default_settings import *  # noqa: F401,F403

INSTALLED_APPS += ("home",)  # noqa: F405

# users made superusers by the framework's first migration (none: role "1" from login decides)
INIT_SUPERUSER = []
