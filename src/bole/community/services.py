"""Writes of the home branches: branches, stairwells, adoptions, committees, and routing residents' requests."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bole.cases import services as case_services
from bole.cases.calendar import local_today
from bole.cases.choices import Action, SubmitterKind
from bole.cases.desks import HOME_GOVERNANCE, HOME_REQUEST, desk_by_code
from bole.cases.models import Case, Category
from bole.core.audit import audit_record
from bole.core.choices import AuditAction
from bole.core.records import bulk_create_audited, record_create
from bole.org.models import Person, Region, Unit
from bole.org.permissions import policy as org_policy

from .models import Adoption, CoGovernanceCommittee, CommitteeMember, HomeBranch, Stairwell
from .permissions import policy


def branch_create(*, name: str, community: Region, unit: Unit, actor, secretary: Person | None = None,
                  established_on: dt.date | None = None) -> HomeBranch:
    """A home branch (家园支部) of a community."""
    if community.level != "village":
        raise ValidationError({"community": _("家园支部须建在村（社区）")})
    return record_create(model=HomeBranch, data={"name": name, "community": community, "unit": unit,
                                                 "secretary": secretary, "established_on": established_on},
                         actor=actor)


def new_qr_token() -> str:
    """An unguessable token for a stairwell's QR code (128 bits)."""
    return secrets.token_urlsafe(16)


def stairwell_create(*, branch: HomeBranch, compound: str, building: str, entrance: str, actor,
                     households: int = 0, head_name: str = "", head_phone: str = "") -> Stairwell:
    """A stairwell with its private QR token."""
    return record_create(model=Stairwell, data={
        "branch": branch, "compound": compound, "building": building, "entrance": entrance,
        "households": households, "head_name": head_name, "head_phone": head_phone, "qr_token": new_qr_token(),
    }, actor=actor)


def stairwell_bulk_create(*, rows: Sequence[dict[str, Any]], actor) -> int:
    """Many stairwells at once (a compound's survey sheet, the demo county), audited per row."""
    prepared = []
    for r in rows:
        obj = Stairwell(**r, qr_token=new_qr_token())
        obj.full_clean(exclude=["branch"], validate_unique=False)
        prepared.append({**r, "qr_token": obj.qr_token})
    return bulk_create_audited(model=Stairwell, rows=prepared, actor=actor)


