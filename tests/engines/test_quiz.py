"""Marking the online end test: exact keys, all-or-nothing multiple choice, the 100-point scale, bad answers."""

from decimal import Decimal

from bole.engines import quiz

Q = [
    quiz.Question(id=1, kind=quiz.SINGLE, n_options=4, key=frozenset({1}), points=Decimal(3)),
    quiz.Question(id=2, kind=quiz.MULTIPLE, n_options=4, key=frozenset({0, 2}), points=Decimal(3)),
    quiz.Question(id=3, kind=quiz.TRUE_FALSE, n_options=2, key=frozenset({0}), points=Decimal(3)),
]


def test_all_right_is_a_hundred_and_nothing_is_zero():
    assert quiz.mark(Q, {1: [1], 2: [2, 0], 3: [0]}).score == Decimal("100.0")
    empty = quiz.mark(Q, {})
    assert (empty.points, empty.total, empty.score) == (Decimal(0), Decimal(9), Decimal("0.0"))


def test_multiple_choice_counts_only_the_exact_set():
    assert quiz.mark(Q, {2: [0]}).earned[2] == 0  # a subset of the key
    assert quiz.mark(Q, {2: [0, 1, 2]}).earned[2] == 0  # the key and one more
    assert quiz.mark(Q, {2: [0, 2]}).earned[2] == 3


def test_score_is_the_share_on_a_hundred_half_up():
    m = quiz.mark(Q, {1: [1], 3: [0]})
    assert (m.points, m.score) == (Decimal(6), Decimal("66.7"))
    one = quiz.mark(Q, {1: [1]})
    assert one.score == Decimal("33.3")


def test_an_answer_that_cannot_be_one_scores_nothing():
    assert quiz.mark(Q, {1: [1, 2]}).earned[1] == 0  # two answers to a single choice
    assert quiz.mark(Q, {3: [5]}).earned[3] == 0  # no such option
    assert quiz.mark(Q, {1: [-1]}).earned[1] == 0


def test_key_problems_by_kind():
    assert quiz.key_problem(quiz.SINGLE, 4, [1]) is None
    assert quiz.key_problem(quiz.SINGLE, 4, [1, 2]) == "key-single"
    assert quiz.key_problem(quiz.MULTIPLE, 4, [0, 3]) is None
    assert quiz.key_problem(quiz.MULTIPLE, 1, [0]) == "options"
    assert quiz.key_problem(quiz.TRUE_FALSE, 2, [1]) is None
    assert quiz.key_problem(quiz.TRUE_FALSE, 3, [1]) == "options"
    assert quiz.key_problem(quiz.SINGLE, 4, []) == "key-empty"
    assert quiz.key_problem(quiz.SINGLE, 4, [4]) == "key-range"
