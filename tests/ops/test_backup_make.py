"""`make backup` and `make restore` on a server with evidence files, end to end in fresh
processes on an SQLite file: every evidence file comes back byte for byte and downloads again."""

import hashlib
import json
import os
import subprocess
import sys
import textwrap

from tests.ops.conftest import PRODUCTION_KEY, PROJECT

SETUP = textwrap.dedent(
    """
    import json, django
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from devdata.demo import load_demo, load_demo_accounts
    from criteria.models import Indicator
    from records.models import Evidence, ReportingRound
    from records.services import Entry, entry_save
    call_command("migrate", verbosity=0)
    load_demo()
    officer = {u.username: u for u in load_demo_accounts()}["xa_quangtan"]
    files = [SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.7\\n" + bytes(range(256)) * 300),
             SimpleUploadedFile("anh.jpg", b"\\xff\\xd8\\xff\\xe0" + bytes(range(255, -1, -1)) * 50)]
    entry_save(unit=officer.profile.unit, submit=True, user=officer,
               reporting_round=ReportingRound.objects.get(unit__code="dam-ha", as_of="2022-08-19"),
               entries=[Entry(indicator=Indicator.objects.get(criterion__criteria_set__code="xa-ntm-nang-cao-2021-2025", code="13.7"),
                              value_bool=True, files=files)])
    print(json.dumps({e.pk: e.file.name for e in Evidence.objects.all()}))
    """
)
LOSE_EVERYTHING = textwrap.dedent(
    """
    import shutil, django
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.EVIDENCE_ROOT)
    """
)
DOWNLOAD = textwrap.dedent(
    """
    import hashlib, json, django
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from records.models import Evidence
    client = Client()
    client.force_login(get_user_model().objects.get(username="bcd"))
    out = {}
    for e in Evidence.objects.all():
        response = client.get(f"/minh-chung/{e.pk}/")
        out[e.pk] = [response.status_code, hashlib.sha256(b"".join(response.streaming_content)).hexdigest()]
    print(json.dumps(out))
    """
)


def test_make_restore_of_a_backup_with_evidence_gives_back_every_file_byte_for_byte(tmp_path):
    evidence = tmp_path / "evidence"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "ntm_dashboard.settings",
        "SECRET_KEY": PRODUCTION_KEY,
        "HTTPS": "false",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ntm.sqlite3'}",
        "EVIDENCE_ROOT": str(evidence),
        "BACKUP_DIR": str(tmp_path / "backups"),
    }

    def python(script):
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=600
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""

    def make(*args):
        # -o: never (re)install into the shared virtualenv; PY: this interpreter.
        command = ["make", "-s", "-o", ".venv/.installed", f"PY={sys.executable}", *args]
        result = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    names = json.loads(python(SETUP))
    originals = {pk: hashlib.sha256((evidence / name).read_bytes()).hexdigest() for pk, name in names.items()}
    assert len(originals) == 2

    output = make("backup")
    (backup,) = (tmp_path / "backups").glob("ntm-*.dump")
    assert (tmp_path / "backups" / backup.name.replace(".dump", ".evidence.tar")).is_file()
    assert "2 tệp" in output

    python(LOSE_EVERYTHING)
    assert not evidence.exists()

    make("restore", f"FILE={backup}", "NO_INPUT=1")
    assert {pk: hashlib.sha256((evidence / name).read_bytes()).hexdigest() for pk, name in names.items()} == originals
    assert json.loads(python(DOWNLOAD)) == {pk: [200, digest] for pk, digest in originals.items()}
