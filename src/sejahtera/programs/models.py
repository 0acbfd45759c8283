"""Programmes, their eligibility rules, cycles, enrolments and payments.

A programme belongs to one agency and targets persons or families. Its eligibility rule is
versioned: editing makes a draft, publishing makes it the rule new cycles use. Opening a cycle
freezes the published rule version, the active PMT model and the candidate list (one set-based
``INSERT … SELECT``); from then on registry changes do not alter the cycle's enrolments. An
enrolment moves through ``Enrolment.Status``; approvals never exceed the cycle's quota or budget.
Cash programmes pay through payment batches approved by two different people; every payment has
an idempotency key, so a replayed batch pays no one twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sejahtera.core.models import TimeStampedModel


class Programme(TimeStampedModel):
    class Target(models.TextChoices):
        PERSON = "person", _("Person")
        FAMILY = "family", _("Family")

    class Benefit(models.TextChoices):
        CASH = "cash", _("Cash")
        PREMIUM = "premium", _("Insurance premium")
        FEE_WAIVER = "fee_waiver", _("Fee waiver")
        SERVICE = "service", _("Service or training")
        IN_KIND = "in_kind", _("In kind")

    class Period(models.TextChoices):
        ONCE = "once", _("Once")
        MONTH = "month", _("Per month")
        SEMESTER = "semester", _("Per semester")
        YEAR = "year", _("Per year")

    class Ranking(models.TextChoices):
        NEEDIEST = "neediest", _("Neediest first (welfare score)")
        MERIT = "merit", _("Merit score")
        REGISTRATION = "registration", _("Registration order")

    regency_code = models.CharField(_("regency code"), max_length=4)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    agency = models.ForeignKey("accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="programmes")
    description = models.TextField(_("description"), blank=True)
    target = models.CharField(pgettext_lazy("programme", "target"), max_length=10, choices=Target.choices)
    benefit = models.CharField(_("benefit type"), max_length=12, choices=Benefit.choices)
    amount = models.PositiveBigIntegerField(_("amount per beneficiary and period (Rp)"), default=0)
    period = models.CharField(pgettext_lazy("programme", "period"), max_length=10, choices=Period.choices)
    quota = models.PositiveIntegerField(_("quota per cycle"), null=True, blank=True,
                                        help_text=_("Empty: no limit on the number of beneficiaries."))
    budget = models.PositiveBigIntegerField(_("budget per cycle (Rp)"), null=True, blank=True,
                                            help_text=_("Empty: no limit on the amount."))
    ranking = models.CharField(_("ranking when over quota"), max_length=12, choices=Ranking.choices,
                               default=Ranking.NEEDIEST)
    exclusive_group = models.SlugField(
        _("exclusive group"), max_length=40, blank=True,
        help_text=_("A person may be approved in only one programme of the same group at a time "
                    "(e.g. one scholarship per person)."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["agency__short_name", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def pays_cash(self) -> bool:
        return self.benefit == self.Benefit.CASH


class EligibilityRule(models.Model):
    """One version of a programme's rule. Drafts can be edited; a published version never changes."""

    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE,
                                  related_name="rules")
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("rule"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        ordering = ["programme", "-version"]
        constraints = [models.UniqueConstraint(fields=["programme", "version"], name="rule_unique_version")]

    def __str__(self) -> str:
        return f"{self.programme.code} v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class Cycle(models.Model):
    """A programme's round (a year, a semester or a month). Opening it freezes rule, model and candidates."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.PROTECT,
                                  related_name="cycles")
    label = models.CharField(_("label"), max_length=20, help_text=_("e.g. 2026, 2026-S1 or 2026-07"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Frozen when the cycle opens.
    rule = models.ForeignKey(EligibilityRule, verbose_name=_("rule version"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="cycles")
    pmt_model = models.ForeignKey("welfare.PmtModel", verbose_name=_("PMT model"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    quota = models.PositiveIntegerField(_("quota"), null=True, blank=True)
    budget = models.PositiveBigIntegerField(_("budget (Rp)"), null=True, blank=True)
    amount = models.PositiveBigIntegerField(_("amount per beneficiary (Rp)"), default=0)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    candidates = models.PositiveIntegerField(_("candidates"), default=0)
    # Running totals of approved enrolments, kept in the locked cycle row so concurrent approvals
    # cannot both pass the quota or budget check.
    approved_count = models.PositiveIntegerField(_("approved"), default=0)
    approved_amount = models.PositiveBigIntegerField(_("approved amount (Rp)"), default=0)

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["programme", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "label"], name="cycle_unique_label"),
            models.CheckConstraint(condition=Q(quota__isnull=True) | Q(approved_count__lte=models.F("quota")),
                                   name="cycle_within_quota"),
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(approved_amount__lte=models.F("budget")),
                                   name="cycle_within_budget"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.label}"


class Enrolment(models.Model):
    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        VERIFIED = "verified", _("Verified")
        APPROVED = "approved", _("Approved")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        GRADUATED = "graduated", _("Graduated")
        EXITED = "exited", _("Exited")
        REJECTED = "rejected", _("Rejected")

    # Statuses that hold a place in the quota and the budget.
    HOLDING = (Status.APPROVED, Status.ACTIVE, Status.COMPLETED, Status.GRADUATED)

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="enrolments",
                              db_constraint=False)
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.PROTECT,
                                  related_name="enrolments", db_constraint=False, db_index=False)
    person = models.ForeignKey("registry.Person", verbose_name=_("person"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="enrolments", db_constraint=False)
    family = models.ForeignKey("registry.Family", verbose_name=_("family"), on_delete=models.PROTECT,
                               related_name="enrolments", db_constraint=False)
    desa_code = models.CharField(_("village code"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CANDIDATE)
    priority = models.PositiveIntegerField(_("priority (1 = first)"))
    desil = models.PositiveSmallIntegerField(_("desil when the cycle opened"), null=True, blank=True)
    log_predicted = models.FloatField(_("welfare score when the cycle opened"), null=True, blank=True)
    merit_score = models.FloatField(_("merit score"), null=True, blank=True)
    amount = models.PositiveBigIntegerField(_("amount (Rp)"), default=0)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", db_constraint=False, db_index=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", db_constraint=False, db_index=False)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["cycle", "priority"]
        indexes = [
            models.Index(fields=["cycle", "status", "priority"], name="enrolment_cycle_status"),
            models.Index(fields=["cycle", "desa_code"], name="enrolment_cycle_desa"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="enrolment_one_per_person_and_cycle",
                                    condition=Q(person__isnull=False)),
            models.UniqueConstraint(fields=["cycle", "family"], name="enrolment_one_per_family_and_cycle",
                                    condition=Q(person__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} #{self.priority} {self.get_status_display()}"


class PaymentBatch(models.Model):
    """Payments of one cycle sent to the bank together; two different approvers before it is sent."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FIRST_APPROVAL = "approved_once", _("Approved once")
        APPROVED = "approved", _("Approved")
        SENT = "sent", _("Sent to the bank")
        RECONCILED = "reconciled", _("Reconciled")

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="batches")
    number = models.PositiveIntegerField(_("number"))
    period = models.CharField(_("period paid"), max_length=20, help_text=_("e.g. 2026-07"))
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    first_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    first_approved_at = models.DateTimeField(null=True, blank=True)
    second_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    second_approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveBigIntegerField(_("total (Rp)"), default=0)
    payments_count = models.PositiveIntegerField(_("payments"), default=0)

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="payment_batch_unique_number"),
            models.CheckConstraint(
                condition=Q(second_approved_by__isnull=True)
                | ~Q(second_approved_by=models.F("first_approved_by")),
                name="payment_batch_four_eyes"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} batch {self.number}"


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed")

    batch = models.ForeignKey(PaymentBatch, verbose_name=pgettext_lazy("payment", "batch"),
                              on_delete=models.CASCADE, related_name="payments")
    enrolment = models.ForeignKey(Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT,
                                  related_name="payments")
    # "<cycle id>:<enrolment id>:<period>": one payment per beneficiary and period, whatever is replayed.
    idempotency_key = models.CharField(_("idempotency key"), max_length=60, unique=True)
    amount = models.PositiveBigIntegerField(_("amount (Rp)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    bank_reference = models.CharField(_("bank reference"), max_length=60, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    failure_reason = models.CharField(_("failure reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["batch", "id"]

    def __str__(self) -> str:
        return self.idempotency_key
