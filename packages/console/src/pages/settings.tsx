import type { ConsolePage } from './page.js';

function Settings() {
  return <p>Coming soon.</p>;
}

export const settingsPage: ConsolePage = { path: 'settings', title: 'Settings', component: Settings };
