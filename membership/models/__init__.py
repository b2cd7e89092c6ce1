"""The register's models, in rooms: the register itself, applications, the census population and
members' own census answers, and access that needs the membership office. Import them from here."""

from membership.models.access import AccountReferral, InspectionRequest, InspectionStatus
from membership.models.applications import Application, ApplicationStatus, ProposedLeaver
from membership.models.census import (
    ApplicantCensusAnswers,
    CensusAnswers,
    CensusFigure,
    CensusTopic,
    Deprivation,
    PostcodeArea,
    RepresentationTarget,
)
from membership.models.register import (
    Area,
    CeaseReason,
    Constituency,
    ConstituencyKind,
    LawfulBasis,
    Member,
    Membership,
    loose_key,
    normalise_postcode,
    outward_code,
    takes_post,
)

__all__ = [
    "AccountReferral",
    "ApplicantCensusAnswers",
    "Application",
    "ApplicationStatus",
    "Area",
    "CeaseReason",
    "CensusAnswers",
    "CensusFigure",
    "CensusTopic",
    "Constituency",
    "ConstituencyKind",
    "Deprivation",
    "InspectionRequest",
    "InspectionStatus",
    "LawfulBasis",
    "Member",
    "Membership",
    "PostcodeArea",
    "ProposedLeaver",
    "RepresentationTarget",
    "loose_key",
    "normalise_postcode",
    "outward_code",
    "takes_post",
]
