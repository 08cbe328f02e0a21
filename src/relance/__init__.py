"""Relance: accounts-receivable collections.

The Celery application is imported where it is used (the tasks modules, `celery -A
relance.config.celery`), not here: every command would otherwise pay for importing Celery
and kombu, a fifth of a second at each start of `relance`."""

__all__ = ["celery_app"]


def __getattr__(name: str):
    if name == "celery_app":
        from relance.config.celery import app

        return app
    raise AttributeError(f"module 'relance' has no attribute {name!r}")
