"""The result ledger on a real database (SQLite by default, MariaDB with ASN_TEST_DB=mysql)."""
import pytest
from django.db import connection
from xblock.fields import ScopeIds

from asn_xblocks.core.ledger import api
from asn_xblocks.core.ledger.models import Attempt, CompetencyScore, ImmutableRowError, Participation

pytestmark = pytest.mark.django_db(transaction=True)


class FakeBlock:
    """Just what the ledger reads from a block."""

    def __init__(self, usage='block-v1:ASN+T+2026+type@asn_case_study+block@abc'):
        self.scope_ids = ScopeIds('7', 'asn_case_study', 'def', usage)


def submission(number=1, **overrides):
    values = dict(user_id='7', anonymous_user_id='anon7', attempt_number=number, score=8.0, max_score=10.0,
                  answers={'path': ['n1:a', 'n2:b']}, competencies={'M.05': (5.0, 10.0), 'M.01': (3.0, 5.0)})
    values.update(overrides)
    return api.Submission(**values)


def test_an_attempt_is_recorded_with_its_competency_scores():
    attempt, created = api.record_attempt(FakeBlock(), submission())
    assert created
    stored = Attempt.objects.get(pk=attempt.pk)
    assert stored.answers == {'path': ['n1:a', 'n2:b']}
    assert stored.percent == 80.0
    assert stored.block_type == 'asn_case_study'
    assert sorted(stored.competency_scores.values_list('competency', 'earned', 'possible')) == [
        ('M.01', 3.0, 5.0), ('M.05', 5.0, 10.0)]


def test_the_same_attempt_twice_records_one_row_and_says_so():
    first, created_first = api.record_attempt(FakeBlock(), submission())
    second, created_second = api.record_attempt(FakeBlock(), submission(score=1.0))
    assert (created_first, created_second) == (True, False)
    assert second.pk == first.pk and second.score == 8.0
    assert Attempt.objects.count() == 1
    assert CompetencyScore.objects.count() == 2


def test_attempts_of_one_learner_are_numbered_and_kept_apart_per_block():
    api.record_attempt(FakeBlock(), submission(1))
    api.record_attempt(FakeBlock(), submission(2))
    api.record_attempt(FakeBlock('other-block'), submission(1))
    assert [a.attempt_number for a in api.attempts_of_block(FakeBlock())] == [1, 2]


def test_rows_are_append_only():
    attempt, _ = api.record_attempt(FakeBlock(), submission())
    attempt.score = 10
    with pytest.raises(ImmutableRowError):
        attempt.save()
    with pytest.raises(ImmutableRowError):
        attempt.delete()
    with pytest.raises(ImmutableRowError):
        Attempt.objects.filter(pk=attempt.pk).update(score=10)
    with pytest.raises(ImmutableRowError):
        Attempt.objects.all().delete()
    assert Attempt.objects.get(pk=attempt.pk).score == 8.0


def test_lms_blocks_are_filed_under_their_course_and_workbench_blocks_under_their_scenario():
    from opaque_keys.edx.keys import UsageKey  # pylint: disable=import-outside-toplevel

    lms_key = UsageKey.from_string('block-v1:Tangsel+ASN101+2026+type@asn_case_study+block@abc')
    assert api.block_context(FakeBlock(lms_key)).course_key == 'course-v1:Tangsel+ASN101+2026'
    workbench = api.block_context(FakeBlock('pelatihan-kecil.asn_case_study.d0.u0'))
    assert workbench.course_key == 'workbench:pelatihan-kecil'


def test_reports_use_indexes_for_their_lookups():
    """The indexes reports depend on exist in the migrated schema."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Attempt._meta.db_table)
    indexed = {tuple(c['columns']) for c in constraints.values() if c['index'] or c['unique']}
    assert ('usage_key', 'user_id', 'attempt_number') in indexed
    assert ('course_key', 'block_type') in indexed
    assert ('course_key', 'pairing_key', 'phase') in indexed


def test_unavailable_ledger_keeps_blocks_working(monkeypatch):
    monkeypatch.setattr(api, 'is_available', lambda: False)
    assert api.record_attempt(FakeBlock(), submission()) == (None, True)
    assert api.attempts_of_block(FakeBlock()) == []
    assert Attempt.objects.count() == 0


def test_only_a_learners_first_start_is_recorded():
    assert api.record_start(FakeBlock(), '7', 'anon7') is True
    assert api.record_start(FakeBlock(), '7', 'anon7') is False
    assert api.record_start(FakeBlock(), '8', 'anon8') is True
    assert api.started_count(FakeBlock().scope_ids.usage_id) == 2
    with pytest.raises(ImmutableRowError):
        Participation.objects.all().delete()
