/**
 * Region settings that make the image sync's timers short enough for tests (leases, heartbeat
 * grace, polling). Empty until the engine exposes them as KILN_* settings.
 */
export const FAST_SYNC_ENV: Readonly<Record<string, string>> = {};
