import type { Messages } from './index.ts';

/** Messages of the dept area (zh-CN first; en beside it). */
export default {
  'zh-CN': {},
  en: {},
} satisfies Messages;
