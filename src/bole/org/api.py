"""REST endpoints of the registers: list (filters, pagination), detail, create, update — all scoped."""

import datetime as dt
from typing import ClassVar

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from ninja import File, FilterSchema, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from bole.core.api import Pages, UnknownReference, referenced
from bole.core.jobs_api import JobOut, job_out
from bole.core.register_jobs import export_submit, import_submit

from . import selectors, services
from .models import Enterprise, Person, Region, Unit
from .permissions import policy
from .registers import REGISTERS
from .views import PAGES

router = Router(tags=["registers"])


class RegisterFilters(FilterSchema):
    """Filters every register list takes: `q` (searched by the register's own search, see `_search`), the
    region code prefix and the active flag."""

    q: str = ""
    region: str = ""
    active: bool | None = None
    region_field: ClassVar[str] = "code"

    def filter_q(self, value: str) -> Q:
        return Q()  # a search, not a lookup: `_search` runs the register's own

    def filter_region(self, value: str) -> Q:
        return Q(**{f"{self.region_field}__startswith": value}) if value else Q()

    def filter_active(self, value: bool | None) -> Q:
        return Q() if value is None else Q(is_active=value)


class RegionFilters(RegisterFilters):
    pass


class UnitFilters(RegisterFilters):
    region_field: ClassVar[str] = "region__code"


class PersonFilters(RegisterFilters):
    region_field: ClassVar[str] = "unit__region__code"
    unit: int | None = None
    section_leader: bool | None = None

    def filter_unit(self, value: int | None) -> Q:
        return Q() if value is None else Q(unit_id=value)

    def filter_section_leader(self, value: bool | None) -> Q:
        return Q() if value is None else Q(is_section_leader=value)


class EnterpriseFilters(RegisterFilters):
    region_field: ClassVar[str] = "region__code"
    industry: str = ""

    def filter_industry(self, value: str) -> Q:
        return Q(industry=value) if value else Q()


class RegionOut(Schema):
    id: int
    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None
    is_active: bool

    @staticmethod
    def resolve_parent_code(obj):
        return obj.parent.code if obj.parent_id else None


class RegionIn(Schema):
    code: str
    name: str
    kind: str
    parent_code: str | None = None


class RegionPatch(Schema):
    name: str | None = None
    kind: str | None = None


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    region_code: str
    parent_id: int | None
    path: str
    is_active: bool

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code


class UnitIn(Schema):
    name: str
    short_name: str = ""
    kind: str
    region_code: str
    parent_id: int | None = None
    sort: int = 0


class UnitPatch(Schema):
    name: str | None = None
    short_name: str | None = None
    kind: str | None = None
    parent_id: int | None = None
    sort: int | None = None


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: dt.date
    id_number: str
    phone: str
    unit_id: int
    unit_name: str
    position: str
    rank: str
    political_status: str
    is_cadre: bool
    is_section_leader: bool
    is_young_cadre: bool
    is_party_member: bool
    is_talent: bool
    is_expert: bool
    is_active: bool

    @staticmethod
    def resolve_unit_name(obj):
        return obj.unit.name

    @staticmethod
    def resolve_id_number(obj, context):
        # Lists and details show masked numbers; the full ones are a separate, logged action.
        return obj.id_masked

    @staticmethod
    def resolve_phone(obj, context):
        return obj.phone_masked


class PersonIn(Schema):
    name: str
    id_number: str
    phone: str = ""
    unit_id: int
    position: str = ""
    rank: str = "none"
    political_status: str = "masses"
    is_cadre: bool = False
    is_section_leader: bool = False
    is_young_cadre: bool = False
    is_party_member: bool = False
    is_talent: bool = False
    is_expert: bool = False


class PersonPatch(Schema):
    name: str | None = None
    phone: str | None = None
    unit_id: int | None = None
    position: str | None = None
    rank: str | None = None
    political_status: str | None = None
    is_cadre: bool | None = None
    is_section_leader: bool | None = None
    is_young_cadre: bool | None = None
    is_party_member: bool | None = None
    is_talent: bool | None = None
    is_expert: bool | None = None
    is_active: bool | None = None


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    industry: str
    region_code: str
    contact_name: str
    contact_phone: str
    address: str
    is_active: bool

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code


