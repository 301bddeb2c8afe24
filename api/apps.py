from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # Registers the token scheme with drf-spectacular so the schema documents it.
        from . import schema  # noqa: F401
