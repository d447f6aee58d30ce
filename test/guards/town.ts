import type { Kysely } from 'kysely';
import { type RawBuilder, sql } from 'kysely';
import { idNumberChecksum } from '../../src/core/idcard.ts';
import { systemContext } from '../../src/core/scope.ts';
import { ROLES, type Role } from '../../src/core/vocabulary.ts';
import type { DB } from '../../src/db/schema.ts';
import type { AppDeps } from '../../src/deps.ts';
import { hashPassword } from '../../src/modules/access/passwords.ts';
import { ensureBaseModel } from '../../src/modules/sensing/models.service.ts';
import type { roleBody } from '../../src/modules/people/people.schema.ts';
import { PeopleService } from '../../src/modules/people/people.service.ts';
import { UsersService } from '../../src/modules/people/users.service.ts';
import { GridLocatorCache } from '../../src/modules/structure/locator.cache.ts';
import * as structureRepo from '../../src/modules/structure/structure.repository.ts';
import { StructureService } from '../../src/modules/structure/structure.service.ts';
import type { TestApp } from '../helpers/app.ts';
import { PASSWORD, rect, seedTown } from '../helpers/factory.ts';
import { Actor, PNG_1x1 } from '../helpers/matters.ts';
import { WECOM } from '../online/fixture.ts';
import type { z } from 'zod';

/**
 * The town the guard tests run in. Scope A is seedTown's district (江北区 → 观音桥街道 → 花园社区 …), where one account
 * holds each role of ROLES (`a_<role>`), scoped as narrowly as the role allows. Scope B is a second district
 * (沙坪坝区 → 石井坡街道 → 中心湾社区 → 中心湾1网格) with its own staff (`f_…`) and one of everything a module keeps
 * — residents, a building, households, a group with members, targets and messages, matters at several stages with
 * photos and a pending request, an inspection task, a visit, broadcast content and a plan, a token, notices, a failed
 * delivery — each carrying a marker string (MARK…) or personal numbers that must never leave scope B's staff.
 * `fz_root` holds the staff roles over both districts: the fuzzer's authorised user.
 */

export const MARK = 'FXQ';
const GUARD_SECRET = 'guard-webhook-secret-0123456789';

/** The account holding `role` in scope A. */
export const roleUser = (role: Role) => `a_${role}`;

async function builders(deps: AppDeps) {
  const ctx = systemContext();
  const structure = new StructureService(deps, new GridLocatorCache(deps.db));
  const users = new UsersService(deps);
  const people = new PeopleService(deps);
  const passwordHash = await hashPassword(PASSWORD);
  return (trx: Kysely<DB>) => ({
    node: (parentId: number | null, level: 'district' | 'town' | 'community' | 'grid', code: string, name: string, minLng: number) =>
      structure.createNodeIn(trx, ctx, { parentId, level, code, name, boundary: rect(minLng, 29.5, minLng + 0.03, 29.52) }),
    user: (username: string, displayName: string, roles: z.infer<typeof roleBody>[]) =>
      users.createIn(trx, ctx, { username, displayName, phone: null, roles, passwordHash }),
    resident: (gridId: number, householdId: number | null, name: string, phone: string, idNumber: string) =>
      people.createResidentIn(trx, ctx, { gridId, householdId, name, gender: 'F', birthDate: '1970-01-01', phone, idNumber }),
  });
}

const idNumber = (seq: string) => {
  const first17 = `500106197001${seq}`;
  return first17 + idNumberChecksum(first17);
};

/** A real PNG with a marker after its end: served back byte for byte, so a leak of the photo shows as the marker. */
const markedPhoto = (marker: string) => Buffer.concat([PNG_1x1, Buffer.from(marker)]);

async function upload(app: TestApp['app'], headers: Record<string, string>, bytes: Buffer): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'photo.png');
  const res = await app.inject({ method: 'POST', url: '/api/files', headers, payload: form });
  if (res.statusCode >= 300) throw new Error(`upload: ${res.statusCode} ${res.body}`);
  return (res.json() as { hash: string }).hash; // the upload's documented answer
}

