from django.conf.urls import include, url

urlpatterns = [
    url(r"^account/", include("blueapps.account.urls")),
    url(r"^", include("home.urls")),
]
