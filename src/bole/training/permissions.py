"""The lecture hall's permission policy: shared by views, API, selectors and services."""

from bole.core.scoping import CADRE, COUNTY_STAFF, STAFF, STAFF_OR_CADRE, Policy, ScopeRules

from .models import (
    Attendance,
    ClassMember,
    Enrolment,
    LearningRecord,
    Plan,
    QuizSubmission,
    Session,
    Topic,
    TrainingClass,
)

# The county's Organization Department (its region admins, or the organising unit's admins) makes the plan; a
# host unit's admins run their sessions (the room's code, attendance by hand). Personal records (enrolments,
# attendance, class results, imported hours) belong to the person's unit: its admins see them, a cadre their own.
_PERSONAL = {"view", "export"}
_PERSON_RULES = ScopeRules(region="person__unit__region__code", unit="person__unit__path", person="person_id")

policy = Policy(
    rules={
        Plan: ScopeRules(region="region__code", unit="organiser__path"),
        Session: ScopeRules(region="host_unit__region__code", unit="host_unit__path"),
        TrainingClass: ScopeRules(region="plan__region__code", unit="plan__organiser__path", person="members__person"),
        Enrolment: _PERSON_RULES,
        Attendance: _PERSON_RULES,
        ClassMember: _PERSON_RULES,
        LearningRecord: _PERSON_RULES,
        Topic: ScopeRules(region="host_unit__region__code", unit="host_unit__path"),  # the host unit's
        QuizSubmission: _PERSON_RULES,
    },
    actions={
        (Plan, "unit_admin"): {"view", "change"},
        (Session, "unit_admin"): {"view", "change", "manage"},
        (TrainingClass, "unit_admin"): {"view", "change"},
        (TrainingClass, "cadre"): {"view"},  # the classes they are a member of
        (Enrolment, "unit_admin"): {"view", "add", "export"},
        (Enrolment, "cadre"): {"view", "drop"},
        (Attendance, "unit_admin"): _PERSONAL,
        (Attendance, "cadre"): {"view"},
        (ClassMember, "unit_admin"): _PERSONAL,
        (ClassMember, "cadre"): {"view"},
        (LearningRecord, "unit_admin"): {"view", "add", "export"},
        (LearningRecord, "cadre"): {"view"},
        (Topic, "unit_admin"): {"view", "change"},  # the host unit accepts and names its lecturers
        (QuizSubmission, "unit_admin"): _PERSONAL,
        (QuizSubmission, "cadre"): {"view"},
    },
    abilities={
        "menu": STAFF_OR_CADRE,
        "plan": STAFF_OR_CADRE,  # the year's published sessions
        "enrol": CADRE,  # 选修 as oneself; checking in is one's own too
        "configure": COUNTY_STAFF,  # plans, topics, sessions, classes
        "reports": STAFF,  # attendance by unit and month, hours met by unit (in the user's scope)
        "quiz": COUNTY_STAFF,  # write a class's online end test, open and close it, see every answer key
        "quiz_take": CADRE,  # take the end test of one's own class, once
    },
)
