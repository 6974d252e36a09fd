"""Reference rows every installation has: the roles of docs/domain.md and the programme's départements."""

ROLES = ["social_worker", "psychologist", "manager", "copil_member", "litigation_officer", "bailiff",
         "funder", "administrator"]
TERRITORIES = [("54", "Meurthe-et-Moselle"), ("57", "Moselle"), ("67", "Bas-Rhin"), ("68", "Haut-Rhin")]


def ensure_reference_data(role_model=None, territory_model=None) -> None:
    """Idempotent; also used by the data migration with its historical models."""
    if role_model is None:
        from .models import Role as role_model  # noqa: N813
        from .models import Territory as territory_model
    for code in ROLES:
        role_model.objects.get_or_create(code=code)
    for code, name in TERRITORIES:
        territory_model.objects.get_or_create(code=code, defaults={"name": name})
