import { describe, expect, it } from 'vitest';
import { area, metric, snapshot } from './helpers';

/** What the gap suggests earning: only certifications that can still be earned, and a warning for those about to retire. */
describe('certifications the gap suggests', () => {
  const empty = snapshot({});

  it('leaves out certifications retired before the evaluation date', () => {
    const adv = metric(area(empty, 'security', '2026-12-01'), 'intermediate-certifications');
    expect(adv.gapHint.unitDescription).toMatch(/Cybersecurity Architect Expert/);
    expect(adv.gapHint.unitDescription).not.toMatch(/Information Protection Administrator/);
    const baAdv = metric(area(empty, 'business-applications', '2026-12-01'), 'advanced-certifications');
    expect(baAdv.gapHint.unitDescription).not.toMatch(/Power Platform Solution Architect Expert/);
    expect(area(empty, 'security', '2026-12-01').gap!.steps.map((s) => s.what).join('\n')).not.toMatch(/Information Protection Administrator/);
  });

  it('marks a certification that retires within 90 days with its date, and suggests it plainly before that', () => {
    const soon = metric(area(empty, 'business-applications', '2026-05-15'), 'advanced-certifications').gapHint.unitDescription;
    expect(soon).toMatch(/Power Platform Solution Architect Expert \(retiring on 2026-06-30\)/);
    const early = metric(area(empty, 'business-applications', '2026-01-15'), 'advanced-certifications').gapHint.unitDescription;
    expect(early).toMatch(/Power Platform Solution Architect Expert(?! \(retiring)/);
  });
});
