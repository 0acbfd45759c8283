"""Code lists of the registry: Dukcapil codes where they exist."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class Relationship(models.IntegerChoices):
    """Status hubungan dalam keluarga (SHDK), Dukcapil codes."""

    HEAD = 1, _("Head of family")
    HUSBAND = 2, _("Husband")
    WIFE = 3, _("Wife")
    CHILD = 4, _("Child")
    CHILD_IN_LAW = 5, _("Son/daughter-in-law")
    GRANDCHILD = 6, _("Grandchild")
    PARENT = 7, _("Parent")
    PARENT_IN_LAW = 8, _("Parent-in-law")
    OTHER_RELATIVE = 9, _("Other relative")
    HOUSEHOLD_HELPER = 10, _("Household helper")
    OTHER = 11, _("Other")


class MaritalStatus(models.IntegerChoices):
    SINGLE = 1, _("Not married")
    MARRIED = 2, _("Married")
    DIVORCED = 3, _("Divorced")
    WIDOWED = 4, _("Widowed")


class Education(models.IntegerChoices):
    """The 10 Dukcapil education levels, ordered so that ``>=`` compares levels."""

    NONE = 1, _("No schooling")
    PRIMARY_INCOMPLETE = 2, _("Primary school not completed")
    PRIMARY = 3, _("Primary school (SD)")
    JUNIOR_SECONDARY = 4, _("Junior secondary (SLTP)")
    SENIOR_SECONDARY = 5, _("Senior secondary (SLTA)")
    DIPLOMA_I_II = 6, _("Diploma I/II")
    DIPLOMA_III = 7, _("Academy/Diploma III")
    BACHELOR = 8, _("Diploma IV/Bachelor (S1)")
    MASTER = 9, _("Master (S2)")
    DOCTORATE = 10, _("Doctorate (S3)")


class EmploymentStatus(models.TextChoices):
    WORKING = "working", _("Working")
    UNEMPLOYED = "unemployed", _("Unemployed, looking for work")
    IN_SCHOOL = "school", _("In school")
    HOUSEKEEPING = "housekeeping", _("Housekeeping")
    NOT_WORKING = "not_working", _("Not working (other)")


class Disability(models.TextChoices):
    """Categories of UU 8/2016."""

    NONE = "none", _("None")
    PHYSICAL = "physical", _("Physical")
    INTELLECTUAL = "intellectual", _("Intellectual")
    MENTAL = "mental", _("Mental")
    SENSORY = "sensory", _("Sensory")
    MULTIPLE = "multiple", _("Multiple")


class JknStatus(models.TextChoices):
    NONE = "none", _("None")
    PBI_NATIONAL = "pbi_national", _("PBI national (APBN)")
    PBI_DAERAH = "pbi_daerah", _("PBI regional (APBD)")
    PAID = "paid", _("Paid (self or employer)")


class FloorMaterial(models.TextChoices):
    MARBLE = "marble", _("Marble/granite")
    CERAMIC = "ceramic", _("Ceramic")
    PARQUET = "parquet", _("Parquet/vinyl/carpet")
    TILE = "tile", _("Tile/terrazzo")
    WOOD = "wood", _("Wood/board")
    CEMENT = "cement", _("Cement/red brick")
    BAMBOO = "bamboo", _("Bamboo")
    EARTH = "earth", _("Earth")
    OTHER = "other", _("Other")


class WallMaterial(models.TextChoices):
    MASONRY = "masonry", _("Masonry")
    PLASTERED_BAMBOO = "plastered_bamboo", _("Plastered woven bamboo/wire")
    WOOD = "wood", _("Wood/board")
    WOVEN_BAMBOO = "woven_bamboo", _("Woven bamboo")
    LOGS = "logs", _("Logs")
    BAMBOO = "bamboo", _("Bamboo")
    OTHER = "other", _("Other")


class RoofMaterial(models.TextChoices):
    CONCRETE = "concrete", _("Concrete")
    ROOF_TILE = "roof_tile", _("Roof tile")
    ZINC = "zinc", _("Zinc sheet")
    ASBESTOS = "asbestos", _("Asbestos")
    WOOD_SHINGLE = "wood_shingle", _("Wood/shingle")
    BAMBOO = "bamboo", _("Bamboo")
    THATCH = "thatch", _("Straw/palm thatch")
    OTHER = "other", _("Other")


class DrinkingWater(models.TextChoices):
    BOTTLED = "bottled", _("Bottled water")
    REFILL = "refill", _("Refill water")
    PIPED = "piped", _("Piped water")
    BOREHOLE = "borehole", _("Borehole/pump")
    PROTECTED_WELL = "protected_well", _("Protected well")
    UNPROTECTED_WELL = "unprotected_well", _("Unprotected well")
    PROTECTED_SPRING = "protected_spring", _("Protected spring")
    UNPROTECTED_SPRING = "unprotected_spring", _("Unprotected spring")
    SURFACE = "surface", _("River/lake/surface water")
    RAIN = "rain", _("Rain water")
    OTHER = "other", _("Other")


class Toilet(models.TextChoices):
    OWN_SEPTIC = "own_septic", _("Own toilet with septic tank")
    OWN_NO_SEPTIC = "own_no_septic", _("Own toilet without septic tank")
    SHARED = "shared", _("Shared toilet")
    PUBLIC = "public", _("Public toilet")
    NONE = "none", _("No toilet")


class Lighting(models.TextChoices):
    PLN_METERED = "pln_metered", _("PLN electricity, own meter")
    PLN_SHARED = "pln_shared", _("PLN electricity, no own meter")
    NON_PLN = "non_pln", _("Electricity not from PLN")
    NONE = "none", _("No electricity")


class CookingFuel(models.TextChoices):
    ELECTRICITY = "electricity", _("Electricity")
    LPG_LARGE = "lpg_large", _("LPG 5.5 kg or more")
    LPG_3KG = "lpg_3kg", _("LPG 3 kg")
    CITY_GAS = "city_gas", _("City gas/biogas")
    KEROSENE = "kerosene", _("Kerosene")
    CHARCOAL = "charcoal", _("Charcoal/briquettes")
    FIREWOOD = "firewood", _("Firewood")
    NONE = "none", _("Does not cook")


class HomeOwnership(models.TextChoices):
    OWN = "own", _("Own")
    RENT = "rent", _("Rented/contract")
    RENT_FREE = "rent_free", _("Rent-free")
    OFFICIAL = "official", _("Official housing")
    OTHER = "other", _("Other")


INSTALLED_POWER_CHOICES = [(0, _("None")), (450, "450 VA"), (900, "900 VA"), (1300, "1.300 VA"),
                           (2200, "2.200 VA"), (3500, _("More than 2.200 VA"))]
