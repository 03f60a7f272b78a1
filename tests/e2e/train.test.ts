/**
 * Training from the editor, in a real browser against `htr-studio serve`: the
 * "Train a model on corrected pages" form lists the transcribed pages, a short
 * training run shows progress and the held-back CER curve, the new model is
 * installed (into a temporary user models folder), listed and chosen, and the
 * page is recognised with it as one undoable edit. Needs Python with PyTorch
 * (skipped with a message where there is none).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { findTorchPython } from '../../electron/node/training/find-python.js';
import { openEditor, shot, type EditorSession } from './harness.js';

const py = findTorchPython();
if (py.python === null) console.warn(`editor training test skipped: ${py.message}`);

let session: EditorSession;
let page: Page;
const models = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-e2e-models-'));
const savedModelsEnv = process.env.HTR_STUDIO_MODELS;

describe.skipIf(py.python === null)('training a model from the editor', () => {
  beforeAll(async () => {
    // The server inherits this: the trained model must not land in the real user models folder.
    process.env.HTR_STUDIO_MODELS = models;
    session = await openEditor({ copies: 1 });
    page = session.page;
  });

  afterAll(async () => {
    await session?.close();
    if (savedModelsEnv === undefined) delete process.env.HTR_STUDIO_MODELS;
    else process.env.HTR_STUDIO_MODELS = savedModelsEnv;
    fs.rmSync(models, { recursive: true, force: true });
  });

  it('trains on a transcribed page with progress and a CER curve, then recognises with the new model (undoable), this page and the other', async () => {
    await page.getByRole('button', { name: 'Train a model on corrected pages…' }).click();
    const form = page.getByRole('form', { name: 'Train a model on corrected pages' });
    await form.getByText(/PH 1858-535 \(48 lines\)/).waitFor({ timeout: 60_000 });
    // the copy stands for a page not corrected yet: not trained on
    await form.getByRole('checkbox', { name: 'PH 1858-535 copy 1 (48 lines)' }).uncheck();
    await form.getByRole('spinbutton', { name: 'Minutes of training' }).fill('0.8');
    await form.getByRole('textbox', { name: 'New model name' }).fill('e2e-clerk');
    await form.getByRole('button', { name: 'Start training' }).click();

    const progress = page.getByRole('group', { name: 'Training in progress' });
    await progress.waitFor();
    await page.locator('.train-curve-dot').first().waitFor({ timeout: 120_000 });
    await shot(page, '40-training-progress');
    await progress.waitFor({ state: 'detached', timeout: 180_000 });
    await page.locator('.status-notice', { hasText: /^Trained: model "e2e-clerk"/ }).waitFor();
    expect(fs.existsSync(path.join(models, 'e2e-clerk', 'model.json'))).toBe(true);

    const recognizer = page.getByRole('combobox', { name: 'Recognition model' });
    await expect.poll(() => recognizer.inputValue()).toBe('e2e-clerk');
    // These pages were transcribed by people: re-reading them is asked for, run by run.
    const replace = page.getByRole('checkbox', { name: 'Also replace corrected text (this run)' });
    await replace.check();
    await page.getByRole('button', { name: 'Recognise this page with it' }).click();
    await page.locator('.status-notice', { hasText: /^Done: 48 lines recognised/ }).waitFor({ timeout: 120_000 });
    expect(await page.getByRole('button', { name: 'Undo Recognise page (Ctrl+Z)' }).isEnabled()).toBe(true);
    await shot(page, '41-recognised-with-trained-model');

    // the page not used for training: recognised now, applied (undoably) when it opens
    await replace.check();
    await page.getByRole('button', { name: 'Recognise the page not used for training' }).click();
    await page.locator('.status-notice', { hasText: /^Done: 48 lines recognised on 1 page/ }).waitFor({ timeout: 120_000 });
    await page.locator('.page-item', { hasText: 'copy 1' }).click();
    await page.locator('.status-notice', { hasText: /^Recognised with the new model while this page was closed/ }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('button', { name: 'Undo Recognise page (Ctrl+Z)' }).isEnabled()).toBe(true);
    expect(session.pageErrors).toEqual([]);
  }, 400_000);
});

describe('training from the editor without Python/torch', () => {
  it('says what to install in the form, and the editor goes on working', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htr-e2e-nopy-'));
    const fake = path.join(dir, 'python3');
    fs.writeFileSync(fake, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const saved = process.env.HTR_STUDIO_PYTHON;
    process.env.HTR_STUDIO_PYTHON = fake;
    const s = await openEditor();
    try {
      await s.page.getByRole('button', { name: 'Train a model on corrected pages…' }).click();
      const alert = s.page.getByRole('alert').filter({ hasText: /PyTorch/ });
      await alert.waitFor({ timeout: 60_000 });
      expect(await alert.textContent()).toMatch(/install/);
      expect(await s.page.getByRole('button', { name: 'Start training' }).isDisabled()).toBe(true);
      await s.page.getByRole('button', { name: 'Cancel' }).click();
      // the rest of the editor is untouched: the recogniser list is there
      expect(await s.page.getByRole('combobox', { name: 'Recognition model' }).inputValue()).not.toBe('');
      expect(s.pageErrors).toEqual([]);
    } finally {
      await s.close();
      if (saved === undefined) delete process.env.HTR_STUDIO_PYTHON;
      else process.env.HTR_STUDIO_PYTHON = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
