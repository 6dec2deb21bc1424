import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { ApiFailure } from '../api/client.js';
import { useSession } from '../auth/session.js';
import { Field } from '../components/field.js';
import { ErrorNotice } from '../components/notices.js';

interface LoginForm {
  username: string;
  password: string;
}

export function LoginPage() {
  const { signIn } = useSession();
  const [failure, setFailure] = useState<unknown>(undefined);
  const { register, handleSubmit, formState } = useForm<LoginForm>({
    defaultValues: { username: '', password: '' },
  });
  useEffect(() => {
    document.title = 'Sign in · Telekommune';
  }, []);

  const submit = handleSubmit(async ({ username, password }) => {
    setFailure(undefined);
    try {
      await signIn(username, password);
    } catch (error) {
      setFailure(
        error instanceof ApiFailure && error.code === 'UNAUTHENTICATED'
          ? new Error('Wrong user name or password.')
          : error,
      );
    }
  });

  return (
    <main id="main" className="login">
      <form className="card login-card" onSubmit={submit} noValidate>
        <h1>Telekommune</h1>
        <p className="muted">Sign in to the console of your phone company.</p>
        <ErrorNotice error={failure} />
        <Field label="User name" error={formState.errors.username?.message}>
          <input
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            {...register('username', { required: 'Enter your user name' })}
          />
        </Field>
        <Field label="Password" error={formState.errors.password?.message}>
          <input
            type="password"
            autoComplete="current-password"
            {...register('password', { required: 'Enter your password' })}
          />
        </Field>
        <button type="submit" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
