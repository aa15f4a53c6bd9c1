/**
 * The anonymous enlistment script (MAAS: maas-run-remote-scripts' registration step, spec §4.3):
 * registers the machine with its MACs and architecture unless a MAC is already known, takes the
 * machine's token from its preseed, then runs the commissioning user-data with that token.
 */
export function renderEnlistUserData(base: string): string {
  return `#!/bin/sh
set -e
base='${base.replace(/'/g, '')}'
get() { if command -v curl >/dev/null; then curl -fsS "$@"; else wget -qO- "$@"; fi; }
post() { if command -v curl >/dev/null; then curl -fsS --data "$2" "$1"; else wget -qO- --post-data "$2" "$1"; fi; }
macs=''
for dev in /sys/class/net/*; do
  [ -e "$dev/device" ] || continue
  mac=$(cat "$dev/address")
  [ "$mac" = 02:00:00:00:00:02 ] && continue
  macs="$macs&mac_addresses=$mac"
  first=\${first:-$mac}
done
[ -n "$macs" ] || { echo 'no network interfaces with a device found' >&2; exit 1; }
arch=$(dpkg --print-architecture 2>/dev/null || uname -m | sed -e 's/x86_64/amd64/' -e 's/aarch64/arm64/')
if [ "$(get "$base/MAAS/api/2.0/machines/?op=is_registered&mac_address=$first")" = true ]; then
  echo "machine with $first is already registered" >&2
  exit 0
fi
answer=$(post "$base/MAAS/api/2.0/machines/" "architecture=$arch/generic&commission=true$macs")
system_id=$(printf '%s' "$answer" | sed -n 's/.*"system_id": *"\\([a-z0-9]*\\)".*/\\1/p')
[ -n "$system_id" ] || { echo "enlistment failed: $answer" >&2; exit 1; }
preseed=$(get "$base/MAAS/metadata/latest/by-id/$system_id/?op=get_preseed")
field() { printf '%s\\n' "$preseed" | sed -n "s/^ *$1: *\\(.*\\)$/\\1/p" | head -n 1; }
ck=$(field consumer_key); tk=$(field token_key); ts=$(field token_secret)
auth="OAuth oauth_version=\\"1.0\\", oauth_signature_method=\\"PLAINTEXT\\", oauth_consumer_key=\\"$ck\\", oauth_token=\\"$tk\\", oauth_signature=\\"&$ts\\", oauth_nonce=\\"$$-$(date +%s)\\", oauth_timestamp=\\"$(date +%s)\\""
script=$(mktemp)
if command -v curl >/dev/null; then curl -fsS -H "Authorization: $auth" -o "$script" "$base/MAAS/metadata/latest/user-data"
else wget -q --header "Authorization: $auth" -O "$script" "$base/MAAS/metadata/latest/user-data"; fi
exec sh "$script"
`;
}
