"""The correspondence pages under /korrespondance/: thin views over forms, services and selectors.

Every thread, message and attachment is fetched through ``object_for_user_or_404``:
a user outside a thread gets 404, whether it exists or not, and so does a POST to
an action the user may not take. CPR numbers travel only in POST bodies; the inbox's
patient filter carries an encrypted token for the patient reference instead.

Replies work as ordinary form posts (redirect after post); with htmx loaded, the
same form posts with ``HX-Request`` and gets back the new message and a fresh form.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.access import object_for_user_or_404
from portal.accounts.models import Organisation, User
from portal.accounts.roles import CLINICIAN_ROLES
from portal.accounts.selectors import user_clinician_organisations
from portal.audit.models import AccessLogEntry
from portal.audit.services import access_log_record
from portal.core.view_errors import service_call
from portal.patients.anonymise import anonymise_texts
from portal.patients.crypto import blind_index
from portal.patients.forms import FaqProposalForm
from portal.patients.models import PatientReference
from portal.patients.services import patient_cpr_reveal
from portal.patients.views import faq_proposal_response

from . import selectors, services
from .forms import (
    AssignForm,
    CloseForm,
    InboxFilterForm,
    PatientLookupForm,
    QualityForm,
    ReplyForm,
    RerouteForm,
    RevealCprForm,
    ThreadForm,
)
from .models import Attachment, Message, Thread
from .patient_filter import patient_from_token, patient_token
from .selectors import Box, InboxFilters

INBOX_PAGE_SIZE = 25
QUALITY_DEFAULT_DAYS = 90


def _box_label(box: str) -> str:
    return {
        Box.AWAITING_ME: pgettext("inbox view", "Awaiting my reply"),
        Box.AWAITING_THEM: pgettext("inbox view", "Awaiting their reply"),
        Box.ORGANISATION: pgettext("inbox view", "My organisation's"),
        Box.OVERDUE: pgettext("inbox view", "Overdue"),
        Box.CLOSED: pgettext("inbox view", "Closed"),
    }[box]


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _thread_url(thread: Thread) -> str:
    return reverse("correspondence:thread", kwargs={"public_id": thread.public_id})


def _thread_or_404(request, public_id, perm: str) -> Thread:
    return object_for_user_or_404(
        user=request.user,
        perm=perm,
        queryset=selectors.thread_for_view(public_id=public_id),
        public_id=public_id,
    )


# --- The inbox ---------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def inbox_view(request):
    now = timezone.now()
    form = InboxFilterForm(request.GET)
    form.is_valid()  # invalid parts are shown as errors and left out of the filter
    data = form.cleaned_data
    box = data.get("visning") or Box.AWAITING_ME
    can_filter_by_patient = request.user.has_perm("correspondence.filter_by_patient")
    patient_id, patient_expired = (
        patient_from_token(user=request.user, token=data.get("patient", ""))
        if can_filter_by_patient
        else (None, False)
    )
    specialty = data.get("speciale")
    filters = InboxFilters(
        specialty_id=specialty.pk if specialty else None,
        category=data.get("kategori", ""),
        patient_id=patient_id,
        text=(data.get("q") or "").strip(),
    )
    counts = selectors.inbox_counts(request.user, now=now)
    threads = selectors.inbox(request.user, box=box, filters=filters, now=now)
    paginator = Paginator(threads, INBOX_PAGE_SIZE)
    if filters == InboxFilters() and box in counts:
        # The tab count is this list's length: spare the paginator a second count over the box.
        paginator.count = counts[box]
    page = paginator.get_page(request.GET.get("side"))
    rows = selectors.inbox_rows(request.user, page.object_list, now=now)
    return render(
        request,
        "correspondence/inbox.html",
        {
            "form": form,
            "box": box,
            "box_label": _box_label(box),
            "tabs": [(b, _box_label(b), counts[b]) for b in Box.ALL],
            "page_obj": page,
            "rows": rows,
            "patient_filtered": patient_id is not None,
            "patient_expired": patient_expired,
            "patient_form": PatientLookupForm() if can_filter_by_patient else None,
            "filtered": any([specialty, filters.category, filters.text, patient_id is not None]),
            "can_open": request.user.has_perm("correspondence.add_thread"),
        },
    )


@login_required
@never_cache
@require_POST
@sensitive_post_parameters("cpr")
def inbox_patient_filter(request):
    """The CPR number comes in the POST body and leaves as an encrypted token (see patient_filter).

    Only clinicians look patients up; for anyone else the address does not exist.
    """
    if not request.user.has_perm("correspondence.filter_by_patient"):
        raise Http404
    form = PatientLookupForm(request.POST)
    box = request.POST.get("visning")
    box = box if box in Box.ALL else Box.AWAITING_ME
    if not form.is_valid():
        return render(
            request,
            "correspondence/patient_filter.html",
            {"patient_form": form, "box": box},
            status=400,
        )
    index = blind_index(form.cleaned_data["cpr"])
    patient = PatientReference.objects.filter(cpr_index=index).first()
    # The look-up is patient data whether or not the patient is known here.
    access_log_record(
        actor=request.user,
        patient_index=index,
        action=AccessLogEntry.Action.VIEW,
        obj=patient,
        purpose=services.PURPOSE_CORRESPONDENCE,
        request=request,
    )
    token = patient_token(user=request.user, patient_id=patient.pk if patient else None)
    return redirect(f"{reverse('correspondence:inbox')}?visning={box}&patient={token}")


# --- Opening a thread ----------------------------------------------------------------------


@login_required
@never_cache
@sensitive_post_parameters("cpr")
def thread_new(request):
    if not request.user.has_perm("correspondence.add_thread"):
        raise Http404
    senders = user_clinician_organisations(request.user)
    kwargs = {"user": request.user, "sender_organisations": senders}
    files_dropped = False
    if request.method == "POST":
        form = ThreadForm(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            with service_call(form) as call:
                thread, _created = services.thread_open(
                    author=request.user,
                    sender_organisation=data["sender_organisation"],
                    subject=data["subject"],
                    category=data["category"],
                    topic=data["topic"],
                    priority=data["priority"],
                    body=data["body"],
                    patient_cpr=data["cpr"],
                    awaits_reply=data["awaits_reply"],
                    attachments=data["attachments"] or (),
                    client_token=data["client_token"],
                    request=request,
                    **form.recipient(),
                )
            if call.ok:
                messages.success(request, _("Your message has been sent."))
                return redirect(_thread_url(thread))
        files_dropped = bool(request.FILES)
        status = 400  # the form comes back with its errors
    else:
        form = ThreadForm(**kwargs)
        status = 200
    return render(
        request,
        "correspondence/thread_new.html",
        {"form": form, "files_dropped": files_dropped},
        status=status,
    )


# --- The thread page and its actions ---------------------------------------------------------


def _abilities(user, thread: Thread) -> dict[str, bool]:
    return {
        action: user.has_perm(f"correspondence.{action}_thread", thread)
        for action in ("reply", "claim", "assign", "reroute", "close", "reveal_cpr", "propose_faq")
    }


def _clinicians_of(organisation_id: int):
    return (
        User.objects.filter(
            memberships__organisation_id=organisation_id,
            memberships__role__in=CLINICIAN_ROLES,
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def _assign_form(thread: Thread, data=None) -> AssignForm:
    return AssignForm(data, clinicians=_clinicians_of(thread.recipient_organisation_id))


def _reroute_departments(thread: Thread):
    return (
        Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT)
        .exclude(pk__in=[thread.recipient_organisation_id, thread.sender_organisation_id])
        .select_related("parent")
        .order_by("parent__name", "name", "pk")
    )


def _header_context(thread: Thread, now) -> dict:
    return {
        "thread": thread,
        "overdue": thread.is_overdue(now),
        "masked_cpr": thread.patient.masked_cpr if thread.patient_id else "",
        "awaiting_organisation": thread.organisation_on(thread.awaiting) if thread.awaiting else None,
    }


def _thread_context(request, thread: Thread, **forms) -> dict:
    """Everything the thread page shows: header, messages with their receipts, actions, history."""
    page = selectors.thread_page(thread)
    can = _abilities(request.user, thread)
    now = timezone.now()
    return {
        **_header_context(thread, now),
        "thread_messages": page.messages,
        "events": page.events,
        "can": can,
        "reply_form": forms.get("reply_form") or (ReplyForm() if can["reply"] else None),
        "close_form": forms.get("close_form") or (CloseForm() if can["close"] else None),
        "assign_form": forms.get("assign_form") or (_assign_form(thread) if can["assign"] else None),
        "reroute_form": forms.get("reroute_form")
        or (RerouteForm(departments=_reroute_departments(thread)) if can["reroute"] else None),
        "files_dropped": forms.get("files_dropped", False),
        "reveal_form": forms.get("reveal_form")
        or (RevealCprForm() if can["reveal_cpr"] and thread.patient_id else None),
        "revealed_cpr": forms.get("revealed_cpr", ""),
    }


def _thread_response(request, thread: Thread, *, status: int = 200, **forms):
    """The thread page; every rendering is a view, so it moves the read receipt and logs a patient."""
    services.thread_read(thread=thread, user=request.user, request=request)
    return render(
        request, "correspondence/thread.html", _thread_context(request, thread, **forms), status=status
    )


@login_required
@never_cache
@require_GET
def thread_detail(request, public_id):
    thread = _thread_or_404(request, public_id, "correspondence.view_thread")
    return _thread_response(request, thread)


@login_required
@never_cache
@require_POST
def thread_reply(request, public_id):
    thread = _thread_or_404(request, public_id, "correspondence.reply_thread")
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        with service_call(form) as call:
            message, _created = services.message_send(
                thread=thread,
                author=request.user,
                body=data["body"],
                awaits_reply=data["awaits_reply"],
                attachments=data["attachments"] or (),
                client_token=data["client_token"],
                request=request,
            )
        if call.ok:
            if _is_htmx(request):
                # The page's parts as they are now, swapped in place (out of band): the header (whose
                # turn, the deadline), the messages with their read receipts, the actions and history
                # (a reply may have made the writer responsible), an emptied banner (it may still say
                # "you have taken the thread on"), and a fresh form. The reply already moved the
                # writer's read mark and logged the patient, so this is not another view.
                context = _thread_context(request, _reload(thread), reply_form=ReplyForm())
                return render(request, "correspondence/_reply_sent.html", context)
            messages.success(request, _("Your reply has been sent."))
            return redirect(f"{_thread_url(thread)}#besked-{message.public_id}")
    files_dropped = bool(request.FILES)
    if _is_htmx(request):
        # 400 like the full page; htmx swaps it in (responseHandling in thread.html's htmx-config).
        return render(
            request,
            "correspondence/_reply_form.html",
            {"thread": thread, "reply_form": form, "files_dropped": files_dropped},
            status=400,
        )
    return _thread_response(request, thread, status=400, reply_form=form, files_dropped=files_dropped)


@login_required
@require_POST
def thread_claim(request, public_id):
    thread = _thread_or_404(request, public_id, "correspondence.claim_thread")
    with service_call() as call:
        services.thread_claim(thread=thread, user=request.user)
    if call.ok:
        messages.success(request, _("You have taken the thread on."))
    else:
        messages.error(request, call.messages)
    return redirect(_thread_url(thread))


@login_required
@never_cache
@require_POST
def thread_assign(request, public_id):
    thread = _thread_or_404(request, public_id, "correspondence.assign_thread")
    form = _assign_form(thread, request.POST)
    if form.is_valid():
        with service_call(form) as call:
            services.thread_assign(thread=thread, actor=request.user, assignee=form.cleaned_data["assignee"])
        if call.ok:
            messages.success(
                request,
                _("The thread has been given to %(name)s.")
                % {"name": form.cleaned_data["assignee"].get_full_name()},
            )
            return redirect(_thread_url(thread))
    return _thread_response(request, thread, status=400, assign_form=form)


@login_required
@never_cache
@require_POST
def thread_reroute(request, public_id):
    thread = _thread_or_404(request, public_id, "correspondence.reroute_thread")
    form = RerouteForm(request.POST, departments=_reroute_departments(thread))
    if form.is_valid():
        with service_call(form) as call:
            thread = services.thread_reroute(
                thread=thread,
                actor=request.user,
                to_organisation=form.cleaned_data["to_organisation"],
                reason=form.cleaned_data["reason"],
            )
        if call.ok:
            messages.success(request, _("The thread has been re-routed."))
            # The user may no longer see the thread once it has left their department.
            if request.user.has_perm("correspondence.view_thread", _reload(thread)):
                return redirect(_thread_url(thread))
            return redirect("correspondence:inbox")
    return _thread_response(request, thread, status=400, reroute_form=form)


def _reload(thread: Thread) -> Thread:
    return selectors.thread_for_view(public_id=thread.public_id).get(pk=thread.pk)


@login_required
@never_cache
@require_POST
def thread_close(request, public_id):
    thread = _thread_or_404(request, public_id, "correspondence.close_thread")
    form = CloseForm(request.POST)
    if form.is_valid():
        with service_call(form) as call:
            services.thread_close(thread=thread, actor=request.user, summary=form.cleaned_data["summary"])
        if call.ok:
            messages.success(request, _("The thread has been closed."))
            return redirect(_thread_url(thread))
    return _thread_response(request, thread, status=400, close_form=form)


@login_required
@never_cache
@require_POST
def thread_reveal_cpr(request, public_id):
    """The full CPR number, in this response only: never in a URL, never cached, always logged.

    The page that answers the POST is the thread page with the number in its header;
    the next view of the thread shows the masked number again.
    """
    thread = _thread_or_404(request, public_id, "correspondence.reveal_cpr_thread")
    if not thread.patient_id:
        raise Http404
    form = RevealCprForm(request.POST)
    if not form.is_valid():
        return _thread_response(request, thread, status=400, reveal_form=form)
    reason = form.cleaned_data["reason"].strip()
    purpose = f"{services.PURPOSE_CORRESPONDENCE}: {reason}" if reason else services.PURPOSE_CORRESPONDENCE
    number = patient_cpr_reveal(patient=thread.patient, actor=request.user, purpose=purpose, request=request)
    response = _thread_response(
        request, thread, reveal_form=RevealCprForm(), revealed_cpr=f"{number[:6]}-{number[6:]}"
    )
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def thread_faq_propose(request, public_id):
    """A closed thread proposed as an anonymised FAQ draft by one of its participants (issue 15).

    GET reads the thread (logged), anonymises a proposal and shows it with what was changed;
    POST sends the participant's reviewed text, refused whole while anything CPR-shaped is in it.
    """
    thread = _thread_or_404(request, public_id, "correspondence.propose_faq_thread")
    if request.method == "POST":
        form = FaqProposalForm(request.POST)
        if form.is_valid():
            with service_call(form) as call:
                services.thread_faq_propose(
                    thread=thread,
                    user=request.user,
                    question=form.cleaned_data["question"],
                    answer=form.cleaned_data["answer"],
                )
            if call.ok:
                messages.success(request, _("Thank you. The FAQ draft waits for an editor's review."))
                return redirect(_thread_url(thread))
        return faq_proposal_response(request, form=form, back_url=_thread_url(thread), status=400)
    source = services.thread_faq_source_read(thread=thread, user=request.user, request=request)
    draft = anonymise_texts({"question": source.question, "answer": source.answer}, names=source.names)
    return faq_proposal_response(
        request,
        form=FaqProposalForm(initial=draft.texts),
        back_url=_thread_url(thread),
        changes=draft.changes,
    )


# --- Files and exports ---------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def attachment_download(request, public_id, attachment_id):
    attachment = object_for_user_or_404(
        user=request.user,
        perm="correspondence.view_attachment",
        queryset=Attachment.objects.select_related("message__thread__patient"),
        public_id=attachment_id,
        message__thread__public_id=public_id,
    )
    thread = attachment.message.thread
    if thread.patient_id:
        access_log_record(
            actor=request.user,
            patient_index=thread.patient.cpr_index,
            action=AccessLogEntry.Action.VIEW,
            obj=attachment,
            purpose=services.PURPOSE_CORRESPONDENCE,
            request=request,
        )
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.filename, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


MEDCOM_CONTENT_TYPES = {"json": "application/fhir+json", "xml": "application/fhir+xml"}


@login_required
@never_cache
@require_GET
def message_medcom(request, public_id, message_id, format):
    message = object_for_user_or_404(
        user=request.user,
        perm="correspondence.view_message",
        queryset=Message.objects.select_related("thread__patient"),
        public_id=message_id,
        thread__public_id=public_id,
    )
    try:
        from .medcom.exporting import message_bundle
    except ImportError:  # the exporter is not installed in this build
        raise Http404 from None
    with service_call() as call:
        data = message_bundle(message, actor=request.user, request=request, format=format)
    if not call.ok:
        # Not exportable (no patient, an organisation without a SOR code): say why on the thread.
        messages.error(request, call.messages)
        return redirect(f"{_thread_url(message.thread)}#besked-{message.public_id}")
    response = HttpResponse(data, content_type=f"{MEDCOM_CONTENT_TYPES[format]}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="carecommunication-{message.public_id}.{format}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Quality -------------------------------------------------------------------------------


def _hours(duration: timedelta | None) -> float | None:
    return None if duration is None else duration.total_seconds() / 3600


def _stats(stats: dict) -> dict:
    return {"count": stats["count"], "median": _hours(stats["median"]), "p90": _hours(stats["p90"])}


@login_required
@never_cache
@require_GET
def quality(request):
    form = QualityForm(request.GET if "dage" in request.GET else None, initial={"dage": QUALITY_DEFAULT_DAYS})
    days = (form.cleaned_data.get("dage") if form.is_valid() else None) or QUALITY_DEFAULT_DAYS
    Kind = Organisation.Kind
    until = timezone.now()
    rows = selectors.reply_time_quality(since=until - timedelta(days=days), until=until)
    table = [
        {"organisation": row.organisation, "answered": _stats(row.answered), "received": _stats(row.received)}
        for row in rows
    ]
    return render(
        request,
        "correspondence/quality.html",
        {
            "form": form,
            "days": days,
            "sections": [
                (_("Hospital departments"), [r for r in table if r["organisation"].kind == Kind.DEPARTMENT]),
                (
                    _("General practices"),
                    [r for r in table if r["organisation"].kind == Kind.GENERAL_PRACTICE],
                ),
            ],
        },
    )
