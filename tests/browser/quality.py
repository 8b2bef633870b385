"""axe-core in the browser: inject the npm build and report violations of the WCAG A/AA rules."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe_source = None


def run_axe(page, context=None, tags=AXE_TAGS, disabled_rules=()) -> dict:
    """Run axe on the page (or a CSS selector context) and return its results."""
    global _axe_source
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        _axe_source = _axe_source or AXE_JS.read_text(encoding="utf-8")
        page.evaluate(_axe_source)  # not add_script_tag(): the site's CSP refuses it
    options = {"runOnly": {"type": "tag", "values": list(tags)}, "resultTypes": ["violations"]}
    if disabled_rules:
        options["rules"] = {rule: {"enabled": False} for rule in disabled_rules}
    return page.evaluate("([ctx, opts]) => axe.run(ctx || document, opts)", [context, options])


def axe_report(page, **kwargs) -> str:
    """One line per violation and up to five offending elements each; empty when there is none."""
    violations = run_axe(page, **kwargs)["violations"]
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        lines += [
            f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[1].strip()}"
            for node in violation["nodes"][:5]
        ]
    return "\n".join(lines)


def assert_no_axe_violations(page, **kwargs) -> None:
    report = axe_report(page, **kwargs)
    assert not report, f"axe violations on {page.url}:\n{report}"
