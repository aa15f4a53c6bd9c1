import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.js';

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
});
