import { describe, expect, it } from 'vitest';
import { captureIo } from '../client/test-support/capture-io.js';
import { createPrinter } from './printer.js';
import { createByteProgress, formatBytes } from './progress.js';
import { printResponse, renderBody } from './response-printer.js';

const response = (status: number, contentType: string | null, body: string) => ({
  status,
  statusText: status === 200 ? 'OK' : 'Bad Request',
  contentType,
  body: Buffer.from(body),
});

describe('renderBody', () => {
  it('pretty-prints JSON with two spaces and leaves other text alone', () => {
    expect(renderBody(response(200, 'application/json; charset=utf-8', '{"a":[1]}'))).toBe(
      '{\n  "a": [\n    1\n  ]\n}',
    );
    expect(renderBody(response(200, 'text/plain', 'Import of boot resources started'))).toBe(
      'Import of boot resources started',
    );
    expect(renderBody(response(200, 'application/json', '{broken'))).toBe('{broken');
  });
});

describe('printResponse', () => {
  it('sends 2xx bodies to stdout and failures with their status line to stderr', () => {
    const ok = captureIo({});
    printResponse(createPrinter(ok.io), response(200, 'application/json', 'true'));
    expect([ok.stdout(), ok.stderr()]).toEqual(['true\n', '']);

    const bad = captureIo({});
    printResponse(
      createPrinter(bad.io),
      response(400, 'application/json', '{"url":["This field is required."]}'),
    );
    expect(bad.stdout()).toBe('');
    expect(bad.stderr()).toBe(
      '400 Bad Request\n{\n  "url": [\n    "This field is required."\n  ]\n}\n',
    );
  });

  it('prints nothing for an empty success (204)', () => {
    const empty = captureIo({});
    printResponse(createPrinter(empty.io), {
      ...response(200, null, ''),
      status: 204,
      statusText: 'No Content',
    });
    expect(empty.stdout()).toBe('');
  });
});

describe('byte progress', () => {
  it('formats sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(4 << 20)).toBe('4.0 MiB');
    expect(formatBytes(1.5 * 2 ** 30)).toBe('1.5 GiB');
  });

  it('writes one summary line when stderr is not a terminal', () => {
    const captured = captureIo({});
    const progress = createByteProgress(captured.io, 'Uploading', 10 << 20, 4 << 20);
    progress.update(8 << 20);
    progress.update(10 << 20);
    progress.stop();
    expect(captured.stderr()).toMatch(/^Uploading: 10\.0 MiB of 10\.0 MiB \((.+\/s|-)\)\n$/);
  });
});
