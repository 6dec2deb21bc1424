import { useEffect, useRef, useState } from 'react';
import { BrowserRouter, Link, matchPath, NavLink, Route, Routes, useLocation } from 'react-router';
import { type Me, useSession } from './auth/session.js';
import { Loading } from './components/notices.js';
import { Page } from './components/page.js';
import { consolePages, type NavContext, navSections } from './nav/pages.js';
import { LoginPage } from './pages/login.js';

const lastTenantKey = 'telekommune.tenant';

/** The tenant in view: a tenant admin's own, else the one in the address (remembered). */
function useTenantInView(me: Me): string | undefined {
  const location = useLocation();
  const match = matchPath('/tenants/:tenantId/*', location.pathname);
  const fromPath = match?.params.tenantId;
  useEffect(() => {
    if (fromPath) sessionStorage.setItem(lastTenantKey, fromPath);
  }, [fromPath]);
  if (me.kind === 'tenant' || me.kind === 'user') return me.tenantId ?? undefined;
  return fromPath ?? sessionStorage.getItem(lastTenantKey) ?? undefined;
}

function Navigation({ me, onNavigate }: { me: Me; onNavigate: () => void }) {
  const tenant = useTenantInView(me);
  const context: NavContext = { me, tenant };
  return (
    <nav aria-label="Main">
      {navSections.map((section) => {
        const links = consolePages
          .filter((p) => p.nav?.section === section && p.kinds.includes(me.kind))
          .map((p) => ({ label: p.nav!.label, to: p.nav!.to(context) }))
          .filter((l): l is { label: string; to: string } => l.to !== undefined);
        if (links.length === 0) return null;
        return (
          <div key={section} className="nav-section">
            <h2>{section === 'Telephony' && tenant ? `Telephony · ${tenant}` : section}</h2>
            <ul>
              {links.map((l) => (
                <li key={l.label}>
                  <NavLink
                    to={l.to}
                    // A link that is the start of another link's address is current only on its own page.
                    end={
                      l.to === '/' || l.to === '/tenants' || links.some((o) => o.to.startsWith(`${l.to}/`))
                    }
                    onClick={onNavigate}
                  >
                    {l.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </nav>
  );
}

function Shell({ me }: { me: Me }) {
  const { signOut } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  // Move focus to the new page's content after navigation, for keyboard and screen reader users.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every navigation
  useEffect(() => {
    main.current?.focus();
  }, [location.pathname]);
  const who = me.account?.displayName ?? (me.kind === 'operator' ? 'Operator token' : me.kind);
  return (
    <div className={`shell${menuOpen ? ' menu-open' : ''}`}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen((open) => !open)}
        >
          Menu
        </button>
        <Link to="/" className="brand">
          Telekommune
        </Link>
        <span className="who">
          {who}
          <span className="role"> · {me.kind === 'tenant' ? `admin of ${me.tenantId}` : me.kind}</span>
        </span>
        <button type="button" className="secondary" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <div className="sidebar" id="sidebar">
        <Navigation me={me} onNavigate={() => setMenuOpen(false)} />
      </div>
      <main id="main" ref={main} tabIndex={-1}>
        <Routes>
          {consolePages
            .filter((p) => p.kinds.includes(me.kind))
            .map((p) => (
              <Route key={p.path} path={p.path} element={<p.element />} />
            ))}
          <Route
            path="*"
            element={
              <Page title="Not found">
                <p>
                  There is no such page for you here. <Link to="/">Go to the dashboard</Link>.
                </p>
              </Page>
            }
          />
        </Routes>
      </main>
    </div>
  );
}

function Gate() {
  const { me } = useSession();
  if (me === undefined) return <Loading />;
  if (me === null) return <LoginPage />;
  return <Shell me={me} />;
}

export function App() {
  return (
    <BrowserRouter>
      <Gate />
    </BrowserRouter>
  );
}
