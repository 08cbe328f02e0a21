"""`{% audit_history_link object %}`: a link to the object's history, for administrators."""

from django import template
from django.contrib.contenttypes.models import ContentType

from relance.audit.permissions import can_view_audit
from relance.audit.tables import object_history_url

register = template.Library()


@register.filter
def can_read_audit(user) -> bool:
    return can_view_audit(user)


@register.inclusion_tag("audit/_history_link.html", takes_context=True)
def audit_history_link(context, obj):
    request = context.get("request")
    if obj is None or request is None or not can_view_audit(request.user):
        return {"url": ""}
    return {"url": object_history_url(ContentType.objects.get_for_model(obj), obj.pk)}
