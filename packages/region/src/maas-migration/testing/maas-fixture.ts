import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, testPgUrl, type TestDatabase } from '@kiln/testkit';

/**
 * A MAAS-shaped PostgreSQL database built from the table layout in
 * shared/reference/maas-db-migration.md (§2.1, §2.5), with every edge case a migrator meets:
 *
 * - ubuntu/jammy amd64/ga-22.04 (synced): set 20240301 complete (kernel, initrd, a 3 MiB
 *   squashfs); newer set 20240401 whose squashfs is half written, and whose kernel row shares
 *   the older kernel's LargeFile (dedup);
 * - grub-efi-signed/uefi amd64/generic (synced, bootloader_type uefi), archive.tar.xz;
 * - rhel9 amd64/generic (uploaded, base_image rhel/9, title), root-tgz;
 * - ubuntu/focal amd64/generic (legacy rtype 1): an older good set 20221201 and a newer set
 *   20230101 whose stored sha256 is wrong;
 * - broken amd64/generic (uploaded) whose only large object was unlinked (dangling oid);
 * - optionally `big` amd64/generic (uploaded) with one large object of `bigBytes`.
 */
export interface MaasFixtureOptions {
  /** Add an uploaded resource `big` whose root-tgz is this many pseudo-random bytes. */
  readonly bigBytes?: number | undefined;
}

