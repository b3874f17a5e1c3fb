"""The case-study simulation: a branching scenario scored per decision and per competency."""
