"""The cluster's Varnish configuration compiles, and the 503 page it serves is the site's own.

What Varnish does with them (stale copies while both nodes are down, the 503 page for the rest)
is drill 8 (deploy/cluster/drill_stale.py) and the end of the cluster smoke run (test_cluster.py).
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from string import Template

import pytest

from django.test import SimpleTestCase

from ops.management.commands.write_error_pages import error_pages

CLUSTER = Path(__file__).resolve().parents[2] / "deploy" / "cluster"
VARNISHD = shutil.which("varnishd") or ("/usr/sbin/varnishd" if os.path.exists("/usr/sbin/varnishd") else None)


class ErrorPageTests(SimpleTestCase):
    def test_the_503_files_varnish_serves_are_the_sites_503_page_today(self):
        for name, content in error_pages().items():
            with self.subTest(name=name):
                committed = (CLUSTER / "errors" / name).read_bytes()
                # Regenerate with `manage.py write_error_pages deploy/cluster/errors` after a change.
                self.assertEqual(committed, content)
        self.assertIn("Service temporairement indisponible", (CLUSTER / "errors" / "503.fr.html").read_text())
        self.assertIn("Service temporarily unavailable", (CLUSTER / "errors" / "503.en.html").read_text())


def test_the_vcl_compiles():
    if VARNISHD is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install varnish (.ci/run)")
        pytest.skip("varnishd is not installed (apt-get install varnish)")
    vcl = Template((CLUSTER / "varnish.vcl").read_text()).substitute(haproxy_port=8151, errors=CLUSTER / "errors")
    with tempfile.TemporaryDirectory() as folder:  # varnishd reads it as its own user: not pytest's 0700 tmp
        os.chmod(folder, 0o755)  # noqa: S103
        path = Path(folder) / "site.vcl"
        path.write_text(vcl)
        path.chmod(0o644)
        result = subprocess.run(  # noqa: S603
            [VARNISHD, "-C", "-f", str(path), "-n", f"{folder}/varnish"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    for file_name in ("503.fr.html", "503.en.html"):
        assert str(CLUSTER / "errors" / file_name) in vcl
