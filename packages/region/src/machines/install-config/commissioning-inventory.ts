import { z } from 'zod';
import { AppError } from '@kiln/node-kit';

/**
 * The hardware inventory that Kiln's commissioning scripts report. Each built-in script prints
 * one JSON object on stdout with one top-level key (`cpu`, `platform`, `memory`, `lsblk`,
 * `interfaces`); the region merges the fragments from the uploaded `<script>.out` files and
 * parses them here. docs/commissioning.md documents every field.
 */

const numberish = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);
const boolish = z.union([
  z.boolean(),
  z.enum(['0', '1']).transform((v) => v === '1'),
  z.literal(0).transform(() => false),
  z.literal(1).transform(() => true),
]);
const optionalText = z
  .string()
  .nullish()
  .transform((v) => (v === undefined || v === null || v.trim() === '' ? null : v.trim()));

export const cpuFragmentSchema = z.object({
  count: z.number().int().positive(),
  model: z.string(),
  sockets: z.number().int().positive(),
  architecture: z.string(),
});

export const platformFragmentSchema = z.object({
  firmware: z.enum(['uefi', 'bios']),
  kernel: z.string(),
  vendor: optionalText,
  product: optionalText,
  serial: optionalText,
});

export const memoryFragmentSchema = z.object({
  total_bytes: z.number().int().positive(),
  total_mib: z.number().int().positive(),
});

/** `lsblk --json -b` output; old util-linux prints sizes as strings and rota as "0"/"1". */
export const lsblkFragmentSchema = z.object({
  blockdevices: z.array(
    z.object({
      name: z.string(),
      size: numberish,
      model: optionalText,
      serial: optionalText,
      rota: boolish,
      type: z.string(),
      tran: optionalText,
      wwn: optionalText,
    }),
  ),
});

export const interfaceFragmentSchema = z.object({
  name: z.string(),
  mac_address: z.string().regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5,19}$/i),
  operstate: z.string(),
  link: z.boolean().nullable(),
  speed_mbps: z.number().int().nonnegative().nullable(),
  mtu: z.number().int().positive().nullable(),
  arp_type: z.number().int().nullable(),
  driver: optionalText,
  physical: z.boolean(),
});

export const blockDeviceSchema = z.object({
  name: z.string(),
  size: z.number().int().positive(),
  model: z.string().nullable(),
  serial: z.string().nullable(),
  rotational: z.boolean(),
  transport: z.string().nullable(),
  wwn: z.string().nullable(),
});

export const commissioningInventorySchema = z.object({
  cpu: cpuFragmentSchema,
  memory: memoryFragmentSchema,
  platform: platformFragmentSchema.optional(),
  block_devices: z.array(blockDeviceSchema),
  interfaces: z.array(interfaceFragmentSchema),
});
export type CommissioningInventory = z.infer<typeof commissioningInventorySchema>;
export type InventoryBlockDevice = z.infer<typeof blockDeviceSchema>;
export type InventoryInterface = z.infer<typeof interfaceFragmentSchema>;

/**
 * Kernel name prefixes of virtual or removable devices that are never install (or erase) targets;
 * the disk-erasing script filters with the same list.
 */
export const NOT_A_DISK_PREFIXES = ['loop', 'ram', 'zram', 'sr', 'fd', 'nbd'] as const;
const NOT_A_DISK = new RegExp(`^(${NOT_A_DISK_PREFIXES.join('|')})\\d`);

function invalid(message: string, cause?: unknown): AppError {
  return new AppError('MACHINE_INVENTORY_INVALID', `Commissioning inventory: ${message}`, {
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Merges the built-in scripts' stdout fragments; output of other scripts is ignored. */
export function parseCommissioningInventory(outputs: readonly string[]): CommissioningInventory {
  const merged: Record<string, unknown> = {};
  for (const output of outputs) {
    let doc: unknown;
    try {
      doc = JSON.parse(output);
    } catch {
      continue;
    }
    if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) Object.assign(merged, doc);
  }
  const lsblk = lsblkFragmentSchema.safeParse(merged.lsblk);
  if (!lsblk.success) throw invalid(`lsblk: ${lsblk.error.message}`, lsblk.error);
  const block_devices = lsblk.data.blockdevices
    .filter((d) => d.type === 'disk' && d.size > 0 && !NOT_A_DISK.test(d.name))
    .map((d) => ({
      name: d.name,
      size: d.size,
      model: d.model,
      serial: d.serial,
      rotational: d.rota,
      transport: d.tran,
      wwn: d.wwn,
    }));
  const parsed = commissioningInventorySchema.safeParse({
    cpu: merged.cpu,
    memory: merged.memory,
    ...(merged.platform === undefined ? {} : { platform: merged.platform }),
    block_devices,
    interfaces: merged.interfaces,
  });
  if (!parsed.success) throw invalid(parsed.error.message, parsed.error);
  return parsed.data;
}
