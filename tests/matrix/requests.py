"""How each URL is requested in the matrix: which world record fills each URL parameter, the query string, the
body of a write. A new page with parameters adds its line here (and its row in `table.py`).

`PAGE_ARGS[url_name]` and `API_ARGS[path]` map a URL parameter to a key of the world (`world.ids[key][side]`);
a value starting with "=" is a literal. `QUERY[key]` is the query string of one table key, `BODY[key]` the body of
a write: a dict, or a function of (world, side) for bodies naming records of the side requested.
"""

from __future__ import annotations

import datetime as dt

PAGE_ARGS: dict[str, dict[str, str]] = {
    "vouchers-policy": {"pk": "vpolicy"},
    "vouchers-apply": {"pk": "ipolicy"},
    "vouchers-application": {"pk": "vapplication"},
    "vouchers-application-transition": {"pk": "vapplication"},
    "vouchers-fund": {"pk": "vfund"},
    "vouchers-fund-topup": {"pk": "vfund"},
    "vouchers-fund-issue": {"pk": "vfund"},
    "vouchers-fund-enrol": {"pk": "vfund"},
    "vouchers-enrolment": {"pk": "venrolment"},
    "vouchers-voucher": {"pk": "voucher"},
    "vouchers-pay": {"token": "vpay_token"},
    "vouchers-redemption": {"pk": "vredemption"},
    "vouchers-redemption-answer": {"pk": "vrequest"},
    "vouchers-redemption-review": {"pk": "vredemption"},
    "villages-score": {"pk": "village_score"},
    "villages-village": {"pk": "village"},
    "training-session": {"pk": "training_session"},
    "training-enrol": {"pk": "training_open_session"},
    "training-drop": {"pk": "training_drop_session"},
    "training-screen": {"pk": "training_session"},
    "training-checkin": {"pk": "training_session"},
    "training-mark": {"pk": "training_session"},
    "training-rate": {"pk": "training_session"},
    "training-class": {"pk": "training_class"},
    "training-class-scores": {"pk": "training_class"},
    "training-certificate": {"pk": "training_class", "member_pk": "training_member"},
    "training-topic-new": {"pk": "training_plan"},
    "training-session-new": {"pk": "training_plan"},
    "training-class-new": {"pk": "training_plan"},
    "training-plan-import": {"pk": "training_plan"},
    "training-topic": {"pk": "training_topic"},
    "training-session-edit": {"pk": "training_open_session"},
    "training-session-publish": {"pk": "training_open_session"},
    "training-group-enrol": {"pk": "training_open_session"},
    "training-class-edit": {"pk": "training_class"},
    "training-quiz": {"pk": "training_class"},
    "training-quiz-question": {"pk": "training_class"},
    "training-quiz-question-delete": {"pk": "training_class", "question_pk": "training_question"},
    "training-quiz-state": {"pk": "training_class"},
    "training-quiz-submit": {"pk": "training_class"},
    "training-certificate-pdf": {"pk": "training_class", "member_pk": "training_member"},
    "training-session-roster": {"pk": "training_session"},
    "pairing-classify": {"case_id": "tech_case"},
    "pairing-run": {"pk": "pairing_run"},
    "pairing-need": {"pk": "pairing_need"},
    "pairing-add": {"pk": "pairing_need"},
    "pairing-detail": {"pk": "pairing"},
    "pairing-act": {"pk": "pairing"},
    "pairing-rate": {"pk": "pairing"},
    "pairing-report": {"pk": "pairing"},
    "token-revoke": {"pk": "api_token"},
    "inbox-read": {"pk": "notice"},
    "job-detail": {"pk": "job"},
    "job-progress": {"pk": "job"},
    "job-result": {"pk": "job"},
    "job-confirm": {"pk": "job"},
    "pick": {"source": "=people"},
    "people-detail": {"pk": "person"},
    "people-edit": {"pk": "person"},
    "people-active": {"pk": "person"},
    "units-detail": {"pk": "unit"},
    "units-edit": {"pk": "unit"},
    "units-active": {"pk": "unit"},
    "enterprises-detail": {"pk": "enterprise"},
    "enterprises-edit": {"pk": "enterprise"},
    "enterprises-active": {"pk": "enterprise"},
    "regions-detail": {"pk": "region"},
    "regions-edit": {"pk": "region"},
    "regions-active": {"pk": "region"},
    "evaluation-detail": {"pk": "ballot_eval"},
    "evaluation-rates": {"pk": "ballot_eval"},
    "evaluation-add": {"pk": "ballot_eval", "what": "=criterion"},
    "evaluation-transition": {"pk": "ballot_eval"},
    "evaluation-tokens": {"pk": "ballot_eval"},
    "evaluation-tokens-print": {"pk": "ballot_eval"},
    "evaluation-results": {"pk": "result_eval"},
    "evaluation-export": {"pk": "result_eval"},
    "evaluation-screen": {"pk": "contest"},
    "evaluation-screen-board": {"pk": "contest"},
    "evaluation-screen-host": {"pk": "contest"},
    "evaluation-reveal": {"pk": "contest", "sid": "contest_subject"},
    "evaluation-ballot": {"token": "token"},
    "evaluation-judge-event": {"pk": "contest"},
    "evaluation-judge-subject": {"pk": "contest", "sid": "contest_subject"},
    "evaluation-judge-submit": {"pk": "contest"},
    "evaluation-judge-conflict": {"pk": "contest"},
    "ledger-entry": {"pk": "entry"},
    "ledger-decide": {"pk": "entry"},
    "ledger-reverse": {"pk": "entry"},
    "cases-desk-edit": {"pk": "desk"},
    "cases-calendar-remove": {"pk": "calendar_entry"},
    "talent-detail": {"pk": "talent"},
    "talent-stage": {"pk": "talent"},
    "talent-activity": {"pk": "talent", "activity_pk": "talent_activity"},
    "talent-liaison": {"pk": "talent"},
    "talent-request": {"pk": "talent"},
    "talent-creator": {"pk": "creator"},
    "talent-survey": {"pk": "household"},
    "talent-project": {"pk": "startup"},
    "talent-edit": {"pk": "talent"},
    "talent-project-edit": {"pk": "startup"},
    "talent-contest": {"pk": "talent_contest"},
    "talent-contest-track": {"pk": "talent_contest"},
    "talent-contest-entry": {"pk": "talent_contest"},
    "talent-contest-judge": {"pk": "talent_contest"},
    "talent-contest-transition": {"pk": "talent_contest"},
    "pick#talents": {"source": "=talents"},
    "pick#startup-projects": {"source": "=startup-projects"},
    "cases-detail": {"pk": "case"},
    "cases-act": {"pk": "case"},
    "cases-meeting": {"pk": "case"},
    "cases-task": {"pk": "task"},
    "cases-attachment": {"pk": "attachment"},
    "cases-submit": {"code": "desk_code"},
    "cases-follow": {"token": "case_token"},
    "community-branch": {"pk": "branch"},
    "community-qr-sheet": {"pk": "branch"},
    "community-adopt": {"pk": "stairwell"},
    "community-issue": {"pk": "committee"},
    "community-qr": {"token": "stairwell_token"},
    "community-qr-svg": {"token": "stairwell_token"},
    "challenges-detail": {"pk": "challenge"},
    "challenges-transition": {"pk": "challenge"},
    "challenges-apply": {"pk": "challenge"},
    "challenges-application": {"pk": "challenge", "app_pk": "application"},
    "challenges-award": {"pk": "challenge"},
    "challenges-milestone-add": {"pk": "challenge"},
    "challenges-milestone": {"pk": "challenge", "ms_pk": "ch_milestone"},
    "challenges-signoff": {"pk": "challenge", "ms_pk": "ch_milestone"},
    "challenges-report": {"pk": "challenge"},
    "challenges-panel": {"pk": "challenge"},
    "challenges-conflict": {"pk": "challenge", "member_pk": "panel_seat"},
    "projects-detail": {"pk": "project"},
    "projects-transition": {"pk": "project"},
    "projects-difficulty": {"pk": "project"},
    "projects-milestone-done": {"pk": "project_milestone"},
    "awards-round": {"pk": "award_round"},
    "awards-transition": {"pk": "award_round"},
    "awards-print": {"pk": "past_round"},
    "awards-nominate": {"pk": "award_round"},
    "awards-object": {"pk": "past_round"},
    "awards-withdraw": {"pk": "nomination"},
    "awards-answer": {"pk": "award_objection"},
    "awards-person": {"person_id": "person"},
    "growth-record": {"pk": "growth_record"},
    "growth-submit": {"pk": "growth_record", "entry_pk": "growth_open_entry"},
    "growth-transition": {"pk": "growth_record", "entry_pk": "growth_entry"},
    "growth-file": {"pk": "growth_record", "entry_pk": "growth_entry"},
    "growth-posting": {"pk": "growth_record"},
    "assessment-scheme": {"pk": "scheme"},
    "assessment-scheme-copy": {"pk": "scheme"},
    "assessment-scheme-active": {"pk": "scheme"},
    "assessment-round": {"pk": "assessment_round"},
    "assessment-source": {"pk": "editable_round"},
    "assessment-decide": {"pk": "editable_round"},
    "assessment-decision-remove": {"pk": "grade_decision"},
    "assessment-transition": {"pk": "editable_round"},
    "assessment-ranking": {"pk": "assessment_round"},
    "assessment-export": {"pk": "assessment_round"},
    "assessment-ranking-print": {"pk": "assessment_round"},
    "assessment-bulletin": {"pk": "assessment_round"},
    "assessment-object": {"pk": "assessment_round"},
    "assessment-explain": {"pk": "assessment_round", "person_id": "result_person"},
    "assessment-records": {"pk": "assessment_round", "person_id": "result_person", "code": "=task"},
    "assessment-answer": {"pk": "assessment_objection"},
    "help-guide": {"slug": "=county"},
}

