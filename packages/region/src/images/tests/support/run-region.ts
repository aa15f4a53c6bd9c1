// A region in its own process for the SIGKILL test: starts, switches auto-import off, starts one
// import and prints "importing" once it runs. Settings come from the KILN_* environment.
import { loadConfig } from '@kiln/node-kit';
import { setConfigValue } from '../../../maas-config/index.js';
import { startRegion } from '../../../server/index.js';

const region = await startRegion({ config: loadConfig({ env: process.env }) });
await setConfigValue(region.db, 'boot_images_auto_import', 'false');
await region.images.startImport('test process');
process.stdout.write('importing\n');
