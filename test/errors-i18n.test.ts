import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIELD_LABELS, zhIssueMessage } from '../src/core/errors.fields.ts';
import { languageOf } from '../src/core/errors.language.ts';
import { AppError, catalogueText, denied, type ErrorCode, errorCatalogue, notFound } from '../src/core/errors.ts';
import { useTestTown } from './helpers/town.ts';

const CJK = /[\u4e00-\u9fff]/;
const codes = Object.keys(errorCatalogue) as ErrorCode[];

describe('the error catalogue speaks Chinese and English', () => {
  it.each(codes)('%s has an English and a zh-CN text', (code) => {
    const entry: { message: string; zh?: string } = errorCatalogue[code];
    expect(entry.message, `${code}: English text`).toMatch(/[A-Za-z]{3,}/);
    expect(entry.zh, `${code} has no zh-CN text: add zh: '…' to its entry in src/core/errors.ts`).toBeTypeOf('string');
    expect(entry.zh, `${code}: the zh-CN text is not Chinese`).toMatch(CJK);
    expect(catalogueText(code, 'zh-CN')).toBe(entry.zh);
    expect(catalogueText(code, 'en')).toBe(entry.message);
  });

  it('documents every code with both texts in docs/api.md', () => {
    const doc = readFileSync(new URL('../docs/api.md', import.meta.url), 'utf8');
    for (const code of codes) {
      const entry: { message: string; zh?: string } = errorCatalogue[code];
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
      expect(row, `docs/api.md has no row for ${code} in "Codes and their texts"`).toBeDefined();
      expect(row).toContain(entry.zh ?? '(no zh-CN text)');
    }
  });

  it('gives a zh-CN reader the specific message, else the code\'s text, never English', () => {
    const specific = new AppError('CONFLICT', { en: 'The username x is taken.', zh: '账号 x 已经有人用了。' });
    expect(specific.message).toBe('The username x is taken.');
    expect(specific.messageIn('en')).toBe('The username x is taken.');
    expect(specific.messageIn('zh-CN')).toBe('账号 x 已经有人用了。');
    const untranslated = new AppError('CONFLICT', 'Only English was written here.');
    expect(untranslated.messageIn('en')).toBe('Only English was written here.');
    expect(untranslated.messageIn('zh-CN')).toBe(errorCatalogue.CONFLICT.zh);
    expect(notFound({ en: 'Node 5', zh: '节点 5' }).messageIn('zh-CN')).toBe('没有找到节点 5。');
    expect(notFound('Node 5').messageIn('zh-CN')).toBe(errorCatalogue.NOT_FOUND.zh);
    expect(denied({}, { en: 'Only admins.', zh: '只有管理员可以。' }).messageIn('zh-CN')).toBe('只有管理员可以。');
    expect(denied(null, { en: 'Only admins.', zh: '只有管理员可以。' }).code).toBe('UNAUTHENTICATED');
  });

  it('picks the language from Accept-Language: zh* → zh-CN, anything else or nothing → English', () => {
    expect(languageOf(undefined)).toBe('en');
    expect(languageOf('')).toBe('en');
    expect(languageOf('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(languageOf('zh')).toBe('zh-CN');
    expect(languageOf('zh-TW')).toBe('zh-CN');
    expect(languageOf('en-US,en;q=0.9')).toBe('en');
    expect(languageOf('en;q=0.5, zh-CN;q=0.9')).toBe('zh-CN');
    expect(languageOf('zh-CN;q=0, en')).toBe('en');
    expect(languageOf('fr-FR')).toBe('en');
    expect(languageOf('*')).toBe('en');
  });

  it('names a field in plain Chinese words, and an unknown field as 这一项', () => {
    expect(zhIssueMessage('note', { code: 'too_small', missing: true, origin: 'string', minimum: 1 })).toBe('请写上处理情况');
    expect(zhIssueMessage('categoryCode', { code: 'invalid_type', missing: true })).toBe('请选择事件分类');
    expect(zhIssueMessage('description', { code: 'too_small', missing: false, origin: 'string', minimum: 2 })).toBe('事件描述至少要写 2 个字');
    expect(zhIssueMessage('title', { code: 'too_big', missing: false, origin: 'string', maximum: 60 })).toBe('标题最多只能写 60 个字');
    expect(zhIssueMessage('phone', { code: 'custom', missing: false })).toContain('11 位手机号');
    expect(zhIssueMessage('noSuchField', { code: 'invalid_type', missing: true })).toBe('请写上这一项');
    for (const [field, label] of Object.entries(FIELD_LABELS)) expect(label, field).toMatch(CJK);
  });
});

describe('the API answers in the request\'s language', () => {
  const t = useTestTown();
  const [worker, admin] = t.sessions('t_worker11', 't_admin');

  const handleEmpty = (lang?: string) => t.app.inject({
    method: 'POST', url: '/api/matters/1/handle', payload: { note: '   ' },
    headers: { ...worker, ...(lang ? { 'accept-language': lang } : {}) },
  });

  it('VALIDATION_FAILED in zh names the fields in Chinese, with the zod reason kept for machines', async () => {
    const res = await handleEmpty('zh-CN,zh;q=0.9');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-language']).toBe('zh-CN');
    expect(String(res.headers.vary)).toMatch(/accept-language/i);
    const { error } = res.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe('请写上处理情况。');
    expect(error.details.issues).toEqual([{ path: 'body.note', reason: 'too_small', message: '请写上处理情况' }]);
  });

  it('stays English with no header and with an English one', async () => {
    for (const res of [await handleEmpty(), await handleEmpty('en-US,en;q=0.9')]) {
      expect(res.statusCode).toBe(400);
      const { error } = res.json();
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toBe('The request is not valid. body.note: write what was done');
      expect(error.message).not.toMatch(CJK);
      expect(error.details.issues[0]).toMatchObject({ path: 'body.note', reason: 'too_small' });
      expect(error.details.issues[0].message).not.toMatch(CJK);
    }
  });

  it('tells a missing field from a badly written one, several at once', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/users', headers: { ...admin, 'accept-language': 'zh-CN' }, payload: {
      username: '', displayName: 'x', password: 'a-long-password', phone: '12345', roles: [],
    } });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    const messages = error.details.issues.map((i: { message: string }) => i.message);
    expect(messages).toContain('请写上账号');
    expect(messages.some((m: string) => m.includes('11 位手机号'))).toBe(true);
    expect(error.message).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('gives the specific message a service wrote in both languages', async () => {
    const make = (lang?: string) => t.app.inject({ method: 'POST', url: '/api/users', headers: { ...admin, ...(lang ? { 'accept-language': lang } : {}) }, payload: {
      username: 't_worker11', displayName: '重名', password: 'a-long-password', roles: [{ role: 'grid_worker', nodeId: t.town.g11.id, employment: 'full_time' }],
    } });
    const zh = await make('zh-CN');
    expect(zh.statusCode).toBe(409);
    expect(zh.json().error).toMatchObject({ code: 'CONFLICT', message: '用户名 t_worker11 已经有人用了，请换一个。' });
    expect((await make()).json().error).toMatchObject({ code: 'CONFLICT', message: 'The username t_worker11 is taken.' });
    // A step that does not fit the matter's status names both in Chinese.
    const matter = await t.app.inject({ method: 'POST', url: '/api/matters', headers: worker, payload: { source: 'patrol', description: '路灯不亮了', location: { nodeId: t.town.g11.id } } });
    const id = matter.json().id as number;
    const resume = await t.app.inject({ method: 'POST', url: `/api/matters/${id}/resume`, headers: { ...admin, 'accept-language': 'zh-CN' }, payload: {} });
    expect(resume.json().error.code).toBe('INVALID_TRANSITION');
    expect(resume.json().error.message).toMatch(CJK);
    expect(resume.json().error.message).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('localizes the catalogue codes of services and of the renderer itself', async () => {
    const zh = { 'accept-language': 'zh-CN' };
    const anon = await t.app.inject({ method: 'GET', url: '/api/users', headers: zh });
    expect(anon.json().error).toMatchObject({ code: 'UNAUTHENTICATED', message: errorCatalogue.UNAUTHENTICATED.zh });
    const missing = await t.app.inject({ method: 'GET', url: '/api/no-such-thing', headers: zh });
    expect(missing.json().error.code).toBe('NOT_FOUND');
    expect(missing.json().error.message).toMatch(/^没有这个接口/);
    const badLogin = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: zh, payload: { username: 't_admin', password: 'wrong-password' } });
    expect(badLogin.json().error).toMatchObject({ code: 'INVALID_CREDENTIALS', message: errorCatalogue.INVALID_CREDENTIALS.zh });
    const badJson = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { ...zh, 'content-type': 'application/json' }, payload: '{"username":' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error.message).toBe(errorCatalogue.VALIDATION_FAILED.zh);
    const nul = await t.app.inject({ method: 'POST', url: '/api/matters/1/handle', headers: { ...worker, ...zh }, payload: { note: 'a\u0000b' } });
    expect(nul.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: '处理情况里有无法保存的字符，请删掉后再试。' });
    const en = await t.app.inject({ method: 'GET', url: '/api/users' });
    expect(en.json().error).toMatchObject({ code: 'UNAUTHENTICATED', message: errorCatalogue.UNAUTHENTICATED.message });
  });
});
