"""HTML checkers from node_modules: html-validate (markup and accessibility rules) and vnu (W3C Nu).

A checker that crashes or checks nothing raises CheckerFailed: an empty report must mean "valid".
"""

import json
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HTML_VALIDATE = REPO / "node_modules" / ".bin" / "html-validate"
HTML_VALIDATE_CONFIG = REPO / ".htmlvalidate.json"
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


class CheckerFailed(RuntimeError):
    """The checker did not run to the end, so its silence proves nothing."""


def _failed(tool: str, proc: subprocess.CompletedProcess) -> CheckerFailed:
    output = (proc.stderr or proc.stdout or b"").decode(errors="replace").strip()
    return CheckerFailed(f"{tool} failed (exit {proc.returncode}): {output[:2000]}")


def _require_files(tool: str, files: list[Path]) -> None:
    missing = [str(path) for path in files if not Path(path).is_file()]
    if not files or missing:
        raise CheckerFailed(f"{tool}: nothing to check, or missing files: {missing}")


def html_validate(files: list[Path]) -> dict[str, list[str]]:
    """Messages per file name; one process for all files."""
    _require_files("html-validate", files)
    proc = subprocess.run(  # noqa: S603 - fixed local tool, no shell
        [str(HTML_VALIDATE), "--config", str(HTML_VALIDATE_CONFIG), "--formatter", "json", *map(str, files)],
        capture_output=True,
        timeout=120,
        check=False,
    )
    # Exit 0: no error (warnings may be listed); 1: errors listed, or a crash with no JSON report.
    try:
        results = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise _failed("html-validate", proc) from None
    problems: dict[str, list[str]] = {}
    for result in results:
        for message in result["messages"]:
            text = f"{message['line']}:{message['column']} {message['ruleId']}: {message['message']}"
            problems.setdefault(Path(result["filePath"]).name, []).append(text)
    if proc.returncode not in (0, 1) or (proc.returncode == 1 and not problems):
        raise _failed("html-validate", proc)
    return problems


def vnu_validate(files: list[Path]) -> dict[str, list[str]]:
    """Errors per file name; one JVM for all files (it takes seconds to start)."""
    # vnu reports nothing, and exits 0, for a file it cannot read.
    _require_files("vnu", files)
    proc = subprocess.run(  # noqa: S603 - fixed local tool, no shell
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],  # noqa: S607
        capture_output=True,
        timeout=300,
        check=False,
    )
    try:
        messages = json.loads(proc.stderr)["messages"]
    except (json.JSONDecodeError, KeyError, TypeError):
        raise _failed("vnu", proc) from None
    problems: dict[str, list[str]] = {}
    for message in messages:
        name = Path(message.get("url", "unknown")).name
        problems.setdefault(name, []).append(f"{message.get('lastLine', '?')}: {message['message']}")
    if proc.returncode not in (0, 1) or (proc.returncode == 1 and not problems):
        raise _failed("vnu", proc)
    return problems
