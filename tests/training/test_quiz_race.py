"""One submission per member and quiz under real concurrency: 50 simultaneous submissions of one member (a double tap,
several devices) store one, settle the score once and post the ledger points once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bole.ledger.models import PointEntry
from bole.training import quizzes
from bole.training.models import ClassMember, QuizSubmission

from ..race import race
from .test_quiz import klass, quiz  # noqa: F401 -- the class and its open quiz


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_submissions_count_once(quiz, county):  # noqa: F811
    q, q1, q2, q3 = quiz
    answers = {str(q1.pk): [1], str(q2.pk): [0, 2], str(q3.pk): [1]}
    outcomes = race(lambda i: quizzes.quiz_submit(quiz=q, person=county["zhangsan"], actor=None, answers=answers))
    assert outcomes == {"ok": 1, "您已交卷，每人只能作答一次": 49}
    assert QuizSubmission.objects.filter(quiz=q).count() == 1
    m = ClassMember.objects.get(training_class=q.training_class, person=county["zhangsan"])
    assert (m.status, m.score) == ("passed", Decimal("80.0"))
    assert PointEntry.objects.filter(person=county["zhangsan"], category__code="training").count() == 1
