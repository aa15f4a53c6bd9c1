import { useQuery } from '@tanstack/react-query';
import { useLogout, type Whoami } from '../auth/use-auth.js';
import { get } from '../shared/api-client.js';
import { Link } from '../shared/router.js';

interface Version {
  readonly version: string;
  readonly subversion: string;
}

export function Header({ user }: { user: Whoami }) {
  const logout = useLogout();
  const version = useQuery({
    queryKey: ['version'],
    queryFn: () => get<Version>('version/'),
    staleTime: Infinity,
  });
  const kiln = version.data?.subversion.replace(/^kiln-/, '') ?? '';
  return (
    <header className="header">
      <span className="brand">Kiln</span>
      <nav aria-label="Main">
        <Link to="/machines">Machines</Link>
        <Link to="/images">Images</Link>
        <Link to="/controllers">Controllers</Link>
        <Link to="/settings">Settings</Link>
      </nav>
      <span className="header-meta">
        <span aria-label="Kiln version">{kiln === '' ? '' : `Kiln ${kiln}`}</span>
        <span aria-label="Logged in user">
          {user.username}
          {user.is_superuser ? ' (admin)' : ''}
        </span>
        <button
          type="button"
          onClick={() => {
            logout.mutate();
          }}
        >
          Log out
        </button>
      </span>
    </header>
  );
}
