import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { badRequest } from '../../domain-errors.js';
import { parseDistroSeries, type OsRelease } from './distro-series.js';

/** MAAS's osystem for uploaded images that name no operating system (`custom/<name>`, `<name>`). */
export const CUSTOM_OSYSTEM = 'custom';

/** Uploaded boot resources (MAAS's BOOT_RESOURCE_TYPE.UPLOADED). */
const UPLOADED = 2;

const CUSTOM_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface DeployTargetInput {
  readonly distroSeries?: string | undefined;
  readonly osystem?: string | undefined;
  readonly defaultOsystem: string;
  readonly defaultSeries: string;
}

async function isCustomImage(db: Kysely<Database>, name: string): Promise<boolean> {
  const row = await db
    .selectFrom('boot_resources')
    .select('id')
    .where('name', '=', name)
    .where('type', '=', UPLOADED)
    .executeTakeFirst();
  return row !== undefined;
}

function customTarget(name: string, asGiven: string): OsRelease {
  if (!CUSTOM_NAME.test(name)) {
    throw badRequest(
      'MACHINE_DISTRO_SERIES_INVALID',
      `'${asGiven}' is not a valid custom image name: letters, digits, '.', '_' and '-' only.`,
    );
  }
  return { osystem: CUSTOM_OSYSTEM, release: name };
}

/**
 * What `deploy` installs, from `distro_series` and `osystem` in every form MAAS accepts:
 * `ubuntu/jammy`, `jammy`, `22.04`, `<os>/<release>`; custom uploads as `custom/<name>`, as
 * `osystem=custom distro_series=<name>`, or by their bare `<name>` (a custom image of that name
 * wins over a release of the default OS, as MAAS resolves it). Custom names keep their case.
 */
export async function resolveDeployTarget(
  db: Kysely<Database>,
  input: DeployTargetInput,
): Promise<OsRelease> {
  const series = input.distroSeries?.trim();
  const osystem = input.osystem?.trim().toLowerCase();
  if (osystem !== undefined && osystem !== '') {
    if (series === undefined || series === '') {
      if (osystem === CUSTOM_OSYSTEM) {
        throw badRequest(
          'MACHINE_DISTRO_SERIES_INVALID',
          'osystem=custom needs distro_series=<the name of the uploaded image>.',
        );
      }
      if (osystem !== input.defaultOsystem) {
        throw badRequest(
          'MACHINE_DISTRO_SERIES_INVALID',
          `osystem=${osystem} needs a distro_series naming one of its releases.`,
        );
      }
      return parseDistroSeries(input.defaultSeries, osystem);
    }
    if (series.includes('/')) {
      const named = series.split('/')[0]?.toLowerCase();
      if (named !== osystem) {
        throw badRequest(
          'MACHINE_DISTRO_SERIES_INVALID',
          `distro_series '${series}' names another operating system than osystem '${osystem}'.`,
        );
      }
    } else if (osystem === CUSTOM_OSYSTEM) {
      return customTarget(series, series);
    } else {
      return parseDistroSeries(`${osystem}/${series}`, osystem);
    }
  }
  const text = series === undefined || series === '' ? undefined : series;
  if (text === undefined) {
    return parseDistroSeries(
      `${input.defaultOsystem}/${input.defaultSeries}`,
      input.defaultOsystem,
    );
  }
  const [first = '', second] = text.split('/');
  if (second !== undefined && first.toLowerCase() === CUSTOM_OSYSTEM) {
    return customTarget(second, text);
  }
  if (second === undefined && CUSTOM_NAME.test(text) && (await isCustomImage(db, text))) {
    return { osystem: CUSTOM_OSYSTEM, release: text };
  }
  return parseDistroSeries(text, input.defaultOsystem);
}
