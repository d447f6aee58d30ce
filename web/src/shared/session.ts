import { ref } from 'vue';
import { ApiError, api, unwrap } from '../api/client.ts';
import type { Me } from '../api/types.ts';

const me = ref<Me | null>(null);
const ME_KEY = 'dg.me';
function remember(m: Me | null): void {
  if (typeof localStorage === 'undefined') return;
  if (m) localStorage.setItem(ME_KEY, JSON.stringify(m));
  else localStorage.removeItem(ME_KEY);
}
function recalled(): Me | null {
  try {
    return JSON.parse(localStorage.getItem(ME_KEY) ?? 'null') as Me | null;
  } catch {
    return null;
  }
}
let loaded = false;

/** The signed-in user, loaded once per page and after login/logout. */
export const session = {
  me,
  async load(force = false): Promise<Me | null> {
    if (loaded && !force) return me.value;
    try {
      // Never 401: pages that work signed out too (a matter's public progress) must not log an error.
      me.value = (await unwrap(api.GET('/api/auth/session'))).me;
      remember(me.value);
    } catch (e) {
      // Offline (no answer at all), the phone pages open as the last signed-in user; the server still checks every request.
      me.value = e instanceof ApiError && e.status === 0 ? recalled() : null;
      if (!me.value) remember(null);
    }
    loaded = true;
    return me.value;
  },
  async login(username: string, password: string): Promise<Me | null> {
    await unwrap(api.POST('/api/auth/login', { body: { username, password } }));
    return session.load(true);
  },
  async logout(): Promise<void> {
    await unwrap(api.POST('/api/auth/logout')).catch(() => undefined);
    me.value = null;
    remember(null);
    loaded = true;
  },
  has(...roles: string[]): boolean {
    return !!me.value?.assignments.some((a) => roles.includes(a.role));
  },
};

/** Where a user lands after signing in, by their strongest role. */
export function homeOf(m: Me): string {
  const roles = new Set(m.assignments.map((a) => a.role));
  if (roles.has('admin') || roles.has('centre_operator')) return '/console/';
  if (roles.has('community_staff')) return '/console/';
  if (roles.has('grid_worker') || roles.has('grid_chief') || roles.has('building_head') || roles.has('unit_head')) return '/m/';
  if (roles.has('department_handler') || roles.has('post_handler') || roles.has('board_lead')) return '/dept/';
  // A shop's keeper with no home in the register works at the counter (商户核销).
  if (roles.has('merchant') && !roles.has('resident')) return '/shop/';
  return '/r/';
}
