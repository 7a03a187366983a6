from django.contrib.auth import views as auth_views
from django.urls import path

from kundenbild.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("language/", views.language_switch, name="language-switch"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/tokens/", views.api_token_create_view, name="token-create"),
    path(
        "settings/tokens/<int:token_id>/revoke/", views.api_token_revoke_view, name="token-revoke"
    ),
    path("users/", views.user_list_view, name="user-list"),
    path("security-log/", views.security_log_view, name="security-log"),
    path("users/new/", views.UserCreateView.as_view(), name="user-create"),
    path("users/<int:user_id>/", views.UserUpdateView.as_view(), name="user-update"),
]
