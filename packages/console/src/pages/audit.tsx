import type { ConsolePage } from './page.js';

function Audit() {
  return <p>Coming soon.</p>;
}

export const auditPage: ConsolePage = { path: 'audit', title: 'Audit', component: Audit };
