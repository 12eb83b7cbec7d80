import { test, expect, Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { signInAsGuest } from './signIn';

const templateDir = path.resolve(
  __dirname,
  '../../../plugins/scaffolder-backend-module-dual-lane/templates/dual-lane-repository',
);

function readTree(dir: string, base = dir): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(files, readTree(full, base));
    else
      files[path.relative(base, full)] = fs
        .readFileSync(full)
        .toString('base64');
  }
  return files;
}

/**
 * The editor loads a local directory through the File System Access API.
 * Headless Chromium has no picker, so the template is written into the
 * origin's private file system (real, cloneable handles) and the picker
 * returns that directory.
 */
async function offerTemplateDirectory(page: Page) {
  await page.evaluate(async files => {
    const root = await navigator.storage.getDirectory();
    await root
      .removeEntry('dual-lane-repository', { recursive: true })
      .catch(() => {});
    const top = await root.getDirectoryHandle('dual-lane-repository', {
      create: true,
    });
    for (const [file, b64] of Object.entries(files)) {
      const parts = file.split('/');
      let dir = top;
      for (const part of parts.slice(0, -1)) {
        dir = await dir.getDirectoryHandle(part, { create: true });
      }
      const handle = await dir.getFileHandle(parts[parts.length - 1], {
        create: true,
      });
      const writable = await (handle as any).createWritable();
      await writable.write(Uint8Array.from(atob(b64), c => c.charCodeAt(0)));
      await writable.close();
    }
  }, readTree(templateDir));
}

test('a dry run of the dual-lane template in the template editor lists its steps', async ({
  page,
}) => {
  await page.addInitScript(() => {
    (window as any).showDirectoryPicker = async () =>
      (await navigator.storage.getDirectory()).getDirectoryHandle(
        'dual-lane-repository',
      );
  });
  await signInAsGuest(page);
  await offerTemplateDirectory(page);

  await page.goto('/create/edit');
  await page.getByText('Load Template Directory').click();
  await expect(page.getByText('template.yaml')).toBeVisible();

  await page.getByLabel('Name').fill('payments-api');
  // A team of the demo organisation (examples/org.yaml), guest's own.
  await page.getByLabel('Owner').fill('Supply');
  await page
    .getByRole('option', { name: /supply-chain-team|Supply chain/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Next' }).click();

  // RepoUrlPicker: owner and repository name (host is fixed to github.com).
  const owner = page.getByRole('textbox').nth(1);
  await owner.click();
  await owner.pressSequentially('acme');
  await owner.press('Tab');
  const repo = page.getByRole('textbox').nth(2);
  await repo.click();
  await repo.pressSequentially('payments-api');
  await repo.press('Tab');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(
    page.getByRole('cell', { name: 'group:default/supply-chain-team' }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Create' }).click();

  await expect(page.getByText('Dry-run results')).toBeVisible();
  await page.getByRole('tab', { name: 'Log' }).click();
  for (const step of [
    'Read the dual-lane settings',
    'Render the dual-lane skeleton',
    'Create and protect the GitHub repository',
    'Register in the catalog',
  ]) {
    await expect(page.getByText(step, { exact: true })).toBeVisible();
  }
  await expect(page.getByText('Skipped')).toBeVisible();
  await page
    .getByRole('button', { name: /Create and protect the GitHub repository/ })
    .click();
  // The action reports its plan without calling GitHub.
  await expect(
    page.getByText('Dry run: no GitHub request is made. The action would:'),
  ).toBeVisible();
});
