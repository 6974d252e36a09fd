import pytest

from .factories import DiagnosisFactory, EpisodeFactory, InterventionFactory, PlanGoalFactory, PsychologistNoteFactory

SECRET_NOTE = "CONFIDENTIEL-PSY angoisse liée à la procédure"


@pytest.fixture
def case(households, personas):
    """households.mine with a diagnosis, an open episode, a visit, a goal and a psychologist note."""
    h = households.mine
    return type("Case", (), dict(
        household=h,
        diagnosis=DiagnosisFactory(household=h),
        episode=EpisodeFactory(household=h),
        visit=InterventionFactory(household=h, author=personas.worker),
        goal=PlanGoalFactory(household=h, owner=personas.worker),
        note=PsychologistNoteFactory(household=h, author=personas.psychologist, content=SECRET_NOTE),
    ))
