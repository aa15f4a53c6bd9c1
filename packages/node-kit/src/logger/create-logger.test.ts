import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, wantsPrettyLogs } from './create-logger.js';

describe('createLogger', () => {
  it('writes JSON lines at the chosen level and redacts secrets', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination, name: 'kiln' });
    logger.debug('hidden');
    logger
      .child({ module: 'auth' })
      .info(
        { user: { password: 'hunter2' }, req: { headers: { authorization: 'OAuth x' } } },
        'login',
      );
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(entry).toMatchObject({
      msg: 'login',
      module: 'auth',
      name: 'kiln',
      user: { password: '[redacted]' },
    });
    expect(JSON.stringify(entry)).not.toContain('hunter2');
    expect(JSON.stringify(entry)).not.toContain('OAuth x');
  });

  it('writes readable lines (pino-pretty) when asked, and JSON when not', () => {
    const capture = () => {
      const lines: string[] = [];
      const destination = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(...chunk.toString().split('\n').filter(Boolean));
          done();
        },
      });
      return { lines, destination };
    };
    const pretty = capture();
    createLogger({ format: 'pretty', destination: pretty.destination })
      .child({ module: 'images' })
      .info({ files: 3 }, 'image import started');
    expect(pretty.lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: image import started$/);
    expect(pretty.lines.join('\n')).toContain('module: "images"');
    expect(() => {
      JSON.parse(pretty.lines[0] ?? '');
    }).toThrow();
    // auto with a destination that is not a terminal: JSON, for log shippers.
    const auto = capture();
    createLogger({ format: 'auto', destination: auto.destination }).info('x');
    expect(JSON.parse(auto.lines[0] ?? '{}')).toMatchObject({ msg: 'x', level: 30 });
    expect(wantsPrettyLogs('auto', true)).toBe(true);
    expect(wantsPrettyLogs('auto', false)).toBe(false);
    expect(wantsPrettyLogs('json', true)).toBe(false);
    expect(wantsPrettyLogs('pretty', false)).toBe(true);
  });
});