/** Two versions of the sensing model, the base one retired and a copy of it current, so a promotion and a rollback can succeed. */
async function seedSensingModels(deps: AppDeps) {
  await ensureBaseModel(deps);
  const v1 = await deps.db.selectFrom('sensing_models').selectAll().where('version', '=', 1).executeTakeFirstOrThrow();
  await deps.db.updateTable('sensing_models').set({ status: 'retired' }).where('id', '=', v1.id).execute();
  await deps.db.insertInto('sensing_models').values({
    version: 2, status: 'current', engine: v1.engine, params: JSON.stringify(v1.params), training: JSON.stringify(v1.training), figures: JSON.stringify(v1.figures),
    artifact: v1.artifact, reason: 'guard town', promoted_at: new Date(),
  }).execute();
}

export async function seedGuardTown(t: TestApp) {
  const { deps, app } = t;
  const a = await seedTown(deps);
  await seedSensingModels(deps);
  const build = await builders(deps);
  let n = 0;
  const markers: string[] = [];
  const mark = (what: string) => {
    const m = `${MARK}${String(++n).padStart(2, '0')}`;
    markers.push(m);
    return `${what}${m}`;
  };
  const phones = ['13955550101', '13955550202', '13955550303'];
  const idNumbers = [idNumber('01001'), idNumber('02002')];

  const f = await deps.db.transaction().execute(async (trx) => {
    const { node, user, resident } = build(trx);
    // Names of the tree, boards, posts and departments are public or shared across the town: no markers on them.
    const district = await node(null, 'district', '500106000000', '沙坪坝区', 106.53);
    const town = await node(district.id, 'town', '500106005000', '石井坡街道', 106.53);
    const c3 = await node(town.id, 'community', '500106005001', '中心湾社区', 106.53);
    const g31 = await node(c3.id, 'grid', '500106005001001', '中心湾1网格', 106.53);
    const board = await structureRepo.insertBoard(trx, town.id, 'livelihood', '民生服务');
    const post = await structureRepo.insertPost(trx, board.id, '公共服务岗');
    const dept = await structureRepo.insertDepartment(trx, { nodeId: town.id, name: '石井坡派出所', kind: 'joint_duty', jointDutyType: 'police_station', boardId: board.id });
    const users = {
      admin: await user('f_admin', mark('管理员'), [{ role: 'admin', nodeId: district.id }]),
      centre: await user('f_centre', mark('值班员'), [{ role: 'centre_operator', nodeId: town.id }]),
      staff: await user('f_staff', mark('社区干部'), [{ role: 'community_staff', nodeId: c3.id }]),
      worker: await user('f_worker', mark('网格员'), [{ role: 'grid_worker', nodeId: g31.id }]),
      dept: await user('f_dept', mark('民警'), [{ role: 'department_handler', departmentId: dept.id }]),
      post: await user('f_post', mark('岗位'), [{ role: 'post_handler', postId: post.id }]),
      resident: await user('f_resident', mark('居民'), [{ role: 'resident', nodeId: g31.id }]),
    };
    const r1 = await resident(g31.id, null, mark('赵'), phones[0] as string, idNumbers[0] as string);
    const r2 = await resident(g31.id, null, mark('钱'), phones[1] as string, idNumbers[1] as string);
    await trx.updateTable('residents').set({ user_id: users.resident }).where('id', '=', r1).execute();

    // Scope A: one account per role, as narrow as the role allows.
    const aRole = (role: Role): z.infer<typeof roleBody> => {
      switch (role) {
        case 'admin': case 'centre_operator': return { role, nodeId: a.town.id };
        case 'board_lead': return { role, boardId: a.board.id };
        case 'post_handler': return { role, postId: a.post.id };
        case 'department_handler': return { role, departmentId: a.police.id };
        case 'community_staff': case 'mediator': case 'merchant': return { role, nodeId: a.c1.id };
        case 'grid_chief': return { role, nodeId: a.g11.id, abSlot: 'B' };
        case 'building_head': return { role, buildingId: a.building.id };
        case 'unit_head': return { role, unitId: a.unit.id };
        default: return { role, nodeId: a.g11.id };
      }
    };
    for (const role of ROLES) await user(roleUser(role), `A区${role}`, [aRole(role)]);
    const root = await user('fz_root', '模糊测试', [
      { role: 'admin', nodeId: a.district.id }, { role: 'admin', nodeId: district.id },
      { role: 'centre_operator', nodeId: a.district.id }, { role: 'centre_operator', nodeId: district.id },
      { role: 'community_staff', nodeId: a.c1.id }, { role: 'grid_chief', nodeId: a.g12.id, abSlot: 'A' }, { role: 'grid_worker', nodeId: a.g12.id },
      { role: 'board_lead', boardId: a.board.id }, { role: 'post_handler', postId: a.post.id }, { role: 'department_handler', departmentId: a.police.id },
      { role: 'building_head', buildingId: a.building.id },
    ]);
    return { district, town, c3, g31, board, post, dept, users, residents: [r1, r2], root };
  });

  // The rest of scope B is made as its own staff would make it, over HTTP.
  const as = (username: string) => Actor.as(app, username);
  const [fAdmin, fCentre, fStaff, fWorker, fDept, fResident] = await Promise.all(['f_admin', 'f_centre', 'f_staff', 'f_worker', 'f_dept', 'f_resident'].map(as));
  if (!fAdmin || !fCentre || !fStaff || !fWorker || !fDept || !fResident) throw new Error('scope B logins');
  const workerHeaders = await loginHeaders(app, 'f_worker');

  const building = await fWorker.ok<{ id: number; units: { id: number }[] }>('POST', '/api/buildings', { gridId: f.g31.id, name: mark('楼'), address: mark('中心湾路'), units: [mark('单元')] });
  const unitId = building.units[0]?.id ?? null;
  const household = await fWorker.ok<{ id: number }>('POST', '/api/households', { gridId: f.g31.id, buildingId: building.id, unitId, room: '9901', population: 2 });
  await deps.db.updateTable('residents').set({ household_id: household.id }).where('id', 'in', f.residents).execute();
  const resident3 = await fWorker.ok<{ id: number }>('POST', '/api/residents', { gridId: f.g31.id, householdId: household.id, name: mark('孙'), phone: phones[2] });

  const group = await fAdmin.ok<{ id: number }>('POST', '/api/online-groups', { gridId: f.g31.id, platform: 'webhook', externalId: mark('chat-'), name: mark('中心湾群') });
  const target = await fAdmin.ok<{ id: number }>('POST', `/api/online-groups/${group.id}/targets`, { kind: 'webhook', url: `https://hooks.example.org/${mark('t')}`, secret: mark('secret-0123456789-') });
  const member = await fWorker.ok<{ id: number }>('POST', `/api/online-groups/${group.id}/members`, { externalUserId: mark('u-'), displayName: mark('群友'), residentId: f.residents[0] });
  const pasted = await fWorker.ok<{ id: number }>('POST', `/api/online-groups/${group.id}/messages`, { text: mark('3号楼着火了，快来人！'), senderName: mark('李'), clientId: crypto.randomUUID() });
  const pasted2 = await fWorker.ok<{ id: number }>('POST', `/api/online-groups/${group.id}/messages`, { text: mark('楼道灯坏了好几天了'), senderName: mark('周'), clientId: crypto.randomUUID() });

  const photo = await upload(app, workerHeaders, markedPhoto(mark('photo-')));
  const categories = (await fWorker.ok<{ items: { code: string; children?: unknown[] }[] }>('GET', '/api/categories')).items;
  const categoryCode = process.env.GUARD_CATEGORY ?? firstLeaf(categories);
  // Reported by the resident, with no title: the title falls back to the resident's own words.
  const m1 = await fResident.ok<{ id: number; code: string }>('POST', '/api/matters', {
    source: 'resident_report', description: mark('我是赵女士，电话13955550101，') + '家门口水管爆了', location: { nodeId: f.g31.id },
    reporter: { residentId: f.residents[0], contactName: mark('赵'), contactPhone: phones[0] }, photos: [],
  });
  const m2 = await fWorker.ok<{ id: number; code: string }>('POST', '/api/matters', {
    source: 'patrol', title: '井盖缺失', description: mark('中心湾路井盖丢失，'), location: { buildingId: building.id }, photos: [photo],
  });
  await fCentre.step(m2.id, 'register', { categoryCode, scope: 'public', complexity: 'simple', note: mark('研判') });
  await fCentre.step(m2.id, 'dispatch', { lead: { kind: 'department', id: f.dept.id }, note: mark('派单') });
  await fDept.step(m2.id, 'accept');
  await fDept.step(m2.id, 'progress', { note: mark('处置中'), photos: [photo] });
  await fDept.step(m2.id, 'suspend-request', { reason: mark('等待配件') });
  const request = (await fCentre.matter(m2.id)).requests[0];
  const m3 = await fStaff.ok<{ id: number; code: string }>('POST', '/api/matters', { source: 'visit', title: '独居老人需要帮扶', description: mark('钱阿姨独居'), location: { nodeId: f.g31.id } });
  await fStaff.step(m3.id, 'reject', { reason: mark('不属于事件') });

  const inspection = await fCentre.ok<{ id: number; points: { id: number }[] }>('POST', '/api/inspections', {
    nodeId: f.town.id, title: mark('排查'), description: mark('汛期排查'), dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    points: [{ gridId: f.g31.id, name: mark('积水点') }, { gridId: f.g31.id, name: mark('下穿道') }],
  });
  const visit = await fWorker.ok<{ id: number }>('POST', '/api/visits', { gridId: f.g31.id, householdIds: [household.id], note: mark('走访'), photos: [photo] });
  const content = await fStaff.ok<{ id: number }>('POST', '/api/broadcasts/content', { title: mark('防诈骗'), body: mark('不听不信不转账') });
  const plan = await fStaff.ok<{ id: number }>('POST', '/api/broadcasts/plans', { name: mark('每日提醒'), cadence: 'daily', timeOfDay: '08:00', contentId: content.id, groupIds: [group.id] });
  const token = await fWorker.ok<{ id: number }>('POST', '/api/auth/tokens', { name: mark('token') });
  // Deliberation: a topic of scope B's grid with a plan and its goal, a comment, an amendment and a pledge by its resident.
  const topic = await fWorker.ok<{ id: number }>('POST', '/api/topics', { title: mark('议题'), body: mark('桥下整修'), scope: 'grid', nodeId: f.g31.id, supportThreshold: 0 });
  const topicPlan = await fWorker.ok<{ id: number; goals: { id: number }[] }>('POST', `/api/topics/${topic.id}/plans`, {
    title: mark('方案'), body: mark('铺塑胶'), goals: [{ kind: 'money', label: mark('资金'), unit: '元', target: 1000 }],
  });
  const comment = await fResident.ok<{ id: number }>('POST', `/api/topics/${topic.id}/comments`, { body: mark('要得') });
  const amended = await fResident.ok<{ amendments: { id: number }[] }>('POST', `/api/topics/${topic.id}/plans/${topicPlan.id}/amendments`, { body: mark('加个滑梯') });
  const pledge = await fResident.ok<{ id: number }>('POST', `/api/topics/${topic.id}/pledges`, { goalId: topicPlan.goals[0]?.id, amount: 100, note: mark('认捐') });
  // A second topic decided by its resident's vote and being implemented: a project with a milestone.
  const decidedTopic = await fWorker.ok<{ id: number }>('POST', '/api/topics', { title: mark('议题二'), scope: 'grid', nodeId: f.g31.id, supportThreshold: 0 });
  await fWorker.ok('POST', `/api/topics/${decidedTopic.id}/vote/open`, { closesAt: new Date(Date.now() + 86_400_000).toISOString() });
  await fResident.ok('POST', `/api/topics/${decidedTopic.id}/votes`, { approval: 'yes' });
  await fWorker.ok('POST', `/api/topics/${decidedTopic.id}/vote/close`, { outcome: mark('同意') });
  const project = await fWorker.ok<{ id: number; milestones: { id: number }[] }>('POST', `/api/topics/${decidedTopic.id}/project`, { title: mark('项目'), milestones: [{ title: mark('节点') }], photos: [photo] });
  const station = await fStaff.ok<{ id: number }>('POST', '/api/grid-stations', { nodeId: f.c3.id, name: mark('驿站'), brand: '连心桥', address: mark('中心湾路') });
  const item = await fStaff.ok<{ id: number }>('POST', '/api/pending-items', { nodeId: f.c3.id, title: mark('待办'), kind: 'shared', owner: mark('物业') });
  const meeting = await fStaff.ok<{ id: number; agenda: { id: number }[] }>('POST', '/api/meetings', {
    nodeId: f.c3.id, kind: 'neighbourhood', title: mark('邻里会'), place: mark('驿站'), startsAt: new Date().toISOString(), stationId: station.id, topicId: topic.id,
  });
  await fStaff.ok('POST', `/api/meetings/${meeting.id}/open`);
  await fStaff.ok('POST', `/api/meetings/${meeting.id}/attendance`, { residentId: f.residents[0] });
  // Points: a merchant of scope B's community with an item, a code its resident shows, hours recorded, a flag.
  const merchant = await fStaff.ok<{ id: number }>('POST', '/api/merchants', {
    communityId: f.c3.id, name: mark('商户'), address: mark('中心湾路'), opens: '00:00', closes: '00:00', keeper: { name: mark('店主'), phone: '13600009999' },
  });
  const merchantItem = await fStaff.ok<{ id: number }>('POST', `/api/merchants/${merchant.id}/items`, { name: mark('兑换品'), points: 1, stock: 5 });
  await fResident.ok('POST', '/api/points/checkin');
  const redemption = await fResident.ok<{ id: number }>('POST', '/api/points/redemptions', { itemId: merchantItem.id, quantity: 1, key: mark('key-') });
  const hours = await fWorker.ok<{ id: number }>('POST', '/api/points/hours', { residentId: f.residents[0], activity: mark('志愿'), servedOn: '2026-10-01', minutes: 60 });
  const flag = await deps.db.insertInto('point_flags').values({ kind: 'repeat_merchant', dedupe_key: mark('flag-'), merchant_id: merchant.id, resident_id: f.residents[0], details: '{}' })
    .returning('id').executeTakeFirstOrThrow();
  const delivery = await deps.db.insertInto('outbound_deliveries').values({
    target_id: target.id, group_id: group.id, kind: 'matter_outcome', matter_id: m2.id, payload: JSON.stringify({ text: mark('结果') }), status: 'failed', last_error: mark('err'),
  }).returning('id').executeTakeFirstOrThrow();
  // Notices of scope B's people (the urgent message and the dispatch gave some); one made sure of.
  await deps.db.insertInto('notices').values({ user_id: f.users.worker, resident_id: null, matter_id: m2.id, kind: 'reminder', body: mark('提醒') }).execute();
  const notices = await deps.db.selectFrom('notices').select('id').where('user_id', 'in', Object.values(f.users)).execute();
  const roleIds = await deps.db.selectFrom('role_assignments').select('id').where('user_id', 'in', Object.values(f.users)).execute();
  const codes = await matterCodes(deps, [m1.id, m2.id, m3.id]);
  // An intake source, so the signed-webhook fuzzing has somewhere to post; sources are town-wide (administrators').
  const aAdmin = await as('t_admin');
  const source = await aAdmin.ok<{ id: number }>('POST', '/api/intake/sources', { kind: 'webhook', name: '网关', secret: GUARD_SECRET });
  const wecom = await aAdmin.ok<{ id: number }>('POST', '/api/intake/sources', { kind: 'wecom', name: '企业微信', ...WECOM });
  const own = await seedOwn(app, deps, a, categoryCode);

  return {
    a,
    foreign: {
      ...f,
      building: building.id, unit: unitId, household: household.id, residents: [...f.residents, resident3.id],
      group: group.id, target: target.id, member: member.id, messages: [pasted.id, pasted2.id], photo,
      matters: [m1.id, m2.id, m3.id], matterCodes: codes, request: request?.id ?? null, inspection: inspection.id, points: inspection.points.map((p) => p.id),
      visit: visit.id, content: content.id, plan: plan.id, token: token.id, delivery: delivery.id,
      topic: topic.id, topicPlan: topicPlan.id, goal: topicPlan.goals[0]?.id ?? 0, comment: comment.id, amendment: amended.amendments[0]?.id ?? 0, pledge: pledge.id,
      decidedTopic: decidedTopic.id, project: project.id, milestone: project.milestones[0]?.id ?? 0,
      station: station.id, meeting: meeting.id, item: item.id, agendaItem: meeting.agenda[0]?.id ?? 0,
      merchant: merchant.id, merchantItem: merchantItem.id, redemption: redemption.id, hours: hours.id, flag: flag.id,
      notices: notices.map((x) => x.id), roleIds: roleIds.map((x) => x.id), categoryCode,
    },
    own,
    source: { id: source.id, secret: GUARD_SECRET },
    wecom: { id: wecom.id, ...WECOM },
    markers,
    /** Personal numbers of scope B's residents, full and as presented masked. */
    numbers: [...phones, ...phones.map((p) => `${p.slice(0, 3)}****${p.slice(7)}`), ...idNumbers],
  };
}

