"""Pinyin keys so Chinese users can find 张三 by typing `zhangsan` or `zs`."""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=65536)
def _char(ch: str) -> tuple[str, str]:
    full = lazy_pinyin(ch)[0].lower()
    first = lazy_pinyin(ch, style=Style.FIRST_LETTER)[0].lower()
    return full, first


def pinyin_keys(text: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, letters only, e.g. 张三 → ('zhangsan', 'zs')."""
    full, initials = [], []
    for ch in text or "":
        if ch.isspace():
            continue
        f, i = _char(ch)
        full.append(f)
        initials.append(i)
    return "".join(full)[:300], "".join(initials)[:100]