class EnterpriseIn(Schema):
    name: str
    credit_code: str
    industry: str
    region_code: str
    contact_name: str = ""
    contact_phone: str = ""
    address: str = ""


class EnterprisePatch(Schema):
    name: str | None = None
    industry: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    address: str | None = None
    is_active: bool | None = None


def _search(qs, f: RegisterFilters, search):
    qs = f.filter(qs)
    return search(qs, f.q) if f.q else qs


def _in_scope(qs, user, pk, *, field: str, action="add"):
    """A referenced record must be inside the actor's scope, else the id is unknown (422 on the field)."""
    return referenced(policy.restrict(qs, user, action), pk, field=field)


def _region_by_code(user, code, *, field: str):
    region = selectors.region_list(user=user).filter(code=code).first()
    if region is None:
        raise UnknownReference(field)
    return region


def _require(user, action, model):
    if not policy.allows(user, action, model):
        raise PermissionDenied


# regions


@router.get("/regions/", response=list[RegionOut])
@paginate(Pages)
def regions(request, f: Query[RegionFilters]):
    return _search(selectors.region_list(user=request.auth), f, selectors.region_search)


@router.get("/regions/{pk}/", response=RegionOut)
def region_detail(request, pk: int):
    return policy.get(Region.objects.select_related("parent"), request.auth, pk)


@router.post("/regions/", response={201: RegionOut})
def region_create(request, body: RegionIn):
    _require(request.auth, "add", Region)
    parent = _region_by_code(request.auth, body.parent_code, field="parent_code") if body.parent_code else None
    return Status(201, services.region_create(actor=request.auth, code=body.code, name=body.name, kind=body.kind, parent=parent))


@router.patch("/regions/{pk}/", response=RegionOut)
def region_update(request, pk: int, body: RegionPatch):
    region = policy.get(Region.objects.all(), request.auth, pk, "change")
    return services.region_update(region=region, actor=request.auth, **body.dict(exclude_unset=True))


# units


@router.get("/units/", response=list[UnitOut])
@paginate(Pages)
def units(request, f: Query[UnitFilters]):
    return _search(selectors.unit_list(user=request.auth), f, selectors.unit_search)


@router.get("/units/{pk}/", response=UnitOut)
def unit_detail(request, pk: int):
    return policy.get(Unit.objects.select_related("region"), request.auth, pk)


@router.post("/units/", response={201: UnitOut})
def unit_create(request, body: UnitIn):
    _require(request.auth, "add", Unit)
    data = body.dict()
    data["region"] = _region_by_code(request.auth, data.pop("region_code"), field="region_code")
    pid = data.pop("parent_id")
    data["parent"] = _in_scope(Unit.objects.all(), request.auth, pid, field="parent_id") if pid else None
    if data["parent"] is None and not policy.allows(request.auth, "add", Region):
        raise PermissionDenied  # only the county creates top-level units
    return Status(201, services.unit_create(actor=request.auth, **data))


@router.patch("/units/{pk}/", response=UnitOut)
def unit_update(request, pk: int, body: UnitPatch):
    unit = policy.get(Unit.objects.all(), request.auth, pk, "change")
    data = body.dict(exclude_unset=True)
    if "parent_id" in data:
        pid = data.pop("parent_id")
        data["parent"] = _in_scope(Unit.objects.all(), request.auth, pid, field="parent_id") if pid else None
    return services.unit_update(unit=unit, actor=request.auth, **data)


# people


@router.get("/people/", response=list[PersonOut])
@paginate(Pages)
def people(request, f: Query[PersonFilters]):
    return _search(selectors.person_list(user=request.auth), f,
                   lambda rows, q: selectors.person_find(rows, q, user=request.auth))


@router.get("/people/{pk}/", response=PersonOut)
def person_detail(request, pk: int):
    return policy.get(Person.objects.select_related("unit"), request.auth, pk)


