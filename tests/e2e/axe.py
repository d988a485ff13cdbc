"""Accessibility assertions with axe-core (via axe-playwright-python)."""

from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = {"serious", "critical"}
_axe = Axe()


def assert_no_serious_axe_violations(page, context=None, options=None) -> None:
    """Run axe on the page as it is now; fail listing each serious/critical violation.

    ``context`` and ``options`` go straight to ``axe.run`` (e.g. to exclude a selector).
    """
    kwargs = {"context": context}
    if options is not None:  # None keeps the library's default (violations only)
        kwargs["options"] = options
    results = _axe.run(page, **kwargs)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    if not blocking:
        return
    lines = [f"{len(blocking)} serious/critical axe violation(s) on {page.url}:"]
    for violation in blocking:
        # A target is a list of selectors (more than one when inside iframes/shadow DOM).
        targets = [" >> ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
        more = len(violation["nodes"]) - len(targets)
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" | {', '.join(targets)}{f' (+{more} more)' if more > 0 else ''}"
        )
    raise AssertionError("\n".join(lines))
