/**
 * The page at `/`: a minimal chat with the demo tenant using its publishable key, until the widget
 * (its own package) replaces it. Plain HTML and fetch, so it shows exactly what a browser sends.
 */
export function renderDemoPage(input: { publishableKey: string; tenantName: string }): string {
  const config = JSON.stringify({ key: input.publishableKey }).replace(/</g, '\\u003c');
  const name = input.tenantName.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gomomo — ${name}</title>
<style>
  body { font: 16px/1.45 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }
  #log { border: 1px solid #ddd; border-radius: 12px; padding: 1rem; height: 24rem; overflow-y: auto; background: #fafafa; }
  .msg { margin: .4rem 0; padding: .5rem .75rem; border-radius: 10px; max-width: 85%; white-space: pre-wrap; }
  .you { background: #0b5cff; color: #fff; margin-left: auto; }
  .bot { background: #fff; border: 1px solid #e3e3e3; }
  #status { color: #666; font-size: .85rem; min-height: 1.2rem; }
  form { display: flex; gap: .5rem; margin-top: .75rem; }
  input { flex: 1; padding: .6rem; border-radius: 8px; border: 1px solid #ccc; font: inherit; }
  button { padding: .6rem 1rem; border-radius: 8px; border: 0; background: #0b5cff; color: #fff; font: inherit; }
</style>
</head>
<body>
<h1>${name}</h1>
<p>Chat with the receptionist. Try “I'd like a consultation tomorrow morning”.</p>
<div id="log" aria-live="polite"></div>
<div id="status"></div>
<form id="form"><input id="text" autocomplete="off" placeholder="Type a message" required maxlength="2000"><button>Send</button></form>
<script type="module">
const { key } = ${config};
const log = document.getElementById('log');
const status = document.getElementById('status');
const sessionId = sessionStorage.gomomoSession ??= 'demo-' + crypto.randomUUID();
function show(text, who) {
  const div = document.createElement('div');
  div.className = 'msg ' + who;
  div.textContent = text;
  log.append(div);
  log.scrollTop = log.scrollHeight;
}
const events = new EventSource('/trpc/chat.events?input=' + encodeURIComponent(JSON.stringify({ sessionId })) + '&connectionParams=' + encodeURIComponent(JSON.stringify({ apiKey: key })));
events.onmessage = (message) => {
  const event = JSON.parse(message.data);
  if (event.kind === 'turn' && event.event.type === 'status') status.textContent = event.event.status === 'idle' ? '' : event.event.status.replace(/_/g, ' ') + '…';
  if (event.kind === 'domain') status.textContent = event.type;
};
document.getElementById('form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = document.getElementById('text');
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  show(text, 'you');
  const response = await fetch('/trpc/chat.send', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + key }, body: JSON.stringify({ sessionId, text }) });
  const body = await response.json();
  show(body.result ? body.result.data.reply : 'Error: ' + body.error.message, 'bot');
});
</script>
</body>
</html>`;
}
