/**
 * Plain Chinese words for the fields of request bodies and queries, and the sentence a zh-CN reader sees for a
 * failing field ("请写上处理情况"). English readers keep zod's own message; the machine reason is the zod issue code.
 */

/** Field name (the last named segment of the issue path) → what a person calls it. */
export const FIELD_LABELS: Record<string, string> = {
  // matters
  title: '标题', description: '事件描述', categoryCode: '事件分类', category: '分类', categoryId: '分类', source: '来源', channel: '渠道',
  location: '位置', lng: '经度', lat: '纬度', crs: '坐标系', address: '地址', photos: '照片', reporter: '上报人',
  contactName: '联系人', contactPhone: '联系电话', anonymous: '匿名', urgent: '紧急', followsMatterId: '原事件',
  complexity: '复杂程度', scope: '事件范围', level: '层级', leadBoardId: '牵头板块', lead: '主办单位', assists: '协办单位',
  dueAt: '办理期限', note: '处理情况', departments: '部门', toNodeId: '上报到的中心', reason: '理由', passed: '核查结果',
  satisfaction: '满意度', comment: '评价内容', outcome: '回访情况', satisfied: '是否满意', intoMatterId: '要合并到的事件',
  extendTo: '延期到', approve: '是否同意', status: '状态', mine: '我的', overdue: '超期', from: '开始日期', to: '结束日期',
  q: '关键词', text: '内容',
  // people and accounts
  name: '名称', gender: '性别', birthDate: '出生日期', phone: '手机号', idNumber: '身份证号', fields: '要查看的内容',
  householdId: '户', householdIds: '走访的住户', residentId: '居民', username: '账号', password: '密码', displayName: '姓名',
  role: '角色', roles: '角色', abSlot: 'AB 岗', userId: '账号', code: '编码',
  // the tree and the organisation
  nodeId: '节点', parentId: '上级节点', parentCode: '上级编码', gridId: '网格', under: '范围', kind: '类型', boundary: '边界',
  boardId: '板块', postId: '岗位', departmentId: '部门', buildingId: '楼栋', unitId: '单元', room: '房号', estateName: '小区名称',
  estateType: '小区类型', units: '单元', platform: '平台', externalId: '群编号', groupId: '群', externalGroupId: '外部群编号',
  // inspection, visits, dictionary, online grid
  points: '巡查点位', state: '检查结果', at: '时间', clientId: '草稿编号', day: '日期', weekday: '星期', keywords: '关键词',
  phrase: '词语', urgentKind: '紧急类别', contentId: '内容', cadence: '周期', timeOfDay: '时间', theme: '主题', senderName: '发送人',
  sentAt: '发送时间', limit: '条数', cursor: '翻页位置', nodeCode: '节点编码', year: '年份',
};

/** Where one field name means something else on one route (route pattern as Fastify spells it). */
const ROUTE_FIELD_LABELS: Record<string, Record<string, string>> = {
  '/api/auth/phone/verify': { code: '验证码' },
  '/api/visits': { note: '走访情况' },
  '/api/matters/:id/verify': { note: '核查意见' },
  '/api/inspections/:id/points/:pointId/check': { note: '巡查情况' },
};

/** Fields a person picks rather than writes: "请选择…" instead of "请写上…". */
const PICKED = new Set([
  'categoryCode', 'category', 'categoryId', 'source', 'channel', 'location', 'crs', 'complexity', 'scope', 'level', 'leadBoardId',
  'lead', 'assists', 'dueAt', 'departments', 'toNodeId', 'passed', 'satisfaction', 'satisfied', 'intoMatterId', 'extendTo', 'approve',
  'status', 'gender', 'birthDate', 'fields', 'householdId', 'householdIds', 'residentId', 'role', 'roles', 'abSlot', 'userId', 'nodeId',
  'parentId', 'gridId', 'under', 'kind', 'boardId', 'postId', 'departmentId', 'buildingId', 'unitId', 'groupId', 'state', 'at', 'day',
  'weekday', 'urgentKind', 'contentId', 'cadence', 'platform', 'from', 'to', 'photos',
]);

/** What a well-formed value of a field looks like, for a refused format. */
const FORMAT_HINTS: Record<string, string> = {
  phone: '请写 11 位手机号，比如 13812345678',
  contactPhone: '请写 11 位手机号，比如 13812345678',
  idNumber: '身份证号要是 18 位，最后一位校验码要对得上',
  birthDate: '出生日期要写成 1980-01-31 这样的日期',
  from: '开始日期要写成 2024-01-31 这样的日期',
  to: '结束日期要写成 2024-01-31 这样的日期',
  photos: '照片没有传好，请重新选一次照片',
  clientId: '草稿编号不对，请重新填写一次',
};

export const UNKNOWN_FIELD = '这一项';

/** The field an issue path names: its last segment that is not an array index. */
export function fieldOf(path: ReadonlyArray<string | number>): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const p = path[i];
    if (typeof p === 'string' && !/^\d+$/.test(p)) return p;
  }
  return undefined;
}

export const labelOf = (field: string | undefined, route?: string): string =>
  (field !== undefined && ((route !== undefined && ROUTE_FIELD_LABELS[route]?.[field]) || FIELD_LABELS[field])) || UNKNOWN_FIELD;

/** The parts of a zod issue the sentence depends on (zod 4 issue shapes). */
export interface IssueFacts {
  code: string;
  /** True when the value was absent (undefined, null or only spaces). */
  missing: boolean;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
}

/** The sentence a zh-CN reader sees for one failing field, naming it in plain words. */
export function zhIssueMessage(field: string | undefined, f: IssueFacts, route?: string): string {
  const label = labelOf(field, route);
  const ask = field !== undefined && PICKED.has(field) ? `请选择${label}` : `请写上${label}`;
  const hint = field !== undefined ? FORMAT_HINTS[field] : undefined;
  const min = f.minimum === undefined ? undefined : Number(f.minimum);
  const max = f.maximum === undefined ? undefined : Number(f.maximum);
  if (f.missing) return ask;
  switch (f.code) {
    case 'too_small':
      if (f.origin === 'string') return min !== undefined && min <= 1 ? ask : `${label}至少要写 ${min} 个字`;
      if (f.origin === 'array' || f.origin === 'set') return min !== undefined && min <= 1 ? ask : `${label}至少要选 ${min} 项`;
      if (f.origin === 'date') return `${label}太早了`;
      return f.inclusive === false ? `${label}要大于 ${min}` : `${label}不能小于 ${min}`;
    case 'too_big':
      if (f.origin === 'string') return `${label}最多只能写 ${max} 个字`;
      if (f.origin === 'array' || f.origin === 'set') return `${label}最多只能选 ${max} 项`;
      if (f.origin === 'file') return `${label}太大了`;
      if (f.origin === 'date') return `${label}太晚了`;
      return f.inclusive === false ? `${label}要小于 ${max}` : `${label}不能大于 ${max}`;
    case 'invalid_value':
    case 'invalid_union':
      return hint ?? `${ask}（从给出的选项里选）`;
    case 'unrecognized_keys':
      return '请求里有系统不认识的内容';
    case 'invalid_format':
    case 'custom':
    case 'invalid_type':
      return hint ?? `${label}填得不对，请检查一下`;
    default:
      return hint ?? `${label}填得不对，请检查一下`;
  }
}
