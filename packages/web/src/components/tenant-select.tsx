import { useId } from 'react';
import { api, unwrap } from '../api/client.js';
import { useLoad } from './use-load.js';

/** The options of a choice of tenant: `none` first (the value ''), then every tenant as "Name (id)". */
export function TenantOptions({
  tenants,
  none,
}: {
  tenants: readonly { id: string; name: string }[] | undefined;
  none: string;
}) {
  return (
    <>
      <option value="">{none}</option>
      {tenants?.map((t) => (
        <option key={t.id} value={t.id}>
          {t.name} ({t.id})
        </option>
      ))}
    </>
  );
}

/** An operator's choice of tenant for pages that show every tenant by default. */
export function TenantSelect({ value, onChange }: { value: string; onChange: (tenant: string) => void }) {
  const id = useId();
  const tenants = useLoad(() => unwrap(api.GET('/api/tenants')), []);
  return (
    <div className="field inline-field">
      <label htmlFor={id}>Tenant</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <TenantOptions tenants={tenants.data} none="All tenants" />
      </select>
    </div>
  );
}