# Variants of one URL (the part of a table key after "#"), e.g. a picker source or a tab.
VARIANT_ARGS: dict[str, dict[str, str]] = {
    "pick#section-leaders": {"source": "=section-leaders"},
    "pick#county-people": {"source": "=county-people"},
    "pick#units": {"source": "=units"},
    "pick#young-cadres": {"source": "=young-cadres"},
    "pick#assessment-section_leader": {"source": "=assessment-section_leader"},
    "help-guide#resident": {"slug": "=resident"},
}

API_ARGS: dict[str, dict[str, str]] = {
    "/api/v1/vouchers/policies/{policy_id}/": {"policy_id": "vpolicy"},
    "/api/v1/vouchers/policies/{policy_id}/eligibility/": {"policy_id": "ipolicy"},
    "/api/v1/vouchers/funds/{fund_id}/": {"fund_id": "vfund"},
    "/api/v1/vouchers/funds/{fund_id}/reconcile/": {"fund_id": "vfund"},
    "/api/v1/vouchers/funds/{fund_id}/topup/": {"fund_id": "vfund"},
    "/api/v1/vouchers/funds/{fund_id}/issue/": {"fund_id": "vfund"},
    "/api/v1/vouchers/funds/{fund_id}/enrol/": {"fund_id": "vfund"},
    "/api/v1/vouchers/enrolments/{enrolment_id}/decide/": {"enrolment_id": "venrolment"},
    "/api/v1/vouchers/applications/{application_id}/": {"application_id": "vapplication"},
    "/api/v1/vouchers/applications/{application_id}/transition/": {"application_id": "vapplication"},
    "/api/v1/vouchers/vouchers/{voucher_id}/": {"voucher_id": "voucher"},
    "/api/v1/vouchers/redemptions/{redemption_id}/": {"redemption_id": "vredemption"},
    "/api/v1/vouchers/redemptions/{redemption_id}/confirm/": {"redemption_id": "vrequest"},
    "/api/v1/vouchers/redemptions/{redemption_id}/decline/": {"redemption_id": "vrequest"},
    "/api/v1/vouchers/redemptions/{redemption_id}/review/": {"redemption_id": "vredemption"},
    "/api/v1/villages/runs/{run_id}/scores/": {"run_id": "village_run"},
    "/api/v1/training/sessions/{session_id}/": {"session_id": "training_session"},
    "/api/v1/training/sessions/{session_id}/enrol/": {"session_id": "training_open_session"},
    "/api/v1/training/sessions/{session_id}/drop/": {"session_id": "training_drop_session"},
    "/api/v1/training/sessions/{session_id}/checkin/": {"session_id": "training_session"},
    "/api/v1/training/sessions/{session_id}/checkout/": {"session_id": "training_session"},
    "/api/v1/training/sessions/{session_id}/attendance/": {"session_id": "training_session"},
    "/api/v1/training/sessions/{session_id}/roster/": {"session_id": "training_session"},
    "/api/v1/training/sessions/{session_id}/rate/": {"session_id": "training_session"},
    "/api/v1/training/sessions/{session_id}/rating/": {"session_id": "training_session"},
    "/api/v1/training/sessions/{session_id}/enrol-group/": {"session_id": "training_open_session"},
    "/api/v1/training/classes/{class_id}/quiz/": {"class_id": "training_class"},
    "/api/v1/training/classes/{class_id}/quiz/state/": {"class_id": "training_class"},
    "/api/v1/training/classes/{class_id}/quiz/submit/": {"class_id": "training_class"},
    "/api/v1/pairing/pairings/{pairing_id}/": {"pairing_id": "pairing"},
    "/api/v1/pairing/pairings/{pairing_id}/transition/": {"pairing_id": "pairing"},
    "/api/v1/pairing/pairings/{pairing_id}/rate/": {"pairing_id": "pairing"},
    "/api/v1/notices/{notice_id}/read/": {"notice_id": "notice"},
    "/api/v1/jobs/{job_id}": {"job_id": "job"},
    "/api/v1/jobs/{job_id}/result": {"job_id": "job"},
    "/api/v1/jobs/{job_id}/confirm": {"job_id": "job"},
    "/api/v1/registers/{key}/imports": {"key": "=people"},
    "/api/v1/registers/{key}/exports": {"key": "=people"},
    "/api/v1/regions/{pk}/": {"pk": "region"},
    "/api/v1/units/{pk}/": {"pk": "unit"},
    "/api/v1/people/{pk}/": {"pk": "person"},
    "/api/v1/enterprises/{pk}/": {"pk": "enterprise"},
    "/api/v1/evaluations/{pk}": {"pk": "ballot_eval"},
    "/api/v1/evaluations/{pk}/rates": {"pk": "ballot_eval"},
    "/api/v1/evaluations/{pk}/results": {"pk": "result_eval"},
    "/api/v1/ballots/{token}": {"token": "token"},
    "/api/v1/evaluations/{pk}/scores": {"pk": "contest"},
    "/api/v1/evaluations/{pk}/submit": {"pk": "contest"},
    "/api/v1/evaluations/{pk}/transition": {"pk": "ballot_eval"},
    "/api/v1/ledger/entries/{entry_id}/decide/": {"entry_id": "entry"},
    "/api/v1/ledger/entries/{entry_id}/reverse/": {"entry_id": "entry"},
    "/api/v1/cases/{case_id}/": {"case_id": "case"},
    "/api/v1/cases/{case_id}/timeline/": {"case_id": "case"},
    "/api/v1/cases/{case_id}/duplicates/": {"case_id": "case"},
    "/api/v1/cases/{case_id}/transition/": {"case_id": "case"},
    "/api/v1/cases/tasks/{task_id}/": {"task_id": "task"},
    "/api/v1/cases/{case_id}/meetings/": {"case_id": "case"},
    "/api/v1/public/cases/{token}/": {"token": "case_token"},
    "/api/v1/public/cases/{token}/rate/": {"token": "case_token"},
    "/api/v1/community/branches/{branch_id}/stairwells/": {"branch_id": "branch"},
    "/api/v1/community/stairwells/{stairwell_id}/adopt/": {"stairwell_id": "stairwell"},
    "/api/v1/community/committees/{committee_id}/issues/": {"committee_id": "committee"},
    "/api/v1/public/stairwells/{token}/requests/": {"token": "stairwell_token"},
    "/api/v1/challenges/{challenge_id}/": {"challenge_id": "challenge"},
    "/api/v1/challenges/{challenge_id}/transition/": {"challenge_id": "challenge"},
    "/api/v1/challenges/{challenge_id}/apply/": {"challenge_id": "challenge"},
    "/api/v1/challenges/{challenge_id}/award/": {"challenge_id": "challenge"},
    "/api/v1/challenges/{challenge_id}/milestones/{milestone_id}/transition/": {
        "challenge_id": "challenge",
        "milestone_id": "ch_milestone",
    },
    "/api/v1/challenges/{challenge_id}/panel/": {"challenge_id": "challenge"},
    "/api/v1/challenges/{challenge_id}/milestones/{milestone_id}/signoff/": {
        "challenge_id": "challenge",
        "milestone_id": "ch_milestone",
    },
    "/api/v1/talent/{talent_id}/": {"talent_id": "talent"},
    "/api/v1/talent/{talent_id}/stage/": {"talent_id": "talent"},
    "/api/v1/talent/{talent_id}/activities/{activity_id}/": {"talent_id": "talent", "activity_id": "talent_activity"},
    "/api/v1/talent/{talent_id}/requests/": {"talent_id": "talent"},
    "/api/v1/talent/households/{household_id}/surveys/": {"household_id": "household"},
    "/api/v1/talent/projects/{project_id}/": {"project_id": "startup"},
    "/api/v1/talent/contests/{contest_id}/": {"contest_id": "talent_contest"},
    "/api/v1/talent/contests/{contest_id}/transition/": {"contest_id": "talent_contest"},
    "/api/v1/projects/{pk}/": {"pk": "project"},
    "/api/v1/projects/{pk}/difficulties/": {"pk": "project"},
    "/api/v1/projects/frontline/{period}/": {"period": "=2024Q1"},
    "/api/v1/awards/rounds/{pk}/nominations/": {"pk": "award_round"},
    "/api/v1/awards/people/{person_id}/honours/": {"person_id": "person"},
    "/api/v1/growth/records/{record_id}/entries/{entry_id}/submit/": {
        "record_id": "growth_record",
        "entry_id": "growth_open_entry",
    },
    "/api/v1/growth/records/{record_id}/entries/{entry_id}/transition/": {
        "record_id": "growth_record",
        "entry_id": "growth_entry",
    },
    "/api/v1/assessment/schemes/{scheme_id}/": {"scheme_id": "scheme"},
    "/api/v1/assessment/rounds/{round_id}/decisions/": {"round_id": "editable_round"},
    "/api/v1/assessment/decisions/{decision_id}/": {"decision_id": "grade_decision"},
    "/api/v1/assessment/rounds/{round_id}/results/": {"round_id": "assessment_round"},
    "/api/v1/assessment/rounds/{round_id}/results/{person_id}/": {
        "round_id": "assessment_round",
        "person_id": "result_person",
    },
    "/api/v1/assessment/rounds/{round_id}/transition/": {"round_id": "editable_round"},
    "/api/v1/assessment/rounds/{round_id}/objections/": {"round_id": "assessment_round"},
}

