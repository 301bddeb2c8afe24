from tests.templates_fallback import base_template, fast_password_hashing  # noqa: F401
