import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** Routes the server answers with the app's index.html (see src/modules/pages/pages.routes.ts). */
export const APP_PREFIXES = ['/m', '/r', '/console', '/screen', '/dept', '/board', '/login', '/shop'];

/**
 * Vant's icon font names a fallback copy on a CDN (at.alicdn.com) after the embedded woff2. The pages load nothing
 * from other sites (the CSP in src/http/security.ts would refuse it, and offline machines cannot reach it), so the
 * fallback is dropped from the CSS; every browser the pages support reads the embedded woff2.
 */
const noRemoteFonts = (): Plugin => ({
  name: 'dualgrid-no-remote-fonts',
  enforce: 'pre',
  transform(code, id) {
    if (!id.includes('vant') || !/\.css($|\?)/.test(id) || !code.includes('alicdn')) return null;
    return { code: code.replace(/,\s*url\((["']?)(?:https?:)?\/\/at\.alicdn\.com[^)]*\)\s*format\((["'])woff\2\)/g, ''), map: null };
  },
});

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  plugins: [
    noRemoteFonts(),
    vue(),
    // The service worker precaches the app shell so the phone pages open without a network; drafts live in
    // IndexedDB (src/shared/drafts.ts) and are sent by the page when the network returns.
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: null,
      manifest: { name: '双网格 dualgrid', short_name: '双网格', lang: 'zh-CN', start_url: '/m/', display: 'standalone', theme_color: '#1f6feb', background_color: '#ffffff', icons: [] },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
        maximumFileSizeToCacheInBytes: 6 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackAllowlist: APP_PREFIXES.map((p) => new RegExp(`^${p}(/|$)`)),
        navigateFallbackDenylist: [/^\/api\//, /^\/docs/],
        runtimeCaching: [],
      },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) return 'element-plus';
          if (id.includes('node_modules/vant') || id.includes('node_modules/@vant')) return 'vant';
          // leaflet-geoman runs against the global L on load: its own chunk, loaded only by the boundary editor.
          if (id.includes('node_modules/@geoman-io')) return 'geoman';
          if (id.includes('node_modules/leaflet')) return 'leaflet';
          return undefined;
        },
      },
    },
  },
  logLevel: 'warn',
});
