import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { BootRequest } from '@kiln/protocol';
import { createBootConfigService } from './boot-config-service.js';
import { enlistAnswer, ephemeralAnswer } from './fixtures.test-support.js';

const logger = pino({ level: 'silent' });
const context = { rackAddress: '10.0.0.2', remoteAddress: '10.0.0.50', protocol: 'tftp' } as const;

function recordingService() {
  const requests: BootRequest[] = [];
  const service = createBootConfigService({
    logger,
    source: {
      lookup(request) {
        requests.push(request);
        if (request.mac === '52:54:00:99:99:99') return Promise.resolve(null);
        return Promise.resolve(request.mac === null ? enlistAnswer() : ephemeralAnswer());
      },
    },
  });
  return { service, requests };
}

describe('createBootConfigService', () => {
  it('serves the static bootstrap configs without asking the region', async () => {
    const { service, requests } = recordingService();
    const ipxe = await service.render('ipxe.cfg', context);
    expect(ipxe?.body).toContain('set kiln-base http://10.0.0.2:5248');
    expect((await service.render('grub/grub.cfg', context))?.purpose).toBeNull();
    expect(requests).toHaveLength(0);
  });

  it('asks with the MAC, loader and transport of the request and renders for that loader', async () => {
    const { service, requests } = recordingService();
    const rendered = await service.render('pxelinux.cfg/01-52-54-00-12-34-56', context);
    expect(rendered?.body).toContain('IPAPPEND 2');
    expect(rendered?.purpose).toBe('commissioning');
    expect(requests[0]).toEqual({
      mac: '52:54:00:12:34:56',
      uuid: null,
      arch: null,
      subarch: null,
      rack_address: '10.0.0.2',
      rack_http_port: 5248,
      remote_address: '10.0.0.50',
      protocol: 'tftp',
      loader: 'pxelinux',
    });
  });

  it('takes the arch from a default file name over the DHCP arch', async () => {
    const { service, requests } = recordingService();
    const rendered = await service.render('grub/grub.cfg-default-x86_64', {
      ...context,
      protocol: 'http',
      arch: 'arm64',
    });
    expect(rendered?.body).toContain('BOOTIF=01-${net_default_mac}');
    expect(rendered?.body).toContain('    linux /images/');
    expect(requests[0]).toMatchObject({
      mac: null,
      arch: 'amd64',
      loader: 'grub',
      protocol: 'http',
    });
  });

  it('answers null for names that are not configs and when the region has no answer', async () => {
    const { service, requests } = recordingService();
    expect(await service.render('lpxelinux.0', context)).toBeNull();
    expect(service.isBootConfigPath('lpxelinux.0')).toBe(false);
    expect(service.isBootConfigPath('ipxe.cfg-default-amd64')).toBe(true);
    expect(await service.render('ipxe.cfg-52:54:00:99:99:99', context)).toBeNull();
    expect(requests).toHaveLength(1);
  });
});
