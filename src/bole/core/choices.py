"""Choices shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("新建")
    UPDATE = "update", _("修改")
    DEACTIVATE = "deactivate", _("停用")
    REACTIVATE = "reactivate", _("启用")
    DELETE = "delete", _("删除")
    VIEW_SENSITIVE = "view_sensitive", _("查看敏感信息")
    IMPORT = "import", _("导入")
    EXPORT = "export", _("导出")
    TRANSITION = "transition", _("状态变更")
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    PASSWORD_CHANGE = "password_change", _("修改密码")
