"""The embedded SQLite default survives two writers at once (two staff verifying together)."""

import os
import subprocess
import sys
import textwrap

from tests.ops.conftest import PROJECT

# Two threads verify different submitted records at the same moment: each has read the queue
# before either writes, which is when a deferred SQLite transaction fails at once with
# "database is locked" instead of waiting for the other.
SCRIPT = textwrap.dedent(
    """
    import threading
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from records import services
    from devdata.demo import load_demo, load_demo_accounts
    from criteria.models import Indicator
    from records.models import AchievementRecord, RecordStatus, ReportingRound

    call_command("migrate", verbosity=0)
    load_demo()
    users = {u.username: u for u in load_demo_accounts()}
    meeting = ReportingRound.objects.get(unit__code="dam-ha", as_of="2022-08-19")
    records = []
    for username, code in [("xa_quangtan", "13.7"), ("xa_tanlap", "13.7")]:
        indicator = Indicator.objects.get(criterion__criteria_set__code="xa-ntm-nang-cao-2021-2025", code=code)
        user = users[username]
        records += services.entry_save(
            unit=user.profile.unit, reporting_round=meeting, submit=True, user=user,
            entries=[services.Entry(indicator=indicator, value_bool=True, note="thử")],
        )
    connection.close()

    both_read = threading.Barrier(2)
    check = services._check_verifiable

    def check_then_wait(records, user):
        check(records, user)
        try:
            both_read.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass  # the other writer is waiting for the lock: nothing to line up with

    services._check_verifiable = check_then_wait
    errors = []

    def verify(record):
        try:
            services.records_verify(records=[record], user=users["bcd"])
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=verify, args=(r,)) for r in records]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    verified = AchievementRecord.objects.filter(pk__in=[r.pk for r in records], status=RecordStatus.VERIFIED).count()
    print("errors", errors)
    print("verified", verified)
    """
)


def test_two_simultaneous_verifies_on_a_sqlite_file_both_succeed(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "ntm_dashboard.settings_test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ntm.sqlite3'}",
        "EVIDENCE_ROOT": str(tmp_path / "evidence"),
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    assert "errors []" in result.stdout, result.stdout
    assert "verified 2" in result.stdout