export type GuardTown = Awaited<ReturnType<typeof seedGuardTown>>;

/**
 * One of each in scope A too (no markers): the access matrix also aims at scope A's own records with scope B's ids in
 * the body ("add scope B's resident to my group"), which must not reach scope B either. Its users are `a_victim`'s,
 * so a write that succeeds on them (a password, a status) locks none of the role accounts out.
 */
async function seedOwn(app: TestApp['app'], deps: AppDeps, a: Awaited<ReturnType<typeof seedTown>>, categoryCode: string) {
  const [worker, centre, police, admin] = await Promise.all(['t_worker11', 't_centre', 't_police', 't_admin'].map((u) => Actor.as(app, u)));
  if (!worker || !centre || !police || !admin) throw new Error('scope A logins');
  const build = await builders(deps);
  const victim = await deps.db.transaction().execute((trx) => build(trx).user('a_victim', '受试账号', [{ role: 'grid_worker', nodeId: a.g12.id }]));
  const victimActor = await Actor.as(app, 'a_victim');
  const token = await victimActor.ok<{ id: number }>('POST', '/api/auth/tokens', { name: '自用' });
  const group = (await deps.db.selectFrom('online_groups').select('id').where('external_id', '=', 'wrG11').executeTakeFirstOrThrow()).id;
  const target = await admin.ok<{ id: number }>('POST', `/api/online-groups/${group}/targets`, { kind: 'wecom_robot', url: 'https://robot.example.org/send?key=own' });
  const message = await worker.ok<{ id: number }>('POST', `/api/online-groups/${group}/messages`, { text: '2号楼门口垃圾没人清', senderName: '王', clientId: crypto.randomUUID() });
  const photo = await upload(app, await loginHeaders(app, 't_worker11'), PNG_1x1);
  const m1 = await worker.ok<{ id: number; code: string }>('POST', '/api/matters', { source: 'patrol', title: '路灯不亮', description: '花园路路灯不亮', location: { nodeId: a.g11.id }, photos: [photo] });
  const m2 = await worker.ok<{ id: number; code: string }>('POST', '/api/matters', { source: 'patrol', title: '井盖松动', description: '花园路井盖松动', location: { nodeId: a.g11.id } });
  await centre.step(m2.id, 'register', { categoryCode, scope: 'public', complexity: 'simple' });
  await centre.step(m2.id, 'dispatch', { lead: { kind: 'department', id: a.police.id } });
  await police.step(m2.id, 'accept');
  await police.step(m2.id, 'suspend-request', { reason: '等待配件' });
  const request = (await centre.matter(m2.id)).requests[0];
  const inspection = await centre.ok<{ id: number; points: { id: number }[] }>('POST', '/api/inspections', {
    nodeId: a.town.id, title: '消防排查', dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), points: [{ gridId: a.g11.id, name: '1栋楼道' }],
  });
  const content = await centre.ok<{ id: number }>('POST', '/api/broadcasts/content', { title: '防溺水', body: '不私自下水' });
  const plan = await centre.ok<{ id: number }>('POST', '/api/broadcasts/plans', { name: '每周提醒', cadence: 'daily', timeOfDay: '09:00', contentId: content.id, groupIds: [group] });
  const delivery = await deps.db.insertInto('outbound_deliveries').values({ target_id: target.id, group_id: group, kind: 'matter_outcome', matter_id: m2.id, payload: JSON.stringify({ text: '结果' }), status: 'failed' })
    .returning('id').executeTakeFirstOrThrow();
  const topic = await worker.ok<{ id: number }>('POST', '/api/topics', { title: '楼下停车乱', scope: 'grid', nodeId: a.g11.id, supportThreshold: 0 });
  const topicPlan = await worker.ok<{ id: number; goals: { id: number }[] }>('POST', `/api/topics/${topic.id}/plans`, { title: '划车位', goals: [{ kind: 'labour', label: '出工', unit: '小时', target: 20 }] });
  const staff = await Actor.as(app, 't_staff1');
  if (!staff) throw new Error('scope A staff login');
  const meeting = await staff.ok<{ id: number }>('POST', '/api/meetings', { nodeId: a.c1.id, kind: 'review', title: '评议会', startsAt: new Date().toISOString(), topicId: topic.id });
  await staff.ok('POST', `/api/meetings/${meeting.id}/open`);
  const item = await staff.ok<{ id: number }>('POST', '/api/pending-items', { nodeId: a.c1.id, title: '绿化修剪', kind: 'shared' });
  const notice = await deps.db.insertInto('notices').values({ user_id: victim, resident_id: null, matter_id: m1.id, kind: 'reminder', body: '提醒' }).returning('id').executeTakeFirstOrThrow();
  const roleId = (await deps.db.selectFrom('role_assignments').select('id').where('user_id', '=', victim).executeTakeFirstOrThrow()).id;
  return {
    victim, token: token.id, node: a.g12.id, board: a.board.id, group, target: target.id, resident: a.residents.r12, message: message.id, photo,
    matters: [m1.id, m2.id], matterCodes: await matterCodes(deps, [m1.id]), request: request?.id ?? null, inspection: inspection.id, point: inspection.points[0]?.id ?? null,
    content: content.id, plan: plan.id, delivery: delivery.id, notice: notice.id, roleId,
    topic: topic.id, topicPlan: topicPlan.id, goal: topicPlan.goals[0]?.id ?? 0, meeting: meeting.id, item: item.id,
  };
}

