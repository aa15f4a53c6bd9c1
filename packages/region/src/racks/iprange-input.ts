import type { Kysely } from 'kysely';
import type { ValidatedForm } from '../api/index.js';
import type { Database } from '../db/index.js';
import { validationError } from '../domain-errors.js';
import { cidrContains, parseCidr, parseIp } from './ip-math.js';
import type { IpRangeRow } from './tables.js';

export const IP_RANGE_TYPE_CHOICES = ['dynamic', 'reserved'] as const;

export interface IpRangeValues {
  readonly type: string;
  readonly start_ip: string;
  readonly end_ip: string;
  readonly subnet_id: number;
  readonly comment: string;
}

/**
 * Validates an IP range: both ends are addresses of the range's subnet (MAAS picks the subnet
 * from the addresses when none is given), start ≤ end, and it overlaps no other range.
 */
export async function ipRangeValues(
  db: Kysely<Database>,
  input: ValidatedForm,
  existing: IpRangeRow | null,
): Promise<IpRangeValues> {
  const errors: Record<string, string[]> = {};
  const type = input.string('type') ?? existing?.type;
  if (type === undefined) errors.type = ['This field is required.'];
  const startText = input.string('start_ip') ?? existing?.start_ip ?? '';
  const endText = input.string('end_ip') ?? existing?.end_ip ?? '';
  const start = parseIp(startText);
  const end = parseIp(endText);
  if (start === null)
    errors.start_ip = [
      startText === '' ? 'This field is required.' : `"${startText}" is not a valid IP address.`,
    ];
  if (end === null)
    errors.end_ip = [
      endText === '' ? 'This field is required.' : `"${endText}" is not a valid IP address.`,
    ];
  if (start !== null && end !== null && start.value > end.value)
    errors.end_ip = ['End IP address must not be less than Start IP address.'];
  const subnets = await db.selectFrom('subnets').select(['id', 'cidr']).execute();
  const subnetId = input.int('subnet') ?? existing?.subnet_id;
  const subnet =
    subnetId !== undefined
      ? subnets.find((s) => s.id === subnetId)
      : subnets.find((s) => {
          const cidr = parseCidr(s.cidr);
          return cidr !== null && start !== null && cidrContains(cidr, start);
        });
  if (subnet === undefined) {
    errors.subnet = [
      subnetId !== undefined
        ? `No subnet with id ${subnetId}.`
        : 'No subnet contains the start IP.',
    ];
  } else if (start !== null && end !== null) {
    const cidr = parseCidr(subnet.cidr);
    if (cidr !== null && !cidrContains(cidr, start))
      errors.start_ip = [`Start IP address must be within subnet: ${subnet.cidr}.`];
    if (cidr !== null && !cidrContains(cidr, end))
      errors.end_ip = [`End IP address must be within subnet: ${subnet.cidr}.`];
    const others = await db
      .selectFrom('ipranges')
      .selectAll()
      .where('subnet_id', '=', subnet.id)
      .where('id', '!=', existing?.id ?? 0)
      .execute();
    const clash = others.find((other) => {
      const a = parseIp(other.start_ip);
      const b = parseIp(other.end_ip);
      return a !== null && b !== null && a.value <= end.value && start.value <= b.value;
    });
    if (clash !== undefined && errors.start_ip === undefined && errors.end_ip === undefined)
      errors.start_ip = [
        `Requested ${type ?? ''} range conflicts with an existing ${clash.type} range (${clash.start_ip}-${clash.end_ip}).`,
      ];
  }
  if (Object.keys(errors).length > 0) throw validationError(errors);
  return {
    type: type ?? 'reserved',
    start_ip: startText,
    end_ip: endText,
    subnet_id: subnet?.id ?? 0,
    comment: input.string('comment') ?? existing?.comment ?? '',
  };
}
