import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/** The signed-in staff member, as `console.auth.me` returns them. */
export interface Me {
  staffId: string;
  role: 'owner' | 'staff';
  email: string;
  name: string;
  csrfToken: string;
  tenant: { id: string; slug: string; name: string; timeZone: string };
}

export const SessionContext = createContext<Me | null>(null);

/** The signed-in staff member; pages under the shell always have one. */
export function useMe(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useMe: no session (a page rendered outside the shell)');
  return me;
}
