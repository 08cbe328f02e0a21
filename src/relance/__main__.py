"""The `relance` console script: Django's management commands under the project's name."""

import os
import sys

# Background work started from the command line: it yields the processor to the pages a
# web server on the same machine serves (RELANCE_BACKGROUND_NICE; `relance serve` does the
# same for the worker and beat it starts).
BACKGROUND_COMMANDS = frozenset({"run", "tick", "worker", "beat"})


def lower_background_priority(argv: list[str]) -> None:
    from django.conf import settings

    if argv[1:2] and argv[1] in BACKGROUND_COMMANDS and settings.BACKGROUND_NICE:
        os.nice(settings.BACKGROUND_NICE)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.config.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loads the settings, which validate the environment
    except ImproperlyConfigured as exc:
        sys.exit(f"relance: configuration error: {exc}")
    lower_background_priority(sys.argv)
    execute_from_command_line(["relance", *sys.argv[1:]])


if __name__ == "__main__":
    main()
