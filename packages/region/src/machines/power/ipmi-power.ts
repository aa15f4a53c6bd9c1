import { execFile, type ExecFileException } from 'node:child_process';
import type { PowerState } from '@kiln/protocol';
import { z } from 'zod';
import { findExecutable } from './find-executable.js';
import { powerField, type PowerContext, type PowerDriver } from './power-driver.js';
import { POWER_ERROR_CODES, powerAborted, powerFailure } from './power-errors.js';
import { choice, multipleChoice, optionalText, requiredText } from './power-parameters.js';

const CIPHERS = [
  ['17', '17 - HMAC-SHA256::HMAC_SHA256_128::AES-CBC-128'],
  ['3', '3 - HMAC-SHA1::HMAC-SHA1-96::AES-CBC-128'],
  ['', 'ipmitool default'],
  ['8', '8 - HMAC-MD5::HMAC-MD5-128::AES-CBC-128'],
  ['12', '12 - HMAC-MD5::MD5-128::AES-CBC-128'],
] as const;
const WORKAROUNDS = [
  'opensesspriv',
  'authcap',
  'idzero',
  'unexpectedauth',
  'forcepermsg',
  'endianseq',
  'intel20',
  'supermicro20',
  'sun20',
  'nochecksumcheck',
  'integritycheckvalue',
  'ipmiping',
  '',
] as const;

/** Host name or address only: never something ipmitool could read as an option. */
const BMC_ADDRESS = /^[A-Za-z0-9_.:%[\]-]+$/;

const ipmiSchema = z.strictObject({
  power_driver: choice(['LAN', 'LAN_2_0'], 'LAN_2_0'),
  power_boot_type: choice(['auto', 'legacy', 'efi'], 'auto'),
  power_address: requiredText().refine(
    (v) => BMC_ADDRESS.test(v) && !v.startsWith('-'),
    'Enter a valid host name or IP address.',
  ),
  power_user: optionalText(),
  power_pass: optionalText(),
  k_g: optionalText(),
  cipher_suite_id: choice(['17', '3', '', '8', '12'], '3'),
  privilege_level: choice(['USER', 'OPERATOR', 'ADMIN'], 'OPERATOR'),
  workaround_flags: multipleChoice(WORKAROUNDS, ['opensesspriv']),
  mac_address: optionalText().refine(
    (v) => v === '' || /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i.test(v),
    'Enter a valid MAC address.',
  ),
  power_off_mode: choice(['soft', 'hard'], 'hard'),
});

export type IpmiParameters = z.infer<typeof ipmiSchema>;

const capitalise = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

const ipmiFields = [
  powerField('power_driver', 'Power driver', {
    fieldType: 'choice',
    choices: [
      ['LAN', 'LAN [IPMI 1.5]'],
      ['LAN_2_0', 'LAN_2_0 [IPMI 2.0]'],
    ],
    default: 'LAN_2_0',
    required: true,
  }),
  powerField('power_boot_type', 'Power boot type', {
    fieldType: 'choice',
    choices: [
      ['auto', 'Automatic'],
      ['legacy', 'Legacy boot'],
      ['efi', 'EFI boot'],
    ],
    default: 'auto',
  }),
  powerField('power_address', 'IP address', { required: true }),
  powerField('power_user', 'Power user'),
  powerField('power_pass', 'Power password', { fieldType: 'password', secret: true }),
  powerField('k_g', 'K_g BMC key', { fieldType: 'password', secret: true }),
  powerField('cipher_suite_id', 'Cipher Suite ID', {
    fieldType: 'choice',
    choices: CIPHERS,
    default: '3',
  }),
  powerField('privilege_level', 'Privilege Level', {
    fieldType: 'choice',
    choices: [
      ['USER', 'User'],
      ['OPERATOR', 'Operator'],
      ['ADMIN', 'Administrator'],
    ],
    default: 'OPERATOR',
  }),
  powerField('workaround_flags', 'Workaround Flags', {
    fieldType: 'multiple_choice',
    choices: WORKAROUNDS.map((flag) => [flag, flag === '' ? 'None' : capitalise(flag)] as const),
    default: ['opensesspriv'],
  }),
  powerField('mac_address', 'Power MAC', { scope: 'node' }),
  powerField('power_off_mode', 'Power off mode', {
    fieldType: 'choice',
    choices: [
      ['soft', 'Soft power off'],
      ['hard', 'Power off'],
    ],
    default: 'hard',
  }),
];

export interface IpmiDriverOptions {
  /** The ipmitool binary, looked up on PATH by default. */
  readonly command?: string;
  /** Time limit of one ipmitool run; its own -N/-R retries happen inside it. */
  readonly timeoutMs?: number;
}

