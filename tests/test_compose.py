"""docker compose cannot run here, so check the file: every service it needs, commands that exist, and only
variables that the settings actually read."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("migrate", "web", "worker", "beat")


def load_compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def settings_variables() -> set[str]:
    source = (ROOT / "send_tracker" / "settings.py").read_text()
    return set(re.findall(r'env(?:\.\w+|_\w+)\(\s*"([A-Z_]+)"', source))


def env_example_variables() -> set[str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}


def test_compose_has_the_services_of_a_deployment():
    services = load_compose()["services"]
    assert {"postgres", "redis", "web", "worker", "beat", "mailcatcher"} <= set(services)


def test_exactly_one_beat_is_deployed():
    beat = load_compose()["services"]["beat"]
    assert beat.get("deploy", {}).get("replicas", 1) == 1


def test_each_application_command_exists():
    services = load_compose()["services"]
    venv_bin = Path(sys.executable).parent
    for name in APP_SERVICES:
        command = services[name]["command"]
        program = command[0]
        assert (venv_bin / program).exists() or shutil.which(program), f"{name}: {program} is not installed"
        if program == "python":
            assert (ROOT / command[1]).is_file(), f"{name}: {command[1]} is missing"
        if program == "gunicorn":
            assert importlib.util.find_spec(command[1]) is not None, f"{name}: {command[1]} is not importable"
        if program == "celery":
            assert command[1:3] == ["-A", "send_tracker"]
            assert command[3] in {"worker", "beat"}


def test_every_variable_compose_sets_is_read_by_settings():
    read = settings_variables()
    services = load_compose()["services"]
    for name in APP_SERVICES:
        environment = services[name].get("environment", {})
        assert set(environment) <= read, f"{name} sets variables settings never read: {set(environment) - read}"


def test_env_example_documents_exactly_the_variables_settings_read():
    assert env_example_variables() == settings_variables()


def test_dockerfile_runs_the_image_commands():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install" in dockerfile and "collectstatic" in dockerfile
    assert "gunicorn" in dockerfile
