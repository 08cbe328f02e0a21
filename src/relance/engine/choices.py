from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")
    INTERRUPTED = "interrupted", _("Interrupted")


class FailureStage(models.TextChoices):
    """Where the engine failed for one customer (EngineError)."""

    PLANNING = "planning", _("planning")
    WRITING = "writing", _("writing the actions")
    SENDING = "sending", _("sending")


class RunKind(models.TextChoices):
    """A daily planning run, or a send tick (the due automatic actions sent within the
    entity's sending hours, engine/sendtick.py)."""

    DAILY = "daily", _("Daily run")
    SEND_TICK = "send_tick", _("Send tick")