function firstLeaf(items: { code: string; children?: unknown[] }[]): string {
  const leaf = items.find((c) => /\d{5}$/.test(c.code)) ?? items[items.length - 1];
  if (!leaf) throw new Error('no categories seeded');
  return leaf.code;
}

async function loginHeaders(app: TestApp['app'], username: string): Promise<Record<string, string>> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
  const cookie = res.cookies.find((c) => c.name === 'dg_session');
  if (!cookie) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  return { cookie: `dg_session=${cookie.value}` };
}

/** Every code-like column of the matters (the internal code and, where the schema has one, the public code). */
async function matterCodes(deps: AppDeps, ids: number[]): Promise<string[]> {
  const rows = await sql<Record<string, unknown>>`select * from matters where id in (${sql.join(ids)})`.execute(deps.db);
  return rows.rows.flatMap((r) => Object.entries(r).filter(([k, v]) => /code/.test(k) && k !== 'category_code' && typeof v === 'string').map(([, v]) => v as string)); // text columns
}

// ---- The foreign scope's rows, found through the foreign keys, for a before/after comparison ----

interface ForeignKey { child: string; column: string; parent: string; parentColumn: string }

/** The single-column foreign keys of the public schema (read from the catalogue, so new tables are included). */
async function foreignKeys(db: Kysely<DB>): Promise<ForeignKey[]> {
  const { rows } = await sql<ForeignKey>`
    select cl.relname as child, a.attname as "column", pl.relname as parent, pa.attname as "parentColumn"
    from pg_constraint c
    join pg_class cl on cl.oid = c.conrelid
    join pg_class pl on pl.oid = c.confrelid
    join pg_namespace ns on ns.oid = cl.relnamespace
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    join pg_attribute pa on pa.attrelid = c.confrelid and pa.attnum = c.confkey[1]
    where c.contype = 'f' and array_length(c.conkey, 1) = 1 and ns.nspname = 'public'`.execute(db);
  return rows;
}

