from blueapps.patch.settings_open_saas import *  # noqa: F401,F403

DEBUG = False
