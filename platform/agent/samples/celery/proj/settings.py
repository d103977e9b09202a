"""Settings from the environment the platform gives the app (legacy names)."""
import os

import pymysql

pymysql.install_as_MySQLdb()

SECRET_KEY = os.environ["APP_TOKEN"]
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.contenttypes", "jobs"]
MIDDLEWARE = []
ROOT_URLCONF = "proj.urls"
WSGI_APPLICATION = "proj.wsgi.application"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.mysql",
        "NAME": os.environ["DB_NAME"],
        "USER": os.environ["DB_USERNAME"],
        "PASSWORD": os.environ["DB_PASSWORD"],
        "HOST": os.environ["DB_HOST"],
        "PORT": os.environ["DB_PORT"],
    }
}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# The broker the platform gives the app, as blueapps reads it
CELERY_BROKER_URL = os.environ.get("BK_BROKER_URL", "")
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {"tick": {"task": "jobs.tasks.tick", "schedule": 1.0}}
