import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The server serves `dist/` at `/`; the API lives on the same origin, so the dev server proxies it.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/healthz': 'http://localhost:8080',
      '/readyz': 'http://localhost:8080',
    },
  },
});
