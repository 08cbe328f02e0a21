"""Writes of alerts: rules (create, update, delete), the daily evaluation and the digest.

The evaluation is set-based: one query per rule for its customers and their figures, one
delete and one bulk insert of its hits. Evaluating a rule again the same day replaces that
day's hits, so a rerun is harmless; older days are kept as history. The digest mails each
owner the customers of their rules' last evaluation once (`digest_sent_on` guards it)."""

import logging
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from relance.alerts.models import AlertHit, AlertRule
from relance.alerts.selectors import (
    alert_customer_count,
    figure_json,
    hit_rows,
    rule_matches,
    rule_sentences,
)
from relance.customers.selectors import visible_entity_todays
from relance.segments.criteria import criteria_clean, criterion_fields

logger = logging.getLogger(__name__)

EDITABLE_FIELDS = {"name", "criteria", "is_active", "send_digest"}
DIGEST_CUSTOMERS = 50  # per rule in the email; the page lists them all


def _validate(rule: AlertRule, fields=None) -> None:
    try:
        rule.criteria = criteria_clean(rule.criteria, fields)
    except ValidationError as exc:
        raise ValidationError({"criteria": exc.messages}) from None
    if not rule.criteria.get("rules"):
        raise ValidationError(
            {"criteria": _("Add at least one rule: an alert on every customer tells nothing.")}
        )
    rule.name = rule.name.strip()
    rule.full_clean()


@transaction.atomic
def alert_rule_create(
    *, owner, name: str, criteria: dict, is_active: bool = True, send_digest: bool = True
) -> AlertRule:
    """A rule of `owner`, its criteria checked (ValidationError names each faulty rule)."""
    rule = AlertRule(
        owner=owner,
        name=name,
        criteria=criteria,
        is_active=is_active,
        send_digest=send_digest,
    )
    _validate(rule)
    rule.save()
    return rule


@transaction.atomic
def alert_rule_update(*, rule: AlertRule, **fields) -> AlertRule:
    """Change a rule (`fields` among EDITABLE_FIELDS); its hits wait for the next
    evaluation (the views evaluate it at once)."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(rule, name, value)
    _validate(rule)
    rule.save()
    return rule


@transaction.atomic
def alert_rule_delete(*, rule: AlertRule) -> None:
    rule.delete()
    alert_badge_refresh(owner=rule.owner)


def alert_badge_refresh(*, owner) -> int:
    """Store the number of customers in the owner's active alerts (the menu's badge, read
    with the user at no extra query): one count, one update."""
    count = alert_customer_count(owner)
    get_user_model().objects.filter(pk=owner.pk).update(alert_customer_count=count)
    owner.alert_customer_count = count
    return count


@transaction.atomic
def alert_rule_evaluate(
    *, rule: AlertRule, day: date | None = None, todays=None, fields=None, refresh_badge=True
) -> int:
    """Store the customers matching `rule` today (the owner's entities' today, or `day`)
    with the figures that matched, and the owner's badge (unless `refresh_badge` is False:
    the caller refreshes it once for several rules); the number of customers."""
    todays = todays if todays is not None else visible_entity_todays(rule.owner)
    if day is not None:
        todays = day
    evaluated_on = day or max(todays.values(), default=timezone.localdate())
    fields = criterion_fields() if fields is None else fields
    customers, names = rule_matches(rule, todays, fields)
    rows = customers.order_by().values("pk", "entity_id", *names.values())
    hits = []
    for row in rows:
        today = todays if isinstance(todays, date) else todays.get(row["entity_id"])
        figures = {
            key: figure_json(fields.get(key), row[name], today) for key, name in names.items()
        }
        hits.append(
            AlertHit(rule=rule, customer_id=row["pk"], evaluated_on=evaluated_on, figures=figures)
        )
    AlertHit.objects.filter(rule=rule, evaluated_on=evaluated_on).delete()
    AlertHit.objects.bulk_create(hits, batch_size=2000)
    rule.last_evaluated_on = evaluated_on
    rule.save(update_fields=["last_evaluated_on"])
    if refresh_badge:
        alert_badge_refresh(owner=rule.owner)
    return len(hits)


def alerts_evaluate(*, day: date | None = None) -> dict[int, int]:
    """Evaluate every active rule of active users; {rule id: customers matched}. What the
    daily beat (alerts.tasks.alerts_evaluate_daily) and `relance alerts evaluate` call."""
    results = {}
    todays_by_owner = {}
    fields = criterion_fields()
    rules = AlertRule.objects.filter(is_active=True, owner__is_active=True).select_related("owner")
    for rule in rules:
        if rule.owner_id not in todays_by_owner:
            todays_by_owner[rule.owner_id] = visible_entity_todays(rule.owner)
        todays = todays_by_owner[rule.owner_id]
        results[rule.pk] = alert_rule_evaluate(
            rule=rule, day=day, todays=todays, fields=fields, refresh_badge=False
        )
    owners = {rule.owner_id: rule.owner for rule in rules}
    for owner in owners.values():
        alert_badge_refresh(owner=owner)
    return results


# --- the daily digest --------------------------------------------------------------------


def _digest_rules() -> list[AlertRule]:
    """Active digest rules of active owners with an email, evaluated since their last
    digest."""
    rules = (
        AlertRule.objects.filter(
            is_active=True,
            send_digest=True,
            owner__is_active=True,
            last_evaluated_on__isnull=False,
        )
        .exclude(owner__email="")
        .select_related("owner")
        .order_by("owner_id", "name", "pk")
    )
    return [
        rule
        for rule in rules
        if rule.digest_sent_on is None or rule.digest_sent_on < rule.last_evaluated_on
    ]


def _hits_by_rule(rules: list[AlertRule]) -> dict[int, list[AlertHit]]:
    """The hits of each rule's last evaluation, in one query."""
    days = {rule.pk: rule.last_evaluated_on for rule in rules}
    hits = (
        AlertHit.objects.filter(rule_id__in=list(days))
        .filter(evaluated_on__in=set(days.values()))
        .select_related("customer")
        .order_by("rule_id", "customer__name", "pk")
    )
    found: dict[int, list[AlertHit]] = {}
    for hit in hits:
        if hit.evaluated_on == days[hit.rule_id]:
            found.setdefault(hit.rule_id, []).append(hit)
    return found


