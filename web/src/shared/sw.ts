/** Registers the service worker that precaches the app shell (built by vite-plugin-pwa as /sw.js). */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const register = () => navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  // The entry module may run after the load event has fired (module scripts, preloads): register at once then.
  if (document.readyState === 'complete') void register();
  else window.addEventListener('load', () => void register());
}
