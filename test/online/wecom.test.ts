import { encrypt, getSignature } from '@wecom/crypto';
import { describe, expect, it } from 'vitest';
import { openWecom, parseFlatXml, wecomMessage } from '../../src/modules/online/wecom.ts';
import { expectError } from '../helpers/app.ts';
import { messageCount, nowSeconds, useOnlineTown, WECOM, wecomCallback, wecomText } from './fixture.ts';

/** WeCom's published samples (加解密方案说明, developer.work.weixin.qq.com/document/path/90968). */
const SAMPLE_VERIFY = {
  msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3', timestamp: '1409659589', nonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
};
const SAMPLE_POST = {
  msg_signature: '477715d11cdb4164915debcba66cb864d751f3e6', timestamp: '1409659813', nonce: '1372623149',
  encrypt: 'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
};

describe('WeCom protocol with the published samples', () => {
  it('verifies the sample callback URL and answers its echostr', () => {
    const r = openWecom(WECOM, SAMPLE_VERIFY, SAMPLE_VERIFY.echostr, Number(SAMPLE_VERIFY.timestamp) * 1000);
    expect(r).toEqual({ ok: true, plain: '1616140317555161061' });
    expect(openWecom(WECOM, SAMPLE_VERIFY, SAMPLE_VERIFY.echostr, Date.now())).toEqual({ ok: false, why: 'stale' });
    expect(openWecom(WECOM, { ...SAMPLE_VERIFY, nonce: '263014781' }, SAMPLE_VERIFY.echostr, null)).toEqual({ ok: false, why: 'bad_signature' });
  });

  it('decrypts the sample message into its fields', () => {
    const r = openWecom(WECOM, SAMPLE_POST, SAMPLE_POST.encrypt, Number(SAMPLE_POST.timestamp) * 1000);
    if (!r.ok) throw new Error(r.why);
    const fields = parseFlatXml(r.plain);
    expect(fields).toMatchObject({ ToUserName: 'wx5823bf96d3bd56c7', FromUserName: 'mycreate', CreateTime: '1409659813', MsgType: 'text', Content: 'hello', MsgId: '4561255354251345929', AgentID: '218' });
    expect(wecomMessage(fields ?? {})).toMatchObject({ externalGroupId: 'user:mycreate', externalMsgId: '4561255354251345929', text: 'hello' });
    expect(openWecom({ ...WECOM, corpId: 'wwOther' }, SAMPLE_POST, SAMPLE_POST.encrypt, null)).toEqual({ ok: false, why: 'wrong_receiver' });
    expect(parseFlatXml('<xml><a>1</a><b><c>2</c></b></xml>')).toBeNull();
    expect(parseFlatXml('not xml')).toBeNull();
  });
});

describe('WeCom callback over HTTP', () => {
  const o = useOnlineTown();

  it('answers URL verification with the decrypted echostr, and refuses a forged or stale one', async () => {
    const echostr = encrypt(WECOM.aesKey, '8841270551338469352', WECOM.corpId);
    const ts = nowSeconds();
    const sig = getSignature(WECOM.token, ts, '42', echostr);
    const url = (s: string, t: string) => `/api/intake/wecom/${o.wecomId}?msg_signature=${s}&timestamp=${t}&nonce=42&echostr=${encodeURIComponent(echostr)}`;
    const ok = await o.app.inject({ method: 'GET', url: url(sig, ts) });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('8841270551338469352');
    expectError(await o.app.inject({ method: 'GET', url: url('0'.repeat(40), ts) }), 401, 'BAD_SIGNATURE');
    const old = String(Number(ts) - 600);
    expectError(await o.app.inject({ method: 'GET', url: url(getSignature(WECOM.token, old, '42', echostr), old) }), 401, 'STALE_TIMESTAMP');
  });

  it('stores a group message once; forged, stale, foreign and malformed callbacks store nothing', async () => {
    const before = await messageCount(o);
    const cb = wecomCallback(o, wecomText({ msgId: '7001', chatId: 'wrG11', from: 'lisi', content: '1栋楼道里着火了，快来人！' }));
    const first = await cb.send();
    expect(first.statusCode).toBe(200);
    expect(first.body).toBe('success');
    // WeCom retries a callback it thinks failed: the same MsgId is not stored twice.
    expect((await cb.send()).statusCode).toBe(200);
    expect(await messageCount(o)).toBe(before + 1);
    const row = await o.deps.db.selectFrom('group_messages').selectAll().where('dedupe_key', '=', `wecom:${o.wecomId}:7001`).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ group_id: o.groups.g11, grid_id: o.town.g11.id, sender_external_id: 'lisi', urgency: 'urgent', urgent_kind: 'fire', state: 'new' });

    const forged = wecomCallback(o, wecomText({ msgId: '7002', chatId: 'wrG11', content: '路灯不亮' }), { token: 'not-the-token' });
    expectError(await forged.send(), 401, 'BAD_SIGNATURE');
    const foreign = wecomCallback(o, wecomText({ msgId: '7003', chatId: 'wrG11', content: '路灯不亮' }), { corpId: 'wwSomeoneElse' });
    expectError(await foreign.send(), 401, 'BAD_SIGNATURE');
    const stale = wecomCallback(o, wecomText({ msgId: '7004', chatId: 'wrG11', content: '路灯不亮' }), { timestamp: String(Math.floor(Date.now() / 1000) - 301) });
    expectError(await stale.send(), 401, 'STALE_TIMESTAMP');
    const noEncrypt = await o.app.inject({ method: 'POST', url: `/api/intake/wecom/${o.wecomId}?msg_signature=a&timestamp=${nowSeconds()}&nonce=1`, headers: { 'content-type': 'text/xml' }, payload: '<xml><ToUserName>x</ToUserName></xml>' });
    expectError(noEncrypt, 400, 'MALFORMED_MESSAGE');
    const notXml = await o.app.inject({ method: 'POST', url: `/api/intake/wecom/${o.wecomId}?msg_signature=a&timestamp=${nowSeconds()}&nonce=1`, headers: { 'content-type': 'text/xml' }, payload: '{"Encrypt":"x"}' });
    expectError(notXml, 400, 'MALFORMED_MESSAGE');
    // Authentic but the plaintext inside is not XML: malformed, not stored.
    const garbled = wecomCallback(o, 'hello, not xml');
    expectError(await garbled.send(), 400, 'MALFORMED_MESSAGE');
    expect(await messageCount(o)).toBe(before + 1);
  });

  it('holds a message from a chat nobody bound', async () => {
    const cb = wecomCallback(o, wecomText({ msgId: '7100', chatId: 'wrUnknown', content: '小区门口的井盖坏了' }));
    expect((await cb.send()).statusCode).toBe(200);
    const row = await o.deps.db.selectFrom('group_messages').selectAll().where('dedupe_key', '=', `wecom:${o.wecomId}:7100`).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'held', group_id: null, grid_id: null, external_group_id: 'wrUnknown' });
  });
});
