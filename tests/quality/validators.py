"""HTML checkers from node_modules: html-validate (markup and accessibility rules) and vnu (W3C Nu)."""

import json
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HTML_VALIDATE = REPO / "node_modules" / ".bin" / "html-validate"
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def html_validate(files: list[Path]) -> dict[str, list[str]]:
    """Messages per file name; one process for all files."""
    proc = subprocess.run(  # noqa: S603 - fixed local tool, no shell
        [str(HTML_VALIDATE), "--config", str(REPO / ".htmlvalidate.json"), "--formatter", "json", *map(str, files)],
        capture_output=True,
        timeout=120,
        check=False,
    )
    problems: dict[str, list[str]] = {}
    for result in json.loads(proc.stdout or b"[]"):
        for message in result["messages"]:
            text = f"{message['line']}:{message['column']} {message['ruleId']}: {message['message']}"
            problems.setdefault(Path(result["filePath"]).name, []).append(text)
    return problems


def vnu_validate(files: list[Path]) -> dict[str, list[str]]:
    """Errors per file name; one JVM for all files (it takes seconds to start)."""
    proc = subprocess.run(  # noqa: S603 - fixed local tool, no shell
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],  # noqa: S607
        capture_output=True,
        timeout=300,
        check=False,
    )
    problems: dict[str, list[str]] = {}
    for message in json.loads(proc.stderr or b'{"messages": []}')["messages"]:
        name = Path(message.get("url", "unknown")).name
        problems.setdefault(name, []).append(f"{message.get('lastLine', '?')}: {message['message']}")
    return problems
