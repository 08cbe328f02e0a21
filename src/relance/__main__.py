"""The `relance` console script: Django's management commands under the project's name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.config.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loads the settings, which validate the environment
    except ImproperlyConfigured as exc:
        sys.exit(f"relance: configuration error: {exc}")
    execute_from_command_line(["relance", *sys.argv[1:]])


if __name__ == "__main__":
    main()
