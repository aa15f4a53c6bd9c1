import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface NginxProcess {
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Debian's nginx as a peer: Debian's defaults (sendfile, tcp_nopush, worker_processes auto),
 * access log off like Kiln, everything it writes under `prefix`. `server` is the body of one
 * server block; `probeUrl` is polled until nginx answers.
 */
export async function startNginx(options: {
  readonly prefix: string;
  readonly server: string;
  readonly probeUrl: string;
  readonly workers?: 'auto' | number;
}): Promise<NginxProcess> {
  const { prefix } = options;
  await mkdir(prefix, { recursive: true });
  const conf = join(prefix, 'nginx.conf');
  await writeFile(
    conf,
    `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes ${options.workers ?? 'auto'};
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
events { worker_connections 4096; }
http {
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 65;
  access_log off;
  default_type application/octet-stream;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  server {
${options.server}
  }
}
`,
  );
  const child = spawn('nginx', ['-p', prefix, '-c', conf, '-g', 'daemon off;'], {
    stdio: 'inherit',
  });
  const state = { exited: false };
  child.once('exit', () => (state.exited = true));
  for (let i = 0; i < 100 && !state.exited; i++) {
    const up = await fetch(options.probeUrl).then(
      () => true,
      () => false,
    );
    if (up) break;
    await sleep(50);
  }
  if (state.exited || child.pid === undefined)
    throw new Error(`nginx did not start (see ${join(prefix, 'error.log')})`);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    pid: child.pid,
    async stop() {
      if (state.exited) return;
      child.kill('SIGQUIT');
      await exited;
    },
  };
}
