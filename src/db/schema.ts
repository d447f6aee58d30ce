import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Boundary } from '../core/geo/geojson.schema.ts';

/** Timestamps: read as Date, written as Date or ISO string, defaulted by the database. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type NodeLevel = 'district' | 'town' | 'community' | 'grid' | 'microgrid';
export type GridKind = 'residential' | 'shops' | 'institutions' | 'schools' | 'medical';
export type EstateType = 'property_managed' | 'self_governed' | 'resettlement' | 'transitional';
export type BoardKind = 'party_building' | 'economy' | 'livelihood' | 'safety_law';
export type JointDutyType = 'police_station' | 'market_supervision' | 'judicial' | 'tax' | 'traffic_police' | 'fire' | 'health_centre';
export type Platform = 'wecom' | 'wechat' | 'dingtalk' | 'webhook';
export type Role =
  | 'admin' | 'centre_operator' | 'board_lead' | 'post_handler' | 'department_handler' | 'community_staff'
  | 'grid_chief' | 'grid_worker' | 'building_head' | 'unit_head' | 'volunteer' | 'mediator' | 'merchant' | 'resident';

export interface MetaTable { key: string; value: string }

export interface NodesTable {
  id: Generated<number>;
  parent_id: number | null;
  level: NodeLevel;
  code: string;
  name: string;
  /** Materialised path of ids, '/1/4/17/', for subtree scope checks with a prefix match. */
  path: string;
  /** community|village for communities, town|street for towns, the grid kind for grids. */
  kind: string | null;
  estate_type: EstateType | null;
  estate_name: string | null;
  boundary: ColumnType<Boundary | null, string | null | undefined, string | null>;
  status: Generated<'active' | 'retired'>;
  retired_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BuildingsTable {
  id: Generated<number>;
  grid_id: number;
  name: string;
  address: Generated<string>;
  lng: number | null;
  lat: number | null;
  status: Generated<'active' | 'retired'>;
  created_at: Timestamp;
}

export interface UnitsTable { id: Generated<number>; building_id: number; name: string }

export interface HouseholdsTable {
  id: Generated<number>;
  grid_id: number;
  building_id: number | null;
  unit_id: number | null;
  room: Generated<string>;
  population: Generated<number>;
  created_at: Timestamp;
}

export interface BoardsTable { id: Generated<number>; node_id: number; kind: BoardKind; name: string }
export interface PostsTable { id: Generated<number>; board_id: number; name: string }
export interface DepartmentsTable {
  id: Generated<number>;
  node_id: number;
  name: string;
  kind: 'joint_duty' | 'department';
  joint_duty_type: JointDutyType | null;
  board_id: number | null;
  status: Generated<'active' | 'retired'>;
}

export interface OnlineGroupsTable {
  id: Generated<number>;
  grid_id: number;
  platform: Platform;
  external_id: string;
  name: string;
  status: Generated<'active' | 'retired'>;
  created_at: Timestamp;
}


export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string | null;
  phone_hash: string | null;
  phone_enc: string | null;
  phone_masked: string | null;
  status: Generated<'active' | 'disabled'>;
  created_at: Timestamp;
}

export interface ResidentsTable {
  id: Generated<number>;
  grid_id: number;
  household_id: number | null;
  user_id: number | null;
  name: string;
  gender: 'M' | 'F' | null;
  birth_date: string | null;
  phone_hash: string | null;
  phone_enc: string | null;
  phone_masked: string | null;
  id_number_hash: string | null;
  id_number_enc: string | null;
  id_number_masked: string | null;
  status: Generated<'active' | 'moved_out' | 'deceased'>;
  created_at: Timestamp;
}

export interface RoleAssignmentsTable {
  id: Generated<number>;
  user_id: number;
  role: Role;
  node_id: number;
  board_id: number | null;
  post_id: number | null;
  department_id: number | null;
  building_id: number | null;
  unit_id: number | null;
  ab_slot: 'A' | 'B' | null;
  employment: 'full_time' | 'part_time' | null;
  created_at: Timestamp;
  ended_at: NullableTimestamp;
}

export interface SessionsTable {
  id: string;
  user_id: number;
  created_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  last_failure_at: ColumnType<Date, Date | string, Date | string>;
  locked_until: NullableTimestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_user_id: number | null;
  action: string;
  subject_type: string;
  subject_id: string | null;
  ip: string | null;
  request_id: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface DB {
  meta: MetaTable;
  nodes: NodesTable;
  buildings: BuildingsTable;
  units: UnitsTable;
  households: HouseholdsTable;
  boards: BoardsTable;
  posts: PostsTable;
  departments: DepartmentsTable;
  online_groups: OnlineGroupsTable;
  users: UsersTable;
  residents: ResidentsTable;
  role_assignments: RoleAssignmentsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
}

export type NodeRow = Selectable<NodesTable>;
export type NewNode = Insertable<NodesTable>;
export type NodeUpdate = Updateable<NodesTable>;
export type UserRow = Selectable<UsersTable>;
export type ResidentRow = Selectable<ResidentsTable>;
export type RoleAssignmentRow = Selectable<RoleAssignmentsTable>;
