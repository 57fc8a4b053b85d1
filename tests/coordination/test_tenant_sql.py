"""The reading of SQL behind test_tenant_queries.py: what Citus could send to one school's shard."""

from __future__ import annotations

from tests.coordination.tenant_sql import judge

DISTRIBUTED = {"schools_child", "parents_guardianship", "portfolio_work"}


def test_a_read_by_school_is_routed():
    sql = (
        'SELECT "schools_child"."id" FROM "schools_child" '
        'WHERE ("schools_child"."school_id" = 3 AND "schools_child"."id" = 5)'
    )
    assert judge(sql, DISTRIBUTED).ok


def test_a_read_by_id_alone_is_not():
    verdict = judge('SELECT "schools_child"."id" FROM "schools_child" WHERE "schools_child"."id" = 5', DISTRIBUTED)
    assert not verdict.ok and verdict.tables == {"schools_child"}


def test_a_school_compared_with_another_column_is_not_a_filter():
    sql = (
        'SELECT "schools_child"."id" FROM "schools_child" INNER JOIN "parents_guardianship" '
        'ON ("schools_child"."school_id" = "parents_guardianship"."school_id") WHERE "schools_child"."id" = 5'
    )
    assert not judge(sql, DISTRIBUTED).ok


def test_a_persons_guardianships_may_be_read_by_the_person_also_in_a_subquery():
    sql = (
        'SELECT "schools_child"."id" FROM "schools_child" WHERE "schools_child"."id" IN '
        '(SELECT U0."child_id" FROM "parents_guardianship" U0 WHERE U0."guardian_id" = 7)'
    )
    assert judge(sql, DISTRIBUTED).allowed == "a person's guardianships"


def test_an_allowed_column_of_another_table_allows_nothing():
    sql = 'SELECT "portfolio_work"."id" FROM "portfolio_work" WHERE "portfolio_work"."guardian_id" = 7'
    assert not judge(sql, DISTRIBUTED).ok


def test_a_work_found_by_its_token_is_allowed_and_an_update_by_id_is_not():
    assert judge(
        'SELECT "portfolio_work"."id" FROM "portfolio_work" WHERE "portfolio_work"."token" = \'k3Xq\'', DISTRIBUTED
    ).ok
    assert not judge('UPDATE "portfolio_work" SET "title" = \'x\' WHERE "portfolio_work"."id" = 3', DISTRIBUTED).ok


def test_inserts_and_other_tables_are_not_judged():
    assert judge('INSERT INTO "schools_child" ("school_id", "full_name") VALUES (3, \'An\')', DISTRIBUTED).ok
    assert judge('SELECT "accounts_user"."id" FROM "accounts_user" WHERE "accounts_user"."id" = 1', DISTRIBUTED).ok
