import type { Polygon } from 'geojson';
import type { Kysely } from 'kysely';
import { systemContext } from '../../src/core/scope.ts';
import type { JointDutyType } from '../../src/core/vocabulary.ts';
import type { DB } from '../../src/db/schema.ts';
import type { AppDeps } from '../../src/deps.ts';
import { hashPassword } from '../../src/modules/access/passwords.ts';
import type { roleBody } from '../../src/modules/people/people.schema.ts';
import { PeopleService } from '../../src/modules/people/people.service.ts';
import { UsersService } from '../../src/modules/people/users.service.ts';
import * as structureRepo from '../../src/modules/structure/structure.repository.ts';
import { GridLocatorCache } from '../../src/modules/structure/locator.cache.ts';
import { StructureService } from '../../src/modules/structure/structure.service.ts';
import type { z } from 'zod';

export const PASSWORD = 'test-password-1';

/** A lng/lat rectangle as a closed counter-clockwise GeoJSON polygon. */
export function rect(minLng: number, minLat: number, maxLng: number, maxLat: number): Polygon {
  return { type: 'Polygon', coordinates: [[[minLng, minLat], [maxLng, minLat], [maxLng, maxLat], [minLng, maxLat], [minLng, minLat]]] };
}

/**
 * What the seeds build with inside their transaction: a node of the tree and an account through the services,
 * as the system, every account with PASSWORD (hashed once per seed).
 */
async function seeding(deps: AppDeps) {
  const ctx = systemContext();
  const structure = new StructureService(deps, new GridLocatorCache(deps.db));
  const users = new UsersService(deps);
  const passwordHash = await hashPassword(PASSWORD);
  return (trx: Kysely<DB>) => ({
    ctx,
    node: (parentId: number | null, level: 'district' | 'town' | 'community' | 'grid', code: string, name: string, boundary?: Polygon) =>
      structure.createNodeIn(trx, ctx, { parentId, level, code, name, boundary: boundary ?? null }),
    user: (username: string, displayName: string, roles: z.infer<typeof roleBody>[]) =>
      users.createIn(trx, ctx, { username, displayName, phone: null, roles, passwordHash }),
  });
}

/**
 * A small town built through the services: district → town → communities c1 (grids g11, g12) and c2
 * (grid g21), boundaries 0.01° wide around Chongqing, a building with households and residents, a board,
 * a post, a joint-duty post, and one account per role that tests need.
 */
