"""Reports each request's database queries and server time in response headers (benchmarks only)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse


class QueryCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
            # Lazy template responses render here, inside the wrapper, so their queries count too.
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()
        response["X-Query-Count"] = str(count)
        response["X-Server-Time-Ms"] = f"{(time.perf_counter() - started) * 1000:.2f}"
        return response
