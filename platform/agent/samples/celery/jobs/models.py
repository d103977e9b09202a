from django.db import models


class Done(models.Model):
    """A row a Celery task wrote: `note` says which (a queued task's note, or "beat")."""

    note = models.CharField(max_length=100)
    uid = models.IntegerField()
    at = models.DateTimeField(auto_now_add=True)
