"""The GitHub workflows, Dependabot and pre-commit configurations, checked offline.

Three layers: the files match GitHub's published schemas (check-jsonschema's vendored
copies), zizmor's offline audits find nothing, and the properties this project relies
on (pinned actions, when Pages publishes, who may write what) hold in the parsed YAML.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = GITHUB / "workflows"
CI = WORKFLOWS / "ci.yml"
PAGES = WORKFLOWS / "pages.yml"
DEPENDABOT = GITHUB / "dependabot.yml"
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml")) + sorted(WORKFLOWS.glob("*.yaml"))

SHA_PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(.+?)\s*$")


def _tool(name: str) -> str:
    """A command-line tool of the `test` extra: beside this Python, else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    assert found, f"{name} is missing: it is in the `test` extra, run ./dev.sh test to install it"
    return found


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _triggers(workflow: dict) -> dict:
    """The `on:` mapping (YAML 1.1, which PyYAML reads, turns the bare key `on` into True)."""
    on = workflow["on"] if "on" in workflow else workflow[True]
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return on


def _steps(workflow: dict) -> list[tuple[str, int, dict]]:
    """(job id, index, step) for every step of every job."""
    return [(job_id, index, step)
            for job_id, job in workflow["jobs"].items()
            for index, step in enumerate(job.get("steps", []))]


def _action(step: dict) -> str:
    """The action a step uses, without its ref: 'actions/checkout'."""
    return step.get("uses", "").partition("@")[0]


def _output(step_id: str, name: str) -> str:
    """A step output's expression, as written without spaces."""
    return "${{steps." + step_id + ".outputs." + name + "}}"


def _index(steps: list[dict], predicate, what: str) -> int:
    matches = [i for i, step in enumerate(steps) if predicate(step)]
    assert matches, f"no step {what}"
    return matches[0]


# -- the published schemas ----------------------------------------------------------------

def test_there_are_the_two_workflows():
    assert {p.name for p in WORKFLOW_FILES} >= {"ci.yml", "pages.yml"}


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_workflow_matches_githubs_schema(path: Path):
    for schema in ("vendor.github-workflows", "custom.github-workflows-require-timeout"):
        result = _run(_tool("check-jsonschema"), "--builtin-schema", schema, path)
        assert result.returncode == 0, f"{schema}:\n{result.stdout}{result.stderr}"


def test_dependabot_matches_githubs_schema():
    result = _run(_tool("check-jsonschema"), "--builtin-schema", "vendor.dependabot", DEPENDABOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path: Path):
    """The check has teeth: a job with no `runs-on` and a misspelt trigger fail it."""
    broken = tmp_path / "broken.yml"
    broken.write_text("on: pull_requests\njobs:\n  x:\n    steps:\n      - run: true\n")
    result = _run(_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                  broken)
    assert result.returncode != 0


# -- zizmor, offline ----------------------------------------------------------------------

def _zizmor(*inputs: Path) -> list[dict]:
    """zizmor's findings (regular persona, every severity) over `inputs`, without network."""
    result = _run(_tool("zizmor"), "--offline", "--no-progress", "--strict-collection",
                  "--format", "json", *inputs)
    assert result.stdout.strip(), f"zizmor printed nothing:\n{result.stderr}"
    return json.loads(result.stdout)


def _describe(findings: list[dict]) -> str:
    lines = []
    for finding in findings:
        where = finding["locations"][0]
        path = where["symbolic"]["key"]["Local"]["verbatim_path"]
        row = where["concrete"]["location"]["start_point"]["row"] + 1
        lines.append(f"{path}:{row}: {finding['ident']}: {finding['desc']}")
    return "\n".join(lines)


def test_zizmor_finds_nothing():
    findings = _zizmor(GITHUB, PRE_COMMIT)
    assert findings == [], _describe(findings)


def test_zizmor_would_catch_persisted_credentials(tmp_path: Path):
    """The audit runs offline and catches what the workflows avoid: a checkout that
    leaves the token in .git/config."""
    workflow = tmp_path / "ci.yml"
    text = CI.read_text(encoding="utf-8")
    without = text.replace("          persist-credentials: false\n", "")
    assert without != text
    workflow.write_text(without)
    assert "artipacked" in {f["ident"] for f in _zizmor(workflow)}


# -- pinned actions -----------------------------------------------------------------------

