import { z } from 'zod';
import { MacAddressSchema } from './mac-address.js';

/**
 * What the region answers for a boot request (spec §5.2–5.4). The rack turns it into iPXE,
 * PXELINUX or GRUB text without any further knowledge of the machine.
 */
export const EPHEMERAL_BOOT_PURPOSES = ['enlist', 'commissioning', 'xinstall'] as const;
export const LOCAL_BOOT_PURPOSES = ['local', 'poweroff'] as const;
export const BOOT_PURPOSES = [...EPHEMERAL_BOOT_PURPOSES, ...LOCAL_BOOT_PURPOSES] as const;
export type BootPurpose = (typeof BOOT_PURPOSES)[number];
export type EphemeralBootPurpose = (typeof EPHEMERAL_BOOT_PURPOSES)[number];

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase sha256 hex digest');
const AddressSchema = z.union([z.ipv4(), z.ipv6()]);
// Answers are pasted into config files line by line: a control character would start a new
// bootloader command, and whitespace would end a URL early.
// eslint-disable-next-line no-control-regex
const SingleLineSchema = z.string().regex(/^[^\u0000-\u001f\u007f]*$/, 'must be a single line');
const HostSchema = z.string().regex(/^[A-Za-z0-9._:-]+$/, 'expected a host name or address');

/**
 * One file of a boot image. `path` is what follows `/images/` on the rack (it starts with the
 * sha256, the only segment the rack's file server needs; the rest names the file for humans and
 * for bootloaders that care about the basename, as iPXE's EFI `initrd=` does). `url` is the same
 * file as the rack serves it over HTTP.
 */
export const BootFileSchema = z
  .object({
    sha256: Sha256Schema,
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'expected a plain file name'),
    path: z.string().regex(/^[0-9a-f]{64}(\/[A-Za-z0-9._~+-]+)*$/, 'expected <sha256>/<segments>'),
    url: z.url({ protocol: /^http$/ }).regex(/^\S+$/, 'url must not contain whitespace'),
  })
  .refine((file) => file.path.startsWith(file.sha256), {
    message: 'path must start with the file sha256',
  })
  .refine((file) => file.url.endsWith(`/images/${file.path}`), {
    message: 'url must end with /images/<path>',
  });
export type BootFile = z.infer<typeof BootFileSchema>;

const AnswerCommonShape = {
  system_id: z.string().min(1).nullable(),
  hostname: z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9-]{0,62})$/, 'expected a host name label'),
  domain: HostSchema,
  /** The MAC the machine booted from; null for `*-default` configs (bootloader variables fill it). */
  bootif_mac: MacAddressSchema.nullable(),
  rack_address: AddressSchema,
  arch: z.string().min(1),
  subarch: z.string().min(1),
};

export const EphemeralBootAnswerSchema = z.object({
  purpose: z.enum(EPHEMERAL_BOOT_PURPOSES),
  ...AnswerCommonShape,
  osystem: z.string().min(1),
  release: z.string().min(1),
  kernel: BootFileSchema,
  initrd: BootFileSchema,
  /** The root filesystem (squashfs, or a .tgz/.txz tarball booted with root=tar:). */
  root: BootFileSchema,
  /** Global and tag kernel_opts; go after ` --- ` so curtin copies them to the installed system. */
  kernel_opts: SingleLineSchema,
  /** Per-image kparams from the stream; also after ` --- `. */
  kparams: SingleLineSchema,
  log_host: HostSchema,
  log_port: z.number().int().min(1).max(65535),
  /** The full cloud-config-url (preseed) the ephemeral environment fetches first. */
  preseed_url: z.url({ protocol: /^https?$/ }).regex(/^\S+$/, 'url must not contain whitespace'),
});
export type EphemeralBootAnswer = z.infer<typeof EphemeralBootAnswerSchema>;

export const LocalBootAnswerSchema = z.object({
  purpose: z.enum(LOCAL_BOOT_PURPOSES),
  ...AnswerCommonShape,
});
export type LocalBootAnswer = z.infer<typeof LocalBootAnswerSchema>;

export const BootAnswerSchema = z.discriminatedUnion('purpose', [
  EphemeralBootAnswerSchema,
  LocalBootAnswerSchema,
]);
export type BootAnswer = z.infer<typeof BootAnswerSchema>;

export function isEphemeralAnswer(answer: BootAnswer): answer is EphemeralBootAnswer {
  return (EPHEMERAL_BOOT_PURPOSES as readonly string[]).includes(answer.purpose);
}
