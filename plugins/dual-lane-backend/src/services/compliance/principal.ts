import { BackstageCredentials } from '@backstage/backend-plugin-api';

/** Who did it, as recorded in audit trails: a user entity ref or a service subject. */
export function principalRef(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (p.type === 'user' && p.userEntityRef) return p.userEntityRef;
  return p.subject ?? p.type;
}
