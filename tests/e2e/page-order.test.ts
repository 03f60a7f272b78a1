/**
 * The page order in the editor (#21 item 1): the open page moved later and earlier with
 * the page list's buttons; the engine keeps the order in htr-studio.json and the
 * project's mets.xml, and a reload shows it again.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openEditor, TIMEUS_PAGE } from './harness.js';

describe('page order', () => {
  it('moves the open page later and earlier; htr-studio.json and mets.xml follow, a reload keeps it', async () => {
    const s = await openEditor({ copies: 2 });
    try {
      const names = () => s.page.locator('.page-item .page-name').evaluateAll((els) => els.map((e) => e.firstChild?.textContent ?? ''));
      const [a, b, c] = [TIMEUS_PAGE, `${TIMEUS_PAGE} copy 1`, `${TIMEUS_PAGE} copy 2`];
      await expect.poll(names).toEqual([a, b, c]);
      await expect.poll(() => s.page.locator('.page-item.is-current').textContent()).toContain(a);
      const earlier = s.page.getByRole('button', { name: 'Move page earlier' });
      expect(await earlier.isDisabled()).toBe(true);
      await s.page.getByRole('button', { name: 'Move page later' }).click();
      await expect.poll(names).toEqual([b, a, c]);
      const manifest = () => JSON.parse(fs.readFileSync(path.join(s.project.dir, 'htr-studio.json'), 'utf8')) as { order: string[] };
      expect(manifest().order).toEqual([b, a, c].map((n) => `${n}.jpg`));
      const mets = fs.readFileSync(path.join(s.project.dir, 'mets.xml'), 'utf8');
      expect([...mets.matchAll(/xlink:href="([^"]+\.jpg)"/g)].map((m) => m[1])).toEqual([b, a, c].map((n) => `${n}.jpg`));
      // Still the open page, one place later; moved back, the first again.
      await s.page.getByRole('button', { name: 'Move page later' }).click();
      await expect.poll(names).toEqual([b, c, a]);
      expect(await s.page.getByRole('button', { name: 'Move page later' }).isDisabled()).toBe(true);
      await earlier.click();
      await expect.poll(names).toEqual([b, a, c]);
      await s.page.reload();
      await s.page.locator('.line-item').first().waitFor();
      await expect.poll(names).toEqual([b, a, c]);
      expect(s.pageErrors).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
