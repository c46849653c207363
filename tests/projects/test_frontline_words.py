"""一线考评 speaks of the indicator kind by its Chinese name, not the stored metric code."""


def test_the_frontline_page_names_the_indicator_kind_not_its_code(login):
    page = login("admin").get("/projects/frontline/").content.decode()
    assert "导入数值 frontline" not in page and "手工/导入数值" in page
