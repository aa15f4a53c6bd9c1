import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  gpgvVerify,
  makeGpgTestKey,
  makeOpenpgpTestKey,
  type GpgTestKey,
  type TestKey,
} from '@kiln/testkit';
import { createCleartextMessage, generateKey, readKey, revokeKey, sign } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKeyring, parseKeyring, signCleartext, verifyCleartext } from '../index.js';

let gpgKey: GpgTestKey;
let jsKey: TestKey;
let dir: string;
const doc = '{\n "format": "index:1.0",\n "index": {}\n}\n';

beforeAll(async () => {
  [gpgKey, jsKey] = await Promise.all([makeGpgTestKey(), makeOpenpgpTestKey()]);
  dir = await mkdtemp(join(tmpdir(), 'kiln-verify-'));
});
afterAll(async () => {
  await gpgKey.cleanup();
  await rm(dir, { recursive: true, force: true });
});

describe('verifyCleartext', () => {
  it('accepts a document signed by real gpg --clearsign against a gpg --export keyring', async () => {
    const keyring = await loadKeyring(gpgKey.keyringPath);
    expect(keyring.fingerprints).toEqual([gpgKey.fingerprint]);
    const verified = await verifyCleartext(await gpgKey.clearsign(doc), keyring, {
      document: 'index.sjson',
    });
    expect(JSON.parse(verified.text)).toEqual(JSON.parse(doc));
    expect(gpgKey.fingerprint.endsWith(verified.keyId)).toBe(true);
  });

  it('produces signatures that real gpgv accepts', async () => {
    const signed = await signCleartext(doc, jsKey.signingKey);
    const keyringPath = join(dir, 'js-keyring.gpg');
    await writeFile(keyringPath, jsKey.publicKeyring);
    await writeFile(join(dir, 'doc.sjson'), signed);
    const result = await gpgvVerify(keyringPath, join(dir, 'doc.sjson'));
    expect(result.output).toContain('Good signature');
    expect(result.code).toBe(0);
  });

  it('handles dash-escaped lines both ways', async () => {
    const text = '- leading dash\n-----BEGIN looks like armor\n{"a": 1}\n';
    const gpgSigned = await gpgKey.clearsign(text);
    expect(gpgSigned).toContain('- - leading dash');
    const keyring = await loadKeyring(gpgKey.keyringPath);
    expect((await verifyCleartext(gpgSigned, keyring)).text.trimEnd()).toBe(text.trimEnd());
    const jsSigned = await signCleartext(text, jsKey.signingKey);
    await writeFile(join(dir, 'dash.sjson'), jsSigned);
    const keyringPath = join(dir, 'js-keyring2.gpg');
    await writeFile(keyringPath, jsKey.publicKeyring);
    expect((await gpgvVerify(keyringPath, join(dir, 'dash.sjson'))).code).toBe(0);
  });

  it('reports a missing signature', async () => {
    const keyring = await loadKeyring(gpgKey.keyringPath);
    await expect(
      verifyCleartext(doc, keyring, { document: 'streams/v1/index.sjson' }),
    ).rejects.toMatchObject({
      code: 'STREAM_SIGNATURE_MISSING',
      message: 'streams/v1/index.sjson has no OpenPGP signature',
    });
  });

  it('reports an altered document as a bad signature', async () => {
    const keyring = await loadKeyring(gpgKey.keyringPath);
    const tampered = (await gpgKey.clearsign(doc)).replace('index:1.0', 'index:1.1');
    await expect(verifyCleartext(tampered, keyring, { document: 'x.sjson' })).rejects.toMatchObject(
      {
        code: 'STREAM_SIGNATURE_BAD',
      },
    );
  });

  it('reports an unknown key with its key id', async () => {
    const keyring = await loadKeyring(gpgKey.keyringPath);
    const signed = await signCleartext(doc, jsKey.signingKey);
    const error = await verifyCleartext(signed, keyring, { document: 'p.sjson' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'STREAM_SIGNATURE_UNKNOWN_KEY',
      details: { keyIds: [jsKey.keyId] },
    });
    expect((error as Error).message).toContain(jsKey.keyId);
  });

  it('refuses signatures from an expired key', async () => {
    const past = new Date(Date.now() - 10 * 24 * 3600 * 1000);
    const { privateKey, publicKey } = await generateKey({
      type: 'ecc',
      curve: 'ed25519Legacy',
      userIDs: [{ name: 'expired' }],
      keyExpirationTime: 3600,
      date: past,
      format: 'object',
    });
    const message = await createCleartextMessage({ text: doc });
    const signed = await sign({
      message,
      signingKeys: privateKey,
      date: new Date(past.getTime() + 60_000),
    });
    const keyring = await parseKeyring(publicKey.write());
    await expect(verifyCleartext(signed, keyring)).rejects.toMatchObject({
      code: 'STREAM_KEY_EXPIRED',
    });
  });

  it('refuses signatures from a revoked key', async () => {
    const signed = await signCleartext(doc, jsKey.signingKey);
    const { publicKey } = await revokeKey({
      key: (await readKey({ armoredKey: jsKey.privateKeyArmored })) as never,
      format: 'object',
    });
    const keyring = await parseKeyring(publicKey.write());
    await expect(verifyCleartext(signed, keyring)).rejects.toMatchObject({
      code: 'STREAM_KEY_REVOKED',
    });
  });
});

describe('keyrings', () => {
  it('reads armored keyrings with several blocks', async () => {
    const armored = `${jsKey.publicKeyArmored}\n${(await gpgKey.gpg(['--armor', '--export', gpgKey.fingerprint])).stdout}`;
    const keyring = await parseKeyring(Buffer.from(armored));
    expect(keyring.fingerprints).toEqual([jsKey.fingerprint, gpgKey.fingerprint]);
  });

  it('rejects garbage and keybox files with a clear error', async () => {
    await expect(parseKeyring(Buffer.from('not a key'), 'junk.gpg')).rejects.toMatchObject({
      code: 'STREAM_KEYRING_INVALID',
    });
    const kbx = await readFile(join(gpgKey.gnupgHome, 'pubring.kbx'));
    await expect(parseKeyring(kbx, 'pubring.kbx')).rejects.toThrow(/keybox/);
    await expect(loadKeyring(join(dir, 'missing.gpg'))).rejects.toMatchObject({
      code: 'STREAM_KEYRING_INVALID',
    });
  });
});

// Interop with documents and keys nobody here made: Debian's apt InRelease files are OpenPGP
// cleartext-signed (RSA, several signatures) and the archive keyring is a binary export.
const debianKeyring = '/usr/share/keyrings/debian-archive-keyring.gpg';
const aptLists = '/var/lib/apt/lists';
const inRelease = existsSync(aptLists)
  ? readdirSync(aptLists).filter((f) => f.endsWith('InRelease'))
  : [];

describe.skipIf(!existsSync(debianKeyring) || inRelease.length === 0)(
  'real-world signed documents',
  () => {
    it('verifies apt InRelease files against the Debian archive keyring and refuses them against ours', async () => {
      const keyring = await loadKeyring(debianKeyring);
      for (const file of inRelease) {
        const text = await readFile(join(aptLists, file), 'utf8');
        const verified = await verifyCleartext(text, keyring, { document: file });
        expect(verified.text).toMatch(/^Origin: /m);
        await expect(
          verifyCleartext(text, await loadKeyring(gpgKey.keyringPath)),
        ).rejects.toMatchObject({
          code: 'STREAM_SIGNATURE_UNKNOWN_KEY',
        });
      }
    });
  },
);
