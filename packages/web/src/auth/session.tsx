import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, type Ok, onSignedOut, setCsrfToken, unwrap } from '../api/client.js';

export type Me = Ok<'/api/auth/me', 'get'>;
export type PrincipalKind = Me['kind'];

interface SessionState {
  /** undefined while loading; null when signed out. */
  readonly me: Me | null | undefined;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  const refresh = useCallback(async () => {
    const { data, response } = await api.GET('/api/auth/session');
    if (response.ok && data?.me) {
      setCsrfToken(data.me.csrfToken);
      setMe(data.me);
    } else {
      setCsrfToken(null);
      setMe(null);
    }
  }, []);

  useEffect(() => {
    void refresh();
    return onSignedOut(() => {
      setCsrfToken(null);
      setMe(null);
    });
  }, [refresh]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const session = await unwrap(api.POST('/api/auth/login', { body: { username, password } }));
      setCsrfToken(session.csrfToken);
      await refresh();
    },
    [refresh],
  );

  const signOut = useCallback(async () => {
    await api.POST('/api/auth/logout');
    setCsrfToken(null);
    setMe(null);
  }, []);

  const value = useMemo(() => ({ me, signIn, signOut, refresh }), [me, signIn, signOut, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/** The signed-in caller; only for pages rendered behind the sign-in. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe while signed out');
  return me;
}
