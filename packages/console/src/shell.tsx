import { useEffect, useRef } from 'preact/hooks';
import { mutate } from './api.js';
import { pages } from './pages/registry.js';
import type { Route } from './router.js';
import { useMe } from './session.js';

/**
 * The signed-in frame: a skip link, the business and the person, the navigation built from the
 * page registry, and the current page under its heading. On navigation the heading takes focus,
 * so keyboard and screen-reader users land on the new page, not at the top of the old one.
 */
export function Shell({ route, onSignedOut }: { route: Route; onSignedOut: () => void }) {
  const me = useMe();
  const visible = pages.filter((page) => me.role === 'owner' || !page.isOwnerOnly);
  const page = visible.find((p) => p.path === route[0]) ?? visible[0]!;
  const heading = useRef<HTMLHeadingElement>(null);
  const isFirstRender = useRef(true);
  useEffect(() => {
    if (isFirstRender.current) isFirstRender.current = false;
    else heading.current?.focus();
    document.title = `${page.title} · ${me.tenant.name} · gomomo`;
  }, [page.path]);

  async function signOut(everywhere: boolean) {
    await mutate(everywhere ? 'console.auth.signOutEverywhere' : 'console.auth.signOut').catch(() => undefined);
    onSignedOut();
  }

  const Page = page.component;
  return (
    <>
      <a class="skip" href="#main" onClick={(event) => {
        event.preventDefault();
        heading.current?.focus();
      }}>
        Skip to content
      </a>
      <header class="top">
        <span class="business">{me.tenant.name}</span>
        <span class="who">
          {me.name || me.email} ({me.role})
        </span>
        <button type="button" class="link" onClick={() => void signOut(false)}>
          Sign out
        </button>
        <button type="button" class="link" onClick={() => void signOut(true)}>
          Sign out everywhere
        </button>
      </header>
      <nav aria-label="Console">
        <ul>
          {visible.map((p) => (
            <li key={p.path}>
              <a href={`#/${p.path}`} aria-current={p.path === page.path ? 'page' : undefined}>
                {p.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main">
        <h1 ref={heading} tabIndex={-1}>
          {page.title}
        </h1>
        <Page params={route.slice(1)} />
      </main>
    </>
  );
}
