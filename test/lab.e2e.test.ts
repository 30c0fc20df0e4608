// End to end: build the lab page, serve it on 127.0.0.1, drive Debian's chromium headless
// (never a downloaded browser) through training, reconstructions and a checkpoint round trip.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveLab, type LabServer } from '../src/lab/serve.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`lab end-to-end test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

const ARTEFACTS = resolve('test-results');
/** Loss per sample the training batch must fall below (it starts near 19 on the bundled digits). */
const LOSS_THRESHOLD = 8;

describe('the lab in a browser', () => {
  let server: LabServer;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'reclink-lab-e2e-'));

  beforeAll(async () => {
    if (!hasChromium) return;
    const outDir = join(scratch, 'web');
    await build({ configFile: resolve('vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    server = await serveLab({ root: outDir });
    context = await chromium.launchPersistentContext(join(scratch, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it.skipIf(!hasChromium)('trains, draws reconstructions and round-trips a checkpoint, without a console error', async () => {
    await page.goto(server.url);
    await expect.poll(() => page.textContent('#status'), { timeout: 15_000 }).toMatch(/^Paused · step 0/);
    const firstValidation = Number(await page.textContent('#readout-validation'));
    expect(firstValidation).toBeGreaterThan(LOSS_THRESHOLD);

    await page.keyboard.press('Space');
    await page.getByRole('tab', { name: 'Training' }).click();
    await page.waitForFunction((threshold) => Number(document.querySelector('#readout-train')?.textContent) < threshold, LOSS_THRESHOLD, { timeout: 30_000 });
    await page.getByRole('button', { name: /^Pause/ }).click();
    await expect.poll(() => page.textContent('#status')).toMatch(/^Paused/);

    // The reconstruction rows (every second row of tiles) hold bright pixels: the digits are drawn.
    const bright = await page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('#reconstructions');
      const context = canvas?.getContext('2d');
      if (!canvas || !context) return -1;
      const { data } = context.getImageData(0, 16, canvas.width, 15);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] > 100 && data[i] === data[i + 1]) count++;
      return count;
    });
    expect(bright).toBeGreaterThan(100);

    mkdirSync(ARTEFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTEFACTS, 'lab.png') });
    expect(problems).toEqual([]);
  });
});
