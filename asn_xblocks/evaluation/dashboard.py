"""The course's monitoring-and-evaluation dashboard as plain data (numbers, ids, codes: the page
and the exports translate). Everything comes from the result ledger of the block's course.

Kirkpatrick levels side by side: participation (the funnel), reaction and follow-up surveys
(level 1 and 3), learning gain from each pre/post pair (level 2, the assessment's own report
code), case-study and expert-session outcomes, and method effectiveness: gains and reaction
scores of the learners who took part in each method against those who did not.
"""
from __future__ import annotations

from datetime import datetime, timezone

import numpy as np

from ..assessment import report as assessment_report
from ..core.ledger import api as ledger
from . import course_data, privacy, records, siblings
from .model import BEFORE, FOLLOW_UP, NUMBER, REACTION, SATISFACTION, method_item_id
from .survey_stats import KindResults, group_means, matched_change, survey_mean

#: Funnel order: a course runs from the before survey to the follow-up.
STAGE_ORDER = {('asn_evaluation', BEFORE): 0, ('asn_assessment', 'pre'): 1, ('asn_case_study', ''): 2,
               ('asn_expert_session', ''): 3, ('asn_assessment', 'post'): 4, ('asn_evaluation', REACTION): 5,
               ('asn_evaluation', FOLLOW_UP): 6}
LEARNED_METHODS = {'case_study': course_data.CASE_STUDY, 'expert_session': course_data.EXPERT_SESSION}


def funnel(blocks) -> list[dict]:
    """One row per block, in the order a course runs."""
    rows = sorted(blocks.values(), key=lambda b: (STAGE_ORDER.get((b.block_type, b.phase), 9), b.usage_key))
    return [{'usage_key': b.usage_key, 'block_type': b.block_type, 'phase': b.phase, 'started': b.started,
             'finished': b.finished} for b in rows]


def pre_post(block, blocks, with_learners=False) -> list[dict]:
    """The assessment report's gains (overall, per competency) for each pairing key, with each
    learner's row (`rows`, for the CSV export) or their normalised gains as arrays (`gain_arrays`)."""
    course = ledger.block_context(block).course_key
    results = []
    for key in course_data.pairing_keys(course):
        usages = sorted(b.usage_key for b in blocks.values() if b.block_type == course_data.ASSESSMENT
                        and b.pairing_key == key)
        bank = siblings.bank(block, usages)
        pre, post = (ledger.phase_records(course, key, phase) for phase in ('pre', 'post'))
        found = assessment_report.build_report(pre, post, bank, with_learners=with_learners,
                                               with_gain_arrays=not with_learners)
        result = {'pairing_key': key, 'gains': found['gains'], 'competencies': found['competencies']}
        if with_learners:
            result['rows'] = {row['learner_id']: row for row in found['learners']}
        else:
            result['gain_arrays'] = found['gain_arrays']
        results.append(result)
    return results


def learner_gains(pairs) -> tuple[np.ndarray, np.ndarray]:
    """(user ids, each one's mean normalised gain over the pairs they took), NaN-free.

    Summed in pair order, as a running sum per learner would be, so the means are exact repeats."""
    ids = np.concatenate([pair['gain_arrays']['learner_id'] for pair in pairs] or [np.empty(0, str)])
    gains = np.concatenate([pair['gain_arrays']['normalized_gain'] for pair in pairs] or [np.empty(0)])
    kept = ~np.isnan(gains)
    learners, position = np.unique(ids[kept], return_inverse=True)
    return learners, np.bincount(position, weights=gains[kept], minlength=len(learners)) / np.bincount(
        position, minlength=len(learners))


def build(block, questions, now=None) -> dict:
    """The whole dashboard for `block`'s course; `questions` names the survey items (their groups)."""
    course = ledger.block_context(block).course_key
    blocks = course_data.block_figures(course)
    pairs = pre_post(block, blocks)
    experts = sorted(u for u, b in blocks.items() if b.block_type == course_data.EXPERT_SESSION)
    numbers = frozenset(item.id for item in questions.items if item.group == NUMBER)
    kinds = {kind: KindResults(*records.responses(course, kind), number_ids=numbers)
             for kind in (BEFORE, REACTION, FOLLOW_UP)}
    reaction = kinds[REACTION]
    satisfaction_ids = [item.id for item in questions.items if item.group == SATISFACTION]
    confidence_ids = sorted(set(kinds[BEFORE].item_ids) & set(reaction.item_ids))
    return {
        'computed_at': (now or datetime.now(timezone.utc)).isoformat(),
        'ledger_available': ledger.is_available(),
        'learners': course_data.course_learners(course),
        'funnel': funnel(blocks),
        'pre_post': [{key: value for key, value in pair.items() if key != 'gain_arrays'} for pair in pairs],
        'case_study': {code: {'mean': mean, 'n': n} for code, (mean, n) in
                       sorted(course_data.case_study_competencies(course).items())},
        'expert_sessions': {'sessions': len(experts),
                            'completed': sum(blocks[u].finished for u in experts),
                            'started': sum(blocks[u].started for u in experts),
                            'stakeholders': siblings.stakeholder_counts(block, experts)},
        'methods': methods(course, experts, pairs, reaction, satisfaction_ids),
        'surveys': {kind: {'respondents': results.respondents, 'suppressed': results.suppressed,
                           'items': results.items(), 'comments': results.comments}
                    for kind, results in kinds.items()},
        'confidence_change': matched_change(kinds[BEFORE], reaction, confidence_ids),
        'min_group': privacy.MIN_GROUP,
    }


def methods(course, experts, pairs, reaction: KindResults, satisfaction_ids) -> list[dict]:
    """Per method the course used: gain and reaction of participants against the others.

    Gains are test scores (named learners): small groups are shown with a caution. Reaction
    scores come from the anonymous survey: a group under MIN_GROUP respondents is suppressed.
    The reaction score of a respondent is their mean over the satisfaction and method items.
    Learners are hashed to respondent keys once, however many methods they took part in.
    """
    learners, gains = learner_gains(pairs)
    rated = satisfaction_ids + [item_id for item_id in reaction.item_ids if item_id.startswith(method_item_id(''))]
    scores = reaction.scores(rated)
    groups = {method: (course_data.case_study_learners(course) if block_type == course_data.CASE_STUDY
                       else course_data.expert_session_learners(experts))
              for method, block_type in LEARNED_METHODS.items()}
    keys = privacy.respondent_keys(course, {anonymous or user_id for members in groups.values()
                                            for user_id, anonymous in members.items()})
    out = []
    for method, members in groups.items():
        if not members:
            continue
        took_part = np.fromiter((learner in members for learner in learners.tolist()), bool, len(learners))
        respondents = {keys[anonymous or user_id] for user_id, anonymous in members.items()}
        rating = reaction.values(method_item_id(method))
        out.append({'method': method, 'participants': len(members),
                    'gain': dict(zip(('took_part', 'did_not'), group_means(gains, took_part, suppress=False))),
                    'reaction': dict(zip(('took_part', 'did_not'), group_means(scores, reaction.among(respondents)))),
                    'rating': {'n': len(rating), 'suppressed': privacy.is_suppressed(len(rating)),
                               'mean': privacy.shown(survey_mean(rating), len(rating)) if len(rating) else None}})
    return out
