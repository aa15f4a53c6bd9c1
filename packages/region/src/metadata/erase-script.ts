import type { BundleScript } from '../machines/index.js';
import { NOT_A_DISK_PREFIXES } from '../machines/index.js';

/**
 * The one script of a disk-erasing run (spec §4.7): secure erase through the drive when asked
 * and supported (blkdiscard --secure), quick erase = 2 MiB at both ends, otherwise zeros over the
 * whole disk. Falls back from secure to quick (if also given) or to a full wipe.
 */
export function wipeDisksScript(options: { secure: boolean; quick: boolean }): BundleScript {
  const content = `#!/bin/sh
set -eu
secure=${options.secure ? 1 : 0}
quick=${options.quick ? 1 : 0}
quick_wipe() {
  size=$(blockdev --getsize64 "$1")
  dd if=/dev/zero of="$1" bs=1M count=2 conv=fsync 2>/dev/null
  dd if=/dev/zero of="$1" bs=1M count=2 seek=$(( size / 1048576 - 2 )) conv=fsync 2>/dev/null
}
# The disks commissioning reported: whole, writable, non-empty, not virtual or removable (a
# floppy or CD drive answers I/O errors and must not fail the erase).
for disk in $(lsblk -dn -b -o NAME,TYPE,SIZE,RO |
  awk '$2 == "disk" && $3 > 0 && $4 == 0 && $1 !~ /^(${NOT_A_DISK_PREFIXES.join('|')})[0-9]/ { print $1 }'); do
  dev="/dev/$disk"
  if [ "$secure" = 1 ] && blkdiscard --secure "$dev" 2>/dev/null; then
    echo "$dev: secure erase"
  elif [ "$quick" = 1 ]; then
    quick_wipe "$dev"; echo "$dev: quick erase"
  else
    dd if=/dev/zero of="$dev" bs=4M conv=fsync 2>/dev/null || true
    echo "$dev: zeroed"
  fi
done
`;
  // Zeroing a large disk legitimately takes days.
  return { name: 'wipe-disks', content: Buffer.from(content), timeoutSeconds: 7 * 24 * 3600 };
}
