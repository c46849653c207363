"""Register imports and large exports as background jobs (bole.core.tasks): the page submits, the job page
shows the bar, the result (what was added, every error) is downloadable from it."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .excel import write_workbook
from .models import JobFile, JobStatus
from .plugins import registers
from .registers import Register, export_register, import_register
from .tasks import InputFile, JobFailed, background, job_submit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OUTCOME_LABEL = {"create": "新增", "update": "更新", "unchanged": "未变化"}


def register_at(key: str) -> Register:
    """The register a job names, among every app's declared registers."""
    return registers()[key]


def import_submit(*, register: Register, data: bytes, filename: str, owner, dry_run: bool, update: bool,
                  back: str = "", sheet: str = ""):
    """Queue a check (dry run) or an import of `data`; returns the Job. `back` is the register page to offer;
    `sheet` names the sheet to read when more than one fits the register."""
    if registers().get(register.key) is not register:
        raise ValueError(f"register {register.key} is not declared by its app")
    verb = _("校验") if dry_run else _("导入")
    return job_submit(
        func="bole.core.register_jobs.import_job",
        title=f"{verb}{register.label}：{filename}"[:200],
        owner=owner,
        params={"key": register.key, "dry_run": dry_run, "update": update, "back": back, "sheet": sheet},
        input_file=InputFile(name=filename[:200] or "import.xlsx", content_type=XLSX, data=data),
    )


def _mask_key(register: Register, value: Any) -> str:
    col = register.column(register.key_field)
    text = "" if value is None else str(value)
    return col.mask(text) if col.mask is not None and text else text


@background
def import_job(ctx, *, key: str, dry_run: bool, update: bool, back: str = "", sheet: str = "") -> dict[str, Any]:
    register = register_at(key)
    report = import_register(register=register, data=ctx.input(), actor=ctx.job.owner, dry_run=dry_run,
                             update=update, progress=ctx, sheet=sheet or None)
    if not report.ok:
        # Personal identifiers are masked in what is kept (the row and column locate the cell in the user's file).
        masks = {c.header: c.mask for c in register.columns if c.mask is not None}
        for i, issue in enumerate(report.issues):
            mask = next((m for header, m in masks.items() if header in issue.column), None)
            if mask is not None and issue.value:
                report.issues[i] = issue = dataclasses.replace(issue, value=mask(issue.value))
            ctx.error(issue.as_text())
        ctx.result_file(name=f"{register.key}-errors.xlsx", content_type=XLSX, data=write_workbook(
            sheet_title=_("错误"), headers=[_("工作表"), _("行"), _("列"), _("值"), _("原因")],
            rows=([i.sheet, i.row, i.column, i.value, i.reason] for i in report.issues), text_columns=[3]))
        raise JobFailed("。".join([_("发现 %(n)d 处错误，未写入任何数据") % {"n": len(report.issues)},
                                   *filter(None, [report.source, *report.notes])]))
    ctx.result_file(name=f"{register.key}-{'check' if dry_run else 'result'}.xlsx", content_type=XLSX,
                    data=write_workbook(
                        sheet_title=_("导入结果"), headers=[_("行"), register.column(register.key_field).header,
                                                           _("结果")],
                        rows=([r, _mask_key(register, k), OUTCOME_LABEL[o]] for r, k, o in report.outcomes),
                        text_columns=[1]))
    counts = {"n": report.rows, "c": report.created, "u": report.updated, "s": report.unchanged}
    lines = [report.source, *report.notes,
             (_("共 %(n)d 行：将新增 %(c)d，将更新 %(u)d，未变化 %(s)d") if dry_run else
              _("共 %(n)d 行：已新增 %(c)d，已更新 %(u)d，未变化 %(s)d")) % counts]
    result: dict[str, Any] = {"register": register.key, "dry_run": dry_run, "rows": report.rows,
                              "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
                              "lines": lines, "actions": [], "file_label": _("下载逐行结果（Excel）")}
    if dry_run:
        result["lines"].append(_("文件没有错误；确认后才会写入。"))
        result["actions"].append({"label": _("确认导入"), "url": reverse("job-confirm", args=[ctx.job.pk]),
                                  "method": "post"})
    if back:
        result["actions"].append({"label": _("返回%(r)s") % {"r": register.label}, "url": back, "method": "get"})
    return result


def import_confirm(*, check, owner):
    """The import of a successful check's file: a new job with the same file, writing this time."""
    params = dict(check.params)
    register = register_at(params["key"])
    data = bytes(JobFile.objects.get(job=check, role="input").data)
    name = JobFile.objects.filter(job=check, role="input").values_list("name", flat=True).first() or "import.xlsx"
    job = import_submit(register=register, data=data, filename=name, owner=owner, dry_run=False,
                        update=params.get("update", False), back=params.get("back", ""),
                        sheet=params.get("sheet", ""))
    check.result = {**check.result, "confirmed": job.pk}
    check.save(update_fields=["result"])
    return job


def is_confirmable(job) -> bool:

    return (job.func == "bole.core.register_jobs.import_job" and job.status == JobStatus.DONE
            and job.params.get("dry_run") is True and "confirmed" not in job.result)


# --- exports ------------------------------------------------------------------------------------------------


def export_inline_max() -> int:
    """Exports of more rows than this are made by a worker (default 2,000)."""
    return int(getattr(settings, "BOLE_EXPORT_INLINE_MAX", 2000))


def export_submit(*, pages_index: str, key: str, query: dict[str, str], owner, label: str):
    return job_submit(func="bole.core.register_jobs.export_job", title=_("导出%(r)s") % {"r": label}, owner=owner,
                      params={"pages_index": pages_index, "key": key, "query": query})


@background
def export_job(ctx, *, pages_index: str, key: str, query: dict[str, str]) -> dict[str, Any]:
    from .views import filtered_rows  # the register pages import this module to submit their jobs

    pages = import_string(pages_index)[key]
    params = QueryDict(mutable=True)
    params.update(query)
    qs = filtered_rows(pages, ctx.job.owner, params, "export").order_by("id")
    ctx.phase(_("导出"), qs.count())
    data = export_register(register=pages.register, queryset=qs, actor=ctx.job.owner, progress=ctx)
    ctx.result_file(name=f"{pages.register.key}.xlsx", content_type=XLSX, data=data)
    return {"rows": ctx.total, "lines": [_("已导出 %(n)d 行") % {"n": ctx.total}], "actions": [],
            "file_label": _("下载导出文件（Excel）")}
