"""Change a person's own profile."""

from django.core.exceptions import ValidationError
from django.db import transaction

from journal.errors import DomainError
from journal.models import User
from journal.models.user import orcid_validator
from reviews.services.editor_conflicts import editor_conflicts_person_changed


def _clean_domains(domains: list[str]) -> list[str]:
    cleaned: list[str] = []
    for domain in domains:
        domain = domain.strip().lower().lstrip("@")
        if not domain:
            continue
        if "." not in domain or " " in domain or "@" in domain:
            raise DomainError(f"“{domain}” is not an e-mail domain.", field="email_domains")
        if domain not in cleaned:
            cleaned.append(domain)
    return cleaned


def profile_update(
    *,
    user: User,
    display_name: str,
    affiliation: str = "",
    orcid: str = "",
    email_domains: list[str] = (),
) -> User:
    """Save the person's name, affiliation, ORCID iD and institutional e-mail domains."""
    orcid = orcid.strip().upper().removeprefix("HTTPS://ORCID.ORG/")
    if orcid:
        try:
            orcid_validator(orcid)
        except ValidationError as exc:
            raise DomainError(exc.messages[0], field="orcid") from None
    if not display_name.strip():
        raise DomainError("Give the name others should see.", field="display_name")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.display_name = display_name.strip()
        locked.affiliation = affiliation.strip()
        locked.orcid = orcid
        locked.email_domains = _clean_domains(list(email_domains))
        locked.save(update_fields=["display_name", "affiliation", "orcid", "email_domains"])
        editor_conflicts_person_changed(user=locked)
    for field in ("display_name", "affiliation", "orcid", "email_domains"):
        setattr(user, field, getattr(locked, field))
    return user
