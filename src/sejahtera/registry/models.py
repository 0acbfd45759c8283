from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sejahtera.core.models import TimeStampedModel
from sejahtera.core.scoping import RegionScopedQuerySet, region_prefix_q
from sejahtera.registry import choices as c


class FamilyQuerySet(RegionScopedQuerySet):
    region_field = "desa"


class PersonQuerySet(RegionScopedQuerySet):
    region_field = "desa"

    def for_user(self, user):
        """Persons in the user's scope; a person merged into another has left the registry."""
        return super().for_user(user).filter(merged_into__isnull=True)


class Family(TimeStampedModel):
    """A family as on its Kartu Keluarga."""

    no_kk = models.CharField(_("family card number (No. KK)"), max_length=16, unique=True)
    desa = models.ForeignKey("regions.Region", verbose_name=_("village"), on_delete=models.PROTECT,
                             related_name="families")
    address = models.CharField(_("address"), max_length=200, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    has_warnings = models.BooleanField(_("has warnings"), default=False)

    objects = FamilyQuerySet.as_manager()

    class Meta:
        verbose_name = _("family")
        verbose_name_plural = _("families")
        # updated_at: welfare rescoring finds the families changed since they were scored.
        indexes = [models.Index(fields=["desa", "id"]), models.Index(fields=["has_warnings", "desa"]),
                   models.Index(fields=["updated_at"], name="family_updated_at")]

    def __str__(self) -> str:
        return self.no_kk

    @property
    def head(self) -> "Person | None":
        return next((p for p in self.members.all() if p.relationship == c.Relationship.HEAD), None)


class Person(TimeStampedModel):
    """A resident. ``desa`` repeats the family's desa so every row is reachable by region."""

    nik = models.CharField(_("NIK"), max_length=16, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=120)
    sex = models.CharField(_("sex"), max_length=1, choices=c.Sex.choices)
    birth_place = models.CharField(_("place of birth"), max_length=80, blank=True)
    birth_date = models.DateField(_("date of birth"))
    family = models.ForeignKey(Family, verbose_name=_("family"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="members")
    desa = models.ForeignKey("regions.Region", verbose_name=_("village"), on_delete=models.PROTECT,
                             related_name="persons")
    relationship = models.PositiveSmallIntegerField(_("relationship to the head"), choices=c.Relationship.choices)
    marital_status = models.PositiveSmallIntegerField(_("marital status"), choices=c.MaritalStatus.choices,
                                                      default=c.MaritalStatus.SINGLE)
    education = models.PositiveSmallIntegerField(_("education"), choices=c.Education.choices,
                                                 default=c.Education.NONE)
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    employment_status = models.CharField(_("employment status"), max_length=15,
                                         choices=c.EmploymentStatus.choices, default=c.EmploymentStatus.NOT_WORKING)
    disability = models.CharField(_("disability"), max_length=15, choices=c.Disability.choices,
                                  default=c.Disability.NONE)
    jkn_status = models.CharField(_("JKN health insurance"), max_length=15, choices=c.JknStatus.choices,
                                  default=c.JknStatus.NONE)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    has_warnings = models.BooleanField(_("has warnings"), default=False)
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="merged_persons",
                                    help_text=_("Set when this record was found to be a duplicate of another."))

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["updated_at"], name="person_updated_at"),
            models.Index(fields=["family", "relationship"]),
            models.Index(fields=["desa", "name"]),
            # The family list's flag filters look for the few persons with warnings or without NIK.
            models.Index(fields=["family"], condition=models.Q(has_warnings=True), name="person_warning_family"),
            models.Index(fields=["family"], condition=models.Q(nik__isnull=True), name="person_no_nik_family"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_nik(self) -> bool:
        return bool(self.nik)


class FamilyMembership(models.Model):
    """A person's membership of a family over time; the open one has no ``ended_on``."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE,
                               related_name="family_history")
    family = models.ForeignKey(Family, verbose_name=_("family"), on_delete=models.CASCADE,
                               related_name="membership_history")
    relationship = models.PositiveSmallIntegerField(_("relationship to the head"), choices=c.Relationship.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("family membership")
        verbose_name_plural = _("family memberships")
        ordering = ["person", "started_on"]
        indexes = [models.Index(fields=["person", "started_on"])]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=models.Q(ended_on__isnull=True),
                                    name="one_open_membership_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.family_id} from {self.started_on}"


class HouseholdSurvey(TimeStampedModel):
    """A dated survey of the family's dwelling and assets: the welfare-ranking inputs."""

    family = models.ForeignKey(Family, verbose_name=_("family"), on_delete=models.CASCADE, related_name="surveys")
    surveyed_on = models.DateField(_("survey date"))
    enumerator = models.CharField(_("enumerator"), max_length=100, blank=True)
    floor_area_m2 = models.PositiveIntegerField(_("floor area (m²)"))
    floor_material = models.CharField(_("floor material"), max_length=20, choices=c.FloorMaterial.choices)
    wall_material = models.CharField(_("wall material"), max_length=20, choices=c.WallMaterial.choices)
    roof_material = models.CharField(_("roof material"), max_length=20, choices=c.RoofMaterial.choices)
    drinking_water = models.CharField(_("drinking water"), max_length=20, choices=c.DrinkingWater.choices)
    toilet = models.CharField(_("toilet"), max_length=20, choices=c.Toilet.choices)
    lighting = models.CharField(_("lighting"), max_length=20, choices=c.Lighting.choices)
    installed_power_va = models.PositiveIntegerField(_("installed power"), choices=c.INSTALLED_POWER_CHOICES,
                                                     default=0)
    cooking_fuel = models.CharField(_("cooking fuel"), max_length=20, choices=c.CookingFuel.choices)
    home_ownership = models.CharField(_("home ownership"), max_length=20, choices=c.HomeOwnership.choices)
    owns_land = models.BooleanField(_("owns land"), default=False)
    owns_other_house = models.BooleanField(_("owns another house"), default=False)
    has_refrigerator = models.BooleanField(_("refrigerator"), default=False)
    has_air_conditioner = models.BooleanField(_("air conditioner"), default=False)
    has_television = models.BooleanField(_("flat-screen television"), default=False)
    has_computer = models.BooleanField(_("computer/laptop"), default=False)
    has_gold = models.BooleanField(_("gold or jewellery of 10 g or more"), default=False)
    has_motorbike = models.BooleanField(_("motorbike"), default=False)
    has_car = models.BooleanField(_("car"), default=False)
    large_livestock = models.PositiveSmallIntegerField(_("cattle, buffalo, horses"), default=0)
    small_livestock = models.PositiveSmallIntegerField(_("goats, sheep, pigs"), default=0)
    consumption_per_capita = models.PositiveIntegerField(
        _("observed monthly consumption per capita (Rp)"), null=True, blank=True,
        help_text=_("Only when the survey measured consumption."),
    )

    class Meta:
        verbose_name = _("household survey")
        verbose_name_plural = _("household surveys")
        ordering = ["family", "-surveyed_on", "-id"]
        indexes = [models.Index(fields=["family", "-surveyed_on"]),
                   models.Index(fields=["updated_at"], name="survey_updated_at")]

    def __str__(self) -> str:
        return f"{self.family_id} {self.surveyed_on}"


SURVEY_FIELDS = [
    f.name for f in HouseholdSurvey._meta.local_fields
    if f.name not in {"id", "family", "created_at", "updated_at"}
]
PERSON_FIELDS = ["nik", "name", "sex", "birth_place", "birth_date", "family", "desa", "relationship",
                 "marital_status", "education", "occupation", "employment_status", "disability", "jkn_status",
                 "phone"]
FAMILY_FIELDS = ["no_kk", "desa", "address", "rt", "rw"]


class ImportBatch(models.Model):
    """One imported file: who, when, which file (name and hash), and what became of its rows."""

    class Kind(models.TextChoices):
        INDIVIDUALS = "individuals", _("Individuals")
        SURVEYS = "surveys", _("Household surveys")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, blank=True,
                                   on_delete=models.PROTECT)
    scope_code = models.CharField(_("region scope"), max_length=10, blank=True,
                                  help_text=_("Rows outside this region are rejected."))
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("file hash (SHA-256)"), max_length=64)
    file_size = models.BigIntegerField(_("file size"), default=0)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    dry_run = models.BooleanField(_("trial run"), default=False)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    inserted = models.PositiveIntegerField(_("inserted"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    flagged = models.PositiveIntegerField(_("flagged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    report_path = models.CharField(_("report"), max_length=500, blank=True)
    error = models.TextField(_("error"), blank=True)
    worker = models.CharField(_("worker process"), max_length=300, blank=True,
                              help_text=_("host:pid of the process running the import"))

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["scope_code", "created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"


# -- duplicates (sejahtera.registry.dedup) -------------------------------------------------------

class DuplicateCandidateQuerySet(models.QuerySet):
    def for_user(self, user):
        """Pairs whose two persons the user may both read (a person outside the scope is never shown)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        q_a = region_prefix_q("person_a__desa__pk", user.personal_data_scopes)
        q_b = region_prefix_q("person_b__desa__pk", user.personal_data_scopes)
        if q_a is None:
            return self.none()
        return self.filter(q_a).filter(q_b | models.Q(person_b__isnull=True))

    def open(self):
        """Undecided pairs of two persons still in the registry."""
        return self.filter(status=DuplicateCandidate.Status.OPEN, person_a__merged_into__isnull=True,
                           person_b__merged_into__isnull=True)


class DuplicateCandidate(models.Model):
    """Two person records that may be one person, waiting for (or given) a verifier's decision.

    ``person_a`` has the smaller id, so a pair is stored once. A NIK conflict (an imported
    row carrying a registered NIK with another name or birth date) has no ``person_b``: the
    incoming values are in ``reasons["incoming"]``. ``desa_code`` is person A's
    desa when the pair was found: the regency prefix for distributing the table like the
    registry. Decided pairs are never reopened by a new scan.
    """

    class Source(models.TextChoices):
        SCAN = "scan", _("Duplicate scan")
        IMPORT = "import", _("Import")
        NIK_CONFLICT = "nik_conflict", _("Same NIK, other name or birth date")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MERGED = "merged", _("Merged")
        DISTINCT = "distinct", _("Different persons")
        CORRECTED = "corrected", _("Record corrected")  # NIK conflict: the incoming values were applied
        KEPT = "kept", _("Record kept as registered")  # NIK conflict: the incoming values were wrong

    person_a = models.ForeignKey(Person, verbose_name=_("person A"), on_delete=models.CASCADE,
                                 related_name="duplicate_candidates_as_a")
    person_b = models.ForeignKey(Person, verbose_name=_("person B"), null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="duplicate_candidates_as_b",
                                 help_text=_("Empty for a NIK conflict: the incoming row is in the reasons."))
    desa_code = models.CharField(_("village code"), max_length=10, db_index=True)
    probability = models.FloatField(_("match probability"))
    score = models.FloatField(_("match weight"), default=0.0)
    reasons = models.JSONField(_("reasons"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=15, choices=Source.choices, default=Source.SCAN)
    import_batch = models.ForeignKey(ImportBatch, verbose_name=_("import"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="duplicate_candidates")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    found_at = models.DateTimeField(_("found"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=255, blank=True)

    objects = DuplicateCandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="unique_duplicate_pair"),
            models.CheckConstraint(condition=models.Q(person_a__lt=models.F("person_b")),
                                   name="duplicate_pair_ordered"),
        ]
        indexes = [models.Index(fields=["status", "desa_code"]), models.Index(fields=["person_b"])]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.probability:.2f})"


class PersonMerge(models.Model):
    """One merge of a duplicate person into the surviving record, with what it changed.

    ``snapshot`` holds the merged person as it was, the survivor's fields that were filled
    from it, and the ids of every row re-pointed, so ``merge_undo`` can restore all of it.
    """

    survivor = models.ForeignKey(Person, verbose_name=_("kept record"), on_delete=models.PROTECT,
                                 related_name="merges_kept")
    merged = models.ForeignKey(Person, verbose_name=_("merged record"), on_delete=models.PROTECT,
                               related_name="merges_removed")
    candidate = models.ForeignKey(DuplicateCandidate, verbose_name=_("possible duplicate"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="merges")
    snapshot = models.JSONField(_("snapshot"), default=dict)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("merged by"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("merged at"), auto_now_add=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("undone by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    class Meta:
        verbose_name = _("merge of persons")
        verbose_name_plural = _("merges of persons")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["survivor", "at"]), models.Index(fields=["merged", "at"])]

    def __str__(self) -> str:
        return f"{self.merged_id} -> {self.survivor_id}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None
