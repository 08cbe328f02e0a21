"""Segment pages: the list with member counts, the form with its rule builder and live count
(htmx), deletion and an on-demand recomputation. Everyone logged in reads; administrators
and credit managers edit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from relance.core.models import Entity
from relance.core.params import id_param
from relance.scenarios.forms import add_service_errors
from relance.segments import selectors, services
from relance.segments.criteria import criterion_fields, describe_rule, lookup_choices
from relance.segments.forms import SegmentForm, builder_from_criteria, criteria_from_post


def _require_editor(user) -> None:
    if not user.can_import:
        raise PermissionDenied(_("Only administrators and credit managers edit segments."))


def segment_list(request):
    segments = list(selectors.segment_list(request.user))
    fields = criterion_fields()
    for segment in segments:
        rules = (segment.criteria or {}).get("rules", [])
        segment.rule_texts = [describe_rule(r, fields) for r in rules if "rules" not in r]
        segment.group_count = sum(1 for r in rules if "rules" in r)
    return render(request, "segments/segment_list.html", {"segments": segments})


def segment_form(request, pk: int | None = None):
    """Create a segment (no pk) or edit one; everyone may look, editors save."""
    segment = selectors.segment_detail(request.user, pk) if pk else None
    if request.method == "POST" or segment is None:
        _require_editor(request.user)
    form = SegmentForm(request.POST or None, instance=segment, user=request.user)
    criteria = criteria_from_post(request.POST) if request.method == "POST" else None
    if request.method == "POST" and form.is_valid():
        try:
            if segment is None:
                segment = services.segment_create(
                    acting_user=request.user, criteria=criteria, **form.cleaned_data
                )
            else:
                services.segment_update(
                    segment=segment,
                    acting_user=request.user,
                    criteria=criteria,
                    **form.cleaned_data,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Segment “%(name)s” saved: its members are "
                    "recomputed at the next run, or now with "
                    "“Recompute”."
                )
                % {"name": segment.name},
            )
            return redirect("segments:list")
    if criteria is None:
        criteria = segment.criteria if segment else {}
    context = {
        "form": form,
        "segment": segment,
        "builder": builder_from_criteria(criteria),
        "fields": criterion_fields().values(),
        "lookups": lookup_choices(),
        "can_edit": request.user.can_import,
        "members": selectors.segment_members(segment, request.user) if segment else [],
    }
    return render(request, "segments/segment_form.html", context)


def segment_count(request):
    """The live count of the form: customers visible to the user matching the rules now."""
    entity = None
    entity_id = id_param(request.POST, "entity")
    if entity_id is not None:
        entity = Entity.objects.get_for_user(request.user, pk=entity_id)
    try:
        count = selectors.segment_matching_count(
            request.user, criteria_from_post(request.POST), entity=entity
        )
    except ValidationError as exc:
        return render(request, "segments/_count.html", {"errors": exc.messages})
    return render(request, "segments/_count.html", {"count": count})


@require_POST
def segment_delete(request, pk: int):
    _require_editor(request.user)
    segment = selectors.segment_detail(request.user, pk)
    try:
        services.segment_delete(segment=segment, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Segment “%(name)s” deleted.") % {"name": segment.name})
    return redirect("segments:list")


@require_POST
def segment_recompute(request):
    _require_editor(request.user)
    counts = services.segments_recompute()
    members = sum(counts.values())
    messages.success(
        request,
        ngettext(
            "%(segments)s segment recomputed.", "%(segments)s segments recomputed.", len(counts)
        )
        % {"segments": len(counts)}
        + " "
        + ngettext("%(members)s membership.", "%(members)s memberships.", members)
        % {"members": members},
    )
    return redirect("segments:list")