def _digest_message(owner, sections: list[dict]) -> EmailMultiAlternatives:
    site = settings.SITE_URL.rstrip("/")
    language = owner.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "owner": owner,
            "sections": sections,
            "alerts_url": site + reverse("alerts:list"),
            "site": site,
            "total": sum(section["count"] for section in sections),
        }
        subject = render_to_string("alerts/digest_subject.txt", context).strip()
        text = render_to_string("alerts/digest_email.txt", context)
        html = render_to_string("alerts/digest_email.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[owner.email]
    )
    message.attach_alternative(html, "text/html")
    return message


def _sections(rules: list[AlertRule], hits: dict, fields: dict, owner) -> list[dict]:
    site = settings.SITE_URL.rstrip("/")
    sections = []
    language = owner.language or settings.LANGUAGE_CODE
    with translation.override(language):
        for rule in rules:
            rule_hits = hits.get(rule.pk, [])
            if not rule_hits:
                continue
            rows = [
                {"hit": hit, "figures": figures, "url": site + hit.customer.get_absolute_url()}
                for hit, figures in hit_rows(rule, rule_hits[:DIGEST_CUSTOMERS], fields)
            ]
            sections.append(
                {
                    "rule": rule,
                    "sentences": rule_sentences(rule, fields),
                    "count": len(rule_hits),
                    "rows": rows,
                    "more": max(len(rule_hits) - DIGEST_CUSTOMERS, 0),
                    "url": site + rule.get_absolute_url(),
                }
            )
    return sections


def alerts_digest_send() -> int:
    """Mail each owner the customers their rules matched at the last evaluation (rules that
    matched nobody are left out; nothing is sent when none matched), then mark the rules
    sent. One query for the rules, one for their hits, one SMTP connection; an owner whose
    message fails is logged and tried again at the next call. The number of emails sent."""
    rules = _digest_rules()
    if not rules:
        return 0
    hits = _hits_by_rule(rules)
    fields = criterion_fields()
    by_owner: dict[int, list[AlertRule]] = {}
    for rule in rules:
        by_owner.setdefault(rule.owner_id, []).append(rule)
    sent = 0
    with get_connection() as connection:
        for owner_rules in by_owner.values():
            owner = owner_rules[0].owner
            sections = _sections(owner_rules, hits, fields, owner)
            if sections:
                try:
                    connection.send_messages([_digest_message(owner, sections)])
                except Exception:  # one owner's failure does not stop the others
                    logger.exception("alert digest to %s failed", owner.email)
                    continue
                sent += 1
            for rule in owner_rules:
                rule.digest_sent_on = rule.last_evaluated_on
            AlertRule.objects.bulk_update(owner_rules, ["digest_sent_on"])
    return sent
