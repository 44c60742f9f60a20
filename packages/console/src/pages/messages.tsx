import type { ConsolePage } from './page.js';

function Messages() {
  return <p>Coming soon.</p>;
}

export const messagesPage: ConsolePage = { path: 'messages', title: 'Messages', component: Messages };
