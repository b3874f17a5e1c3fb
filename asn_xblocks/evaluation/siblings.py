"""Content of the course's other asn blocks, read through the runtime by usage key.

The dashboard needs two things the ledger does not hold: the item bank of a pre/post pair (the
assessment report computes competency gains from it) and the experts of each expert session
(their stakeholder types). Only content fields are read; a block that cannot be loaded (deleted,
another runtime) is skipped, and the dashboard says less rather than failing.
"""
import logging

log = logging.getLogger(__name__)


def load(block, usage_key):
    """The block at `usage_key` in `block`'s runtime, or None."""
    runtime = block.runtime
    try:
        from opaque_keys.edx.keys import UsageKey  # pylint: disable=import-outside-toplevel
        key = UsageKey.from_string(usage_key)
    except Exception:  # pylint: disable=broad-except  # no opaque-keys, or a workbench string id
        key = usage_key
    try:
        return runtime.get_block(key)
    except Exception:  # pylint: disable=broad-except  # a missing block must not break the dashboard
        log.info('asn_evaluation: cannot load %s for the dashboard', usage_key, exc_info=True)
        return None


def bank(block, usage_keys):
    """The item bank (assessment model.Bank) of the first loadable assessment block, else an empty one."""
    from ..assessment.model import Bank  # pylint: disable=import-outside-toplevel
    for usage_key in usage_keys:
        found = load(block, usage_key)
        if found is not None and hasattr(found, 'model') and isinstance(found.model, Bank):
            return found.model
    return Bank.from_dict({'format': 1, 'id': 'unknown', 'title': {'id': '-'}, 'items': []})


def stakeholder_counts(block, usage_keys):
    """{stakeholder type: experts heard} over the course's expert sessions that can be loaded."""
    totals = {}
    for usage_key in usage_keys:
        found = load(block, usage_key)
        if found is None or not hasattr(found, 'model') or not hasattr(found.model, 'stakeholder_counts'):
            continue
        for kind, count in found.model.stakeholder_counts().items():
            totals[kind] = totals.get(kind, 0) + count
    return totals
