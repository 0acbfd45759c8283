"""Models of the career center (Bogor Career Center, Disnaker).

Job seekers are registry persons with an AK/1 card; employers are verified by Disnaker before
their vacancies go public; applications move from applied to hired, rejected or withdrawn; a
hire becomes a placement. Every row carries a desa code (or reaches one through its seeker or
employer), so it can be scoped and distributed by regency like the registry.
"""

from sejahtera.careers.models.applications import Application, ApplicationMessage, Notification
from sejahtera.careers.models.employers import Employer, EmployerMember
from sejahtera.careers.models.placements import Placement
from sejahtera.careers.models.recommendations import MatchingChange, Recommendation  # noqa: F401  batch, cache log
from sejahtera.careers.models.referral import Referral  # noqa: F401  offers of training or internships
from sejahtera.careers.models.seekers import (
    Ak1Sequence,
    Certificate,
    DesiredOccupation,
    JobSeeker,
    Skill,
    WorkArea,
    WorkExperience,
)
from sejahtera.careers.models.vacancies import Vacancy

__all__ = [
    "Ak1Sequence", "Application", "ApplicationMessage", "Certificate", "DesiredOccupation", "Employer",
    "EmployerMember", "JobSeeker", "Notification", "Placement", "Skill", "Vacancy", "WorkArea", "WorkExperience",
]
