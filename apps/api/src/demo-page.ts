import { renderSnippetScript } from '@gomomo/widget';

function escapeHtml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The demo page's Content-Security-Policy: scripts only from this origin or carrying this answer's
 * nonce (the inline snippet), calls only to this origin (the API), no framing. Styles may be inline
 * because the widget styles its shadow root with a <style> element it cannot give a nonce.
 */
export function demoPageContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The page at `/`: a small "Demo Clinic" website that embeds the chat widget exactly as a business
 * would, with the inline snippet from @gomomo/widget and the demo tenant's publishable key. When the
 * widget bundle is not built the page says so (and how to fix it) instead of a silent empty corner.
 */
export function renderDemoPage(input: {
  publishableKey: string;
  tenantName: string;
  tenantSlug: string;
  isWidgetBuilt: boolean;
  services: { name: string; description: string }[];
  /** The CSP nonce of this answer (see demoPageContentSecurityPolicy); the inline scripts carry it. */
  nonce?: string;
}): string {
  const name = escapeHtml(input.tenantName);
  const nonce = input.nonce ? ` nonce="${escapeHtml(input.nonce)}"` : '';
  const snippet = `<script${nonce}>${renderSnippetScript({ scriptUrl: '/widget.js', apiKey: input.publishableKey, attributes: { tenant: input.tenantSlug } })}</script>`;
  const notice = input.isWidgetBuilt
    ? ''
    : `<p class="notice" role="alert"><strong>The chat widget is not built yet.</strong> Run <code>pnpm build</code> at the repository root, then reload this page.</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${name} — book online</title>
<style>
  body { font: 17px/1.55 system-ui, sans-serif; margin: 0; color: #1d2433; background: #f6f8fb; }
  header { background: #0f4c81; color: #fff; padding: 2.5rem 1.5rem; }
  header h1 { margin: 0 0 .25rem; font-size: 2rem; }
  main { max-width: 46rem; margin: 0 auto; padding: 1.5rem; }
  section { background: #fff; border-radius: 12px; padding: 1.25rem 1.5rem; margin-bottom: 1rem; box-shadow: 0 1px 3px rgb(0 0 0 / 8%); }
  h2 { margin-top: 0; font-size: 1.2rem; }
  ul { padding-left: 1.2rem; }
  .notice { background: #fff4e5; border: 1px solid #f0b45b; border-radius: 8px; padding: .75rem 1rem; }
  footer { color: #66708a; font-size: .85rem; text-align: center; padding: 2rem 1rem; }
</style>
${snippet}
</head>
<body>
<header>
  <h1>${name}</h1>
  <p>Friendly care, weekdays 9:00–17:00.</p>
</header>
<main>
  ${notice}
  <section>
    <h2>Book in a minute</h2>
    <p>Open the chat in the corner and say what you need, for example “I'd like a consultation tomorrow morning”.
    Our automated receptionist finds a time, holds it and books it; you can also reschedule or cancel.</p>
    <p><button type="button" id="open-chat">Chat with us</button></p>
  </section>
  <section>
    <h2>Services</h2>
    <ul>${input.services.map((s) => `<li><strong>${escapeHtml(s.name)}</strong>${s.description ? ` — ${escapeHtml(s.description)}` : ''}</li>`).join('')}</ul>
  </section>
</main>
<footer>A gomomo demo site. The widget is served by this API at <code>/widget.js</code>.</footer>
<script${nonce}>document.getElementById('open-chat').addEventListener('click', function () { gomomo('open'); });</script>
</body>
</html>`;
}
