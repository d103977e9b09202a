"""An API the SDK does not list (blueapps' `client.<system>.<api>.get|post(...)`)."""
from bkapi_client_core.esb import Operation


class ComponentAPI(object):
    allowed_methods = ["GET", "POST"]

    def __init__(self, client, method, path, description=""):
        self.client = client
        self.method = method
        self.path = path
        self.description = description

    def __call__(self, params=None, **kwargs):
        op = Operation(name=self.path, manager=self.client.sdk_client, method=self.method, path=self.path)
        return op(params, **kwargs)
