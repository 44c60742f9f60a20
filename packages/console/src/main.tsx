import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, query, setCsrfToken, whenSignedOut } from './api.js';
import { AcceptInvitePage, FirstOwnerPage, SignInPage } from './pages/public-pages.js';
import { useRoute } from './router.js';
import { SessionContext, type Me } from './session.js';
import { Shell } from './shell.js';

function App() {
  const route = useRoute();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);

  async function loadMe() {
    try {
      const found = await query<Me>('console.auth.me');
      setCsrfToken(found.csrfToken);
      setMe(found);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setMe(null);
      else setProblem(error instanceof Error ? error.message : String(error));
    }
  }
  useEffect(() => {
    whenSignedOut(() => setMe(null));
    void loadMe();
  }, []);

  if (route[0] === 'first-owner') return <FirstOwnerPage />;
  if (route[0] === 'accept' && route[1]) return <AcceptInvitePage token={route[1]} onSignedIn={() => void loadMe()} />;
  if (problem) return <p role="alert">The console could not load: {problem}</p>;
  if (me === undefined) return <p class="loading">Loading the console…</p>;
  if (me === null) return <SignInPage onSignedIn={() => void loadMe()} />;
  return (
    <SessionContext.Provider value={me}>
      <Shell route={route} onSignedOut={() => setMe(null)} />
    </SessionContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
