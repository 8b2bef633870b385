"""Editors' report (by month, by page, CSV), the open data of monthly totals, and the block's labels
in the translator's tools (status, XLIFF)."""

import csv
import datetime
import io
import json

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase

from barometer.models import VoteCount
from barometer.roles import grant_barometer_permissions
from tests.barometer.pages import BLOCK_ID, barometer_site
from translations.pairs import object_texts
from translations.roles import EDITORS, MODERATORS, TRANSLATORS, ensure_roles

User = get_user_model()
NOVEMBER, DECEMBER = datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)


def user_in(group: str, username: str):
    user = User.objects.create_user(username, f"{username}@example.org", "correct-horse")
    user.groups.add(Group.objects.get(name=group))
    return user


class ReportAndOpenDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.other = barometer_site()
        ensure_roles()
        grant_barometer_permissions()
        rows = [
            (NOVEMBER, cls.home, "fr", "public", 3),
            (NOVEMBER, cls.home, "fr", "members", 1),
            (DECEMBER, cls.home, "en", "both", 4),
            (DECEMBER, cls.other, "fr", "public", 2),
            (DECEMBER, None, "fr", "members", 5),  # cast on a page since deleted
        ]
        VoteCount.objects.bulk_create(
            VoteCount(month=month, page=page, language=language, answer=answer, count=count)
            for month, page, language, answer, count in rows
        )
        cls.editor = user_in(EDITORS, "editor")
        cls.moderator = user_in(MODERATORS, "moderator")
        cls.translator = user_in(TRANSLATORS, "translator")

    def csv_rows(self, query: str) -> list[list[str]]:
        response = self.client.get(f"/admin/reports/barometer/?{query}&export=csv")
        self.assertEqual(response.status_code, 200)
        content = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.reader(io.StringIO(content)))

    def test_editors_and_moderators_see_the_report_in_the_reports_menu_translators_do_not(self):
        for user, status in [(self.editor, 200), (self.moderator, 200), (self.translator, 302)]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get("/admin/reports/barometer/")
                self.assertEqual(response.status_code, status)
                menu = self.client.get("/admin/").content.decode()
                self.assertEqual("/admin/reports/barometer/" in menu, status == 200)

    def test_results_by_month_newest_first_with_csv_export(self):
        self.client.force_login(self.editor)
        rows = self.csv_rows("group=month")
        share = "Part répondant «\u00a0le public\u00a0»"
        self.assertEqual(rows[0], ["Mois", "le public", "leurs membres", "les deux", "Votes", share])
        self.assertEqual(
            [row[1:] for row in rows[1:]], [["2", "5", "4", "11", "18,2\u00a0%"], ["3", "1", "0", "4", "75\u00a0%"]]
        )
        self.assertEqual([row[0] for row in rows[1:]], ["décembre 2026", "novembre 2026"])

    def test_results_by_page_name_where_the_votes_were_cast(self):
        self.client.force_login(self.editor)
        by_page = {row[0]: row[2:6] for row in self.csv_rows("group=page")[1:]}
        self.assertEqual(
            by_page,
            {
                "Ordre de protéger": ["3", "1", "4", "8"],
                "Sans baromètre": ["2", "0", "0", "2"],
                "Page supprimée": ["0", "5", "0", "5"],
            },
        )
        html = self.client.get("/admin/reports/barometer/?group=month_page").content.decode()
        self.assertIn(f'href="/admin/pages/{self.home.pk}/edit/"', html)
        self.assertEqual(len(self.csv_rows("group=month_page&language=en")), 2)

    def test_bad_report_parameters_fall_back_to_the_monthly_view(self):
        self.client.force_login(self.editor)
        for query in ["group=%00", "group=zzz&language=xx", "ordering=drop"]:
            with self.subTest(query=query):
                self.assertEqual(self.client.get(f"/admin/reports/barometer/?{query}").status_code, 200)

    def test_open_data_publishes_monthly_totals_only(self):
        data = json.loads(self.client.get("/data/barometer.json").content)
        self.assertEqual(
            data["months"],
            [
                {"month": "2026-11", "public": 3, "members": 1, "both": 0, "total": 4},
                {"month": "2026-12", "public": 2, "members": 5, "both": 4, "total": 11},
            ],
        )
        self.assertEqual(
            data["crop_survey"]["waves_pct"][1],
            {"year": 2013, "public": 12, "members": 39, "both": 49, "respondents": None},
        )
        response = self.client.get("/data/barometer.csv")
        self.assertEqual(
            list(csv.reader(io.StringIO(response.content.decode()))),
            [
                ["month", "public", "members", "both", "total"],
                ["2026-11", "3", "1", "0", "4"],
                ["2026-12", "2", "5", "4", "11"],
            ],
        )
        for body in (json.dumps(data), response.content.decode()):
            self.assertNotIn("page", body.replace("pages", ""))


class BlockTranslationTests(TestCase):
    def test_the_block_labels_are_texts_to_translate_like_any_body_text(self):
        home, _other = barometer_site()
        french, english = object_texts(home, "fr"), object_texts(home, "en")
        for name in ("title", "intro", "question", "answer_public", "answer_members", "answer_both"):
            self.assertIn(f"body.{BLOCK_ID}.{name}", french)
            self.assertIn(f"body.{BLOCK_ID}.{name}", english)
        self.assertEqual(english[f"body.{BLOCK_ID}.answer_members"], "their members")
        admin = User.objects.create_superuser("admin", "admin@example.org", "correct-horse")
        self.client.force_login(admin)
        xliff = self.client.get(f"/admin/translations/pages/{home.pk}/export/", {"language": "en"}).content.decode()
        self.assertIn("<source>Selon vous, les ordres professionnels existent surtout pour protéger…</source>", xliff)
        self.assertIn("In your view, professional orders exist mainly to protect…", xliff)
