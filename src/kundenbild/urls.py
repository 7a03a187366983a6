"""Every URL of the app; all but the login require a logged-in user."""

from django.urls import include, path

from kundenbild.activities.views import start_view
from kundenbild.api.main import api

urlpatterns = [
    path("", start_view, name="home"),
    path("accounts/", include("kundenbild.accounts.urls")),
    path("", include("kundenbild.profile.urls")),
    path("customers/", include("kundenbild.customers.urls")),
    path("offerings/", include("kundenbild.offerings.urls")),
    path("finance/", include("kundenbild.finance.urls")),
    path("activities/", include("kundenbild.activities.urls")),
    path("potential/", include("kundenbild.potential.urls")),
    path("imports/", include("kundenbild.imports.urls")),
    path("insights/", include("kundenbild.insights.urls")),
    path("buying-center/", include("kundenbild.buying_center.urls")),
    path("chains/", include("kundenbild.chains.urls")),
    path("api/", api.urls),
]

handler400 = "kundenbild.core.errorviews.bad_request"
handler403 = "kundenbild.core.errorviews.permission_denied"
handler404 = "kundenbild.core.errorviews.page_not_found"
handler500 = "kundenbild.core.errorviews.server_error"
