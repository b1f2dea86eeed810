// axe-core over <vod-uploader> (and whatever else `include` names): the violations as readable lines,
// expected to be none.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './server.js';

export async function expectNoAxeViolations(page: Page, state: string, include = 'vod-uploader'): Promise<void> {
  const result = await new AxeBuilder({ page }).include(include).analyze();
  const summary = result.violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''} ${n.html}`).join(' | ')}`,
  );
  expect(summary, `axe violations in the ${state} state`).toEqual([]);
}
