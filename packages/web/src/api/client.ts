import createClient, { type Middleware } from 'openapi-fetch';
import { ApiFailure, type Issue } from './api-failure.js';
import type { paths } from './generated/schema.js';

/** Every path the server documents; a page names the one it needs (see nav/pages.tsx). */
export type ApiPath = keyof paths;

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON body of a path's successful (200 or 201) response. */
export type Ok<P extends ApiPath, M extends keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: infer A }
    ? Json<A>
    : R extends { 201: infer B }
      ? Json<B>
      : never
  : never;

/** The JSON request body of a path. */
export type Body<P extends ApiPath, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export { ApiFailure, type Issue } from './api-failure.js';

let csrfToken: string | null = null;
const signedOutListeners = new Set<() => void>();

/** The session's synchronizer token, sent with every state-changing request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the server says the session has ended (401). */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

const session: Middleware = {
  onRequest({ request }) {
    if (csrfToken && !['GET', 'HEAD'].includes(request.method))
      request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !request.url.endsWith('/api/auth/login')) {
      for (const listener of signedOutListeners) listener();
    }
    return response;
  },
};

/** The typed API client (openapi-fetch over the generated OpenAPI types). */
export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
api.use(session);

/** The data of a call, or an ApiFailure with the server's code, message and issues. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const body = (error ?? {}) as { code?: string; message?: string; issues?: Issue[] };
  throw new ApiFailure(
    response.status,
    body.code ?? 'HTTP_ERROR',
    body.message ?? `the server answered ${response.status}`,
    body.issues ?? [],
  );
}

export interface UploadProgress {
  readonly loaded: number;
  readonly total: number;
}

/**
 * Sends a file as a request body with XMLHttpRequest, which reports upload
 * progress (fetch does not); same session and CSRF rules as `api`. Resolves
 * with the JSON answer, or rejects with an ApiFailure.
 */
export function upload<T>(
  method: 'PUT' | 'POST',
  path: string,
  body: Blob,
  contentType: string,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    xhr.setRequestHeader('content-type', contentType);
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (event) => {
      onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : body.size });
    };
    xhr.onload = () => {
      let parsed: unknown;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        parsed = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress({ loaded: body.size, total: body.size });
        resolve(parsed as T);
        return;
      }
      if (xhr.status === 401) for (const listener of signedOutListeners) listener();
      const error = (parsed ?? {}) as { code?: string; message?: string; issues?: Issue[] };
      reject(
        new ApiFailure(
          xhr.status,
          error.code ?? 'HTTP_ERROR',
          error.message ?? `the server answered ${xhr.status}`,
          error.issues ?? [],
        ),
      );
    };
    xhr.onerror = () => reject(new ApiFailure(0, 'NETWORK', 'the upload did not reach the server'));
    xhr.onabort = () => reject(new ApiFailure(0, 'ABORTED', 'the upload was cancelled'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}
