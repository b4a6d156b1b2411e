"""Reference data shipped with Peerpath and loaded from ``peerpath/implementation/reference/data/*.json``.

Every row belongs to a ``ReferenceDataset`` (name + version + its sources), so a report can say
which version of CFIR, ERIC or our barrier→strategy table it used. Shipped rows have no
organisation; an organisation's admin adds or retires its own rows (``organisation`` set) without
code changes. Texts carry a Spanish twin (``*_es``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import Organisation, TimeStamped


class Bilingual:
    """``localized("name")`` returns ``name_es`` when the active language is Spanish and it is filled."""

    def localized(self, field: str) -> str:
        if (get_language() or "en").startswith("es"):
            translated = getattr(self, f"{field}_es", "")
            if translated:
                return str(translated)
        return str(getattr(self, field))


class ReferenceDataset(TimeStamped):
    """One version of one shipped dataset (e.g. ``eric`` 2026.1) with the publications it draws on."""

    name = models.CharField(max_length=40)
    version = models.CharField(max_length=20)
    sources = models.JSONField(default=list)  # [{"key", "citation", "licence"}]
    translation_note = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="impl_dataset_unique_version")]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"

    def citation(self, key: str) -> str:
        for source in self.sources:
            if source.get("key") == key:
                return str(source.get("citation", key))
        return key


class CfirDomain(models.TextChoices):
    INNOVATION = "I", _("Innovation")
    OUTER_SETTING = "II", _("Outer setting")
    INNER_SETTING = "III", _("Inner setting")
    INDIVIDUALS = "IV", _("Individuals")
    PROCESS = "V", _("Implementation process")


class ConstructKind(models.TextChoices):
    CONSTRUCT = "construct", _("Construct")
    SUBCONSTRUCT = "subconstruct", _("Subconstruct")
    ROLE = "role", _("Role")
    CHARACTERISTIC = "characteristic", _("Characteristic")


class CfirConstruct(Bilingual, models.Model):
    """A CFIR 2.0 construct, subconstruct, Individuals role or characteristic (Damschroder et al. 2022)."""

    dataset = models.ForeignKey(ReferenceDataset, on_delete=models.PROTECT, related_name="cfir_constructs")
    code = models.CharField(max_length=12)  # "III.D.1"
    domain = models.CharField(max_length=3, choices=CfirDomain.choices)
    kind = models.CharField(max_length=16, choices=ConstructKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    name = models.CharField(max_length=120)
    name_es = models.CharField(max_length=120, blank=True)
    definition = models.TextField(blank=True)
    definition_es = models.TextField(blank=True)
    ratable = models.BooleanField(default=True)
    rated_per_role = models.BooleanField(default=False)  # Individuals characteristics: one rating per role
    reverse_rated = models.BooleanField(default=False)  # e.g. Complexity: more is a barrier
    order = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(max_length=40)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["dataset", "code"], name="impl_cfir_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Cfir2009Construct(Bilingual, models.Model):
    """A construct of the original CFIR (Damschroder et al. 2009), which the CFIR–ERIC matching uses."""

    dataset = models.ForeignKey(ReferenceDataset, on_delete=models.PROTECT, related_name="cfir2009_constructs")
    code = models.CharField(max_length=12)
    domain = models.CharField(max_length=3, choices=CfirDomain.choices)
    name = models.CharField(max_length=120)
    name_es = models.CharField(max_length=120, blank=True)
    parent_code = models.CharField(max_length=12, blank=True)
    source = models.CharField(max_length=40)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["dataset", "code"], name="impl_cfir2009_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CfirCrosswalk(models.Model):
    """CFIR 2.0 construct → the 2009 construct(s) it corresponds to (data, with its source)."""

    dataset = models.ForeignKey(ReferenceDataset, on_delete=models.PROTECT, related_name="crosswalk_rows")
    construct = models.ForeignKey(CfirConstruct, on_delete=models.CASCADE, related_name="crosswalk")
    construct_2009 = models.ForeignKey(Cfir2009Construct, on_delete=models.CASCADE, related_name="crosswalk")
    source = models.CharField(max_length=40)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dataset", "construct", "construct_2009"],
                                               name="impl_crosswalk_unique")]

    def __str__(self) -> str:
        return f"{self.construct_id} → {self.construct_2009_id}"


class EricStrategy(Bilingual, models.Model):
    """One of the 73 ERIC implementation strategies (Powell et al. 2015) with the expert panel's mean
    importance and feasibility ratings (Waltz et al. 2015, Table 1; 1–5)."""

    dataset = models.ForeignKey(ReferenceDataset, on_delete=models.PROTECT, related_name="strategies")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    name_es = models.CharField(max_length=160, blank=True)
    cluster = models.CharField(max_length=80)
    cluster_es = models.CharField(max_length=120, blank=True)
    definition = models.TextField(blank=True)
    definition_es = models.TextField(blank=True)
    importance = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    feasibility = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    quadrant = models.CharField(max_length=3, blank=True)
    verified = models.BooleanField(default=True)
    source = models.CharField(max_length=40)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["dataset", "number"], name="impl_eric_unique_number")]

    def __str__(self) -> str:
        return self.name


class StrategyMatch(TimeStamped):
    """One row of the barrier → strategy table: a strategy that addresses a barrier on a CFIR construct
    (2009, as in Waltz et al. 2019, or 2.0 for peer-support literature rows). Shipped rows have no
    organisation; an organisation's admin adds its own rows and retires rows for its organisation
    (``retired_by``), so recommendations stay explainable row by row."""

    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    dataset = models.ForeignKey(ReferenceDataset, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="strategy_matches")
    construct = models.ForeignKey(CfirConstruct, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    construct_2009 = models.ForeignKey(Cfir2009Construct, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    strategy = models.ForeignKey(EricStrategy, on_delete=models.PROTECT, related_name="matches")
    level = models.PositiveSmallIntegerField(choices=[(1, _("Level 1")), (2, _("Level 2"))])
    endorsement = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    source = models.CharField(max_length=200)
    note = models.CharField(max_length=500, blank=True)
    retired_by = models.ManyToManyField(Organisation, blank=True, related_name="+")

    class Meta:
        ordering = ["level", "-endorsement", "id"]
        constraints = [models.CheckConstraint(
            condition=(models.Q(construct__isnull=False, construct_2009__isnull=True)
                       | models.Q(construct__isnull=True, construct_2009__isnull=False)),
            name="impl_match_one_construct")]

    def __str__(self) -> str:
        return f"{self.construct_id or self.construct_2009_id} → {self.strategy_id}"


class ReadinessInstrument(Bilingual, models.Model):
    """A readiness questionnaire: ORIC (Shea et al. 2014) or AIM/IAM/FIM (Weiner et al. 2017)."""

    dataset = models.ForeignKey(ReferenceDataset, on_delete=models.PROTECT, related_name="instruments")
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=120)
    name_es = models.CharField(max_length=160, blank=True)
    citation_key = models.CharField(max_length=40)
    scale_min = models.PositiveSmallIntegerField(default=1)
    scale_max = models.PositiveSmallIntegerField(default=5)
    scale_labels = models.JSONField(default=list)
    scale_labels_es = models.JSONField(default=list)
    scoring = models.CharField(max_length=20)  # "subscale_means" | "mean"
    missing_rule = models.JSONField(default=dict)
    subscales = models.JSONField(default=list)  # [{"code", "name", "name_es"}]
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["dataset", "code"], name="impl_instrument_unique_code")]

    def __str__(self) -> str:
        return self.name


class ReadinessItem(Bilingual, models.Model):
    """One statement of a readiness instrument, answered on the instrument's agreement scale."""

    instrument = models.ForeignKey(ReadinessInstrument, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    text_es = models.CharField(max_length=300, blank=True)
    subscale = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["instrument", "number"]
        constraints = [models.UniqueConstraint(fields=["instrument", "number"], name="impl_item_unique_number")]

    def __str__(self) -> str:
        return f"{self.instrument.code} {self.number}"


class TemplateKind(models.TextChoices):
    BARRIER = "barrier", _("Barrier")
    FACILITATOR = "facilitator", _("Facilitator")


class BarrierTemplate(Bilingual, TimeStamped):
    """A barrier or facilitator found in the peer-support literature, added to a register in one click."""

    dataset = models.ForeignKey(ReferenceDataset, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=60)
    kind = models.CharField(max_length=12, choices=TemplateKind.choices)
    title = models.CharField(max_length=200)
    title_es = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    description_es = models.TextField(blank=True)
    construct = models.ForeignKey(CfirConstruct, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title


class ChecklistTemplate(Bilingual, TimeStamped):
    """A best-practice checklist item (Mutschler et al. 2022) that starts an implementation plan."""

    dataset = models.ForeignKey(ReferenceDataset, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    title_es = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    description_es = models.TextField(blank=True)
    construct = models.ForeignKey(CfirConstruct, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    strategy = models.ForeignKey(EricStrategy, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class ProcurementRequirement(Bilingual, TimeStamped):
    """An implementation factor a funder should require in a contract for peer support."""

    dataset = models.ForeignKey(ReferenceDataset, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    title_es = models.CharField(max_length=200, blank=True)
    requirement = models.TextField()
    requirement_es = models.TextField(blank=True)
    construct = models.ForeignKey(CfirConstruct, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title
