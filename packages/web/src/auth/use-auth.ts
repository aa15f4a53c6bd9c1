import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, csrfToken, get } from '../shared/api-client.js';

export interface Whoami {
  readonly username: string;
  readonly email: string;
  readonly is_superuser: boolean;
}

/** null when nobody is logged in (the API answers 401). */
export function useWhoami() {
  return useQuery({
    queryKey: ['whoami'],
    queryFn: async (): Promise<Whoami | null> => {
      try {
        return await get<Whoami>('users/?op=whoami');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

async function postAccount(path: string, body?: URLSearchParams): Promise<void> {
  const response = await fetch(`/MAAS/accounts/${path}/`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'X-CSRFToken': csrfToken() },
    ...(body === undefined ? {} : { body }),
  });
  if (!response.ok) throw new ApiError(response.status, await response.text());
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (creds: { username: string; password: string }) =>
      postAccount('login', new URLSearchParams(creds)),
    onSuccess: () => client.resetQueries(),
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => postAccount('logout'),
    onSuccess: () => {
      client.setQueryData(['whoami'], null);
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'whoami' });
    },
  });
}