export interface MaasFixture {
  readonly database: TestDatabase;
  readonly url: string;
  /** sha256 of each complete content by a short name. */
  readonly sha: Readonly<Record<string, string>>;
  readonly sizes: Readonly<Record<string, number>>;
  query<T extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

const SCHEMA = `
CREATE TABLE django_migrations (id serial PRIMARY KEY, app varchar(255) NOT NULL, name varchar(255) NOT NULL, applied timestamptz NOT NULL);
CREATE TABLE maasserver_config (id bigserial PRIMARY KEY, name varchar(255) NOT NULL UNIQUE, value jsonb);
CREATE TABLE maasserver_bootsource (id bigserial PRIMARY KEY, created timestamptz NOT NULL DEFAULT now(), updated timestamptz NOT NULL DEFAULT now(),
  url varchar(200) NOT NULL UNIQUE, keyring_filename varchar(4096) NOT NULL, keyring_data bytea NOT NULL);
CREATE TABLE maasserver_bootsourceselection (id bigserial PRIMARY KEY, created timestamptz NOT NULL DEFAULT now(), updated timestamptz NOT NULL DEFAULT now(),
  os varchar(20) NOT NULL, release varchar(20) NOT NULL, arches text[], subarches text[], labels text[],
  boot_source_id bigint NOT NULL REFERENCES maasserver_bootsource(id) DEFERRABLE INITIALLY DEFERRED, UNIQUE (boot_source_id, os, release));
CREATE TABLE maasserver_bootresource (id bigserial PRIMARY KEY, created timestamptz NOT NULL DEFAULT now(), updated timestamptz NOT NULL DEFAULT now(),
  rtype integer NOT NULL, name varchar(255) NOT NULL, architecture varchar(255) NOT NULL, extra jsonb NOT NULL,
  kflavor varchar(32), bootloader_type varchar(32), rolling boolean NOT NULL, base_image varchar(255) NOT NULL, UNIQUE (name, architecture));
CREATE TABLE maasserver_bootresourceset (id bigserial PRIMARY KEY, created timestamptz NOT NULL DEFAULT now(), updated timestamptz NOT NULL DEFAULT now(),
  version varchar(255) NOT NULL, label varchar(255) NOT NULL,
  resource_id bigint NOT NULL REFERENCES maasserver_bootresource(id) DEFERRABLE INITIALLY DEFERRED, UNIQUE (resource_id, version));
CREATE TABLE maasserver_largefile (id bigserial PRIMARY KEY, created timestamptz NOT NULL DEFAULT now(), updated timestamptz NOT NULL DEFAULT now(),
  sha256 varchar(64) NOT NULL UNIQUE, total_size bigint NOT NULL, content oid NOT NULL, size bigint NOT NULL);
CREATE TABLE maasserver_bootresourcefile (id bigserial PRIMARY KEY, created timestamptz NOT NULL DEFAULT now(), updated timestamptz NOT NULL DEFAULT now(),
  filename varchar(255) NOT NULL, filetype varchar(20) NOT NULL, extra jsonb NOT NULL,
  largefile_id bigint NOT NULL REFERENCES maasserver_largefile(id) DEFERRABLE INITIALLY DEFERRED,
  resource_set_id bigint NOT NULL REFERENCES maasserver_bootresourceset(id) DEFERRABLE INITIALLY DEFERRED, UNIQUE (resource_set_id, filename));
INSERT INTO django_migrations (app, name, applied) VALUES ('maasserver', '0304_interface_params_no_autoconf', now());
INSERT INTO maasserver_config (name, value) VALUES ('boot_images_auto_import', 'false'), ('commissioning_distro_series', '"jammy"'),
  ('default_distro_series', '"jammy"'), ('http_proxy', '"http://proxy.example:3128/"'), ('enable_http_proxy', 'true');
INSERT INTO maasserver_bootsource (url, keyring_filename, keyring_data)
  VALUES ('http://images.maas.io/ephemeral-v3/stable/', '/usr/share/keyrings/ubuntu-cloudimage-keyring.gpg', ''::bytea);
INSERT INTO maasserver_bootsourceselection (os, release, arches, subarches, labels, boot_source_id)
  VALUES ('ubuntu', 'jammy', '{amd64}', '{*}', '{*}', 1);
`;

export const JAMMY_SUBARCHES = 'generic,hwe-p,ga-20.04,ga-22.04';

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Deterministic pseudo-random bytes (so a failure reproduces). */
export function fixtureBytes(label: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(label).digest();
  for (let at = 0; at < size; at += block.length) {
    block.copy(out, at, 0, Math.min(block.length, size - at));
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

export async function createMaasFixture(options: MaasFixtureOptions = {}): Promise<MaasFixture> {
  const database = await createTestDatabase('postgres');
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const sha: Record<string, string> = {};
  const sizes: Record<string, number> = {};
  try {
    await client.query(SCHEMA);
    const largefile = async (
      key: string,
      content: Buffer,
      declared?: { sha256?: string; total?: number },
    ): Promise<number> => {
      const digest = declared?.sha256 ?? sha256(content);
      if (declared === undefined) {
        sha[key] = digest;
        sizes[key] = content.length;
      }
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO maasserver_largefile (sha256, total_size, content, size)
         VALUES ($1, $2, lo_from_bytea(0, $3), $4) RETURNING id`,
        [digest, declared?.total ?? content.length, content, content.length],
      );
      return Number(rows[0]?.id);
    };
    const resource = async (values: unknown[]): Promise<number> => {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO maasserver_bootresource (rtype, name, architecture, extra, kflavor, bootloader_type, rolling, base_image)
         VALUES ($1, $2, $3, $4, $5, $6, false, $7) RETURNING id`,
        values,
      );
      return Number(rows[0]?.id);
    };
    const set = async (resourceId: number, version: string, label: string): Promise<number> => {
      const { rows } = await client.query<{ id: string }>(
        'INSERT INTO maasserver_bootresourceset (version, label, resource_id) VALUES ($1, $2, $3) RETURNING id',
        [version, label, resourceId],
      );
      return Number(rows[0]?.id);
    };
    const file = async (
      setId: number,
      name: string,
      filetype: string,
      largefileId: number,
      extra: object = {},
    ): Promise<void> => {
      await client.query(
        `INSERT INTO maasserver_bootresourcefile (filename, filetype, extra, largefile_id, resource_set_id)
         VALUES ($1, $2, $3, $4, $5)`,
        [name, filetype, JSON.stringify(extra), largefileId, setId],
      );
    };

    const jammy = await resource([
      0,
      'ubuntu/jammy',
      'amd64/ga-22.04',
      JSON.stringify({ subarches: JAMMY_SUBARCHES }),
      'generic',
      null,
      '',
    ]);
    const jammyOld = await set(jammy, '20240301', 'stable');
    const kernel = await largefile('kernel', fixtureBytes('kernel', 53_248));
    await file(jammyOld, 'boot-kernel', 'boot-kernel', kernel, { kpackage: 'linux-generic' });
    await file(
      jammyOld,
      'boot-initrd',
      'boot-initrd',
      await largefile('initrd', fixtureBytes('initrd', 106_496)),
      {},
    );
    // 3 MiB + 7 bytes: no chunk size that is a power of two divides it.
    await file(
      jammyOld,
      'squashfs',
      'squashfs',
      await largefile('squashfs', fixtureBytes('squashfs', 3 * 1024 * 1024 + 7)),
    );
    const jammyNew = await set(jammy, '20240401', 'stable');
    await file(jammyNew, 'boot-kernel', 'boot-kernel', kernel, { kpackage: 'linux-generic' });
    await file(
      jammyNew,
      'squashfs',
      'squashfs',
      await largefile('partial', fixtureBytes('partial', 8000), {
        sha256: 'ab'.repeat(32),
        total: 999_999,
      }),
    );

    const grub = await resource([
      0,
      'grub-efi-signed/uefi',
      'amd64/generic',
      '{}',
      null,
      'uefi',
      '',
    ]);
    await file(
      await set(grub, '20240215', 'stable'),
      'grub2-signed.tar.xz',
      'archive.tar.xz',
      await largefile('grub', fixtureBytes('grub', 6000)),
    );

    const rhel = await resource([
      2,
      'rhel9',
      'amd64/generic',
      JSON.stringify({ subarches: 'generic', title: 'RHEL 9 custom' }),
      null,
      null,
      'rhel/9',
    ]);
    await file(
      await set(rhel, '20240310', 'uploaded'),
      'root-tgz',
      'root-tgz',
      await largefile('rhel', fixtureBytes('rhel', 280_000)),
    );

    const focal = await resource([1, 'ubuntu/focal', 'amd64/generic', '{}', null, null, '']);
    await file(
      await set(focal, '20221201', 'generated'),
      'root-tgz',
      'root-tgz',
      await largefile('focal', fixtureBytes('focal', 4096)),
    );
    await file(
      await set(focal, '20230101', 'generated'),
      'root-tgz',
      'root-tgz',
      await largefile('corrupt', fixtureBytes('corrupt', 4096), { sha256: 'ef'.repeat(32) }),
    );

    const broken = await resource([
      2,
      'broken',
      'amd64/generic',
      '{"subarches": "generic", "title": ""}',
      null,
      null,
      'ubuntu/jammy',
    ]);
    const gone = await largefile('gone', Buffer.from('gone'), { sha256: 'cd'.repeat(32) });
    await client.query('SELECT lo_unlink(content) FROM maasserver_largefile WHERE id = $1', [gone]);
    await file(await set(broken, '20240320', 'uploaded'), 'root-dd', 'root-dd', gone);

    if (options.bigBytes !== undefined) {
      const big = await resource([
        2,
        'big',
        'amd64/generic',
        '{"subarches": "generic", "title": "big"}',
        null,
        null,
        'ubuntu/jammy',
      ]);
      await file(
        await set(big, '20240330', 'uploaded'),
        'root-tgz',
        'root-tgz',
        await bigLargefile(client, options.bigBytes, sha, sizes),
      );
    }
  } finally {
    await client.end();
  }
  return {
    database,
    url: database.url,
    sha,
    sizes,
    async query<T extends pg.QueryResultRow>(text: string, values?: unknown[]) {
      const c = new pg.Client({ connectionString: database.url });
      await c.connect();
      try {
        return (await c.query<T>(text, values)).rows;
      } finally {
        await c.end();
      }
    },
    drop: () => database.drop(),
  };
}

/** Writes the object in 1 MiB pieces with lo_put, so no single value comes near 1 GB. */
async function bigLargefile(
  client: pg.Client,
  size: number,
  sha: Record<string, string>,
  sizes: Record<string, number>,
): Promise<number> {
  const oid = Number(
    (await client.query<{ oid: string }>('SELECT lo_create(0)::bigint AS oid')).rows[0]?.oid,
  );
  const hash = createHash('sha256');
  const piece = 1024 * 1024;
  const seed = randomBytes(piece);
  for (let at = 0, i = 0; at < size; at += piece, i += 1) {
    const part = Buffer.from(seed.subarray(0, Math.min(piece, size - at)));
    part.writeUInt32BE(i, 0);
    hash.update(part);
    await client.query('SELECT lo_put($1::oid, $2::bigint, $3)', [oid, at, part]);
  }
  sha.big = hash.digest('hex');
  sizes.big = size;
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO maasserver_largefile (sha256, total_size, content, size) VALUES ($1, $2, $3, $2) RETURNING id`,
    [sha.big, size, oid],
  );
  return Number(rows[0]?.id);
}

/**
 * Turns the 3.4 fixture into a MAAS 3.5 database part-way through its one-time export
 * (migrations 0308 and 0330, then the export of the files whose sha256 is in `exported`): those
 * rows lose their LargeFile (and its large object), get `filename_on_disk` and a sync record, and
 * their bytes are written to `storageDir` as MAAS's region would have.
 */
export async function toMidExport(
  fixture: MaasFixture,
  exported: readonly string[],
  storageDir: string,
): Promise<void> {
  const client = new pg.Client({ connectionString: fixture.url });
  await client.connect();
  try {
    await client.query(`
      INSERT INTO django_migrations (app, name, applied) VALUES ('maasserver', '0330_bootresourcefile_filename_on_disk', now());
      ALTER TABLE maasserver_bootresourcefile ADD COLUMN sha256 varchar(64) NOT NULL DEFAULT '',
        ADD COLUMN size bigint NOT NULL DEFAULT 0, ADD COLUMN filename_on_disk varchar(64) NOT NULL DEFAULT '';
      ALTER TABLE maasserver_bootresourcefile ALTER COLUMN largefile_id DROP NOT NULL;
      UPDATE maasserver_bootresourcefile f SET sha256 = l.sha256, size = l.total_size, filename_on_disk = l.sha256
        FROM maasserver_largefile l WHERE l.id = f.largefile_id;
      UPDATE maasserver_bootresource SET rtype = 2 WHERE rtype = 1;
      CREATE TABLE maasserver_regioncontroller (id bigserial PRIMARY KEY, system_id text);
      INSERT INTO maasserver_regioncontroller (system_id) VALUES ('abcdef');
      CREATE TABLE maasserver_bootresourcefilesync (id bigserial PRIMARY KEY, size bigint NOT NULL,
        file_id bigint NOT NULL REFERENCES maasserver_bootresourcefile(id), region_id bigint NOT NULL);
    `);
    await mkdir(storageDir, { recursive: true });
    for (const digest of exported) {
      const { rows } = await client.query<{ id: string; content: string; total_size: string }>(
        'SELECT id, content::bigint AS content, total_size FROM maasserver_largefile WHERE sha256 = $1',
        [digest],
      );
      const row = rows[0];
      if (row === undefined) throw new Error(`no largefile ${digest}`);
      const bytes = (
        await client.query<{ b: Buffer }>('SELECT lo_get($1::oid) AS b', [row.content])
      ).rows[0]?.b;
      if (bytes === undefined) throw new Error(`no bytes for ${digest}`);
      await writeFile(join(storageDir, digest), bytes);
      await client.query(
        `INSERT INTO maasserver_bootresourcefilesync (size, file_id, region_id)
         SELECT $2, id, 1 FROM maasserver_bootresourcefile WHERE largefile_id = $1`,
        [row.id, row.total_size],
      );
      await client.query(
        'UPDATE maasserver_bootresourcefile SET largefile_id = NULL WHERE largefile_id = $1',
        [row.id],
      );
      await client.query('DELETE FROM maasserver_largefile WHERE id = $1', [row.id]);
      await client.query('SELECT lo_unlink($1::oid)', [row.content]);
    }
  } finally {
    await client.end();
  }
}

/** A login role with SELECT on every table and no right on any large object; returns its URL. */
export async function createTableOnlyRole(
  fixture: MaasFixture,
): Promise<{ url: string; role: string; drop(): Promise<void> }> {
  const role = `maas_ro_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPgUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'ro'`);
  } finally {
    await admin.end();
  }
  await fixture.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
  const url = new URL(fixture.url);
  url.username = role;
  url.password = 'ro';
  return {
    url: url.toString(),
    role,
    drop: async () => {
      const c = new pg.Client({ connectionString: testPgUrl() });
      await c.connect();
      try {
        await c.query(`DROP OWNED BY ${role}`).catch(() => undefined);
        await c.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
      } finally {
        await c.end();
      }
    },
  };
}