@transaction.atomic
def adoption_create(*, stairwell: Stairwell, person: Person, actor, start_on: dt.date | None = None) -> Adoption:
    """认领: a party member adopts a stairwell; the previous adoption of that stairwell ends the day before.

    The actor may change the stairwell and may see the person in the register: a town's admin cannot hand its
    stairwells to another town's members (pages, API and imports all come through here)."""
    if actor is not None:
        policy.require(actor, "change", stairwell)
        if not org_policy.may(actor, "view", person):
            raise ValidationError({"person": _("所选党员不在您的管辖范围内，不能认领本楼道，请在本辖区党员中选择")})
    if not person.is_active:
        raise ValidationError({"person": _("该人员已停用，不能认领楼道")})
    if not person.is_party_member:
        raise ValidationError({"person": _("认领人须为党员")})
    start_on = start_on or local_today()
    # One current adoption per stairwell (a constraint); adoptions of one stairwell are made one at a time, so
    # a simultaneous one finds this one and ends it rather than failing on the constraint.
    Stairwell.objects.select_for_update(no_key=True).filter(pk=stairwell.pk).first()
    current = Adoption.objects.select_for_update().filter(stairwell=stairwell, end_on__isnull=True).first()
    if current is not None:
        if current.person_id == person.pk:
            return current
        current.end_on = max(current.start_on, start_on - dt.timedelta(days=1))
        current.save(update_fields=["end_on"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=current,
                     changes={"end_on": [None, current.end_on.isoformat()]})
    return record_create(model=Adoption, data={"stairwell": stairwell, "person": person, "start_on": start_on},
                         actor=actor)


@transaction.atomic
def adoption_end(*, adoption: Adoption, actor, end_on: dt.date | None = None) -> Adoption:
    """End an adoption (the member moved, the period is over)."""
    if adoption.end_on is None:
        adoption.end_on = end_on or local_today()
        adoption.full_clean()
        adoption.save(update_fields=["end_on"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=adoption,
                     changes={"end_on": [None, adoption.end_on.isoformat()]})
    return adoption


def adoption_bulk_create(*, rows: Sequence[dict[str, Any]], actor) -> int:
    """Many adoptions of not-yet-adopted stairwells (the demo county, an initial campaign)."""
    for r in rows:
        if not r["person"].is_party_member:
            raise ValidationError({"person": _("认领人须为党员")})
    return bulk_create_audited(model=Adoption, rows=list(rows), actor=actor)


@transaction.atomic
def committee_create(*, branch: HomeBranch, name: str, actor, chair: Person | None = None,
                     established_on: dt.date | None = None, members: Sequence[dict] = ()) -> CoGovernanceCommittee:
    """A co-governance committee (家园共治委员会) with its members."""
    committee = record_create(model=CoGovernanceCommittee, data={
        "branch": branch, "name": name, "chair": chair, "established_on": established_on}, actor=actor)
    for m in members:
        committee_member_add(committee=committee, actor=actor, **m)
    return committee


def committee_member_add(*, committee: CoGovernanceCommittee, kind: str, name: str, actor, organisation: str = "",
                         person: Person | None = None, phone: str = "") -> CommitteeMember:
    """Add a member to a committee."""
    return record_create(model=CommitteeMember, data={
        "committee": committee, "kind": kind, "name": name, "organisation": organisation, "person": person,
        "phone": phone}, actor=actor)


def current_adopter(stairwell: Stairwell) -> Person | None:
    """The party member who has the stairwell today."""
    today = local_today()
    row = (Adoption.objects.filter(stairwell=stairwell, start_on__lte=today, end_on__isnull=True)
           .select_related("person__unit").first())
    return row.person if row else None


@transaction.atomic
def resident_request_submit(*, stairwell: Stairwell, phone: str, description: str, actor=None, name: str = "",
                            category: Category | None = None, title: str = "",
                            attachments: Sequence = ()) -> Case:
    """A resident's request from a stairwell QR code: filed on 家园诉求 and routed to the adopting member first."""
    if not stairwell.is_active or not stairwell.branch.is_active:
        raise ValidationError({"stairwell": _("该楼道二维码已停用")})
    desk = desk_by_code(HOME_REQUEST)
    location = f"{stairwell.branch.community.name}{stairwell}"
    case = case_services.case_submit(
        desk=desk, category=category, title=(title or description[:30]).strip(), description=description,
        location=location, submitter_kind=SubmitterKind.RESIDENT, submitter_name=name, submitter_phone=phone,
        ref=stairwell, attachments=attachments, actor=actor)
    case = case_services.case_transition(case=case, action=Action.ACCEPT, actor=actor, by_rule=True,
                                         note=_("楼道诉求自动受理"))
    adopter = current_adopter(stairwell)
    if adopter is not None:
        unit, owner, note = adopter.unit, adopter, _("转认领党员 %(p)s 办理") % {"p": adopter.name}
    else:
        branch = stairwell.branch
        secretary = branch.secretary
        if secretary is not None and not secretary.unit.path.startswith(branch.unit.path):
            secretary = None
        unit, owner, note = branch.unit, secretary, _("楼道未认领，转家园支部办理")
    return case_services.case_transition(case=case, action=Action.ASSIGN, actor=actor, by_rule=True,
                                         lead_unit=unit, owner=owner, note=note)


@transaction.atomic
def governance_issue_submit(*, committee: CoGovernanceCommittee, title: str, description: str, actor,
                            submitter_kind: str = SubmitterKind.CADRE, phone: str = "", name: str = "",
                            category: Category | None = None) -> Case:
    """A governance issue (共治议题) goes to the committee: the community unit leads, the convener owns it."""
    desk = desk_by_code(HOME_GOVERNANCE)
    person = getattr(getattr(actor, "account", None), "person", None) if actor is not None else None
    case = case_services.case_submit(
        desk=desk, category=category, title=title, description=description,
        location=f"{committee.branch.community.name}", submitter_kind=submitter_kind, submitter_person=person,
        submitter_name=name, submitter_phone=phone, ref=committee, actor=actor)
    case = case_services.case_transition(case=case, action=Action.ACCEPT, actor=actor, by_rule=True,
                                         note=_("共治议题自动受理"))
    owner = committee.chair if committee.chair and committee.chair.unit.path.startswith(
        committee.branch.unit.path) else None
    return case_services.case_transition(case=case, action=Action.ASSIGN, actor=actor, by_rule=True,
                                         lead_unit=committee.branch.unit, owner=owner,
                                         note=_("提交%(c)s商议") % {"c": committee.name})
