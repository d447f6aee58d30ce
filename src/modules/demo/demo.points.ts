import type { FastifyInstance } from 'fastify';
import { beijingDay } from '../../core/beijing.ts';
import type { AppDeps } from '../../deps.ts';
import { DEMO_PASSWORD } from './demo.loader.ts';
import { deliberationCast } from './demo.repository.ts';

type Call = <T = Record<string, unknown>>(method: 'GET' | 'POST', url: string, payload?: unknown) => Promise<T>;

/** The demo alliance: three shops of community 01, their keepers' phones (sign in at /shop with the code shown). */
export const DEMO_MERCHANTS = [
  {
    name: '王嬢嬢副食店', address: '双龙桥路12号', opens: '07:30', closes: '22:00', keeper: { name: '王秀英', phone: '13900000101' },
    items: [{ name: '酱油一瓶', points: 20, stock: 30 }, { name: '鸡蛋十个', points: 30, stock: 20 }, { name: '洗衣粉一袋', points: 50, stock: 10 }],
  },
  { name: '老张理发店', address: '双龙桥路8号', opens: '09:00', closes: '20:00', keeper: { name: '张德明', phone: '13900000102' }, items: [{ name: '理发一次', points: 80, stock: null }] },
  { name: '巷子口面馆', address: '社区服务中心旁', opens: '06:30', closes: '14:00', keeper: { name: '刘大姐', phone: '13900000103' }, items: [{ name: '小面一碗（二两）', points: 40, stock: null }] },
] as const;

/**
 * Points in the demo town (德分宝、德商联盟), through the HTTP API as its people would: the community onboards three
 * shops with their items; residents check in; a grid worker records volunteer hours that the community staff sign
 * off; one resident redeems soy sauce and the keeper confirms it at the counter. Loaded after the deliberation, once;
 * a failure is logged and leaves the town as it is.
 */
export async function loadDemoPoints(app: FastifyInstance, deps: AppDeps): Promise<{ merchants: number; redemptions: number }> {
  const session = (cookie: string): Call => {
    const headers = { cookie, 'accept-language': 'zh-CN' };
    return async (method, url, payload) => {
      const r = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
      if (r.statusCode >= 300) throw new Error(`demo points: ${method} ${url} → ${r.statusCode} ${r.body}`);
      return r.json();
    };
  };
  const cookieOf = (res: { cookies: { name: string; value: string }[]; statusCode: number }, who: string) => {
    const c = res.cookies.find((x) => x.name === 'dg_session');
    if (!c) throw new Error(`demo points: ${who} could not sign in (${res.statusCode})`);
    return `dg_session=${c.value}`;
  };
  const login = async (username: string) =>
    session(cookieOf(await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } }), username));
  /** A keeper signs in by phone, as at the counter (the demo's text messages show their code). */
  const byPhone = async (phone: string) => {
    const sent = await app.inject({ method: 'POST', url: '/api/auth/phone/code', payload: { phone } });
    const code = sent.json<{ demoCode?: string }>().demoCode;
    if (!code) return null;
    return session(cookieOf(await app.inject({ method: 'POST', url: '/api/auth/phone/verify', payload: { phone, code } }), phone));
  };

  const { community, accounts } = await deliberationCast(deps.db);
  const staff = await login('c01_staff1');
  const worker = await login('w01001');
  const merchants: { id: number; items: { id: number }[] }[] = [];
  for (const m of DEMO_MERCHANTS) {
    const made = await staff<{ id: number }>('POST', '/api/merchants', { communityId: community.id, name: m.name, address: m.address, opens: m.opens, closes: m.closes, keeper: m.keeper, dailyPointsCap: 2000 });
    const items = [];
    for (const item of m.items) items.push(await staff<{ id: number }>('POST', `/api/merchants/${made.id}/items`, item));
    merchants.push({ id: made.id, items });
  }

  const residents = await Promise.all(accounts.slice(0, 6).map((a) => login(a.username)));
  for (const r of residents) await r('POST', '/api/points/checkin');
  // 志愿服务: the worker records, the community staff sign off (never the same person).
  const today = beijingDay(new Date());
  const work = [['帮独居老人买菜、打扫卫生', 120], ['双龙桥下口袋公园义务劳动', 180], ['汛期巡河值守', 240]] as const;
  for (const [i, a] of accounts.slice(0, 3).entries()) {
    const [activity, minutes] = work[i] ?? work[0];
    const h = await worker<{ id: number }>('POST', '/api/points/hours', { residentId: a.id, activity, servedOn: today, minutes });
    await staff('POST', `/api/points/hours/${h.id}/approve`, {});
  }

  // 王嬢嬢's counter: a resident with the hours' points redeems soy sauce and the keeper confirms it.
  let redemptions = 0;
  const shop = merchants[0];
  const soy = shop?.items[0];
  const keeper = await byPhone(DEMO_MERCHANTS[0].keeper.phone);
  const buyer = residents[0];
  if (shop && soy && keeper && buyer) {
    const code = await buyer<{ code: string }>('POST', '/api/points/redemptions', { itemId: soy.id, quantity: 1, key: 'demo-soy' }).catch(() => null);
    if (code) {
      await keeper('POST', `/api/merchants/${shop.id}/confirm`, { code: code.code });
      redemptions++;
    }
  }
  return { merchants: merchants.length, redemptions };
}
