"""REST endpoints of the home branches, and the public stairwell request (QR code, no login)."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from bole.cases.desks import HOME_REQUEST
from bole.cases.selectors import desk_categories
from bole.core.api import Pages, referenced
from bole.core.params import Date

from . import selectors, services
from .limits import resident_post_allowed
from .models import CoGovernanceCommittee, Stairwell
from .permissions import policy
from .pickers import PARTY_MEMBERS

router = Router(tags=["community"])


class BranchStatsOut(Schema):
    id: int
    name: str
    community: str
    stairwells: int
    adopted: int
    requests: int
    resolved: int
    on_time_rate: float | None
    satisfaction: float | None
    committees: int
    issues: int


class StairwellOut(Schema):
    id: int
    label: str
    compound: str
    building: str
    entrance: str
    households: int
    adopter: str | None

    @staticmethod
    def resolve_label(obj):
        return str(obj)

    @staticmethod
    def resolve_adopter(obj):
        a = obj.adoptions.filter(end_on__isnull=True).select_related("person").first()
        return a.person.name if a else None


class AdoptIn(Schema):
    person_id: int
    start_on: Date | None = None


class IssueIn(Schema):
    title: str
    description: str


class RequestIn(Schema):
    phone: str
    description: str
    name: str = ""
    category_id: int | None = None


class TooMany(Schema):
    detail: str


class RequestOut(Schema):
    number: str
    follow_token: str
    state: str


@router.get("/community/branches/", response=list[BranchStatsOut])
@paginate(Pages)
def branches(request):
    return selectors.branch_stats(user=request.auth)


@router.get("/community/branches/{branch_id}/stairwells/", response=list[StairwellOut])
@paginate(Pages)
def stairwells(request, branch_id: int):
    branch = selectors.branch_get(user=request.auth, pk=branch_id)
    return selectors.stairwell_list(user=request.auth, branch=branch)


@router.post("/community/stairwells/{stairwell_id}/adopt/", response={201: dict})
def adopt(request, stairwell_id: int, data: AdoptIn):
    stairwell = policy.get(Stairwell.objects.all(), request.auth, stairwell_id, "change")
    person = referenced(PARTY_MEMBERS.rows(request.auth), data.person_id, field="person_id",
                        message=PARTY_MEMBERS.outside)
    a = services.adoption_create(stairwell=stairwell, person=person, start_on=data.start_on, actor=request.auth)
    return Status(201, {"id": a.pk, "stairwell_id": stairwell.pk, "person_id": a.person_id})


@router.post("/community/committees/{committee_id}/issues/", response={201: RequestOut})
def issue(request, committee_id: int, data: IssueIn):
    committee = policy.get(CoGovernanceCommittee.objects.all(), request.auth, committee_id, "change")
    return Status(201, services.governance_issue_submit(committee=committee, title=data.title,
                                                        description=data.description, actor=request.auth))


@router.post("/public/stairwells/{token}/requests/", response={201: RequestOut, 429: TooMany}, auth=None)
def resident_request(request, token: str, data: RequestIn):
    """What the QR form posts: the stairwell is known from the token; the answer holds the private link token.
    Rate-limited per client and per stairwell (429)."""
    stairwell = selectors.stairwell_by_token(token)
    if stairwell is None:
        raise Http404
    if not resident_post_allowed(request, stairwell):
        return Status(429, {"detail": _("提交太频繁，请稍后再试。")})
    category = referenced(desk_categories(HOME_REQUEST), data.category_id, field="category_id") \
        if data.category_id else None
    case = services.resident_request_submit(stairwell=stairwell, phone=data.phone, name=data.name,
                                            description=data.description, category=category, actor=None)
    return Status(201, case)