/**
 * One fingerprint per table of the whole database, in one query: comparing two tells which tables changed at all,
 * so the (slower) walk of scope B's rows runs only when one of its tables did.
 */
/** Tables whose rows carry megabytes (a model's artifact): fingerprinted by the columns that change, not by every byte. */
const LARGE_ROWS: Record<string, RawBuilder<unknown>> = { sensing_models: sql`(x.id, x.version, x.status, x.reason, x.promoted_at)` };

async function tableFingerprints(db: Kysely<DB>): Promise<Record<string, string>> {
  const { rows: tables } = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public' order by tablename`.execute(db);
  const parts = tables.map((t) => {
    const row = LARGE_ROWS[t.name] ?? sql`x`;
    return sql`select ${t.name}::text as name, md5(coalesce(string_agg(${row}::text, ',' order by ${row}::text), '')) as digest from ${sql.table(t.name)} x`;
  });
  const { rows } = await sql<{ name: string; digest: string }>`${sql.join(parts, sql` union all `)}`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]));
}

type Values = Map<string, Map<string, Set<string>>>; // table → column → values

/**
 * Every row that belongs to scope B: its nodes and accounts, and, transitively, every row pointing at one of them by a
 * foreign key (residents of its grids, messages of its groups, events of its matters …), as one JSON line per row,
 * by table. A write that reached scope B changes, adds or removes one of them.
 */
