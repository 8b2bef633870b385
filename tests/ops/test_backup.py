import os
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest

from django.db import connection
from django.test import TransactionTestCase

from home.seeding import ensure_home_page
from tests.factories import add_child_page

ROOT = Path(__file__).resolve().parents[2]
SCRATCH_DB = "site_ordre_prod_restore"
PAGE_COLUMNS = "id, depth, path, live, title_fr, title_en, slug_fr, slug_en, url_path_fr, url_path_en"


def database_url(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def run(script: str, *args: str, env: dict[str, str]) -> None:
    subprocess.run(  # noqa: S603
        [str(ROOT / "bin" / script), *args], env={**os.environ, **env}, check=True, capture_output=True
    )


@pytest.mark.postgres
class BackupRestoreTests(TransactionTestCase):
    def test_backup_and_restore_keep_every_page_in_both_languages_and_the_media(self):
        home = ensure_home_page()
        orders = add_child_page(home, "ordres", "orders")
        add_child_page(orders, "infirmieres", "nurses")
        with tempfile.TemporaryDirectory() as tmp:
            media, restored_media, backup = Path(tmp, "media"), Path(tmp, "restored"), Path(tmp, "backup")
            (media / "original_images").mkdir(parents=True)
            (media / "original_images" / "logo.png").write_bytes(b"\x89PNG fake image")

            run(
                "backup",
                str(backup),
                env={
                    "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
                    "MEDIA_ROOT": str(media),
                },
            )
            with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DB}")
                admin.execute(f"CREATE DATABASE {SCRATCH_DB}")
            self.addCleanup(self.drop_scratch_database)
            run(
                "restore",
                str(backup),
                env={"DATABASE_URL": database_url(SCRATCH_DB), "MEDIA_ROOT": str(restored_media)},
            )

            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {PAGE_COLUMNS} FROM wagtailcore_page ORDER BY path")  # noqa: S608
                original = cursor.fetchall()
            with psycopg.connect(database_url(SCRATCH_DB)) as restored:
                copy = restored.execute(
                    f"SELECT {PAGE_COLUMNS} FROM wagtailcore_page ORDER BY path"  # noqa: S608
                ).fetchall()
            self.assertEqual(len(original), 4)  # root, home, two pages
            self.assertEqual([tuple(row) for row in copy], [tuple(row) for row in original])
            self.assertIn(("nurses", "/accueil/ordres/infirmieres/"), [(r[7], r[8]) for r in copy])
            self.assertEqual((restored_media / "original_images" / "logo.png").read_bytes(), b"\x89PNG fake image")

    @staticmethod
    def drop_scratch_database() -> None:
        with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DB}")
