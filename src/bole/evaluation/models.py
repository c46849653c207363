"""Rating events: anonymous ballots (民主测评), judged contests (擂台赛), sign-off panels (验收评审), their
scores, verdicts and stored results."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import (
    AggregationRule,
    EvaluationKind,
    EvaluationStatus,
    GroupCode,
    SignoffState,
    SubjectKind,
    Verdict,
)


class Evaluation(models.Model):
    """One rating event: who is rated, on what, by whom, and which rule turns scores into a ranking."""

    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=10, choices=EvaluationKind.choices)
    subject_kind = models.CharField(_("对象类型"), max_length=10, choices=SubjectKind.choices,
                                    default=SubjectKind.PERSON)
    description = models.TextField(_("说明"), blank=True)
    unit = models.ForeignKey("org.Unit", verbose_name=_("组织单位"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="evaluations")
    status = models.CharField(_("状态"), max_length=10, choices=EvaluationStatus.choices,
                              default=EvaluationStatus.DRAFT, editable=False)
    rule = models.CharField(_("计分规则"), max_length=15, choices=AggregationRule.choices,
                            default=AggregationRule.GROUP_MEAN)
    trim_k = models.PositiveSmallIntegerField(_("去掉最高/最低分个数"), default=1)
    allow_unknown = models.BooleanField(_("允许选择“不了解”"), default=True)
    block_own_unit = models.BooleanField(_("评委回避本单位选手"), default=True)
    opens_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    closes_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("测评")
        verbose_name_plural = _("测评")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_judged(self) -> bool:
        return self.kind in {EvaluationKind.CONTEST, EvaluationKind.PANEL}

    @property
    def is_signoff(self) -> bool:
        return self.kind == EvaluationKind.SIGNOFF

    @property
    def results_visible(self) -> bool:
        return self.status in {EvaluationStatus.CLOSED, EvaluationStatus.PUBLISHED}


class Criterion(models.Model):
    """测评指标 / 评分项: a maximum score and a weight in the subject's total."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("指标"), max_length=60)
    max_score = models.FloatField(_("满分"), default=10)
    weight = models.FloatField(_("权重"), default=1)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评分指标")
        verbose_name_plural = _("评分指标")
        ordering = ["evaluation", "sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "name"], name="criterion_name_unique"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="criterion_max_positive"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="criterion_weight_nonnegative"),
        ]

    def __str__(self) -> str:
        return self.name


