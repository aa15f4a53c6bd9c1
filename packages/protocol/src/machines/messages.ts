/**
 * MAAS's exact wording for conflicts that are not decided by the status table alone. Clients
 * (Juju, Terraform, scripts) match on some of these strings, so they are kept verbatim.
 */
export const MACHINE_MESSAGES = {
  noMachineAvailable: 'No machine available.',
  allocatedToAnotherUser: "Can't allocate a machine belonging to another user.",
  powerOnNotAllocated: "Can't start node: it hasn't been allocated.",
  alreadyLocked: 'Machine is already locked',
  notLocked: 'Machine is not locked',
} as const;
