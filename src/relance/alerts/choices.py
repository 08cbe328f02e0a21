from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleKind(models.TextChoices):
    OVERDUE_ABOVE = "overdue_above", _("Overdue amount above")
    OVER_CREDIT_LIMIT = "over_credit_limit", _("Over the credit limit")
    INVOICE_LATE = "invoice_late", _("An invoice more than N days late")
    BROKEN_PROMISE = "broken_promise", _("A broken promise to pay")


# The parameter each kind needs (None: no parameter).
KIND_PARAMETER = {
    RuleKind.OVERDUE_ABOVE: "amount",
    RuleKind.OVER_CREDIT_LIMIT: None,
    RuleKind.INVOICE_LATE: "days",
    RuleKind.BROKEN_PROMISE: None,
}
