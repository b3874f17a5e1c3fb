"""The pre/post competency assessment (`asn_assessment`).

`gains` compares each learner's pre-test with their post-test (matched pairs only) and
`item_analysis` describes how well each item of one test form works, as Moodle's quiz
statistics define it. Both are pure numerics (numpy/scipy): no XBlock, no Django, no I/O,
so the staff report, the CSV export and the LMS report task can share them.
"""
