import { LoginPage } from '../auth/LoginPage.js';
import { useWhoami } from '../auth/use-auth.js';
import { ControllersPage } from '../controllers/ControllersPage.js';
import { ImagesPage } from '../images/ImagesPage.js';
import { MachineDetail } from '../machines/MachineDetail.js';
import { MachinesPage } from '../machines/MachinesPage.js';
import { SettingsPage } from '../settings/SettingsPage.js';
import { ErrorText } from '../shared/Banner.js';
import { useRoute } from '../shared/router.js';
import { Header } from './Header.js';

function Page({ isAdmin }: { isAdmin: boolean }) {
  const { path } = useRoute();
  const machine = /^\/machine\/([^/]+)/.exec(path);
  if (machine?.[1] !== undefined)
    return <MachineDetail systemId={decodeURIComponent(machine[1])} />;
  if (path.startsWith('/images')) return <ImagesPage isAdmin={isAdmin} />;
  if (path.startsWith('/controllers')) return <ControllersPage />;
  if (path.startsWith('/settings')) return <SettingsPage isAdmin={isAdmin} />;
  return <MachinesPage />;
}

export function App() {
  const whoami = useWhoami();
  if (whoami.isPending) return <p role="status">Loading…</p>;
  if (whoami.isError) return <ErrorText error={whoami.error} />;
  if (whoami.data === null) return <LoginPage />;
  return (
    <>
      <Header user={whoami.data} />
      <main className="content">
        <Page isAdmin={whoami.data.is_superuser} />
      </main>
    </>
  );
}
