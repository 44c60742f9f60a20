// Debian's Chromium driven by playwright-core. Never a downloaded browser: CI installs the distro
// package, and playwright-core ships no browser of its own.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const artifactsDir = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/** Launches headless Chromium (playwright gives each launch a fresh temporary profile). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}: apt-get install -y chromium`);
  await mkdir(artifactsDir, { recursive: true });
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** The widget's shadow root content; Playwright's CSS locators pierce open shadow roots. */
export function widget(page: Page): Locator {
  return page.locator('[data-gomomo]');
}

/** Opens the panel with the launcher and waits until it can take a message. */
export async function openPanel(page: Page): Promise<void> {
  await widget(page).getByRole('button', { name: 'Open chat' }).click();
  await widget(page).getByRole('textbox', { name: 'Your message' }).waitFor();
}

/** Types a message, sends it and waits for the assistant's answer to land. */
export async function say(page: Page, text: string): Promise<void> {
  const replies = widget(page).locator('.b.a');
  const before = await replies.count();
  await widget(page).getByRole('textbox', { name: 'Your message' }).fill(text);
  await widget(page).getByRole('button', { name: 'Send' }).click();
  await replies.nth(before).waitFor({ timeout: 20_000 });
}

export async function lastReply(page: Page): Promise<string> {
  return (await widget(page).locator('.b.a').last().innerText()).replace(/^Assistant:\s*/, '');
}
