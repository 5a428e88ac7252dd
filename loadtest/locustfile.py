"""Load test: leaders reading reports, officers saving records, district staff verifying.

Run through loadtest/run.sh, which prepares the database, starts gunicorn and sets the variables
read below. Tasks tagged "pending" target pages that other issues are building (the brief, the
API, record entry and verification screens); run.sh excludes them until their URLs exist.
Every record saved carries the note "loadtest <NTM_LOAD_RUN>" so the runner can count them after.
"""

import itertools
import os
import re
from datetime import date, timedelta

from locust import HttpUser, between, events, tag, task

RUN = os.environ.get("NTM_LOAD_RUN", "local")
PASSWORD = os.environ.get("NTM_LOAD_PASSWORD", "demo")
UNIT_ID = os.environ.get("NTM_LOAD_UNIT_ID", "")
INDICATOR_IDS = [i for i in os.environ.get("NTM_LOAD_INDICATOR_IDS", "").split(",") if i]
SAVES_FILE = os.environ.get("NTM_LOAD_SAVES_FILE", "")
REPORT_DATE = "2022-08-19"

# Each save gets its own (indicator, date), so every successful save must be exactly one new row.
_keys = itertools.count()
_saved = []


def _next_record_key():
    n = next(_keys)
    indicator = INDICATOR_IDS[n % len(INDICATOR_IDS)]
    as_of = date(2030, 1, 1) + timedelta(days=n // len(INDICATOR_IDS))
    return indicator, as_of.isoformat()


class LoggedInUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self):
        self.client.get("/accounts/login/", name="login page")
        response = self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf()},
            name="login",
            allow_redirects=False,
        )
        if response.status_code != 302:
            response.failure(f"login as {self.username} answered {response.status_code}")

    def csrf(self):
        return self.client.cookies.get("csrftoken", "")


class Leader(LoggedInUser):
    """A leader reading the committee's figures before a meeting."""

    weight = 3
    username = "lanhdao"

    @task(3)
    def overview(self):
        with self.client.get(f"/?date={REPORT_DATE}", name="overview", catch_response=True) as response:
            if "17,87/19" not in response.text:
                response.failure("overview lacks the district average 17,87/19")

    @task(1)
    def overview_commune(self):
        self.client.get(f"/?unit=xa-quang-tan&date={REPORT_DATE}", name="overview (commune)")

    @tag("pending")
    @task(2)
    def brief(self):
        # reports:brief on main (issue 3); check its date parameter's name after the merge.
        self.client.get(f"/bao-cao-nhanh/?date={REPORT_DATE}", name="brief")

    @tag("pending")
    @task(2)
    def api_summary(self):
        # reports:api_summary on main (issue 3).
        self.client.get(f"/api/v1/units/dam-ha/summary/?date={REPORT_DATE}", name="api summary")


class Officer(LoggedInUser):
    """Saving indicator records. Today through the admin as district staff (commune officers
    only read there); the officers' own entry screen comes with issue 4."""

    weight = 2
    username = "bcd"

    @task
    def save_record_in_admin(self):
        self.client.get("/admin/criteria/achievementrecord/add/", name="record form (admin)")
        indicator, as_of = _next_record_key()
        with self.client.post(
            "/admin/criteria/achievementrecord/add/",
            {
                "unit": UNIT_ID,
                "indicator": indicator,
                "as_of": as_of,
                "value_bool": "true",
                "note": f"loadtest {RUN}",
                "csrfmiddlewaretoken": self.csrf(),
            },
            name="save record (admin)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                _saved.append((indicator, as_of))
            else:
                response.failure(f"save answered {response.status_code}")

    @tag("pending")
    @task
    def save_record(self):
        # TODO(lead): criteria:entry on main (issue 4), as a commune officer (xa_quangtan), needs an
        # open reporting round: POST /nhap-lieu/xa-quang-tan/<set_code>/<number>/ with, per
        # indicator pk, i<pk>-value / i<pk>-note / i<pk>-version (the version the page showed) and
        # action=save or submit. Records are then replaced per (unit, indicator, round date), so
        # the after-count in report.py becomes: one record per key, its version = saves accepted.
        self.client.get("/nhap-lieu/xa-quang-tan/", name="entry unit")


class DistrictStaff(LoggedInUser):
    """District staff checking what communes reported."""

    weight = 1
    username = "bcd"

    @task
    def record_list(self):
        self.client.get(f"/admin/criteria/achievementrecord/?unit__id__exact={UNIT_ID}", name="record list (admin)")

    @tag("pending")
    @task
    def verify_record(self):
        # criteria:queue on main (issue 4): the queue lists submitted records; POST record=<pk>
        # (repeatable) verifies them. Check the checkbox markup the regex reads after the merge.
        response = self.client.get("/duyet/", name="verification queue")
        ids = re.findall(r'name="record" value="(\d+)"', response.text)[:5]
        if ids:
            self.client.post("/duyet/", {"record": ids, "csrfmiddlewaretoken": self.csrf()}, name="verify records")


@events.quitting.add_listener
def _write_saves(environment, **kwargs):
    if SAVES_FILE:
        with open(SAVES_FILE, "w") as f:
            f.writelines(f"{indicator} {as_of}\n" for indicator, as_of in _saved)
