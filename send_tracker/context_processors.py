from __future__ import annotations

from django.http import HttpRequest

SERVICE_NAME = "SEND Tracker"


def service(request: HttpRequest) -> dict[str, str]:
    """The service name, shown in the header and page titles."""
    return {"service_name": SERVICE_NAME}
