import { describe, expect, it } from 'vitest';
import { TftpErrorCode } from './constants.js';
import { MAX_PATH_LENGTH, normaliseTftpPath } from './path-policy.js';

describe('TFTP path policy', () => {
  it.each([
    ['pxelinux.0', 'pxelinux.0'],
    ['/pxelinux.0', 'pxelinux.0'],
    ['//grub//grub.cfg', 'grub/grub.cfg'],
    ['\\grub\\grub.cfg-52:54:00:12:34:56', 'grub/grub.cfg-52:54:00:12:34:56'],
    ['./pxelinux.cfg/./01-52-54-00-12-34-56', 'pxelinux.cfg/01-52-54-00-12-34-56'],
    ['ipxe.cfg-default-amd64', 'ipxe.cfg-default-amd64'],
    ['images/a..b/boot-kernel', 'images/a..b/boot-kernel'],
  ])('maps %j onto %j', (requested, path) => {
    expect(normaliseTftpPath(requested)).toEqual({ ok: true, path, probe: false });
  });

  it('marks GRUB .lst probes', () => {
    expect(normaliseTftpPath('/grub/x86_64-efi/command.lst')).toEqual({
      ok: true,
      path: 'grub/x86_64-efi/command.lst',
      probe: true,
    });
    expect(normaliseTftpPath('FS.LST')).toMatchObject({ probe: true });
    expect(normaliseTftpPath('list.lst.cfg')).toMatchObject({ probe: false });
  });

  it.each([
    '../etc/passwd',
    '/../etc/passwd',
    'grub/../../etc/passwd',
    '..\\..\\windows\\system32',
    'a/b/..',
    '..',
    'C:\\boot\\pxelinux.0',
    'c:/x',
    'name\u0000.cfg',
    'new\nline',
    'del\u007f',
  ])('refuses %j with an access violation', (requested) => {
    expect(normaliseTftpPath(requested)).toMatchObject({
      ok: false,
      code: TftpErrorCode.ACCESS_VIOLATION,
    });
  });

  it.each(['', '/', '\\', './.', 'x'.repeat(MAX_PATH_LENGTH + 1)])(
    'answers %j with file not found',
    (requested) => {
      expect(normaliseTftpPath(requested)).toMatchObject({
        ok: false,
        code: TftpErrorCode.FILE_NOT_FOUND,
      });
    },
  );
});
