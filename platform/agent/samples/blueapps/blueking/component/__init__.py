"""The ESB SDK in the shape blueapps loads (`ESB_SDK_NAME = "blueking.component"`: modules
`shortcuts`, `client`, `base`), on top of PyPI's `bkapi-component-open`: the requests to the
platform are the real SDK's (credentials in the X-Bkapi-Authorization header)."""
from bkapi_client_core import __version__  # noqa: F401
