import { api, unwrap } from '../api/client.js';
import { destinationOptions } from './destination-input.js';
import { useLoad } from './use-load.js';

/** A tenant's destinations (extensions, ring groups, IVR menus, voicemail boxes) as suggestions for a field. */
export function useDestinations(tenantId: string) {
  const loaded = useLoad(async () => {
    const path = { params: { path: { tenantId } } };
    const [extensions, ringGroups, ivrs] = await Promise.all([
      unwrap(api.GET('/api/tenants/{tenantId}/extensions', path)),
      unwrap(api.GET('/api/tenants/{tenantId}/ring-groups', path)),
      unwrap(api.GET('/api/tenants/{tenantId}/ivrs', path)),
    ]);
    return destinationOptions(extensions, ringGroups, ivrs);
  }, [tenantId]);
  return loaded.data ?? [];
}
