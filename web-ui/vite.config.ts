import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The host (src/MailSink) serves the built files from its wwwroot. In `npm run dev` the API and hub
// are proxied to a running host; Host is kept (changeOrigin: false) so the hub's same-origin check
// sees the dev server's own origin on both Host and Origin.
const target = process.env.MAILSINK_URL ?? 'http://127.0.0.1:8025'

export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: '../src/MailSink/wwwroot',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: {
      '/api': { target, changeOrigin: false },
      '/hubs': { target, changeOrigin: false, ws: true },
    },
  },
})
