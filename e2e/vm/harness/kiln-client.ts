import { randomBytes } from 'node:crypto';
import { inNs } from './shell.js';

export type Form = Readonly<Record<string, string | readonly string[]>>;

/**
 * The MAAS API 2.0 as a client sees it, from inside the lab's namespace (Kiln listens there, and
 * nothing joins the namespace to the host's network): curl with OAuth 1.0 PLAINTEXT.
 */
export class KilnClient {
  constructor(
    private readonly ns: string,
    private readonly base: string,
    private readonly apiKey: string,
  ) {}

  private auth(): string {
    const [ck = '', tk = '', ts = ''] = this.apiKey.split(':');
    const nonce = randomBytes(8).toString('hex');
    const now = String(Math.floor(Date.now() / 1000));
    return `Authorization: OAuth realm="", oauth_version="1.0", oauth_signature_method="PLAINTEXT", oauth_consumer_key="${ck}", oauth_token="${tk}", oauth_signature="&${ts}", oauth_nonce="${nonce}", oauth_timestamp="${now}"`;
  }

  async request(method: string, path: string, form?: Form): Promise<unknown> {
    // Accept JSON: ops with a MAAS binary format (details: BSON) answer Kiln's JSON then.
    const args = ['-sS', '-X', method, '-H', this.auth(), '-H', 'Accept: application/json'];
    args.push('-w', '\n%{http_code}');
    for (const [k, v] of Object.entries(form ?? {})) {
      for (const value of typeof v === 'string' ? [v] : v)
        args.push('--data-urlencode', `${k}=${value}`);
    }
    args.push(`${this.base}/MAAS/api/2.0/${path}`);
    const out = await inNs(this.ns, 'curl', args);
    const cut = out.lastIndexOf('\n');
    const body = out.slice(0, cut);
    const status = Number(out.slice(cut + 1));
    if (status >= 400)
      throw new Error(`${method} ${path} → ${String(status)}: ${body.slice(0, 500)}`);
    try {
      return JSON.parse(body) as unknown;
    } catch {
      return body;
    }
  }

  get(path: string): Promise<unknown> {
    return this.request('GET', path);
  }
  post(path: string, form?: Form): Promise<unknown> {
    return this.request('POST', path, form);
  }
  put(path: string, form?: Form): Promise<unknown> {
    return this.request('PUT', path, form);
  }
}

export interface MachineJson {
  readonly system_id: string;
  readonly hostname: string;
  readonly status: number;
  readonly status_name: string;
  readonly architecture: string;
  readonly cpu_count: number;
  readonly memory: number;
  readonly storage: number;
  readonly boot_interface?: { mac_address: string } | null;
  readonly interface_set?: readonly { mac_address: string; name: string }[];
  readonly physicalblockdevice_set?: readonly { name: string; size: number }[];
  readonly blockdevice_set?: readonly { name: string; size: number }[];
  readonly [key: string]: unknown;
}