@router.post("/people/", response={201: PersonOut})
def person_create(request, body: PersonIn):
    _require(request.auth, "add", Person)
    data = body.dict()
    data["unit"] = _in_scope(Unit.objects.all(), request.auth, data.pop("unit_id"), field="unit_id")
    return Status(201, services.person_create(actor=request.auth, **data))


@router.patch("/people/{pk}/", response=PersonOut)
def person_update(request, pk: int, body: PersonPatch):
    person = policy.get(Person.objects.select_related("unit"), request.auth, pk, "change")
    data = body.dict(exclude_unset=True)
    active = data.pop("is_active", None)
    if "unit_id" in data:
        data["unit"] = _in_scope(Unit.objects.all(), request.auth, data.pop("unit_id"), field="unit_id")
    if data:
        person = services.person_update(person=person, actor=request.auth, **data)
    if active is not None:
        person = services.person_set_active(person=person, active=active, actor=request.auth)
    return person


# enterprises


@router.get("/enterprises/", response=list[EnterpriseOut])
@paginate(Pages)
def enterprises(request, f: Query[EnterpriseFilters]):
    return _search(selectors.enterprise_list(user=request.auth), f, selectors.enterprise_search)


@router.get("/enterprises/{pk}/", response=EnterpriseOut)
def enterprise_detail(request, pk: int):
    return policy.get(Enterprise.objects.select_related("region"), request.auth, pk)


@router.post("/enterprises/", response={201: EnterpriseOut})
def enterprise_create(request, body: EnterpriseIn):
    _require(request.auth, "add", Enterprise)
    data = body.dict()
    data["region"] = _region_by_code(request.auth, data.pop("region_code"), field="region_code")
    return Status(201, services.enterprise_create(actor=request.auth, **data))


@router.patch("/enterprises/{pk}/", response=EnterpriseOut)
def enterprise_update(request, pk: int, body: EnterprisePatch):
    ent = policy.get(Enterprise.objects.select_related("region"), request.auth, pk, "change")
    data = body.dict(exclude_unset=True)
    active = data.pop("is_active", None)
    if data:
        ent = services.enterprise_update(enterprise=ent, actor=request.auth, **data)
    if active is not None:
        ent = services.enterprise_set_active(enterprise=ent, active=active, actor=request.auth)
    return ent


# imports and exports: background jobs, followed at /api/v1/jobs/{id}


class ExportIn(Schema):
    q: str = ""
    active: str = "1"


@router.post("/registers/{key}/imports", response={202: JobOut})
def register_import(request, key: str, file: File[UploadedFile], dry_run: Form[bool] = False,
                    update: Form[bool] = False, sheet: Form[str] = ""):
    """Import a workbook (the register's template) as a background job: every row is checked first; any error
    and nothing is written (the job fails, listing each error by sheet, row, column, value and reason).
    `dry_run` checks only; `update` updates records whose key exists; `sheet` names the sheet to read when more
    than one fits. The job's result `lines` begin with the sheet and header row read. Follow the job at
    /api/v1/jobs/{id}."""
    from django.conf import settings

    reg = REGISTERS.get(key)
    if reg is None:
        raise Http404
    _require(request.auth, "import", reg.model)
    data = file.read(settings.BOLE_IMPORT_MAX_BYTES + 1)
    if len(data) > settings.BOLE_IMPORT_MAX_BYTES:
        raise HttpError(413, "文件过大")
    job = import_submit(register=reg, data=data, filename=file.name or "import.xlsx", owner=request.auth,
                        dry_run=dry_run, update=update, sheet=sheet[:100])
    return Status(202, job_out(job))


@router.post("/registers/{key}/exports", response={202: JobOut})
def register_export(request, key: str, body: ExportIn):
    """Export the register's rows in the caller's scope (search `q`, `active` 1/0/all) as a background job; the
    workbook is the job's result file."""

    pages = PAGES.get(key)
    if pages is None:
        raise Http404
    _require(request.auth, "export", pages.register.model)
    job = export_submit(pages_index=pages.index, key=key, owner=request.auth,
                        query={"q": body.q, "active": body.active}, label=str(pages.register.label))
    return Status(202, job_out(job))
