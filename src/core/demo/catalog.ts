// Fixed parts of the demo town (identity, boards, posts, departments) that the README and tests refer to by name.
import type { BoardKind, DemoDepartment } from './spec.ts';

export const DEMO_DISTRICT = { code: '610111', name: '渭川区' };
export const DEMO_TOWN = { code: '610111004000', name: '灞源街道', short: '灞源' };
/** Prefix of every postal address in the town. */
export const ADDRESS_PREFIX = `陕西省西安市${DEMO_DISTRICT.name}${DEMO_TOWN.name}`;

export interface PostSpec {
  name: string;
  /** ASCII key used in the post handler's username, post_<slug>. */
  slug: string;
}

export interface BoardSpec {
  kind: BoardKind;
  name: string;
  /** ASCII key used in the board lead's username, board_<slug>. */
  slug: string;
  posts: PostSpec[];
}

export const BOARD_SPECS: readonly BoardSpec[] = [
  {
    kind: 'party_building',
    name: '党的建设',
    slug: 'party',
    posts: [
      { name: '党群服务岗', slug: 'partyservice' },
      { name: '组织宣传岗', slug: 'publicity' },
    ],
  },
  {
    kind: 'economy',
    name: '经济发展',
    slug: 'economy',
    posts: [
      { name: '企业服务岗', slug: 'enterprise' },
      { name: '招商引资岗', slug: 'investment' },
      { name: '营商环境岗', slug: 'business' },
    ],
  },
  {
    kind: 'livelihood',
    name: '民生服务',
    slug: 'livelihood',
    posts: [
      { name: '社会保障岗', slug: 'welfare' },
      { name: '公共服务岗', slug: 'publicservice' },
      { name: '退役军人服务岗', slug: 'veterans' },
    ],
  },
  {
    kind: 'safety_law',
    name: '平安法治',
    slug: 'safety',
    posts: [
      { name: '交通巡逻岗', slug: 'traffic' },
      { name: '综合执法岗', slug: 'enforcement' },
      { name: '矛盾调解岗', slug: 'mediation' },
      { name: '应急管理岗', slug: 'emergency' },
    ],
  },
];

export interface DepartmentSpec {
  department: DemoDepartment;
  /** ASCII key used in the handler's username, dept_<slug>. */
  slug: string;
}

const T = DEMO_TOWN.short;
const D = DEMO_DISTRICT.name;

export const DEPARTMENT_SPECS: readonly DepartmentSpec[] = [
  jointDuty('police', `${T}派出所`, 'police_station', 'safety_law'),
  jointDuty('market', `${T}市场监管所`, 'market_supervision', 'economy'),
  jointDuty('judicial', `${T}司法所`, 'judicial', 'safety_law'),
  jointDuty('tax', `${T}税务所`, 'tax', 'economy'),
  jointDuty('traffic', `${D}交巡警大队${T}中队`, 'traffic_police', 'safety_law'),
  jointDuty('fire', `${T}消防救援站`, 'fire', 'safety_law'),
  jointDuty('health', `${T}街道社区卫生服务中心`, 'health_centre', 'livelihood'),
  districtDepartment('urban', `${D}城市管理和综合执法局`),
  districtDepartment('housing', `${D}住房和城乡建设局`),
  districtDepartment('water', `${D}水务局`),
  districtDepartment('transport', `${D}交通运输局`),
];

function jointDuty(
  slug: string,
  name: string,
  jointDutyType: NonNullable<DemoDepartment['jointDutyType']>,
  board: BoardKind,
): DepartmentSpec {
  return { slug, department: { name, kind: 'joint_duty', jointDutyType, level: 'town', board } };
}

function districtDepartment(slug: string, name: string): DepartmentSpec {
  return { slug, department: { name, kind: 'department', jointDutyType: null, level: 'district', board: null } };
}