class RaterGroup(models.Model):
    """测评人类别 (领导/同事/下属/群众): a weight in the final score and how many ballots are expected."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("类别"), max_length=15, choices=GroupCode.choices)
    name = models.CharField(_("名称"), max_length=30)
    weight = models.FloatField(_("权重"), default=1)
    expected_count = models.PositiveIntegerField(_("应到人数"), default=0)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("测评人类别")
        verbose_name_plural = _("测评人类别")
        ordering = ["evaluation", "sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "code"], name="ratergroup_code_unique"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="ratergroup_weight_nonnegative"),
        ]

    def __str__(self) -> str:
        return self.name


class Subject(models.Model):
    """被测评对象 / 参赛选手: a person, unit, team or entry; `unit` is whose conflict of interest matters."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="subjects")
    label = models.CharField(_("名称"), max_length=120)
    person = models.ForeignKey("org.Person", verbose_name=_("人员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="evaluation_subjects")
    unit = models.ForeignKey("org.Unit", verbose_name=_("所在单位"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="evaluation_subjects")
    panel = models.CharField(_("评审组"), max_length=20, blank=True)
    sort = models.PositiveIntegerField(_("出场顺序"), default=0)
    revealed = models.BooleanField(_("已亮分"), default=False)
    # Sign-off panels only: each submission of the subject is a new attempt with fresh verdicts.
    attempt = models.PositiveSmallIntegerField(_("提请次数"), default=0, editable=False)
    signoff_state = models.CharField(_("签署状态"), max_length=10, choices=SignoffState.choices,
                                     default=SignoffState.IDLE, editable=False)

    class Meta:
        verbose_name = _("测评对象")
        verbose_name_plural = _("测评对象")
        ordering = ["evaluation", "sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "person"], condition=Q(person__isnull=False),
                                    name="subject_person_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class BallotToken(models.Model):
    """A one-time ballot link (QR code) for one rater group; `used` flips once, under a conditional UPDATE."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="tokens")
    group = models.ForeignKey(RaterGroup, on_delete=models.CASCADE, related_name="tokens")
    token = models.CharField(max_length=32, unique=True)
    used = models.BooleanField(default=False)
    # Handed to a rater by a mechanism that gives out one link per eligible person (services.token_hand_out);
    # which person got which token is never stored.
    handed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("测评码")
        verbose_name_plural = _("测评码")
        indexes = [models.Index(fields=["evaluation", "group", "used"])]

    def __str__(self) -> str:
        return f"{self.token[:6]}…"


class QueuedBallot(models.Model):
    """A cast ballot waiting for the mixer: written in the transaction that uses its token, deleted when the
    mixer moves it into `Ballot` (services.ballots_mix). Holds no token, time or device."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="queued_ballots")
    group = models.ForeignKey(RaterGroup, on_delete=models.PROTECT, related_name="+")
    # The sealed answers, JSON [[subject_id, criterion_id, score or null], ...] sorted by subject and criterion.
    answers = models.TextField()

    class Meta:
        verbose_name = _("待混洗选票")
        verbose_name_plural = _("待混洗选票")


class Ballot(models.Model):
    """One anonymous ballot: its rater group and nothing else. Written only by the mixer, in shuffled batches in
    its own transaction, so no id, time, transaction or position links it to a token."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="ballots")
    group = models.ForeignKey(RaterGroup, on_delete=models.PROTECT, related_name="ballots")

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        indexes = [models.Index(fields=["evaluation", "group"])]

    def __str__(self) -> str:
        return f"#{self.pk}"


class BallotScore(models.Model):
    """One answer on a ballot: a subject on a criterion; NULL score means 不了解 (don't know)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="scores")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="ballot_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="ballot_scores")
    score = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("选票分数")
        verbose_name_plural = _("选票分数")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "subject", "criterion"], name="ballotscore_unique"),
        ]


class EventJudge(models.Model):
    """A seat on one event: a judge account (contests) or a named person (sign-off panels, who may sign in
    with their own cadre account or have their verdicts recorded from the minutes); `submitted_at` freezes a
    judge's scores, a declared conflict of interest (回避) takes a sign-off member out of the verdicts."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评委账号"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="judge_seats")
    person = models.ForeignKey("org.Person", verbose_name=_("成员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="judge_seats")
    is_chair = models.BooleanField(_("组长"), default=False)
    conflict_reason = models.CharField(_("回避事由"), max_length=200, blank=True, editable=False)
    conflict_declared_at = models.DateTimeField(_("申请回避时间"), null=True, blank=True, editable=False)
    name = models.CharField(_("评委姓名"), max_length=50)
    unit = models.ForeignKey("org.Unit", verbose_name=_("评委单位"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    panel = models.CharField(_("评审组"), max_length=20, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评委")
        verbose_name_plural = _("评委")
        ordering = ["evaluation", "sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "user"], name="eventjudge_unique"),
            models.UniqueConstraint(fields=["evaluation", "person"], condition=Q(person__isnull=False),
                                    name="eventjudge_person_unique"),
            models.CheckConstraint(condition=Q(user__isnull=False) | Q(person__isnull=False),
                                   name="eventjudge_user_or_person"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def conflicted(self) -> bool:
        return self.conflict_declared_at is not None


class JudgeScore(models.Model):
    """A judge's score of a contestant on a criterion; revisable until the judge submits."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="judge_scores")
    judge = models.ForeignKey(EventJudge, on_delete=models.CASCADE, related_name="scores")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="judge_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="judge_scores")
    score = models.FloatField(_("得分"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("评委打分")
        verbose_name_plural = _("评委打分")
        constraints = [
            models.UniqueConstraint(fields=["judge", "subject", "criterion"], name="judgescore_unique"),
        ]


class Signoff(models.Model):
    """A sign-off member's pass/fail and opinion on one attempt of a subject; final once given."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="signoffs")
    judge = models.ForeignKey(EventJudge, verbose_name=_("成员"), on_delete=models.PROTECT, related_name="signoffs")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="signoffs")
    attempt = models.PositiveSmallIntegerField(_("提请次数"))
    verdict = models.CharField(_("意见"), max_length=4, choices=Verdict.choices)
    opinion = models.CharField(_("评审意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("签署时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("签署意见")
        verbose_name_plural = _("签署意见")
        ordering = ["subject", "attempt", "id"]
        constraints = [
            models.UniqueConstraint(fields=["judge", "subject", "attempt"], name="signoff_once_per_attempt"),
        ]
        indexes = [models.Index(fields=["subject", "attempt"])]

    def __str__(self) -> str:
        return f"{self.judge} · {self.get_verdict_display()}"


class EvaluationResult(models.Model):
    """One computation of results: the rule, engine name, version and parameters that produced them."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="results")
    rule = models.CharField(_("计分规则"), max_length=15, choices=AggregationRule.choices)
    engine = models.CharField(_("计算引擎"), max_length=80)
    engine_version = models.CharField(_("引擎版本"), max_length=40)
    parameters = models.JSONField(_("参数"), default=dict)
    summary = models.JSONField(_("概要"), default=dict)
    computed_at = models.DateTimeField(_("计算时间"), auto_now_add=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    is_current = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("测评结果")
        verbose_name_plural = _("测评结果")
        ordering = ["-computed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.get_rule_display()}"


class SubjectResult(models.Model):
    """One subject's computed figures (0–100 scale): per-group scores, final score, rank and intervals."""

    result = models.ForeignKey(EvaluationResult, on_delete=models.CASCADE, related_name="rows")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="results")
    n_ratings = models.PositiveIntegerField(_("有效票数/评委数"), default=0)
    group_scores = models.JSONField(_("分组得分"), default=dict)
    final_score = models.FloatField(_("最终得分"), null=True)
    rank = models.PositiveIntegerField(_("名次"), default=0)
    score_lo = models.FloatField(_("得分区间下限"), null=True)
    score_hi = models.FloatField(_("得分区间上限"), null=True)
    rank_lo = models.PositiveIntegerField(_("名次区间（最好）"), default=0)
    rank_hi = models.PositiveIntegerField(_("名次区间（最差）"), default=0)
    raw_mean = models.FloatField(_("简单平均"), null=True)
    trimmed_mean = models.FloatField(_("去掉最高最低分"), null=True)
    fair_average = models.FloatField(_("宽严校正分"), null=True)
    flags = models.JSONField(_("提示"), default=list)
    # A judged contest whose panels never share a judge or a contestant is ranked within each panel:
    # 1, 2, ... (rank is then the place within the panel); 0 when everyone is ranked in one list.
    panel = models.PositiveSmallIntegerField(_("评审组"), default=0)

    class Meta:
        verbose_name = _("对象得分")
        verbose_name_plural = _("对象得分")
        ordering = ["result", "rank", "subject__sort"]
        constraints = [models.UniqueConstraint(fields=["result", "subject"], name="subjectresult_unique")]
