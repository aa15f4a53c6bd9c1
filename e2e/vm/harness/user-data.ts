/**
 * The deploy user-data: a cloud-config that the installed Debian's cloud-init runs. It writes a
 * marker file, prints it on the serial console, and reports it back to Kiln's metadata server as
 * a status event signed with the machine's own token (read from the datasource file the installer
 * wrote), which proves the user data ran in the deployed system and could reach Kiln.
 */
export function markerUserData(marker: string): string {
  const report = [
    'set -e',
    'f=/etc/cloud/cloud.cfg.d/90_kiln_datasource.cfg',
    'val() { sed -n "s/^ *$1: *//p" "$f" | head -n1 | tr -d "\\"\'"; }',
    'url=$(val metadata_url); ck=$(val consumer_key); tk=$(val token_key); ts=$(val token_secret)',
    'sid=$(cat /var/lib/cloud/data/instance-id)',
    'body="{\\"event_type\\": \\"finish\\", \\"origin\\": \\"kiln-e2e\\", \\"name\\": \\"kiln-e2e-marker\\", \\"description\\": \\"kiln-e2e-marker $(cat /var/lib/kiln-e2e-marker)\\", \\"result\\": \\"SUCCESS\\", \\"timestamp\\": $(date +%s)}"',
    'auth="OAuth realm=\\"\\", oauth_version=\\"1.0\\", oauth_signature_method=\\"PLAINTEXT\\", oauth_consumer_key=\\"$ck\\", oauth_token=\\"$tk\\", oauth_signature=\\"%26$ts\\", oauth_nonce=\\"$(date +%s%N)\\", oauth_timestamp=\\"$(date +%s)\\""',
    'curl -fsS -X POST -H "Authorization: $auth" --data-binary "$body" "${url%/}/status/$sid"',
  ].join('\n');
  return [
    '#cloud-config',
    'write_files:',
    '  - path: /var/lib/kiln-e2e-marker',
    `    content: "${marker}"`,
    'runcmd:',
    `  - [sh, -c, 'echo "KILN-E2E-MARKER $(cat /var/lib/kiln-e2e-marker)" > /dev/ttyS0']`,
    '  - |',
    ...report.split('\n').map((l) => `    ${l}`),
    '',
  ].join('\n');
}
