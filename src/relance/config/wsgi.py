import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.config.settings")
application = get_wsgi_application()

# Without a broker, the send tick runs in a thread of the server (`make demo` sends a
# confirmed action as production does). Not under gunicorn, whose master forks its workers
# after loading this module (`gunicorn …` or `python -m gunicorn …`): `relance serve` starts
# the tick as a process of its own.
if "gunicorn" not in (sys.argv[0] if sys.argv else ""):
    from relance.engine.sendtick import start_in_process

    start_in_process()
