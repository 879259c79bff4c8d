"""report.html in a real headless browser (Chromium), offline: the page loads with the
network switched off, its plots decode, its tables are there, and following a link to a
sample opens that sample with its program and counterexample. Skipped where no Chromium
is installed (Debian: apt-get install chromium); docs/evaluation.md has the manual check."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from cwmkit.evaluation import load_run
from cwmkit.evaluation.report import write_report
from cwmkit.evaluation.tables import anchor
from tests.test_report import add_training_log, make_eval_run

BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome")
                if shutil.which(b)), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium installed")

#: Appended to a copy of the report: what the page has once loaded, as body attributes.
_PROBE = """<script>window.addEventListener('load', function () {
  var ok = Array.prototype.filter.call(document.images,
    function (i) { return i.complete && i.naturalWidth > 0; });
  document.body.setAttribute('data-images', ok.length);
  document.body.setAttribute('data-tables', document.querySelectorAll('table').length);
});</script>"""


def _dom(url: str, profile) -> str:
    run = subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={profile}", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--virtual-time-budget=3000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120)
    if run.returncode != 0 or "<body" not in run.stdout:
        pytest.skip(f"Chromium did not start here: {run.stderr[-300:]}")
    return run.stdout


def test_the_report_opens_offline_and_a_sample_link_opens_the_sample(tmp_path):
    run = make_eval_run(tmp_path / "run", {"good": 0.8, "weak": 0.3}, n=5)
    add_training_log(run)
    write_report(run, load_run(run))
    results = json.loads((run / "results.json").read_text())
    row = next(r for cell in results["models"]["weak"]["games"].values()
               for r in cell["failed_checks"]
               if r["example"]["counterexample"] and r["example"]["counterexample"]["actions"])
    target = anchor("s", row["example"]["sample"])
    page = (run / "report.html").read_text()
    assert f'href="#{target}"' in page  # the failed-checks table links to it
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", _PROBE + "</body>"))
    dom = _dom(f"{probe.as_uri()}#{target}", tmp_path / "profile")
    body = re.search(r"<body([^>]*)>", dom).group(1)
    assert 'data-images="4"' in body  # every plot decoded
    assert int(re.search(r'data-tables="(\d+)"', body).group(1)) >= 6
    opened = re.search(rf'<details id="{re.escape(target)}"([^>]*)>', dom)
    assert opened and "open" in opened.group(1)
    block = dom[opened.start():dom.index("</details>", opened.start())]
    assert "def get_initial_state" in block and 'class="trace"' in block
