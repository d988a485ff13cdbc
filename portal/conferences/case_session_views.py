"""Joint case sessions under /konferencer/casekonferencer/: the list, planning one, the session page,
signing up, submitting a case, the agenda, the minutes and the promotion to an FAQ draft.

Sessions and cases are fetched through ``object_for_user_or_404``: outside a user's reach
(superusers included) it is 404. The organiser's actions on a case are checked against the
case's session (``conferences.change_casesession``), also 404 otherwise.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.access import object_for_user_or_404
from portal.accounts.roles import Role
from portal.accounts.selectors import memberships_for_user
from portal.core.markdown import render_markdown
from portal.core.view_errors import service_call

from . import case_session_selectors as selectors
from . import case_session_services as services
from .forms import CaseDeclineForm, CaseSessionForm, CaseSessionMinutesForm, SessionCaseForm
from .models import CaseSession, SessionCase


def case_session_url(session: CaseSession) -> str:
    return reverse("conferences:case_session", kwargs={"public_id": session.public_id})


def clinical_markdown(text: str) -> str:
    """Markdown for formatting, with every ``<``, ``>`` and ``&`` escaped first: clinical text
    such as ``Dosis <i.v.> 5 mg`` is shown as written, never stripped as an unknown tag."""
    return mark_safe(render_markdown(escape(text or "")))  # noqa: S308 - escaped, then cleaned by nh3


def _session_or_404(request, public_id, perm: str = "conferences.view_casesession") -> CaseSession:
    return object_for_user_or_404(
        user=request.user, perm=perm, queryset=selectors.case_session_for_view(), public_id=public_id
    )


def _organised_case_or_404(request, public_id) -> SessionCase:
    case = get_object_or_404(
        SessionCase.objects.select_related("session__specialty", "session__department"), public_id=public_id
    )
    if not request.user.has_perm("conferences.change_casesession", case.session):
        raise Http404
    return case


def _conference_specialist_departments(user):
    seen, result = set(), []
    for m in memberships_for_user(user):
        if (
            m.role == Role.HOSPITAL_SPECIALIST
            and m.is_conference_specialist
            and m.organisation_id not in seen
        ):
            seen.add(m.organisation_id)
            result.append(m.organisation)
    return result


@login_required
@never_cache
@require_GET
def case_session_list(request):
    sessions = selectors.case_sessions_for(request.user)
    return render(
        request,
        "conferences/case_session_list.html",
        {"sessions": sessions, "can_plan": request.user.has_perm("conferences.add_casesession")},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def case_session_new(request):
    departments = _conference_specialist_departments(request.user)
    if not departments or not request.user.has_perm("conferences.add_casesession"):
        raise Http404
    status = 200
    if request.method == "POST":
        form = CaseSessionForm(request.POST, departments=departments)
        if form.is_valid():
            with service_call(form) as call:
                session = services.case_session_plan(organiser=request.user, **form.cleaned_data)
            if call.ok:
                messages.success(
                    request, _("The case session has been planned; the GPs of the area can see it.")
                )
                return redirect(case_session_url(session))
        status = 400
    else:
        form = CaseSessionForm(departments=departments)
    return render(request, "conferences/case_session_new.html", {"form": form}, status=status)


def _session_page(request, session: CaseSession, *, case_form=None, minutes_form=None, status=200):
    user = request.user
    page = selectors.case_session_page(session)
    is_organiser = user.has_perm("conferences.change_casesession", session)
    is_signed_up = user.pk in session._participant_ids
    can_see_minutes = user.has_perm("conferences.view_casesession_minutes", session)
    visible = [c for c in page.cases if user.has_perm("conferences.view_sessioncase", c)]
    taken = sum(1 for c in page.cases if c.status != SessionCase.Status.DECLINED)
    can_submit = user.has_perm("conferences.add_sessioncase", session) and taken < session.max_cases
    if is_organiser and minutes_form is None and session.has_started() and not session.minutes_published:
        minutes_form = CaseSessionMinutesForm(agenda=page.agenda, initial={"minutes": session.minutes})
    rendered = {c.pk: clinical_markdown(c.description) for c in visible}
    answers = {c.pk: clinical_markdown(c.answer) for c in visible if c.answer and can_see_minutes}
    for case in visible:
        case.description_html = rendered[case.pk]
        case.answer_html = answers.get(case.pk)
    return render(
        request,
        "conferences/case_session.html",
        {
            "session": session,
            "is_organiser": is_organiser,
            "is_signed_up": is_signed_up,
            "can_sign_up": not is_signed_up and user.has_perm("conferences.attend_casesession", session),
            "can_submit": can_submit,
            "is_full": taken >= session.max_cases,
            "case_form": case_form or (SessionCaseForm() if can_submit else None),
            "minutes_form": minutes_form,
            "can_see_minutes": can_see_minutes,
            "minutes_html": clinical_markdown(session.minutes) if can_see_minutes and session.minutes else "",
            "participants": page.participants if (is_organiser or is_signed_up) else None,
            "participant_count": len(page.participants),
            "agenda": [c for c in page.agenda if c in visible],
            "waiting": [c for c in visible if c.status == SessionCase.Status.SUBMITTED]
            if is_organiser
            else [],
            "declined": [c for c in visible if c.status == SessionCase.Status.DECLINED]
            if is_organiser
            else [],
            "my_cases": [c for c in visible if c.submitter_id == user.pk],
            "decline_form": CaseDeclineForm() if is_organiser else None,
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def case_session_detail(request, public_id):
    return _session_page(request, _session_or_404(request, public_id))


@login_required
@never_cache
@require_POST
def case_session_sign_up(request, public_id):
    session = _session_or_404(request, public_id, "conferences.attend_casesession")
    with service_call() as call:
        services.case_session_sign_up(session=session, gp=request.user)
    if call.ok:
        messages.success(request, _("You are signed up for the case session."))
    else:
        messages.error(request, call.messages)
    return redirect(case_session_url(session))


@login_required
@never_cache
@require_POST
def session_case_submit(request, public_id):
    session = _session_or_404(request, public_id, "conferences.add_sessioncase")
    form = SessionCaseForm(request.POST)
    if form.is_valid():
        with service_call(form) as call:
            services.session_case_submit(session=session, gp=request.user, **form.cleaned_data)
        if call.ok:
            messages.success(request, _("Your case has been submitted. The organiser decides the agenda."))
            return redirect(case_session_url(session) + "#mine-sager")
    return _session_page(request, session, case_form=form, status=400)


def _agenda_action(request, public_id, action) -> object:
    case = _organised_case_or_404(request, public_id)
    with service_call() as call:
        action(case)
    if not call.ok:
        messages.error(request, call.messages)
    return redirect(case_session_url(case.session) + "#dagsorden")


@login_required
@never_cache
@require_POST
def session_case_accept(request, public_id):
    return _agenda_action(
        request, public_id, lambda case: services.session_case_accept(case=case, actor=request.user)
    )


@login_required
@never_cache
@require_POST
def session_case_move(request, public_id):
    up = request.POST.get("retning") != "ned"
    return _agenda_action(
        request, public_id, lambda case: services.session_case_move(case=case, actor=request.user, up=up)
    )


@login_required
@never_cache
@require_POST
def session_case_decline(request, public_id):
    case = _organised_case_or_404(request, public_id)
    form = CaseDeclineForm(request.POST)
    if form.is_valid():
        with service_call(form) as call:
            services.session_case_decline(case=case, actor=request.user, reason=form.cleaned_data["reason"])
        if call.ok:
            messages.success(request, _("The case has been declined; the GP sees your reason."))
            return redirect(case_session_url(case.session) + "#dagsorden")
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    session = _session_or_404(request, case.session.public_id)
    return _session_page(request, session, status=400)


@login_required
@never_cache
@require_POST
def case_session_minutes(request, public_id):
    session = _session_or_404(request, public_id, "conferences.change_casesession")
    page = selectors.case_session_page(session)
    form = CaseSessionMinutesForm(request.POST, agenda=page.agenda)
    publish = request.POST.get("action") == "publish"
    if form.is_valid():
        with service_call(form) as call:
            services.case_session_minutes_save(
                session=session,
                actor=request.user,
                minutes=form.cleaned_data["minutes"],
                answers=form.answers(),
                publish=publish,
            )
        if call.ok:
            messages.success(
                request,
                _("The minutes have been published; the participants have been told by e-mail.")
                if publish
                else _("The minutes have been saved. They are not published yet."),
            )
            return redirect(case_session_url(session) + "#referat")
    return _session_page(request, session, minutes_form=form, status=400)


@login_required
@never_cache
@require_POST
def session_case_promote(request, public_id):
    case = _organised_case_or_404(request, public_id)
    with service_call() as call:
        services.session_case_promote_to_faq(case=case, actor=request.user)
    if call.ok:
        messages.success(
            request,
            _("An FAQ draft has been made for the editors. It is not published until an editor does so."),
        )
    else:
        messages.error(request, call.messages)
    return redirect(case_session_url(case.session) + "#referat")
