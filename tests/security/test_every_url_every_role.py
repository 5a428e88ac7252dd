"""Every URL pattern the project defines (from the URL resolver, so a new page is covered without
editing this file) as every role: anonymous, two commune officers of different communes, the
leader, district staff, the province's staff and a superuser. See tests/security/walk.py.

Fails on any response that shows an officer another commune's data (or district staff and the
leader another district's), any row changed by a role that may not change it, anything beyond
logging in and the health probes open to an anonymous visitor, and any server error.
"""

import re
import time
from collections import Counter

from tests.security.walk import ROLES, SUPERUSER, Walk, post_targets


def _report(walk, what, started):
    tally = walk.tally
    print(
        f"\n{what}: {tally.requests} requests ({tally.gets} GET, {tally.posts} POST) over {tally.patterns} URL "
        f"patterns and {len(ROLES)} roles in {time.monotonic() - started:.0f} s; {tally.marked} responses showed "
        f"marked rows; requests that changed rows, by role: {tally.writes}; {len(tally.failures)} failures"
    )
    kinds = Counter(re.sub(r"\d+", "N", f.split(": ", 1)[1]) for f in tally.failures)
    summary = "\n".join(f"{n} × {kind}" for kind, n in kinds.most_common(20))
    assert not tally.failures, summary + "\n\nfirst failures:\n" + "\n".join(tally.failures[:40])


def test_no_role_reads_beyond_its_scope_on_any_url(site):
    started = time.monotonic()
    walk = Walk(site)
    walk.prime()
    for _route, path in walk.paths():
        for role in ROLES:
            response, body, changes = walk.request(role, "get", path)
            walk.check(role, "get", path, response, body, changes)
    _report(walk, "GET walk", started)


def test_no_role_writes_beyond_its_scope_on_any_url(site):
    started = time.monotonic()
    walk = Walk(site)
    walk.prime()
    # The forms a permitted user sees: every page as the superuser.
    pages = {}
    for _route, path in walk.paths():
        response, body, _changes = walk.request(SUPERUSER, "get", path)
        if response is not None and response.status_code == 200 and "html" in response.get("Content-Type", ""):
            pages[path] = body.decode("utf-8", errors="replace")
    for path, data in post_targets(walk, pages):
        for role in ROLES:
            response, body, changes = walk.request(role, "post", path, data)
            walk.check(role, "post", path, response, body, changes)
    _report(walk, "POST walk", started)
