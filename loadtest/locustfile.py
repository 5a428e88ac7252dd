"""Load test: leaders reading reports, officers saving records, district staff verifying.

Run through loadtest/run.sh, which prepares the database, starts gunicorn and sets the variables
read below. Officers save through the real entry form (the open round, yes/no criteria of
xa-quang-tan); district staff verify from the queue. Every line saved carries the note
"loadtest <NTM_LOAD_RUN>". Each user counts what the site said it did (lines written, stale
forms refused, records verified) and the runner compares that with the database's history after.
"""

import json
import os
import random
import re
from collections import Counter

from locust import HttpUser, between, events, task

RUN = os.environ.get("NTM_LOAD_RUN", "local")
PASSWORD = os.environ.get("NTM_LOAD_PASSWORD", "demo")
CRITERIA = [n for n in os.environ.get("NTM_LOAD_CRITERIA", "").split(",") if n]
SET = os.environ.get("NTM_LOAD_SET", "xa-ntm-2021-2025")
SAVES_FILE = os.environ.get("NTM_LOAD_SAVES_FILE", "")
REPORT_DATE = "2022-08-19"

VERSION = re.compile(r'name="i(\d+)-version" value="(\d+)"')
ROUND = re.compile(r'name="round" value="(\d+)"')
WRITTEN = re.compile(r"Đã (?:gửi|lưu nháp) (\d+) chỉ tiêu")
STALE = "Số liệu của bạn chưa được lưu"
AVERAGE = re.compile(r"đạt bình quân [\d,]+/19 tiêu chí")
VERIFIED = re.compile(r"Đã duyệt (\d+) kết quả")
# What the site answered, summed over all users of this process (locust runs one process here).
tally = Counter()


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
        # The average moves while district staff verify this run's records, so any x/19 will do.
        with self.client.get(f"/?date={REPORT_DATE}", name="overview", catch_response=True) as response:
            if not AVERAGE.search(response.text):
                response.failure("overview lacks the district average (…/19 tiêu chí)")

    @task(1)
    def overview_commune(self):
        self.client.get(f"/?unit=xa-quang-tan&date={REPORT_DATE}", name="overview (commune)")

    @task(2)
    def brief(self):
        self.client.get(f"/bao-cao-nhanh/?date={REPORT_DATE}", name="brief")

    @task(2)
    def api_summary(self):
        self.client.get(f"/api/v1/units/dam-ha/summary/?date={REPORT_DATE}", name="api summary")


class Officer(LoggedInUser):
    """A commune officer saving a criterion's lines through the entry form, as draft or submitted."""

    weight = 2
    username = "xa_quangtan"

    @task
    def save_record(self):
        path = f"/nhap-lieu/xa-quang-tan/{SET}/{random.choice(CRITERIA)}/"
        with self.client.get(path, name="entry form", catch_response=True) as page:
            versions = VERSION.findall(page.text)
            round_pk = ROUND.search(page.text)
            if not versions or round_pk is None:
                page.failure("entry form without lines or round (is the round open?)")
                return
        data = {"round": round_pk.group(1), "action": random.choice(["draft", "submit"]),
                "csrfmiddlewaretoken": self.csrf()}  # fmt: skip
        for pk, version in versions:
            data |= {f"i{pk}-value": random.choice(["yes", "no"]), f"i{pk}-version": version,
                     f"i{pk}-note": f"loadtest {RUN}"}  # fmt: skip
        with self.client.post(path, data, name="save entry form", catch_response=True) as response:
            written = WRITTEN.search(response.text)
            if written:
                tally["saves accepted"] += 1
                tally["lines written"] += int(written.group(1))
            elif STALE in response.text:
                # Another officer saved the same criterion between this user's page and post:
                # the site refuses the stale form with a message, as designed; not an error.
                tally["saves refused as stale"] += 1
            else:
                response.failure(f"save answered {response.status_code} without a saved or stale message")


class DistrictStaff(LoggedInUser):
    """District staff verifying what communes submitted, from the queue."""

    weight = 1
    username = "bcd"

    @task
    def verify_records(self):
        response = self.client.get("/duyet/", name="verification queue")
        ids = re.findall(r'name="record" value="(\d+)"', response.text)[:5]
        if not ids:
            return
        with self.client.post(
            "/duyet/", {"record": ids, "csrfmiddlewaretoken": self.csrf()}, name="verify records", catch_response=True
        ) as result:
            verified = VERIFIED.search(result.text)
            if verified:
                tally["records verified"] += int(verified.group(1))
            elif "Chưa chọn kết quả nào" not in result.text:  # all taken by a colleague meanwhile
                result.failure(f"verify answered {result.status_code} without a verified message")


@events.quitting.add_listener
def _write_tally(environment, **kwargs):
    if SAVES_FILE:
        with open(SAVES_FILE, "w") as f:
            json.dump(tally, f)
