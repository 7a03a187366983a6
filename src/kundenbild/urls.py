"""Every URL of the app; all but the login require a logged-in user."""

from django.urls import include, path

from kundenbild.api.main import api
from kundenbild.portfolio import urls as portfolio_urls
from kundenbild.workspace.views import start_view

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
    path("", include("kundenbild.workspace.urls")),
    path("portfolio/", include("kundenbild.portfolio.urls")),
    *portfolio_urls.moved,
    path("api/", api.urls),
]

handler400 = "kundenbild.core.errorviews.bad_request"
handler403 = "kundenbild.core.errorviews.permission_denied"
handler404 = "kundenbild.core.errorviews.page_not_found"
handler500 = "kundenbild.core.errorviews.server_error"