@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path):
    lines = [m.group(1) for m in map(USES_LINE.match, path.read_text().splitlines()) if m]
    parsed = [step["uses"] for _, _, step in _steps(_load(path)) if "uses" in step]
    parsed += [job["uses"] for job in _load(path)["jobs"].values() if "uses" in job]
    assert len(lines) == len(parsed), "every `uses:` must sit on a line of its own"
    unpinned = [line for line in lines if not SHA_PINNED.match(line)]
    assert not unpinned, "pin to a full commit SHA and name the version: " \
        "`uses: owner/repo@<40 hex> # vX.Y.Z`, not " + ", ".join(unpinned)


def test_one_action_is_pinned_to_one_commit_everywhere():
    pins: dict[str, set[str]] = {}
    for path in WORKFLOW_FILES:
        for line in path.read_text().splitlines():
            if match := USES_LINE.match(line):
                action, _, ref = match.group(1).partition("@")
                pins.setdefault(action, set()).add(ref)
    assert {a: refs for a, refs in pins.items() if len(refs) > 1} == {}


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_checkouts_do_not_keep_the_token(path: Path):
    checkouts = [s for _, _, s in _steps(_load(path)) if _action(s) == "actions/checkout"]
    assert checkouts
    assert all(s.get("with", {}).get("persist-credentials") is False for s in checkouts)


# -- CI -----------------------------------------------------------------------------------

def test_ci_runs_on_every_pull_request_and_push():
    triggers = _triggers(_load(CI))
    assert set(triggers) == {"pull_request", "push"}
    assert not any(triggers.values()), "no branch or path filters: every PR and every push"


def test_ci_reads_only():
    workflow = _load(CI)
    assert workflow["permissions"] == {"contents": "read"}
    for job in workflow["jobs"].values():
        assert set(job.get("permissions", {}).values()) <= {"read", "none"}


