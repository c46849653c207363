"""Log in, walk the org tree, import a file with an error and see it, fix it, import, find the person by pinyin."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from .conftest import menu_click, shot, ui_login

PW = "pass-1234-word"


def _sheet(id_number) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "人员"
    ws.append(["2024年干部名册"])
    ws.append(["姓名", "身份证号", "所在单位", "出生日期", "职务"])
    ws.append(["欧阳明", id_number, "武康街道党工委", dt.date(1990, 3, 1), "科员"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.django_db(transaction=True)
def test_admin_tree_import_fix_and_find(page, live_url, users, tmp_path):
    from bole.org.validators import id_check_char

    ui_login(page, live_url, "admin", PW)
    assert page.get_by_role("heading", name="驾驶舱").is_visible()
    shot(page, "home")

    menu_click(page, "组织树")
    page.get_by_text("武康街道", exact=False).first.click()
    page.get_by_role("link", name="武康街道党工委").wait_for()
    shot(page, "tree")

    first17 = "33052119900301001"
    good = first17 + id_check_char(first17)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    bad_file, good_file = tmp_path / "bad.xlsx", tmp_path / "good.xlsx"
    bad_file.write_bytes(_sheet(bad))
    good_file.write_bytes(_sheet(good))

    page.goto(f"{live_url}/people/import/")
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(bad_file))
    page.get_by_role("button", name="上传并检查").click()
    alert = page.get_by_role("alert")  # the background check's page
    assert "未写入任何数据" in alert.inner_text()
    error = page.locator("ol.job-errors li").first.inner_text()
    assert "身份证号校验位错误" in error and "B（身份证号）" in error and "第3行" in error
    shot(page, "import-error")

    page.goto(f"{live_url}/people/import/")
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(good_file))
    page.get_by_role("button", name="上传并检查").click()
    page.get_by_text("将新增 1").wait_for()
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已新增 1").wait_for()
    shot(page, "import-done")

    page.goto(f"{live_url}/people/")
    page.get_by_role("searchbox", name="搜索").fill("oym")
    page.get_by_role("link", name="欧阳明").wait_for()
    shot(page, "people-search")
    page.get_by_role("link", name="欧阳明").click()
    assert page.get_by_role("cell", name="武康街道党工委").is_visible()
    page.get_by_role("tab", name="变更历史").click()
    page.get_by_role("cell", name="新建").wait_for()


@pytest.mark.django_db(transaction=True)
def test_town_admin_on_phone_sees_only_own_town(phone, live_url, users, county):
    ui_login(phone, live_url, "town1", PW)
    phone.goto(f"{live_url}/people/")
    assert phone.get_by_text("共 2 条").is_visible()
    assert phone.get_by_role("link", name="张三").is_visible()
    assert phone.get_by_role("link", name="王五").count() == 0
    shot(phone, "people-phone")
    resp = phone.goto(f"{live_url}/people/{county['wangwu'].pk}/")
    assert resp.status == 404
