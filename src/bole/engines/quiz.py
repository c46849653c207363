"""Marking a short online quiz (成果检验): single choice, multiple choice and true/false questions, each with its
points and its answer key.

Plain Python, no Django: the service loads the questions and the member's answers and stores what this returns.
A single-choice or true/false question scores its points when the one chosen option is the key; a multiple-choice
question scores its points only when the options chosen are exactly the key's (all of them, nothing else), as the
usual written end test marks them. The score recorded for the class is the share of the points earned, on a
100-point scale with one decimal (half up), so a quiz of 100 points records the points themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

VERSION = "quiz-1.0.0"
SINGLE, MULTIPLE, TRUE_FALSE = "single", "multiple", "truefalse"
KINDS = (SINGLE, MULTIPLE, TRUE_FALSE)


@dataclass(frozen=True)
class Question:
    """One question as the engine needs it: its id, kind, number of options, key (option indices) and points."""

    id: int
    kind: str
    n_options: int
    key: frozenset[int]
    points: Decimal


@dataclass(frozen=True)
class Marked:
    """The marking of one submission: points earned per question, the totals and the score on 100."""

    earned: dict[int, Decimal]
    points: Decimal
    total: Decimal
    score: Decimal
    version: str = VERSION


def key_problem(kind: str, n_options: int, key: Iterable[int]) -> str | None:
    """Why a question's options and key do not fit its kind (None when they do), in plain words for the service to
    translate: 'options' (too few options), 'key-empty', 'key-range', 'key-single' (one answer expected)."""
    key = set(key)
    if kind == TRUE_FALSE:
        if n_options != 2:
            return "options"
    elif n_options < 2:
        return "options"
    if not key:
        return "key-empty"
    if any(k < 0 or k >= n_options for k in key):
        return "key-range"
    if kind in (SINGLE, TRUE_FALSE) and len(key) != 1:
        return "key-single"
    return None


def clean_answer(question: Question, chosen: Iterable[int] | None) -> frozenset[int]:
    """The options chosen, kept only when they can be an answer to the question (indices in range; one for a
    single-choice or true/false question); anything else counts as no answer."""
    picked = frozenset(chosen or ())
    if any(not isinstance(k, int) or k < 0 or k >= question.n_options for k in picked):
        return frozenset()
    if question.kind != MULTIPLE and len(picked) > 1:
        return frozenset()
    return picked


def mark(questions: Sequence[Question], answers: Mapping[int, Iterable[int]]) -> Marked:
    """Mark `answers` ({question id: chosen option indices}) against the questions' keys."""
    earned: dict[int, Decimal] = {}
    for q in questions:
        picked = clean_answer(q, answers.get(q.id))
        earned[q.id] = q.points if picked and picked == q.key else Decimal(0)
    points = sum(earned.values(), Decimal(0))
    total = sum((q.points for q in questions), Decimal(0))
    score = (points * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if total > 0 else Decimal(0)
    return Marked(earned=earned, points=points, total=total, score=score)