def test_ci_tests_as_the_readme_does_then_checks_builds_and_keeps_artifacts():
    (job,) = _load(CI)["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    steps = job["steps"]
    runs = [s.get("run", "").strip() for s in steps]
    test = _index(steps, lambda s: s.get("run", "").strip() == "./dev.sh test",
                  "runs ./dev.sh test")
    check = _index(steps, lambda s: re.fullmatch(r"(\.venv/bin/)?sitegen check",
                                                 s.get("run", "").strip()), "runs sitegen check")
    build = _index(steps, lambda s: re.search(r"sitegen build --out _site\b",
                                              s.get("run", "")), "builds into _site")
    assert _action(steps[0]) == "actions/checkout"
    assert 0 < test < check < build, runs
    assert steps[check].get("if", "").replace(" ", "") in ("${{!cancelled()}}", "!cancelled()"), \
        "annotations are wanted most when the tests failed"

    uploads = {s["with"]["path"].split()[0].rstrip("/"): (i, s) for i, s in enumerate(steps)
               if _action(s) == "actions/upload-artifact"}
    assert set(uploads) == {"_site", "test-results", "test-results/lighthouse"}
    site_at, _ = uploads["_site"]
    assert site_at > build
    for kept in ("test-results", "test-results/lighthouse"):  # screenshots, Lighthouse reports
        _, results = uploads[kept]
        assert results.get("if", "").replace(" ", "") in ("${{always()}}", "always()"), kept
    _, results = uploads["test-results"]
    assert "!test-results/lighthouse/" in results["with"]["path"].split(), "uploaded once"


def test_ci_has_no_secrets():
    text = CI.read_text(encoding="utf-8")
    assert "secrets." not in text and "GITHUB_TOKEN" not in text


def test_ci_run_calls_dev_sh_test():
    assert "exec ./dev.sh test" in (ROOT / ".ci" / "run").read_text().splitlines()


# -- Pages --------------------------------------------------------------------------------

def test_pages_publishes_from_main_and_by_hand_only():
    triggers = _triggers(_load(PAGES))
    assert set(triggers) == {"push", "workflow_dispatch"}
    assert triggers["push"] == {"branches": ["main"]}


def test_pages_deploys_after_the_build_into_the_pages_environment():
    jobs = _load(PAGES)["jobs"]
    assert set(jobs) == {"build", "deploy"}
    deploy = jobs["deploy"]
    assert deploy["needs"] in ("build", ["build"])
    assert deploy["environment"]["name"] == "github-pages"
    (step,) = [s for s in deploy["steps"] if _action(s) == "actions/deploy-pages"]
    assert deploy["environment"]["url"].replace(" ", "") == _output(step["id"], "page_url")


def test_pages_permissions_are_as_narrow_as_can_be():
    workflow = _load(PAGES)
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    # configure-pages reads the Pages site to learn its URL: the build may read pages, no more.
    build = jobs["build"].get("permissions", {"contents": "read"})
    assert set(build.items()) <= {("contents", "read"), ("pages", "read")}
    for job_id, job in jobs.items():
        writes = {k for k, v in job.get("permissions", {}).items() if v == "write"}
        assert not writes or job_id == "deploy", f"{job_id} may write {writes}"


def test_pages_never_cancels_a_deployment_in_flight():
    concurrency = _load(PAGES)["concurrency"]
    assert "pages" in concurrency["group"]
    assert concurrency["cancel-in-progress"] is False


def test_pages_builds_for_the_url_pages_reports():
    steps = _load(PAGES)["jobs"]["build"]["steps"]
    configure = _index(steps, lambda s: _action(s) == "actions/configure-pages",
                       "uses configure-pages")
    step_id = steps[configure]["id"]
    build = _index(steps, lambda s: "./dev.sh build-site" in s.get("run", ""),
                   "runs ./dev.sh build-site")
    upload = _index(steps, lambda s: _action(s) == "actions/upload-pages-artifact",
                    "uploads the Pages artifact")
    assert configure < build < upload
    # The URL goes through the environment, never expanded into the script (zizmor's rule).
    match = re.search(r'build-site\s+(\S+)\s+"\$\{?(\w+)\}?"', steps[build]["run"])
    assert match, steps[build]["run"]
    out, variable = match.groups()
    url = steps[build]["env"][variable]
    assert url.replace(" ", "") == _output(step_id, "base_url")
    assert steps[upload]["with"]["path"].rstrip("/") == out.rstrip("/")


# -- dev.sh -------------------------------------------------------------------------------

def test_dev_sh_build_site_wants_its_two_arguments():
    result = _run(ROOT / "dev.sh", "build-site", "_site")
    assert result.returncode == 2
    assert "usage: ./dev.sh build-site OUT BASE_URL" in result.stderr


def test_dev_sh_uses_sudo_for_apt_get_when_not_root():
    text = (ROOT / "dev.sh").read_text()
    assert '[ "$(id -u)" = 0 ] || sudo=sudo' in text
    assert "$sudo apt-get install" in text


# -- Dependabot ---------------------------------------------------------------------------

def test_dependabot_updates_pip_npm_and_actions_weekly():
    config = _load(DEPENDABOT)
    assert config["version"] == 2
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(updates) == {"pip", "npm", "github-actions"}
    for update in updates.values():
        assert update["directory"] == "/"
        assert update["schedule"]["interval"] == "weekly"
    assert (ROOT / "pyproject.toml").exists() and (ROOT / "package.json").exists()


# -- pre-commit ---------------------------------------------------------------------------

def test_pre_commit_runs_ruff_fmt_and_check_with_the_set_up_tools():
    config = _load(PRE_COMMIT)
    hooks = [hook for repo in config["repos"] if repo["repo"] == "local"
             for hook in repo["hooks"]]
    entries = {}
    for hook in hooks:
        program, command = hook["entry"].split()[:2]
        entries[f"{Path(program).name} {command}"] = hook
    assert set(entries) >= {"ruff check", "sitegen fmt", "sitegen check"}
    for name in ("ruff check", "sitegen fmt", "sitegen check"):
        hook = entries[name]
        assert hook["language"] == "system"
        program = hook["entry"].split()[0]
        assert (ROOT / program).exists() or shutil.which(program), \
            f"{program} is neither in the repository after ./dev.sh nor on PATH"
    for name in ("sitegen fmt", "sitegen check"):
        assert entries[name]["pass_filenames"] is False, "sitegen works on the whole catalogue"


def test_pull_requests_get_the_catalogue_diff_in_their_summary():
    steps = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())[
        "jobs"]["test"]["steps"]
    diff = next(step for step in steps if "sitegen diff" in step.get("run", ""))
    assert "pull_request" in diff["if"]
    assert '>> "$GITHUB_STEP_SUMMARY"' in diff["run"]
    # against the commit the pull request is merged onto, which the checkout holds: not the
    # base branch's tip (fetched later, it may have moved on), and no ref from the event
    # in the script
    assert diff["run"] == '.venv/bin/sitegen diff HEAD^1 >> "$GITHUB_STEP_SUMMARY"'
    checkout = next(step for step in steps if step.get("uses", "").startswith(
        "actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 2
