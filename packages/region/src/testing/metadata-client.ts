import { parse } from 'yaml';
import { oauthHeader } from './maas-client.js';

/**
 * What a machine's ephemeral environment, installer and installed OS send to the metadata server,
 * signed with the machine's own token: the region's tests and the browser tests drive machines
 * through their lifecycle with it when there is no hardware.
 */
export function metadataClient(regionUrl: () => string) {
  const metadata = (path: string, init: RequestInit & { nodeKey?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.nodeKey !== undefined) headers.set('Authorization', oauthHeader(init.nodeKey));
    return fetch(new URL(`metadata/${path}`, regionUrl()), { ...init, headers });
  };
  /** The machine's token, taken from its anonymous preseed like the ephemeral environment does. */
  const nodeKey = async (systemId: string): Promise<string> => {
    const response = await metadata(`latest/by-id/${systemId}/?op=get_preseed`);
    if (response.status !== 200)
      throw new Error(`get_preseed ${String(response.status)}: ${await response.text()}`);
    const doc = parse((await response.text()).replace(/^#cloud-config\n/, '')) as {
      datasource: { MAAS: { consumer_key: string; token_key: string; token_secret: string } };
    };
    const m = doc.datasource.MAAS;
    return `${m.consumer_key}:${m.token_key}:${m.token_secret}`;
  };
  /** `op=signal` as kiln-commission sends it: fields plus result files. */
  const signal = (
    key: string,
    fields: Record<string, string>,
    files: Record<string, string> = {},
  ) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const [k, v] of Object.entries(files)) form.append(k, new Blob([v]), k);
    return metadata('latest/?op=signal', { method: 'POST', body: form, nodeKey: key });
  };
  /** One installer/cloud-init reporting event (`POST status/<system_id>`). */
  const status = (
    key: string,
    systemId: string,
    event: Record<string, unknown>,
    contentType = 'application/json',
  ) =>
    metadata(`status/${systemId}`, {
      method: 'POST',
      body: JSON.stringify(event),
      headers: { 'Content-Type': contentType },
      nodeKey: key,
    });
  return { metadata, nodeKey, signal, status };
}
