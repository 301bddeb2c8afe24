from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and access"

    def ready(self) -> None:
        # Connects the sign-in signal that starts a session's idle clock.
        from . import sessions  # noqa: F401
