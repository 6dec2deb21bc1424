import type { FieldErrors, Path, UseFormRegister } from 'react-hook-form';
import { Field } from './field.js';

/** The form values every named, id-addressed thing has (menus, ring groups, carriers). */
export interface IdentityValues {
  id: string;
  name: string;
}

/**
 * The id (fixed once the thing exists) and name fields of an editor, both
 * required. (`T` has both, so the two names are paths of it.)
 */
export function IdentityFields<T extends IdentityValues>({
  register,
  errors,
  editing,
  idHint,
}: {
  register: UseFormRegister<T>;
  errors: FieldErrors<IdentityValues>;
  /** Editing something that exists: its id can no longer change. */
  editing: boolean;
  idHint: string;
}) {
  return (
    <>
      <Field label="Id" hint={idHint} error={errors.id?.message}>
        <input readOnly={editing} {...register('id' as Path<T>, { required: 'Enter an id' })} />
      </Field>
      <Field label="Name" error={errors.name?.message}>
        <input {...register('name' as Path<T>, { required: 'Enter a name' })} />
      </Field>
    </>
  );
}
