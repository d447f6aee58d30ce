import { createI18n } from 'vue-i18n';
import admin from './admin.ts';
import board from './board.ts';
import common from './common.ts';
import consoleMessages from './console.ts';
import dept from './dept.ts';
import merchant from './merchant.ts';
import places from './places.ts';
import resident from './resident.ts';
import screen from './screen.ts';
import worker from './worker.ts';

export type Lang = 'zh-CN' | 'en';
type Tree = { [key: string]: string | string[] | Tree };
export type Messages = Record<Lang, Tree>;

/** Each area owns one message file with the same shape: { 'zh-CN': {...}, en: {...} } under its own key. */
const areas: Record<string, Messages> = { common, worker, resident, console: consoleMessages, admin, screen, dept, places, board, merchant };
const pick = (lang: Lang) => Object.fromEntries(Object.entries(areas).map(([k, m]) => [k, m[lang]]));

const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem('dg.lang');
export const i18n = createI18n({
  legacy: false,
  locale: stored === 'en' ? 'en' : 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': pick('zh-CN'), en: pick('en') },
});

export function setLang(lang: Lang): void {
  i18n.global.locale.value = lang;
  localStorage.setItem('dg.lang', lang);
  document.documentElement.lang = lang;
}
