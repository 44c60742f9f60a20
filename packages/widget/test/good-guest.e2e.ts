import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSnippet } from '../src/snippet/snippet.js';
import { startApi, type TestApi } from './support/api.js';
import { artifactsDir, lastReply, launchBrowser, openPanel, say, widget } from './support/browser.js';
import { buildTestBundle } from './support/bundle.js';
import { hostPage, startHostSite, type HostSite } from './support/host.js';

let api: TestApi;
let site: HostSite;
let browser: Browser;
let key: string;

beforeAll(async () => {
  const widgetFile = await buildTestBundle();
  [api, site, browser] = await Promise.all([startApi({ widgetFile }), startHostSite(), launchBrowser()]);
  ({ publishableKey: key } = await api.onboard('guest-clinic', [site.origin]));
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await api?.close();
});

async function visit(path: string, html: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(site.page(path, html));
  (page as Page & { errors: string[] }).errors = errors;
  return page;
}

/** Box and computed styles of one element inside the widget's shadow root. */
async function measure(page: Page, selector: string) {
  return widget(page).locator(selector).first().evaluate((element) => {
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return { width: (element as HTMLElement).offsetWidth, height: (element as HTMLElement).offsetHeight, right: box.right, bottom: box.bottom, fontSize: style.fontSize, display: style.display };
  });
}

const hostile = `<style>
* { all: unset; font-size: 40px !important }
h1, button { color: red !important; background: yellow !important; padding: 30px !important; border: 5px solid lime !important; font-family: fantasy !important }
div { position: relative; z-index: 1 }
</style>
<script>window.preact = { render() { throw new Error('host preact') }, h() { throw new Error('host preact') } }; window.h = 1;</script>`;

describe('a good guest on someone else’s page', () => {
  it('keeps its layout and works on a hostile page (all: unset, !important, global button styles, its own window.preact)', async () => {
    const page = await visit('/hostile', hostPage({ scriptUrl: `${api.origin}/widget.js`, apiKey: key, head: hostile }));
    await openPanel(page);
    const launcher = await measure(page, '.l');
    expect(launcher).toMatchObject({ width: 56, height: 56 });
    const panel = await measure(page, '.p');
    expect(panel.width).toBe(380);
    expect(panel.display).toBe('flex');
    expect((await measure(page, '.fm input')).fontSize).toBe('16px');
    expect((await measure(page, '.b.a')).fontSize).toBe('14px');
    const sendColor = await widget(page).locator('.fm button').evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(sendColor).not.toBe('rgb(255, 255, 0)');
    await say(page, 'hello');
    expect(await lastReply(page)).not.toBe('');
    await page.screenshot({ path: `${artifactsDir}hostile-page.png` });
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
    await page.close();
  });

  it('defines no global but `gomomo`, and loading the script twice mounts one widget', async () => {
    const script = `<script async src="${api.origin}/widget.js" data-key="${key}"></script>`;
    const html = `<!doctype html><html><head><script>window.before = Object.keys(window)</script></head><body>${script}${script}</body></html>`;
    const page = await visit('/twice', html);
    await widget(page).getByRole('button', { name: 'Open chat' }).waitFor();
    await page.waitForTimeout(200);
    const added = await page.evaluate(() => Object.keys(window).filter((name) => !(window as unknown as { before: string[] }).before.includes(name) && name !== 'before'));
    expect(added).toEqual(['gomomo']);
    expect(await page.locator('[data-gomomo]').count()).toBe(1);
    await page.close();
  });

  it('runs calls queued by the inline snippet before the bundle arrived', async () => {
    const snippet = renderSnippet({ scriptUrl: `${api.origin}/widget.js`, apiKey: key, attributes: { language: 'es', color: '#b5179e' } });
    const html = `<!doctype html><html><body>${snippet}${snippet}<script>gomomo('open'); gomomo('on', 'open', function () { window.opened = true })</script></body></html>`;
    const page = await visit('/snippet', html);
    await widget(page).getByRole('textbox', { name: 'Tu mensaje' }).waitFor();
    expect(await widget(page).getByText('Asistente automático, no una persona').count()).toBe(1);
    expect(await page.locator('script[src$="/widget.js"]').count()).toBe(1);
    const accent = await widget(page).locator('.h').evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(accent).toBe('rgb(181, 23, 158)');
    await page.close();
  });

  it('is usable with the keyboard alone: Tab to the launcher, Enter opens with focus in the input, Escape closes and returns focus', async () => {
    const page = await visit('/keyboard', hostPage({ scriptUrl: `${api.origin}/widget.js`, apiKey: key }));
    await widget(page).getByRole('button', { name: 'Open chat' }).waitFor();
    await page.keyboard.press('Tab');
    const focused = () => page.evaluate(() => document.querySelector('[data-gomomo]')?.shadowRoot?.activeElement?.getAttribute('aria-label') ?? null);
    expect(await focused()).toBe('Open chat');
    const outline = await widget(page).locator('.l').evaluate((element) => getComputedStyle(element).outlineStyle);
    expect(outline).toBe('solid');
    await page.keyboard.press('Enter');
    await widget(page).getByRole('dialog').waitFor();
    // The panel moves focus to its input in an effect after it renders; until then the launcher
    // (now labelled "Close chat") still has it.
    await expect.poll(focused).toBe('Your message');
    expect(await widget(page).getByRole('log').getAttribute('aria-live')).toBe('polite');
    await page.keyboard.type('hello');
    await page.keyboard.press('Enter');
    await widget(page).locator('.b.a').nth(1).waitFor();
    await page.keyboard.press('Escape');
    expect(await widget(page).getByRole('dialog').count()).toBe(0);
    await expect.poll(focused).toBe('Open chat');
    await page.close();
  });

  it.each([
    ['desktop', { width: 1280, height: 800 }, 'light'],
    ['phone-320', { width: 320, height: 640 }, 'light'],
    ['phone-375-dark', { width: 375, height: 700 }, 'dark'],
  ] as const)('fits a %s screen (screenshot saved)', async (name, viewport, colorScheme) => {
    const page = await browser.newPage({ viewport, colorScheme });
    await page.goto(site.page(`/size-${name}`, hostPage({ scriptUrl: `${api.origin}/widget.js`, apiKey: key })));
    await openPanel(page);
    await say(page, 'I would like to book a consultation on Thursday');
    const panel = await measure(page, '.p');
    expect(panel.width).toBeLessThanOrEqual(viewport.width);
    expect(panel.right).toBeLessThanOrEqual(viewport.width);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    await page.screenshot({ path: `${artifactsDir}open-${name}.png` });
    await page.close();
  });

  it('turns animations off for visitors who ask for reduced motion', async () => {
    const page = await browser.newPage({ reducedMotion: 'reduce' });
    await page.goto(site.page('/motion', hostPage({ scriptUrl: `${api.origin}/widget.js`, apiKey: key })));
    await openPanel(page);
    expect(await widget(page).locator('.p').evaluate((element) => getComputedStyle(element).animationName)).toBe('none');
    await page.close();
  });
});