export async function seedTown(deps: AppDeps) {
  const people = new PeopleService(deps);
  const builders = await seeding(deps);

  return deps.db.transaction().execute(async (trx) => {
    const { ctx, node, user } = builders(trx);
    const district = await node(null, 'district', '500105000000', '江北区');
    const town = await node(district.id, 'town', '500105004000', '观音桥街道', rect(106.5, 29.5, 106.53, 29.52));
    const c1 = await node(town.id, 'community', '500105004001', '花园社区', rect(106.5, 29.5, 106.52, 29.52));
    const c2 = await node(town.id, 'community', '500105004002', '建新社区', rect(106.52, 29.5, 106.53, 29.52));
    const g11 = await node(c1.id, 'grid', '500105004001001', '花园1网格', rect(106.5, 29.5, 106.51, 29.52));
    const g12 = await node(c1.id, 'grid', '500105004001002', '花园2网格', rect(106.51, 29.5, 106.52, 29.52));
    const g21 = await node(c2.id, 'grid', '500105004002001', '建新1网格', rect(106.52, 29.5, 106.53, 29.52));
    const board = await structureRepo.insertBoard(trx, town.id, 'safety_law', '平安法治');
    const post = await structureRepo.insertPost(trx, board.id, '交通巡逻岗');
    const police = await structureRepo.insertDepartment(trx, { nodeId: town.id, name: '观音桥派出所', kind: 'joint_duty', jointDutyType: 'police_station', boardId: board.id });
    const building = await structureRepo.insertBuilding(trx, { gridId: g11.id, name: '1栋', address: '花园路1号1栋', lng: 106.505, lat: 29.51 });
    const unit = await structureRepo.insertUnit(trx, building.id, '1单元');
    const h1 = await structureRepo.insertHousehold(trx, { gridId: g11.id, buildingId: building.id, unitId: unit.id, room: '101', population: 3 });
    const h2 = await structureRepo.insertHousehold(trx, { gridId: g12.id, buildingId: null, unitId: null, room: '201', population: 2 });
    const h3 = await structureRepo.insertHousehold(trx, { gridId: g21.id, buildingId: null, unitId: null, room: '301', population: 4 });
    await structureRepo.insertGroup(trx, { gridId: g11.id, platform: 'wecom', externalId: 'wrG11', name: '花园1网格群' });

    const resident = (gridId: number, householdId: number, name: string, phone: string, idNumber: string) =>
      people.createResidentIn(trx, ctx, { gridId, householdId, name, gender: 'M', birthDate: '1950-03-07', phone, idNumber });
    const r11 = await resident(g11.id, h1.id, '王建国', '13812345678', '11010519491231002X');
    const r12 = await resident(g12.id, h2.id, '李秀英', '13987654321', '110105195003070019');
    const r21 = await resident(g21.id, h3.id, '张伟', '13700001111', '500105198001010019');

    const ids = {
      admin: await user('t_admin', '管理员', [{ role: 'admin', nodeId: town.id }]),
      centre: await user('t_centre', '中心值班员', [{ role: 'centre_operator', nodeId: town.id }]),
      staff1: await user('t_staff1', '花园社区干部', [{ role: 'community_staff', nodeId: c1.id }, { role: 'grid_chief', nodeId: g11.id, abSlot: 'A' }]),
      staff2: await user('t_staff2', '建新社区干部', [{ role: 'community_staff', nodeId: c2.id }]),
      worker11: await user('t_worker11', '网格员甲', [{ role: 'grid_worker', nodeId: g11.id, employment: 'full_time' }]),
      worker12: await user('t_worker12', '网格员乙', [{ role: 'grid_worker', nodeId: g12.id, employment: 'part_time' }]),
      dept: await user('t_police', '派出所民警', [{ role: 'department_handler', departmentId: police.id }]),
      post: await user('t_post', '交通岗', [{ role: 'post_handler', postId: post.id }]),
      head: await user('t_head', '楼栋长', [{ role: 'building_head', buildingId: building.id }]),
      volunteer: await user('t_volunteer', '志愿者', [{ role: 'volunteer', nodeId: g11.id }]),
      resident: await user('t_resident', '王建国', [{ role: 'resident', nodeId: g11.id }]),
    };
    // 王建国 logs in to follow and rate his own reports.
    await trx.updateTable('residents').set({ user_id: ids.resident }).where('id', '=', r11).execute();
    return { district, town, c1, c2, g11, g12, g21, board, post, police, building, unit, households: { h1, h2, h3 }, residents: { r11, r12, r21 }, users: ids };
  });
}

export type SeededTown = Awaited<ReturnType<typeof seedTown>>;

/**
 * seedTown plus what the stories of DOMAIN.md §5 need, kept out of seedTown itself because other tests
 * count seedTown's boards, posts and departments: the centre's other boards and posts (民生服务 with
 * 公共服务岗 and 社会保障岗, 经济发展, 综合执法岗 in 平安法治), the stationed agencies (market supervision,
 * traffic police), departments (a school, a property company, an owners' committee, the street's law
 * enforcement team), the district's own departments, a second district across the river with its
 * sanitation department, district centre operators, and accounts for everyone who acts in a story.
 */
