// The inline snippet: defines a `gomomo` stub that queues calls, then loads the bundle async.
// `if(w.gomomo)return` makes pasting it twice (or beside the plain script tag) harmless. Hand
// minified because it is pasted into other people's pages; the size check keeps it under 1 KB.
const template =
  '!function(w,d,u,a){if(w.gomomo)return;var g=w.gomomo=function(){g.q.push(arguments)};g.q=[];' +
  'var s=d.createElement("script");s.async=!0;s.src=u;for(var k in a)s.setAttribute("data-"+k,a[k]);' +
  '(d.head||d.body).appendChild(s)}(window,document,__URL__,__ATTRS__);';

export interface SnippetOptions {
  /** Where widget.js is served, e.g. `https://api.gomomo.example/widget.js`. */
  scriptUrl: string;
  /** Becomes `data-key`. */
  apiKey: string;
  /** More `data-*` settings: tenant, color, position, greeting, language, title, api. */
  attributes?: Record<string, string>;
}

/** JSON, with `<` escaped so no value can close the inline script element. */
function toScriptLiteral(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The snippet's JavaScript, without the surrounding `<script>` tag. */
export function renderSnippetScript(options: SnippetOptions): string {
  const attributes = { ...options.attributes, key: options.apiKey };
  return template.replace('__URL__', () => toScriptLiteral(options.scriptUrl)).replace('__ATTRS__', () => toScriptLiteral(attributes));
}

/**
 * The HTML a business pastes into its pages.
 * @example renderSnippet({ scriptUrl: 'https://api.example/widget.js', apiKey: 'pk_live_…', attributes: { language: 'es' } })
 */
export function renderSnippet(options: SnippetOptions): string {
  return `<script>${renderSnippetScript(options)}</script>`;
}