async function foreignRows(db: Kysely<DB>, fks: ForeignKey[], roots: ScopeRoots): Promise<Record<string, string[]>> {
  const rowsOf = new Map<string, Set<string>>();
  /** Adds the rows not seen yet, and their values to `found`: the next round follows only what is new. */
  const take = (table: string, rows: Record<string, unknown>[], found: Values) => {
    const seen = rowsOf.get(table) ?? new Set<string>();
    rowsOf.set(table, seen);
    for (const row of rows) {
      const key = JSON.stringify(row);
      if (seen.has(key)) continue;
      seen.add(key);
      const cols = found.get(table) ?? new Map<string, Set<string>>();
      found.set(table, cols);
      for (const [col, v] of Object.entries(row)) if (v !== null && v !== undefined) cols.set(col, (cols.get(col) ?? new Set<string>()).add(String(v)));
    }
  };
  const select = async (table: string, column: string, vals: string[]) => {
    if (vals.length === 0) return [];
    return (await sql<Record<string, unknown>>`select * from ${sql.table(table)} where ${sql.ref(column)}::text in (${sql.join(vals)})`.execute(db)).rows;
  };
  let found: Values = new Map();
  take('nodes', (await sql<Record<string, unknown>>`select * from nodes where path like ${`${roots.nodePathPrefix}%`}`.execute(db)).rows, found);
  take('users', await select('users', 'id', roots.userIds.map(String)), found);
  while (found.size > 0) {
    const next: Values = new Map();
    for (const fk of fks) take(fk.child, await select(fk.child, fk.column, [...(found.get(fk.parent)?.get(fk.parentColumn) ?? [])]), next);
    found = next;
  }
  const out: Record<string, string[]> = {};
  for (const [table, rows] of [...rowsOf].sort(([x], [y]) => x.localeCompare(y))) if (rows.size) out[table] = [...rows].sort();
  return out;
}

