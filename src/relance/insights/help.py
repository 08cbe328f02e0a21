"""The help text of each figure of the behaviour, steps and forecast pages: what it is and
its formula (docs/insights.md works them out by hand)."""

from django.utils.translation import gettext_lazy as _

BEHAVIOUR_HELP = {
    "days_to_pay": _(
        "Average days to pay: the mean of (settled on − issued on) over the invoices settled in"
        " the last 365 days."
    ),
    "days_late": _(
        "Average days late, weighted by amount: Σ amount × days late / Σ amount over the same"
        " invoices; an invoice paid on or before its due date counts 0 days."
    ),
    "on_time": _(
        "Paid on time: the amount of those invoices settled on or before their due date, in"
        " percent of their total amount."
    ),
    "trend": _(
        "Trend: the days late of the invoices settled in the last 90 days minus those of the"
        " 90 days before; above 0 the customer pays later than before."
    ),
    "promises": _(
        "Promises kept: of the invoices whose promised date has passed in the last 365 days"
        " (or that were already paid), the share settled in full on or before that date. Only"
        " the latest promise of an invoice is known."
    ),
    "disputes": _(
        "Dispute rate: the share of the invoices issued in the last 365 days that were"
        " disputed at some time."
    ),
    "resolve": _(
        "Time to resolve a dispute: the mean days from a dispute's opening to its clearing,"
        " over the disputes cleared in the last 365 days."
    ),
}

STEP_HELP = {
    "received": _(
        "Received: the step was sent or done; observed from that day. Its customer's payments"
        " within 7, 14 and 30 days after are added up."
    ),
    "comparison": _(
        "Comparison: the same step, at the same stage, had become due but had not reached the"
        " customer yet (skipped, cancelled, or sent later than the window); observed from its"
        " due date."
    ),
    "mean": _(
        "Paid per observation: the decreases of the open amounts of the customer's invoices"
        " issued by the observed day, in the entity's currency, within the window, divided by"
        " the number of observations whose window is over."
    ),
    "difference": _(
        "Difference: paid per observation after the step minus paid per observation in the"
        " comparison; above 0 the step brought money in sooner."
    ),
    "stage": _("Stage: the days overdue of the step's reference invoice on the observed day."),
}

FORECAST_HELP = {
    "expected": _(
        "Expected: each open invoice on the week of its promised date if a promise is pending;"
        " otherwise of its due date plus its customer's average days late weighted by amount"
        " (the entity's for a customer with fewer than 3 invoices paid in the last 365 days),"
        " never before today."
    ),
    "received": _(
        "Came in: the decreases of the open amounts of invoices seen by the imports, per week."
    ),
    "later": _("Later: expected after the 13 weeks."),
    "disputed": _("Disputed: not forecast until the dispute is cleared."),
}
