"""Planted matches for the matching engine: experts in groups sharing core terms, needs written from a group.

Each field's experts fall into groups; a group's experts share four core terms of the field and each adds terms
of its own (one from another field, as real profiles wander). A need is written from three of its group's core
terms, one other term of the field and the everyday words every need uses. A need's true matches are its
group's experts, so precision at k says how many of the proposed experts a department would agree with.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bole.engines.matching_terms import FIELDS

_NEED = (
    "我公司在{a}环节遇到难题，{b}不稳定，希望在{c}和{d}方面得到专家指导。",
    "企业生产中{a}效率较低，{b}成本高，亟需{c}技术支持，并考虑{d}。",
    "目前{a}存在瓶颈，寻求{b}、{c}方面的合作，兼顾{d}。",
    "需要解决{a}问题，涉及{b}与{c}，另有{d}需求。",
)
_EXPERT = (
    "长期从事{a}、{b}和{c}研究，主持{d}相关课题，发表论文多篇，涉及{e}与{f}。",
    "研究方向为{a}与{b}，擅长{c}，获得{d}发明专利，近年关注{e}、{f}。",
    "主要研究{a}，在{b}、{c}方面有多项成果，承担{d}项目，兼及{e}和{f}。",
)


@dataclass
class Planted:
    """Texts and the truth behind them."""

    need_texts: list[str]
    expert_texts: list[str]
    truth: list[set[int]]
    expert_group: np.ndarray
    need_group: np.ndarray


def planted(n_needs: int, n_experts: int, *, group_size: int = 5, seed: int = 0) -> Planted:
    """Needs and experts with planted true matches (a need's true experts: its group, ``group_size`` of them)."""
    rng = np.random.default_rng(seed)
    fields = list(FIELDS.values())
    n_groups = max(1, n_experts // group_size)
    group_field = rng.integers(0, len(fields), n_groups)
    group_core = [tuple(rng.choice(fields[f], 4, replace=False)) for f in group_field]
    expert_group = np.arange(n_experts) % n_groups
    expert_texts = []
    for g in expert_group:
        terms = fields[group_field[g]]
        own = [t for t in terms if t not in group_core[g]]
        extra = list(rng.choice(own, 1))
        other = fields[int(rng.integers(0, len(fields)))]
        core = list(group_core[g])
        rng.shuffle(core)
        words = [*core, *extra, str(rng.choice(other))]
        expert_texts.append(_EXPERT[int(rng.integers(0, len(_EXPERT)))].format(**dict(zip("abcdef", words, strict=True))))
    need_group = rng.integers(0, n_groups, n_needs)
    need_texts = []
    for g in need_group:
        terms = fields[group_field[g]]
        core = list(rng.choice(group_core[g], 3, replace=False))
        noise = str(rng.choice([t for t in terms if t not in group_core[g]]))
        words = [*core, noise]
        rng.shuffle(words)
        need_texts.append(_NEED[int(rng.integers(0, len(_NEED)))].format(**dict(zip("abcd", words, strict=True))))
    members: dict[int, set[int]] = {}
    for j, g in enumerate(expert_group.tolist()):
        members.setdefault(g, set()).add(j)
    truth = [members.get(int(g), set()) for g in need_group]
    return Planted(need_texts, expert_texts, truth, expert_group, need_group)
