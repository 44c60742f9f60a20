import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { renderSnippet, renderSnippetScript } from './snippet.js';
import { gzipSync } from 'node:zlib';

interface FakeScript {
  async?: boolean;
  src?: string;
  attributes: Record<string, string>;
  setAttribute(name: string, value: string): void;
}

/** Just the parts of window/document the snippet touches, to run it as a page would. */
function createPage() {
  const appended: FakeScript[] = [];
  const document = {
    createElement: () => ({ attributes: {}, setAttribute(this: FakeScript, name: string, value: string) { this.attributes[name] = value; } }),
    head: { appendChild: (element: FakeScript) => appended.push(element) },
  };
  const window: { gomomo?: ((...args: unknown[]) => void) & { q: unknown[][] } } = {};
  return { window, document, appended, run: (code: string) => runInNewContext(code, { window, document }) };
}

const options = { scriptUrl: 'https://api.gomomo.example/widget.js', apiKey: 'pk_live_abc', attributes: { tenant: 'demo', language: 'es' } };

describe('renderSnippetScript', () => {
  it('queues calls made before the bundle arrives, in order', () => {
    const page = createPage();
    page.run(renderSnippetScript(options));
    page.window.gomomo!('open');
    page.window.gomomo!('identify', { name: 'Ana' });
    expect(page.window.gomomo!.q.map((args) => Array.from(args))).toEqual([['open'], ['identify', { name: 'Ana' }]]);
  });

  it('loads the bundle async with the settings as data attributes', () => {
    const page = createPage();
    page.run(renderSnippetScript(options));
    expect(page.appended).toHaveLength(1);
    expect(page.appended[0]).toMatchObject({ async: true, src: options.scriptUrl, attributes: { 'data-tenant': 'demo', 'data-language': 'es', 'data-key': 'pk_live_abc' } });
  });

  it('is harmless when pasted twice: one stub, one queue, one script', () => {
    const page = createPage();
    page.run(renderSnippetScript(options));
    page.window.gomomo!('open');
    page.run(renderSnippetScript(options));
    expect(page.appended).toHaveLength(1);
    expect(page.window.gomomo!.q).toHaveLength(1);
  });

  it('cannot be broken out of by a value containing </script>', () => {
    const html = renderSnippet({ ...options, attributes: { greeting: '</script><script>alert(1)</script>' } });
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    const page = createPage();
    page.run(renderSnippetScript({ ...options, attributes: { greeting: '</script>' } }));
    expect(page.appended[0]?.attributes['data-greeting']).toBe('</script>');
  });

  it('stays within the 1 kB gzip budget', () => {
    expect(gzipSync(renderSnippet(options)).length).toBeLessThanOrEqual(1000);
  });
});