# Query strings: searches for another side's names, the history tab, a reveal.
QUERY: dict[str, str] = {
    "GET pick": "q=司马",
    "GET pick#section-leaders": "q=司马",
    "GET pick#county-people": "q=司马",
    "GET pick#units": "q=司马",
    "GET pick#young-cadres": "q=司马",
    "GET pick#assessment-section_leader": "q=司马",
    "GET people-detail#history": "tab=history",
    "GET people-detail#reveal": "reveal=id",
    "GET units-detail#history": "tab=history",
    "GET enterprises-detail#history": "tab=history",
    "GET regions-detail#history": "tab=history",
    "GET cases-attachment#token": "t=wrong-token",
    "GET talent-detail#reveal": "reveal=1",
    "GET pick#talents": "q=司马",
    "GET pick#startup-projects": "q=司马",
}


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _person_body(w, side):
    return {
        "name": "新人甲",
        "id_number": "33052119900101123X",
        "unit": w.get("unit", side),
        "rank": "none",
        "political_status": "masses",
        "gender": "M",
    }


def _side(key):
    return lambda w, side: w.get(key, side)


def _people_workbook(w, side):
    """A people import naming the side's unit (multipart: the API's import takes a file)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from bole.org.models import Unit

    wb = Workbook()
    wb.active.append(["姓名", "身份证号", "所在单位"])
    wb.active.append(["导入甲", "33052119900101123X", Unit.objects.get(pk=w.get("unit", side)).name])
    out = io.BytesIO()
    wb.save(out)
    return {"_multipart": True, "file": SimpleUploadedFile("people.xlsx", out.getvalue())}


def _villages_workbook(w, side):
    """A year's sheet naming the side's own village (a town refused another town's village writes nothing)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from bole.org.models import Region

    pk = w.get("village", side)
    village = Region.objects.get(pk=pk) if pk else None
    wb = Workbook()
    wb.active.append(["镇街", "村", "村集体经济经营性收入"])
    # a side with no village (the department) names one that is nowhere in its scope
    wb.active.append([village.parent.name, village.name, 88.5] if village else ["", "诸葛村", 88.5])
    out = io.BytesIO()
    wb.save(out)
    return {"_multipart": True, "year": "2024", "file": SimpleUploadedFile("v.xlsx", out.getvalue())}


def _training_group(w, side):
    """A group enrolment sheet naming the side's cadre (another side's admin is refused the whole sheet)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from bole.org.models import Person

    person = Person.objects.get(pk=w.get("training_person", side))
    wb = Workbook()
    wb.active.append(["身份证号", "姓名"])
    wb.active.append([person.id_number, person.name])
    out = io.BytesIO()
    wb.save(out)
    return {"file": SimpleUploadedFile("g.xlsx", out.getvalue())}


BODY: dict[str, object] = {
    "POST /api/v1/talent/": lambda w, side: {
        "name": "新才甲", "id_number": "33052119900101123X", "level": "county", "field": "智能制造",
        "industry": "C", "education": "master", "origin": "introduced", "region_id": w.get("region", side)},
    "POST /api/v1/talent/{talent_id}/stage/": {"to": "left", "reason": "career", "interview": "另有发展"},
    "POST /api/v1/talent/{talent_id}/activities/{activity_id}/": {},
    "POST /api/v1/talent/{talent_id}/requests/": {"title": "人才公寓", "description": "希望入住"},
    "POST /api/v1/talent/households/{household_id}/surveys/": {"wave": 1, "income": "60000"},
    "POST talent-request": {"title": "人才公寓", "description": "希望入住"},
    "POST /api/v1/talent/projects/": lambda w, side: {
        "name": "新项目甲", "field": "芯片", "region_id": w.get("region", side), "started_on": "2025-01-01",
        "founder_ids": [w.get("talent", side)]},
    "PATCH /api/v1/talent/projects/{project_id}/": {"stage": "growth"},
    "PATCH /api/v1/talent/{talent_id}/": {"field": "新领域"},
    "POST talent-contest-track": {"name": "新赛道"},
    "POST talent-contest-transition": {"to": "preliminary"},
    "POST /api/v1/talent/contests/{contest_id}/transition/": {"to": "preliminary"},
    # vouchers
    "POST vouchers-apply": {"service_cost": "1000"},
    "POST vouchers-application-transition": {"to": "approved"},
    "POST vouchers-fund-topup": {"amount": "100", "note": "追加"},
    "POST vouchers-fund-issue": {"amount": "10", "valid_until": (dt.date.today() + dt.timedelta(days=30)).isoformat()},
    "POST vouchers-fund-enrol": {},
    "POST vouchers-enrolment": {"to": "suspended"},
    "POST vouchers-pay": {"amount": "1.00", "key": "matrix-pay-key"},
    "POST vouchers-redemption-answer": {"answer": "decline"},
    "POST vouchers-redemption-review": {"action": "hold", "note": "复核"},
    "POST /api/v1/vouchers/policies/": {"name": "矩阵政策", "kind": "other", "holder_kind": "person",
                                        "formula": {"kind": "fixed", "amount": 100}, "valid_from": "2026-01-01",
                                        "valid_until": "2026-12-31"},
    "POST /api/v1/vouchers/funds/": lambda w, side: {"policy_id": w.get("ipolicy", "A"), "year": 2030,
                                                     "budget_fen": 100},
    "POST /api/v1/vouchers/funds/{fund_id}/topup/": {"amount_fen": 100},
    "POST /api/v1/vouchers/funds/{fund_id}/issue/": {"value_fen": 1000},
    "POST /api/v1/vouchers/funds/{fund_id}/enrol/": {},
    "POST /api/v1/vouchers/enrolments/{enrolment_id}/decide/": {"to": "suspended"},
    "POST /api/v1/vouchers/applications/": lambda w, side: {"policy_id": w.get("ipolicy", "A"), "service_cost": 1000},
    "POST /api/v1/vouchers/applications/{application_id}/transition/": {"to": "approved"},
    "POST /api/v1/vouchers/redemptions/": lambda w, side: {"token": w.get("vpay_token", side) or w.get("vpay_token", "A"),
                                                          "amount_fen": 100, "key": f"matrix-{side}"},
    "POST /api/v1/vouchers/redemptions/{redemption_id}/confirm/": {},
    "POST /api/v1/vouchers/redemptions/{redemption_id}/decline/": {},
    "POST /api/v1/vouchers/redemptions/{redemption_id}/review/": {"action": "hold", "note": "复核"},
    "POST villages-import": _villages_workbook,
    "POST /api/v1/villages/import/": _villages_workbook,
    "POST villages-run": lambda w, side: {"county": w.get("county_region", "A"), "year": "2025"},
    "POST /api/v1/villages/runs/": lambda w, side: {"county_id": w.get("county_region", "A"), "year": 2025,
                                                    "parameters": {"samples": 100, "sobol_base": 16}},
    "POST training-checkin": {"action": "in", "code": "000000"},
    "POST training-mark": lambda w, side: {"person": w.get("training_person", side), "reason": "手机没电"},
    "POST training-class-scores": {},
    "POST training-topic": {"action": "accept"},
    "POST training-group-enrol": lambda w, side: _training_group(w, side),
    "POST /api/v1/training/sessions/{session_id}/enrol-group/": lambda w, side: {
        "person_ids": [w.get("training_person", side)]},
    "POST training-quiz": lambda w, side: {
        "title": "成果检验", "opens_at": (dt.datetime.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (dt.datetime.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")},
    "POST training-quiz-question": {"kind": "truefalse", "text": "对吗", "key": "对", "points": "10"},
    "POST training-quiz-state": {"to": "open"},
    "POST training-quiz-submit": lambda w, side: {f"q{w.get('training_question', 'A')}": "0"},
    "POST /api/v1/training/classes/{class_id}/quiz/": lambda w, side: {
        "opens_at": dt.datetime.now(dt.UTC).isoformat(),
        "closes_at": (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat(),
        "questions": [{"kind": "truefalse", "text": "对吗", "key": [0], "points": 10}]},
    "POST /api/v1/training/classes/{class_id}/quiz/state/": {"to": "open"},
    "POST /api/v1/training/classes/{class_id}/quiz/submit/": lambda w, side: {
        "answers": {str(w.get("training_question", "A")): [0]}},
    "POST /api/v1/training/sessions/": lambda w, side: {
        "plan_id": w.get("training_plan", side), "host_unit_id": w.get("training_host", side), "title": "讲座",
        "place": "报告厅", "starts_at": (dt.datetime.now(dt.UTC) + dt.timedelta(days=9)).isoformat(),
        "ends_at": (dt.datetime.now(dt.UTC) + dt.timedelta(days=9, hours=2)).isoformat(), "capacity": 50,
        "hours": "2"},
    "POST /api/v1/training/sessions/{session_id}/checkin/": {"code": "000000"},
    "POST /api/v1/training/sessions/{session_id}/checkout/": {"code": "000000"},
    "POST /api/v1/training/sessions/{session_id}/attendance/": lambda w, side: {
        "person_id": w.get("training_person", side), "reason": "手机没电"},
    "POST pairing-classify": {"field": "地理信息", "k": "2"},
    "POST pairing-run-start": lambda w, side: {"region": w.get("region", "D")},
    "POST pairing-add": lambda w, side: {"expert": w.get("pairing_expert", "B" if side == "A" else "A")},
    "POST pairing-act": {"action": "decline"},
    "POST pairing-rate": {"rating": "5"},
    "POST pairing-report": {"text": "现场调研"},
    "POST /api/v1/pairing/needs/": lambda w, side: {"case_id": w.get("tech_case", side), "field": "地理信息"},
    "POST /api/v1/pairing/runs/": lambda w, side: {"region_id": w.get("region", "D")},
    "POST /api/v1/pairing/pairings/": lambda w, side: {"need_id": w.get("pairing_need", side),
                                                      "expert_id": w.get("pairing_expert", "B" if side == "A" else "A")},
    "POST /api/v1/pairing/pairings/{pairing_id}/transition/": {"action": "decline"},
    "POST /api/v1/pairing/pairings/{pairing_id}/rate/": {"rating": 5},
    "POST /api/v1/registers/{key}/imports": _people_workbook,
    "POST /api/v1/registers/{key}/exports": {"q": "", "active": "1"},
    # pages (form posts)
    "POST account": {"label": "报表同步", "days": "30"},
    "POST password-change": {"old_password": "wrong", "new_password1": "x", "new_password2": "x"},
    "POST token-revoke": {},
    "POST people-create": lambda w, side: {
        "name": "新人甲",
        "id_number": "33052119900101123X",
        "unit": w.get("unit", side),
    },
    "POST people-edit": {"name": "改名甲", "position": "科员"},
    "POST people-active": {"active": "0"},
    "POST units-create": lambda w, side: {
        "name": "新设单位",
        "kind": "institution",
        "region": w.get("region", side),
        "parent": w.get("unit", side),
    },
    "POST units-edit": {"name": "改名单位", "kind": "village"},
    "POST units-active": {"active": "0"},
    "POST enterprises-create": lambda w, side: {
        "name": "新设企业有限公司",
        "credit_code": "91330521MA2B3C4D5E",
        "industry": "C",
        "region": w.get("region", side),
    },
    "POST enterprises-edit": {"name": "改名企业有限公司", "industry": "C"},
    "POST enterprises-active": {"active": "0"},
    "POST regions-create": lambda w, side: {
        "code": w.get("region_code", side) + "099",
        "name": "新设村",
        "kind": "village",
    },
    "POST regions-edit": {"name": "改名镇", "kind": "town"},
    "POST regions-active": {"active": "0"},
    "POST evaluation-create": {"name": "新测评", "kind": "ballot"},
    "POST evaluation-add": {"name": "勤", "max_score": "10", "weight": "1"},
    "POST evaluation-transition": {"to": "closed"},
    "POST evaluation-tokens": lambda w, side: {"group": "", "count": "1"},
    "POST evaluation-reveal": {"revealed": "1"},
    "POST evaluation-ballot": {},
    "POST evaluation-judge-subject": {},
    "POST evaluation-judge-submit": {},
    "POST evaluation-judge-conflict": {"reason": "同一单位"},
    "POST ledger-post": lambda w, side: {
        "person": w.get("person", side),
        "period": "2024Q2",
        "category": "",
        "points": "1",
        "reason": "授课",
    },
    "POST ledger-decide": {"to": "approved"},
    "POST ledger-reverse": {"reason": "登记有误"},
    "POST cases-desk-new": {},
    "POST cases-desk-edit": {},
    "POST cases-calendar": lambda w, side: {
        "date": str(dt.date(_today().year + 1, 2, 3)),
        "kind": "holiday",
        "name": "春节",
    },
    "POST cases-calendar-remove": {},
    "POST cases-calendar-import": lambda w, side: {
        "op": "preview",
        "year": str(_today().year + 1),
        "text": "一、元旦：1月1日放假，共1天。",
    },
    "POST cases-calendar-confirm": lambda w, side: {
        "year": str(_today().year + 1),
        "notice": f"国务院办公厅关于{_today().year + 1}年部分节假日安排的通知",
    },
    "POST cases-act": {"action": "start"},
    "POST cases-meeting": {"held_at": "2025-03-04T09:00", "place": "会议室", "minutes": "会议明确牵头单位"},
    "POST cases-task": lambda w, side: {"op": "complete", f"t{w.get('task', side)}-text": "已配合完成"},
    "POST cases-submit": {},
    "POST cases-follow": {"rating": "satisfied"},
    "POST community-adopt": lambda w, side: {"person": w.get("party_member", side)},
    "POST community-issue": {"title": "停车难", "description": "车位不足"},
    "POST community-qr": {},
    "POST challenges-create": {},
    "POST challenges-transition": {"to": "in_progress"},
    "POST challenges-apply": {"plan": "三步走"},
    "POST challenges-application": {"to": "rejected"},
    "POST challenges-award": lambda w, side: {"application": w.get("application", side)},
    "POST challenges-milestone-add": lambda w, side: {
        "new-title": "新节点",
        "new-due_date": str(_today() + dt.timedelta(days=60)),
    },
    "POST challenges-milestone": {"to": "submitted"},
    "POST challenges-signoff": lambda w, side: {"member": w.get("panel_seat", side), "verdict": "pass"},
    "POST challenges-report": {"text": "已完成方案论证"},
    "POST challenges-panel": lambda w, side: {"person": w.get("person", side)},
    "POST challenges-conflict": {"note": "同一科室"},
    "POST projects-create": {},
    "POST projects-frontline": {},
    "POST projects-transition": {"to": "building"},
    "POST projects-difficulty": {"title": "用地指标不足", "description": "缺 50 亩用地指标"},
    "POST projects-milestone-done": lambda w, side: {"done_on": str(_today())},
    "POST awards-list": {"period": "2023Q4"},
    "POST awards-transition": {"to": "cancelled"},
    "POST awards-nominate": lambda w, side: {
        "kind": "star",
        "unit": w.get("unit", side),
        "person": w.get("person", side),
        "deeds": "牵头破解项目用地难题，推动投产。",
    },
    "POST awards-object": lambda w, side: {
        "nomination": w.get("past_nomination", side),
        "reason": "事迹不实",
    },
    "POST awards-withdraw": {},
    "POST awards-answer": {"outcome": "dismissed", "answer": "经核实，事迹属实。"},
    "POST growth-create": {},
    "POST growth-submit": {"evidence": "调研报告一篇"},
    "POST growth-transition": {"to": "signed", "comment": "同意"},
    "POST growth-posting": {"place": "某村", "starts_on": "2025-01-01"},
    "POST growth-checklist": {"name": "一次调研", "months": "6"},
    "POST assessment-scheme-copy": {"name": "方案副本"},
    "POST assessment-scheme-active": {"active": ""},
    "POST assessment-source": {},
    "POST assessment-decide": lambda w, side: {
        "person": w.get("result_person", side),
        "grade": "基本称职",
        "reason": "受到诫勉",
    },
    "POST assessment-decision-remove": {},
    "POST assessment-transition": {"to": "collecting"},
    "POST assessment-object": {"reason": "得分有误"},
    "POST assessment-answer": {"outcome": "dismissed", "answer": "经核实无误"},
    # API (JSON)
    "POST /api/v1/regions/": lambda w, side: {
        "code": w.get("region_code", side) + "099",
        "name": "新设村",
        "kind": "village",
        "parent_code": w.get("region_code", side),
    },
    "PATCH /api/v1/regions/{pk}/": {"name": "改名区划"},
    "POST /api/v1/units/": lambda w, side: {
        "name": "新设单位",
        "kind": "institution",
        "region_code": w.get("region_code", side),
        "parent_id": w.get("unit", side),
    },
    "PATCH /api/v1/units/{pk}/": {"short_name": "改名"},
    "POST /api/v1/people/": lambda w, side: {
        "name": "新人甲",
        "id_number": "33052119900101123X",
        "unit_id": w.get("unit", side),
    },
    "PATCH /api/v1/people/{pk}/": {"position": "科员"},
    "POST /api/v1/enterprises/": lambda w, side: {
        "name": "新设企业有限公司",
        "credit_code": "91330521MA2B3C4D5E",
        "industry": "C",
        "region_code": w.get("region_code", side),
    },
    "PATCH /api/v1/enterprises/{pk}/": {"is_active": False},
    "POST /api/v1/ballots": lambda w, side: {"token": w.get("token", side), "answers": []},
    "POST /api/v1/evaluations/{pk}/scores": lambda w, side: {
        "subject_id": w.get("contest_subject", side) or 0,
        "scores": {},
    },
    "POST /api/v1/ledger/entries/": lambda w, side: {
        "person_id": w.get("person", side),
        "period": "2024Q2",
        "category": "lecture",
        "points": 1,
        "reason": "授课",
    },
    "POST /api/v1/ledger/entries/{entry_id}/decide/": {"to": "approved"},
    "POST /api/v1/ledger/entries/{entry_id}/reverse/": {"reason": "登记有误"},
    "POST /api/v1/cases/": {"desk": "catchall", "title": "门口道路破损", "description": "道路破损无人维修"},
    "POST /api/v1/cases/{case_id}/transition/": {"action": "start"},
    "POST /api/v1/cases/tasks/{task_id}/": {"op": "complete", "text": "已配合完成"},
    "POST /api/v1/cases/{case_id}/meetings/": {
        "held_at": "2025-03-04T09:00:00+08:00",
        "minutes": "会议明确牵头单位",
    },
    "POST /api/v1/cases/sweep/": None,
    "POST /api/v1/public/cases/{token}/rate/": {"rating": "satisfied"},
    "POST /api/v1/community/stairwells/{stairwell_id}/adopt/": lambda w, side: {
        "person_id": w.get("party_member", side)
    },
    "POST /api/v1/community/committees/{committee_id}/issues/": {
        "title": "停车难",
        "description": "车位不足",
    },
    "POST /api/v1/public/stairwells/{token}/requests/": {"phone": "13800000000", "description": "楼道灯坏了"},
    "POST /api/v1/challenges/": lambda w, side: {
        "title": "新揭榜",
        "publisher_unit_id": w.get("unit", side),
        "goal": "签约",
        "criteria": "签约",
        "apply_until": str(_today() + dt.timedelta(days=10)),
        "deadline": str(_today() + dt.timedelta(days=100)),
        "milestones": [{"title": "签约", "due_date": str(_today() + dt.timedelta(days=50))}],
    },
    "POST /api/v1/challenges/{challenge_id}/transition/": {"to": "in_progress"},
    "POST /api/v1/challenges/{challenge_id}/apply/": {"plan": "三步走"},
    "POST /api/v1/challenges/{challenge_id}/award/": lambda w, side: {
        "applications": [w.get("application", side)]
    },
    "POST /api/v1/challenges/{challenge_id}/milestones/{milestone_id}/transition/": {"to": "submitted"},
    "POST /api/v1/challenges/{challenge_id}/milestones/{milestone_id}/signoff/": lambda w, side: {
        "member_id": w.get("panel_seat", side),
        "verdict": "pass",
    },
    "POST /api/v1/projects/{pk}/difficulties/": {"title": "用地指标不足", "description": "缺 50 亩用地指标"},
    "POST /api/v1/growth/records/{record_id}/entries/{entry_id}/submit/": {"evidence": "调研报告一篇"},
    "POST /api/v1/growth/records/{record_id}/entries/{entry_id}/transition/": {"to": "signed"},
    "POST /api/v1/assessment/schemes/": {
        "name": "新方案",
        "target": "section_leader",
        "period_kind": "quarter",
        "indicators": [],
    },
    "PUT /api/v1/assessment/schemes/{scheme_id}/": {
        "name": "改名方案",
        "target": "section_leader",
        "period_kind": "quarter",
        "indicators": [],
    },
    "POST /api/v1/assessment/rounds/": lambda w, side: {
        "scheme_id": w.get("scheme", "A"),
        "period": "2024Q3",
    },
    "POST /api/v1/assessment/rounds/{round_id}/decisions/": lambda w, side: {
        "person_id": w.get("result_person", side),
        "grade": "基本称职",
        "reason": "受到诫勉",
    },
    "POST /api/v1/assessment/rounds/{round_id}/transition/": {"to": "collecting"},
    "POST /api/v1/assessment/rounds/{round_id}/objections/": {"reason": "得分有误"},
}

# Query parameters of API operations that take them outside the body.
API_QUERY: dict[str, str] = {
    "POST /api/v1/evaluations/{pk}/transition": "to=closed",
    "GET /api/v1/people/": "q=司马",
    "GET /api/v1/regions/": "",
}
