import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, type FormFields } from '../shared/api-client.js';
import { POLLED } from '../shared/polling.js';
import type { KilnEvent } from '../images/image-types.js';
import type { Machine, MachineDetails } from './machine-types.js';

export function useMachines() {
  return useQuery({
    queryKey: ['machines'],
    queryFn: () => get<Machine[]>('machines/'),
    ...POLLED,
    refetchInterval: 3000,
  });
}

export function useMachine(systemId: string) {
  return useQuery({
    queryKey: ['machine', systemId],
    queryFn: () => get<Machine>(`machines/${systemId}/`),
    ...POLLED,
    refetchInterval: 2000,
  });
}

export function useMachineDetails(systemId: string) {
  return useQuery({
    queryKey: ['machine-details', systemId],
    queryFn: () => get<MachineDetails>(`machines/${systemId}/?op=details`),
    ...POLLED,
    refetchInterval: 3000,
  });
}

export function useMachineEvents(systemId: string) {
  return useQuery({
    queryKey: ['machine-events', systemId],
    queryFn: () =>
      get<{ events: KilnEvent[] }>(
        `events/?op=query&id=${encodeURIComponent(systemId)}&level=DEBUG&limit=50`,
      ),
    ...POLLED,
    refetchInterval: 3000,
  });
}

/** Runs one machine op (allocate goes through the collection, as in MAAS). */
export function useMachineAction(systemId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ op, fields }: { op: string; fields: FormFields }) =>
      op === 'allocate'
        ? post<Machine>('machines/?op=allocate', { system_id: systemId, ...fields })
        : post<Machine>(`machines/${systemId}/?op=${op}`, fields),
    onSuccess: (machine) => {
      client.setQueryData(['machine', systemId], machine);
    },
    onSettled: () =>
      client.invalidateQueries({
        predicate: (q) =>
          ['machines', 'machine', 'machine-details', 'machine-events'].includes(
            String(q.queryKey[0]),
          ),
      }),
  });
}
