// Accessibility checks with axe-core in the real browser: the serious and critical violations on a
// page, in a form a failing test can print (rule, impact, and where).
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";

export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  /** CSS selectors of the offending elements, and axe's summary for the first. */
  targets: string[];
  summary: string;
}

/** The serious and critical WCAG 2.x A/AA violations axe finds on the page as it is now. */
export async function seriousAxeViolations(page: Page): Promise<AxeFinding[]> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
    .analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact ?? "",
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
      summary: violation.nodes[0]?.failureSummary ?? "",
    }));
}
