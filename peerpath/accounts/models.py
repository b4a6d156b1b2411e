"""Staff, their teams, API tokens and their private lived experience."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core.choices import Role
from peerpath.core.models import Organisation, Team, TimeStamped


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    OTHER = "other", _("Another gender")
    UNSPECIFIED = "", _("Not stated")


class StaffMember(AbstractUser):
    """A person who signs in: belongs to one organisation, has one role, joins teams."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PEER)
    language = models.CharField(_("language"), max_length=8, default="en", choices=[("en", "English"), ("es", "Español")])
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    spoken_languages = models.CharField(
        _("languages spoken"), max_length=100, blank=True, default="en",
        help_text=_("Language codes separated by commas, e.g. en,es"),
    )
    caseload_capacity = models.PositiveSmallIntegerField(_("caseload capacity"), default=20)
    teams = models.ManyToManyField(Team, through="TeamMembership", related_name="members", blank=True)

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        indexes = [models.Index(fields=["organisation", "role"], name="staff_org_role_idx")]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def language_codes(self) -> set[str]:
        return {code.strip() for code in self.spoken_languages.split(",") if code.strip()}

    def __str__(self) -> str:
        return self.display_name


class TeamMembership(TimeStamped):
    """A staff member's place on a team, from ``created_at`` until ``ended_at``.

    Memberships are deactivated (``is_active=False``, ``ended_at`` set), never deleted: who was on
    which team when stays known. Re-joining a team starts a new membership row. "My teams" is
    ``core.tenancy.active_team_ids`` (active team *and* active membership).
    """

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "team"], condition=models.Q(is_active=True),
                                    name="membership_unique_active"),
        ]


class ApiToken(TimeStamped):
    """A bearer token for the JSON API. Only a SHA-256 hash of the secret is stored."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ExperienceArea(models.Model):
    """A kind of lived experience a peer may hold (e.g. recovery from substance use)."""

    code = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_es = models.CharField(_("name (Spanish)"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PeerExperience(TimeStamped):
    """One area of a peer's own lived experience, under the peer's control.

    Only the owner reads the full list. Others see an area only where the owner consented:
    ``use_for_matching`` (matching may use it, its name shown with the reasons) and
    ``share_with_clients`` (it may be shown to clients).
    """

    owner = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="experiences")
    area = models.ForeignKey(ExperienceArea, on_delete=models.PROTECT, related_name="+")
    use_for_matching = models.BooleanField(_("may be used for matching"), default=False)
    share_with_clients = models.BooleanField(_("may be shown to clients"), default=False)
    private_note = models.TextField(_("private note"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "area"], name="experience_unique_area")]
