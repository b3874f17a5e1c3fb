"""The LMS's problem-responses report hook, written once: `generate_report_data` rows."""


def report_rows(user_state_iterator, row_of, limit_responses=None):
    """(username, row) per learner whose `row_of(state)` is a row (None: skipped), at most
    `limit_responses` of them.

    Runs in the LMS's report task with no learner bound, so `row_of` may read only the state it
    is handed, content and settings. After the last row it reads no further state: the LMS may
    be paging a large table.
    """
    if limit_responses is not None and limit_responses <= 0:
        return
    count = 0
    for user_state in user_state_iterator:
        row = row_of(user_state.state or {})
        if row is None:
            continue
        yield user_state.username, row
        count += 1
        if limit_responses is not None and count >= limit_responses:
            return
