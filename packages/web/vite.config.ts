import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w @telekommune/web` proxies the API to a server started with `npm start`.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1024 },
  server: {
    proxy: {
      '/api': process.env.TK_API_URL ?? 'http://127.0.0.1:8080',
      '/openapi.json': process.env.TK_API_URL ?? 'http://127.0.0.1:8080',
    },
  },
});
