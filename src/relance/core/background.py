"""Starting long work without blocking the request that asked for it.

With a Celery broker the task goes to the workers. Without one (the demo), Celery would run
it eagerly inside the request and the page could not show progress, so it runs in a thread
of this process instead. Tests set RELANCE_BACKGROUND_INLINE to run it in place.
"""

import threading

from django.conf import settings
from django.db import close_old_connections, connection


def run_in_background(task, *args) -> None:
    if getattr(settings, "RELANCE_BACKGROUND_INLINE", False):
        task(*args)
    elif not settings.CELERY_TASK_ALWAYS_EAGER:
        task.delay(*args)
    else:
        threading.Thread(target=_run_and_close, args=(task, args), daemon=True).start()


def _run_and_close(task, args) -> None:
    close_old_connections()
    try:
        task(*args)
    finally:
        connection.close()