const PRIVILEGE = { USER: 'USER', OPERATOR: 'OPERATOR', ADMIN: 'ADMINISTRATOR' } as const;
const AUTH_FAILURE =
  /RAKP \d+ (HMAC|message) is invalid|invalid user ?name|unauthorized name|password|insufficient privilege/i;

/** Session arguments. The password travels in IPMI_PASSWORD (-E), never in argv. */
export function ipmitoolSessionArgs(p: IpmiParameters): string[] {
  const args = ['-I', p.power_driver === 'LAN' ? 'lan' : 'lanplus', '-H', p.power_address];
  args.push('-L', PRIVILEGE[p.privilege_level]);
  if (p.power_user !== '') args.push('-U', p.power_user);
  if (p.power_pass !== '') args.push('-E');
  if (p.power_driver === 'LAN_2_0' && p.cipher_suite_id !== '') args.push('-C', p.cipher_suite_id);
  // ipmitool has no environment variable for K_g: it is visible in the process list while
  // the command runs (documented in docs/power-drivers.md).
  if (p.k_g.startsWith('0x')) args.push('-y', p.k_g.slice(2));
  else if (p.k_g !== '') args.push('-k', p.k_g);
  return args;
}

function classify(
  error: ExecFileException,
  stderr: string,
  p: IpmiParameters,
  command: string,
  timeoutMs: number,
) {
  const detail = stderr.trim().split('\n').at(-1) || error.message;
  const options = { cause: error, details: { bmc: p.power_address } };
  if (error.code === 'ENOENT') {
    const message = `${command} is not installed (Debian package ipmitool).`;
    return powerFailure(POWER_ERROR_CODES.TOOL_MISSING, message, options);
  }
  if (error.killed === true) {
    const message = `ipmitool did not finish within ${timeoutMs} ms.`;
    return powerFailure(POWER_ERROR_CODES.ACTION_TIMEOUT, message, options);
  }
  if (AUTH_FAILURE.test(stderr)) {
    const message = `BMC ${p.power_address} rejected the credentials: ${detail}`;
    return powerFailure(POWER_ERROR_CODES.AUTH_FAILED, message, options);
  }
  const message = `ipmitool failed for ${p.power_address}: ${detail}`;
  return powerFailure(POWER_ERROR_CODES.ACTION_FAILED, message, options);
}

function run(
  command: string,
  args: string[],
  p: IpmiParameters,
  ctx: PowerContext,
  timeoutMs: number,
): Promise<string> {
  const env = { ...process.env, IPMI_PASSWORD: p.power_pass };
  const options = { env, timeout: timeoutMs, signal: ctx.signal };
  return new Promise((resolve, reject) => {
    execFile(command, args, options, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else if (ctx.signal.aborted) reject(powerAborted(error));
      else reject(classify(error, stderr, p, command, timeoutMs));
    });
  });
}

export function createIpmiPowerDriver(
  options: IpmiDriverOptions = {},
): PowerDriver<IpmiParameters> {
  const command = options.command ?? 'ipmitool';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const chassis = (p: IpmiParameters, ctx: PowerContext, ...words: string[]) =>
    run(command, [...ipmitoolSessionArgs(p), 'chassis', ...words], p, ctx, timeoutMs);

  const queryState = async (p: IpmiParameters, ctx: PowerContext): Promise<PowerState> => {
    const out = await chassis(p, ctx, 'power', 'status');
    const match = /Chassis Power is (on|off)/i.exec(out);
    if (match?.[1] === undefined) {
      throw powerFailure(
        POWER_ERROR_CODES.ACTION_FAILED,
        `Unexpected ipmitool answer: ${out.trim()}`,
      );
    }
    return match[1].toLowerCase() === 'on' ? 'on' : 'off';
  };

  return {
    name: 'ipmi',
    description: 'IPMI',
    queryable: true,
    parametersSchema: ipmiSchema,
    fields: ipmiFields,
    async powerOn(p, ctx) {
      // Boot from the network next time, as a provisioning power-on always intends.
      const bootdev = p.power_boot_type === 'efi' ? ['options=efiboot'] : [];
      await chassis(p, ctx, 'bootdev', 'pxe', ...bootdev);
      // Like MAAS: powering on a machine that is already on power-cycles it so it PXE-boots.
      const state = await queryState(p, ctx);
      await chassis(p, ctx, 'power', state === 'on' ? 'cycle' : 'on');
    },
    async powerOff(p, ctx) {
      await chassis(p, ctx, 'power', p.power_off_mode === 'soft' ? 'soft' : 'off');
    },
    queryState,
    async missingPackages() {
      return (await findExecutable(command)) === undefined ? ['ipmitool'] : [];
    },
  };
}
