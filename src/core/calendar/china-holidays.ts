import type { DayOverride } from './calendar.ts';

/**
 * China's public holidays and adjusted working weekends (调休), as published each November by the
 * General Office of the State Council (国务院办公厅关于某年部分节假日安排的通知):
 * 2024 — 国办发明电〔2023〕7号; 2025 — notice of 2024-11-12; 2026 — notice of 2025-11-04.
 * Every day of each holiday break is listed (weekend days too, for display); only weekday holidays
 * change the working-day rule, and every 'workday' is a Saturday or Sunday that is worked.
 * This is seed data: the product keeps the calendar editable, so later years are added by an admin.
 */
export interface ChinaCalendarDay {
  date: string;
  kind: DayOverride;
  name: string;
}

interface Break {
  from: string;
  to: string;
  name: string;
  workdays: readonly string[];
}

const BREAKS: readonly Break[] = [
  // 2024: New Year's Day joins the weekend; Dragon Boat 6/10 joins the weekend.
  { from: '2024-01-01', to: '2024-01-01', name: '元旦', workdays: [] },
  { from: '2024-02-10', to: '2024-02-17', name: '春节', workdays: ['2024-02-04', '2024-02-18'] },
  { from: '2024-04-04', to: '2024-04-06', name: '清明节', workdays: ['2024-04-07'] },
  { from: '2024-05-01', to: '2024-05-05', name: '劳动节', workdays: ['2024-04-28', '2024-05-11'] },
  { from: '2024-06-08', to: '2024-06-10', name: '端午节', workdays: [] },
  { from: '2024-09-15', to: '2024-09-17', name: '中秋节', workdays: ['2024-09-14'] },
  { from: '2024-10-01', to: '2024-10-07', name: '国庆节', workdays: ['2024-09-29', '2024-10-12'] },
  // 2025: the first year with 除夕 as a statutory day and two-day Labour Day.
  { from: '2025-01-01', to: '2025-01-01', name: '元旦', workdays: [] },
  { from: '2025-01-28', to: '2025-02-04', name: '春节', workdays: ['2025-01-26', '2025-02-08'] },
  { from: '2025-04-04', to: '2025-04-06', name: '清明节', workdays: [] },
  { from: '2025-05-01', to: '2025-05-05', name: '劳动节', workdays: ['2025-04-27'] },
  { from: '2025-05-31', to: '2025-06-02', name: '端午节', workdays: [] },
  { from: '2025-10-01', to: '2025-10-08', name: '国庆节、中秋节', workdays: ['2025-09-28', '2025-10-11'] },
  // 2026
  { from: '2026-01-01', to: '2026-01-03', name: '元旦', workdays: ['2026-01-04'] },
  { from: '2026-02-15', to: '2026-02-23', name: '春节', workdays: ['2026-02-14', '2026-02-28'] },
  { from: '2026-04-04', to: '2026-04-06', name: '清明节', workdays: [] },
  { from: '2026-05-01', to: '2026-05-05', name: '劳动节', workdays: ['2026-05-09'] },
  { from: '2026-06-19', to: '2026-06-21', name: '端午节', workdays: [] },
  { from: '2026-09-25', to: '2026-09-27', name: '中秋节', workdays: [] },
  { from: '2026-10-01', to: '2026-10-07', name: '国庆节', workdays: ['2026-09-20', '2026-10-10'] },
];

function expand(breaks: readonly Break[]): ChinaCalendarDay[] {
  const days: ChinaCalendarDay[] = [];
  for (const b of breaks) {
    const end = Date.parse(`${b.to}T00:00:00Z`);
    for (let ms = Date.parse(`${b.from}T00:00:00Z`); ms <= end; ms += 86_400_000) {
      days.push({ date: new Date(ms).toISOString().slice(0, 10), kind: 'holiday', name: b.name });
    }
    for (const date of b.workdays) days.push({ date, kind: 'workday', name: `${b.name}调休上班` });
  }
  return days.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

/** Every listed day of 2024–2026, sorted by date. */
export const CHINA_CALENDAR_DAYS: readonly ChinaCalendarDay[] = expand(BREAKS);

/** A fresh map for `CalendarConfig.overrides`; fresh so a caller may add local days without sharing. */
export function chinaCalendarOverrides(): Map<string, DayOverride> {
  return new Map(CHINA_CALENDAR_DAYS.map((d) => [d.date, d.kind]));
}