export interface ScopeRoots { nodePathPrefix: string; userIds: number[] }

/**
 * Watches scope B's rows: `changes()` tells what changed among them since the last call (rows added, removed or
 * altered, by table). The walk through the foreign keys runs only when a table that holds, or may point at, scope B's
 * rows changed at all.
 */
export class ScopeWatch {
  private constructor(private readonly db: Kysely<DB>, private readonly fks: ForeignKey[], private readonly roots: ScopeRoots,
    private rows: Record<string, string[]>, private prints: Record<string, string>) {}

  static async start(db: Kysely<DB>, roots: ScopeRoots): Promise<ScopeWatch> {
    const fks = await foreignKeys(db);
    return new ScopeWatch(db, fks, roots, await foreignRows(db, fks, roots), await tableFingerprints(db));
  }

  async changes(): Promise<string[]> {
    const prints = await tableFingerprints(this.db);
    const changed = Object.keys(prints).filter((t) => prints[t] !== this.prints[t]);
    this.prints = prints;
    const held = new Set(Object.keys(this.rows));
    const relevant = changed.some((t) => held.has(t) || this.fks.some((fk) => fk.child === t && held.has(fk.parent)));
    if (!relevant) return [];
    const rows = await foreignRows(this.db, this.fks, this.roots);
    const out: string[] = [];
    for (const table of new Set([...Object.keys(this.rows), ...Object.keys(rows)])) {
      const b = new Set(this.rows[table] ?? []);
      const a = new Set(rows[table] ?? []);
      const added = [...a].filter((r) => !b.has(r));
      const removed = [...b].filter((r) => !a.has(r));
      if (added.length || removed.length) out.push(`${table}: +${added.length} −${removed.length} ${(added[0] ?? removed[0] ?? '').slice(0, 160)}`);
    }
    this.rows = rows;
    return out;
  }
}
