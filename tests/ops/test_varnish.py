"""The cluster's Varnish configuration compiles, shields the site, and its 503 page is the site's own.

test_the_shield_* runs deploy/cluster/varnish.vcl in varnishtest against a scripted backend (a
few seconds, no cluster). The same with the real cluster, both nodes stopped under load, is
drill 8 (deploy/cluster/drill_stale.py) and the end of the smoke run (test_cluster.py).
"""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from django.test import SimpleTestCase

from deploy.cluster.services import render_vcl
from ops.management.commands.write_error_pages import error_pages

CLUSTER = Path(__file__).resolve().parents[2] / "deploy" / "cluster"
VARNISHD = shutil.which("varnishd") or ("/usr/sbin/varnishd" if os.path.exists("/usr/sbin/varnishd") else None)
# s-maxage 1 s and stale-while-revalidate 1 s, so the test waits seconds, not minutes.
CACHE_CONTROL = "public, max-age=0, s-maxage=1, stale-while-revalidate=1, stale-if-error=100"
# The backend (HAProxy in the cluster) answers: a page, the page again, HAProxy's own 503 (which
# has no X-Content-Type-Options), then the site's own 503 to a form post (passed through as is).
SHIELD_VTC = """varnishtest "the site's shield"
server s1 {
    rxreq
    txresp -hdr "Cache-Control: @CC@" -hdr "X-Content-Type-Options: nosniff" -body "page v1"
    rxreq
    expect req.url == "/fr/page/"
    txresp -hdr "Cache-Control: @CC@" -hdr "X-Content-Type-Options: nosniff" -body "page v2"
    rxreq
    expect req.url == "/fr/other/"
    txresp -status 503 -body "No server is available to handle this request."
    expect_close
    accept
    rxreq
    expect req.method == "POST"
    txresp -status 503 -hdr "X-Content-Type-Options: nosniff" -body "read-only"
} -start

varnish v1 -vcl {
@VCL@
} -start

client c1 {
    txreq -url "/fr/page/"
    rxresp
    expect resp.body == "page v1"
    txreq -url "/fr/page/"
    rxresp
    expect resp.http.X-Cache == "hit"
    expect resp.http.X-Stale-While-Revalidate == <undef>
    # Past its lifetime and its stale-while-revalidate, the site up: a fresh copy.
    delay 2.5
    txreq -url "/fr/page/"
    rxresp
    expect resp.body == "page v2"
    expect resp.http.X-Cache == "miss"
    # Nothing stored and HAProxy's 503: the site's 503 page, in the URL's language.
    txreq -url "/fr/other/"
    rxresp
    expect resp.status == 503
    expect resp.http.Retry-After == "60"
    expect resp.http.Content-Language == "fr"
    expect resp.body ~ "Service temporairement indisponible"
    txreq -req POST -url "/fr/blog/" -body "x"
    rxresp
    expect resp.status == 503
    expect resp.body == "read-only"
} -run

varnish v1 -cliok "backend.set_health haproxy sick"

client c2 {
    # The site down (the probe's verdict): the expired copy, and nothing asked of the backend.
    delay 1.5
    txreq -url "/fr/page/"
    rxresp
    expect resp.status == 200
    expect resp.body == "page v2"
    expect resp.http.X-Cache == "stale"
    txreq -url "/en/nothing/"
    rxresp
    expect resp.status == 503
    expect resp.http.Content-Language == "en"
    expect resp.http.Cache-Control == "no-store"
    expect resp.body ~ "Service temporarily unavailable"
    expect resp.body !~ "Guru Meditation"
    txreq -url "/healthz" -hdr "Accept-Language: en-CA,en"
    rxresp
    expect resp.http.Content-Language == "en"
} -run
"""


class ErrorPageTests(SimpleTestCase):
    def test_the_503_files_varnish_serves_are_the_sites_503_page_today(self):
        for name, content in error_pages().items():
            with self.subTest(name=name):
                committed = (CLUSTER / "errors" / name).read_bytes()
                # Regenerate with `manage.py write_error_pages deploy/cluster/errors` after a change.
                self.assertEqual(committed, content)
        self.assertIn("Service temporairement indisponible", (CLUSTER / "errors" / "503.fr.html").read_text())
        self.assertIn("Service temporarily unavailable", (CLUSTER / "errors" / "503.en.html").read_text())


def need_varnish() -> None:
    if VARNISHD is None or not shutil.which("varnishtest"):
        if os.environ.get("CI"):
            pytest.fail("CI must install varnish (.ci/run)")
        pytest.skip("varnishd is not installed (apt-get install varnish)")


def test_the_vcl_compiles():
    need_varnish()
    vcl = render_vcl(8151)
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
    for file_name in ("503.fr.html", "503.en.html"):  # inside the VCL: nothing read from the checkout
        assert (CLUSTER / "errors" / file_name).read_text() in vcl
    assert "fileread" not in vcl


def test_the_shield_serves_stale_copies_and_the_sites_503_page():
    need_varnish()
    vcl = render_vcl("${s1_port}")
    vcl = re.sub(r"\n    \.probe = \{.*?\n    \}\n", "\n", vcl, flags=re.DOTALL)  # health set by the test
    script = SHIELD_VTC.replace("@CC@", CACHE_CONTROL).replace("@VCL@", vcl.replace("vcl 4.1;", "", 1))
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o755)  # noqa: S103
        path = Path(folder) / "shield.vtc"
        path.write_text(script)
        result = subprocess.run(  # noqa: S603
            ["varnishtest", "-q", str(path)],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert ".probe" not in script
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