export async function seedStoryTown(deps: AppDeps) {
  const base = await seedTown(deps);
  const builders = await seeding(deps);

  const extra = await deps.db.transaction().execute(async (trx) => {
    const { node, user } = builders(trx);
    // 沙坪坝区 across the river: its street and community border 观音桥 on the east.
    const district2 = await node(null, 'district', '500106000000', '沙坪坝区');
    const town2 = await node(district2.id, 'town', '500106005000', '石井坡街道', rect(106.53, 29.5, 106.56, 29.52));
    const c3 = await node(town2.id, 'community', '500106005001', '中心湾社区', rect(106.53, 29.5, 106.56, 29.52));
    const g31 = await node(c3.id, 'grid', '500106005001001', '中心湾1网格', rect(106.53, 29.5, 106.56, 29.52));

    const t = base.town.id;
    const livelihood = await structureRepo.insertBoard(trx, t, 'livelihood', '民生服务');
    const economy = await structureRepo.insertBoard(trx, t, 'economy', '经济发展');
    const publicService = await structureRepo.insertPost(trx, livelihood.id, '公共服务岗');
    const socialSecurity = await structureRepo.insertPost(trx, livelihood.id, '社会保障岗');
    const lawPost = await structureRepo.insertPost(trx, base.board.id, '综合执法岗');
    const dept = (nodeId: number, name: string, kind: 'joint_duty' | 'department', jointDutyType: JointDutyType | null, boardId: number | null) =>
      structureRepo.insertDepartment(trx, { nodeId, name, kind, jointDutyType, boardId });
    const market = await dept(t, '观音桥市场监管所', 'joint_duty', 'market_supervision', economy.id);
    const traffic = await dept(t, '观音桥交巡警大队', 'joint_duty', 'traffic_police', base.board.id);
    const enforcement = await dept(t, '观音桥街道综合执法大队', 'department', null, base.board.id);
    const school = await dept(base.c1.id, '花园路小学', 'department', null, null);
    const property = await dept(base.c1.id, '花园物业公司', 'department', null, null);
    const owners = await dept(base.c1.id, '花园小区业主委员会', 'department', null, null);
    const cleanup = await dept(base.district.id, '江北区城市管理局', 'department', null, null);
    const sanitation = await dept(district2.id, '沙坪坝区环卫所', 'department', null, null);

    const ids = {
      market: await user('t_market', '市场监管所执法员', [{ role: 'department_handler', departmentId: market.id }]),
      traffic: await user('t_traffic', '交巡警', [{ role: 'department_handler', departmentId: traffic.id }]),
      enforcement: await user('t_enforce', '综合执法队员', [{ role: 'department_handler', departmentId: enforcement.id }]),
      school: await user('t_school', '小学保卫干部', [{ role: 'department_handler', departmentId: school.id }]),
      property: await user('t_property', '物业经理', [{ role: 'department_handler', departmentId: property.id }]),
      owners: await user('t_owners', '业委会主任', [{ role: 'department_handler', departmentId: owners.id }]),
      cleanup: await user('t_cleanup', '区城管局干部', [{ role: 'department_handler', departmentId: cleanup.id }]),
      sanitation: await user('t_sanitation', '沙坪坝环卫所长', [{ role: 'department_handler', departmentId: sanitation.id }]),
      publicService: await user('t_livelihood', '公共服务岗', [{ role: 'post_handler', postId: publicService.id }]),
      socialSecurity: await user('t_social', '社会保障岗', [{ role: 'post_handler', postId: socialSecurity.id }]),
      lawPost: await user('t_lawpost', '综合执法岗', [{ role: 'post_handler', postId: lawPost.id }]),
      districtCentre: await user('t_dcentre', '江北区治理中心值班员', [{ role: 'centre_operator', nodeId: base.district.id }]),
      districtCentre2: await user('t_dcentre2', '沙坪坝区治理中心值班员', [{ role: 'centre_operator', nodeId: district2.id }]),
      resident12: await user('t_resident12', '李秀英', [{ role: 'resident', nodeId: base.g12.id }]),
      resident21: await user('t_resident21', '张伟', [{ role: 'resident', nodeId: base.g21.id }]),
    };
    // 李秀英 and 张伟 log in to the phone page too.
    await trx.updateTable('residents').set({ user_id: ids.resident12 }).where('id', '=', base.residents.r12).execute();
    await trx.updateTable('residents').set({ user_id: ids.resident21 }).where('id', '=', base.residents.r21).execute();
    return {
      district2, town2, c3, g31, livelihood, economy,
      posts: { publicService, socialSecurity, lawPost },
      departments: { market, traffic, enforcement, school, property, owners, cleanup, sanitation },
      storyUsers: ids,
    };
  });
  return { ...base, ...extra };
}

export type StoryTown = Awaited<ReturnType<typeof seedStoryTown>>;
