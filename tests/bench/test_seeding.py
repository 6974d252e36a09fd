"""The bench's COPY seeding (bench.seed_rows, bench.fast_seed) on a tiny scale: the demo seeders'
proportions, and every row pointing at rows that exist (the seeding skips foreign-key checks)."""

import pytest
from django.db import connection

from bench import fast_seed, seed

pytestmark = pytest.mark.django_db

SCALE = 500
# (table, column, parent table): every foreign key the seeding writes.
FOREIGN_KEYS = [
    ("households_householdmember", "household_id", "households_household"),
    ("households_resource", "household_id", "households_household"),
    ("households_lease", "household_id", "households_household"),
    ("households_referral", "household_id", "households_household"),
    ("households_referral", "partner_id", "accounts_organisation"),
    ("households_household_assigned_workers", "household_id", "households_household"),
    ("households_household_assigned_workers", "user_id", "accounts_user"),
    ("support_diagnosis", "household_id", "households_household"),
    ("support_diagnosis_authors", "diagnosis_id", "support_diagnosis"),
    ("support_supportepisode", "household_id", "households_household"),
    ("support_intervention", "household_id", "households_household"),
    ("support_intervention", "author_id", "accounts_user"),
    ("support_plangoal", "household_id", "households_household"),
    ("support_psychologistnote", "household_id", "households_household"),
    ("support_budgetcharge", "household_id", "households_household"),
    ("support_budgetdebt", "household_id", "households_household"),
    ("litigation_rentaccountline", "lease_id", "households_lease"),
    ("litigation_procedure", "lease_id", "households_lease"),
    ("litigation_procedure", "household_id", "households_household"),
    ("litigation_procedureevent", "procedure_id", "litigation_procedure"),
    ("litigation_proceduredeadline", "procedure_id", "litigation_procedure"),
    ("litigation_dsf", "procedure_id", "litigation_procedure"),
    ("litigation_repaymentplan", "procedure_id", "litigation_procedure"),
    ("litigation_installment", "plan_id", "litigation_repaymentplan"),
    ("litigation_earlywarning", "lease_id", "households_lease"),
]


def _scalar(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def test_a_tiny_copy_seeding_is_whole_and_in_proportion(reference_data):
    """One seeding (it is the slow part) checked three ways."""
    ctx = seed._context(SCALE)
    rows = fast_seed.generate(ctx, SCALE, workers=1, chunk=250)
    fast_seed.reset_sequences()
    _every_row_points_at_an_existing_row()
    _proportions_are_those_of_the_demo_seeders(rows)
    _the_procedures_debts_match_their_rent_accounts()


def _every_row_points_at_an_existing_row():
    for table, column, parent in FOREIGN_KEYS:
        orphans = _scalar(f"SELECT count(*) FROM {table} t WHERE t.{column} IS NOT NULL AND NOT EXISTS "
                          f"(SELECT 1 FROM {parent} p WHERE p.id = t.{column})")
        assert orphans == 0, f"{table}.{column}: {orphans} rows without their {parent}"
    # Every household has its lease, its referral and a worker.
    for table in ("households_lease", "households_referral", "households_household_assigned_workers"):
        assert _scalar(f"SELECT count(DISTINCT household_id) FROM {table}") == SCALE, table


def _proportions_are_those_of_the_demo_seeders(seeded):
    assert seeded["households_household"] == SCALE
    maintenance = _scalar("SELECT count(*) FROM households_household WHERE track = 'maintien'")
    assert 0.5 < maintenance / SCALE < 0.7  # households.demo: 60 % maintenance
    moselle = _scalar("SELECT count(*) FROM households_household h JOIN accounts_territory t "
                      "ON t.id = h.territory_id WHERE t.code = '57'")
    assert 0.45 < moselle / SCALE < 0.65  # 55 % in Moselle
    # litigation.demo: 12 months of rent lines per maintenance lease, a procedure for 2 in 3.
    leases_with_lines = _scalar("SELECT count(DISTINCT lease_id) FROM litigation_rentaccountline")
    assert leases_with_lines >= maintenance
    assert _scalar("SELECT max(n) FROM (SELECT count(*) n FROM litigation_rentaccountline GROUP BY lease_id) x") == 12
    procedures = seeded["litigation_procedure"]
    assert 0.55 < procedures / maintenance < 0.75
    assert seeded["litigation_procedureevent"] > procedures and seeded["litigation_proceduredeadline"] > procedures
    # support.demo: an episode for admitted, supported and ended households (73 %), visits for most.
    assert 0.65 < seeded["support_supportepisode"] / SCALE < 0.8
    assert seeded["support_intervention"] > 5 * seeded["support_supportepisode"]
    assert seeded["support_plangoal"] > 0
    assert seeded["litigation_installment"] == 12 * seeded["litigation_repaymentplan"]
    assert seeded["litigation_earlywarning"] > 0


def _the_procedures_debts_match_their_rent_accounts():
    mismatched = _scalar(
        "SELECT count(*) FROM litigation_procedure p JOIN (SELECT lease_id, "
        "GREATEST(0, sum(amount_called - housing_benefit - amount_paid)) AS debt "
        "FROM litigation_rentaccountline GROUP BY lease_id) r ON r.lease_id = p.lease_id "
        "WHERE r.debt <> p.current_debt")
    assert mismatched == 0
