import { describe, expect, it } from 'vitest';
import { imageFormatFor, isDiskImage, renderImageSource } from './image-source.js';

const sha = 'a'.repeat(64);

describe('image source', () => {
  it.each([
    ['squashfs', 'squashfs'],
    ['root-tgz', 'tgz'],
    ['root-tbz', 'tbz'],
    ['root-txz', 'txz'],
    ['root-dd', 'dd-tgz'],
    ['root-dd.tar.xz', 'dd-txz'],
    ['root-dd.raw', 'dd-raw'],
    ['root-dd.gz', 'dd-gz'],
    ['root-dd.xz', 'dd-xz'],
    ['root-dd.bz2', 'dd-bz2'],
    ['dd-gz', 'dd-gz'],
  ])('file type %s installs as %s', (filetype, format) => {
    expect(imageFormatFor(filetype)).toBe(format);
  });

  it('dd formats are whole-disk images', () => {
    expect(isDiskImage('dd-xz')).toBe(true);
    expect(isDiskImage('squashfs')).toBe(false);
  });

  it('points at the rack under /images/, each segment URL-encoded', () => {
    expect(
      renderImageSource({
        rackUrl: 'http://10.0.0.2:5248/',
        path: `${sha}/custom/amd64/generic/my image/uploaded/root-tgz`,
        filetype: 'root-tgz',
        sha256: sha,
        size: 1234,
      }),
    ).toEqual({
      url: `http://10.0.0.2:5248/images/${sha}/custom/amd64/generic/my%20image/uploaded/root-tgz`,
      format: 'tgz',
      sha256: sha,
      size: 1234,
    });
  });

  it.each([
    [
      { path: `${sha}/x`, filetype: 'root-dd.tar', sha256: sha },
      'MACHINE_IMAGE_FORMAT_UNSUPPORTED',
      "Image file type 'root-dd.tar' cannot be installed.",
    ],
    [
      { path: `${sha}/x`, filetype: 'squashfs', sha256: 'ABC' },
      'MACHINE_IMAGE_SOURCE_INVALID',
      'Image sha256 must be 64 lowercase hex digits.',
    ],
    [
      { path: '../../etc/passwd', filetype: 'squashfs', sha256: sha },
      'MACHINE_IMAGE_SOURCE_INVALID',
      "Image path '../../etc/passwd' is not a rack image path.",
    ],
  ])('refuses %o', (input, code, message) => {
    expect(() => renderImageSource({ rackUrl: 'http://r:5248', ...input })).toThrow(
      expect.objectContaining({ code, message, status: 400 }),
    );
  });
});
