"""Guardianships made before statuses existed were made with a code by a parent: they stay active."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories as f


@pytest.mark.django_db(transaction=True)
def test_the_migration_marks_existing_guardianships_active():
    guardianship = f.GuardianshipFactory()
    child, guardian = guardianship.child, guardianship.guardian
    executor = MigrationExecutor(connection)
    before = [("parents", "0002_labels")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldGuardianship = old.get_model("parents", "Guardianship")
    father = old.get_model("accounts", "User").objects.create(email="second@example.test", full_name="Bố")
    OldGuardianship.objects.create(
        school_id=child.school_id, child_id=child.pk, guardian_id=father.pk, relationship="father"
    )
    assert OldGuardianship.objects.count() == 2

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from parents.models import Guardianship
    from parents.policies import guardian_child_ids

    assert set(Guardianship.objects.values_list("status", flat=True)) == {"active"}
    assert child.pk in guardian_child_ids(guardian)
    assert child.pk in guardian_child_ids(Guardianship.objects.get(guardian__email="second@example.test").guardian)
