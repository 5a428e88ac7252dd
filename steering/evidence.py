"""Minh chứng (evidence) for a dossier: which indicators have no evidence file.

NOT CONNECTED YET. Evidence files per record arrive with the roles / data-entry issue (issue 4),
whose model is not on this branch. Until the lead connects it, `indicators_without_evidence`
answers None, which means "unknown", and readiness treats unknown as missing: a dossier can
never be marked ready while this is unconnected. Connecting it means replacing the body of this
one function with a query over that model, keeping the contract below.
"""


def indicators_without_evidence(unit, criteria_set, as_of):
    """Indicators of `criteria_set` for which `unit` has no evidence on its latest record as of
    `as_of`: a list of Indicator; or None while evidence cannot be checked (see module doc).
    """
    return None
