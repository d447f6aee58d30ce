// Shape of the generated demo town; the loader and the geometry module both consume these types.

export type GridKind = 'residential' | 'shops' | 'institutions' | 'schools' | 'medical';
export type EstateType = 'property_managed' | 'self_governed' | 'resettlement' | 'transitional';
export type BoardKind = 'party_building' | 'economy' | 'livelihood' | 'safety_law';
export type JointDutyType =
  | 'police_station'
  | 'market_supervision'
  | 'judicial'
  | 'tax'
  | 'traffic_police'
  | 'fire'
  | 'health_centre';
export type Role =
  | 'admin'
  | 'centre_operator'
  | 'board_lead'
  | 'post_handler'
  | 'department_handler'
  | 'community_staff'
  | 'grid_chief'
  | 'grid_worker'
  | 'building_head'
  | 'unit_head'
  | 'volunteer'
  | 'mediator'
  | 'merchant'
  | 'resident';

/** One dwelling; `room` is floor + two-digit position, e.g. "301", "1804". */
export interface DemoHousehold {
  room: string;
  population: number;
}

/** A stairwell of a building, e.g. "1单元". */
export interface DemoUnit {
  name: string;
  households: DemoHousehold[];
}

/** A building, e.g. "3栋", with its full Chinese postal address. */
export interface DemoBuilding {
  name: string;
  address: string;
  units: DemoUnit[];
}

/** An online (WeCom) group mirroring a grid. */
export interface DemoGroup {
  platform: 'wecom';
  externalId: string;
  name: string;
}

export interface DemoGrid {
  code: string;
  name: string;
  kind: GridKind;
  estateType: EstateType | null;
  estateName: string | null;
  buildings: DemoBuilding[];
  groups: DemoGroup[];
  microgrids: { code: string; name: string }[];
}

export interface DemoCommunity {
  code: string;
  name: string;
  kind: 'community' | 'village';
  grids: DemoGrid[];
}

export interface DemoDepartment {
  name: string;
  kind: 'joint_duty' | 'department';
  jointDutyType: JointDutyType | null;
  level: 'town' | 'district';
  board: BoardKind | null;
}

export type DemoScope =
  | { kind: 'node'; code: string } // a division or grid code
  | { kind: 'department'; name: string }
  | { kind: 'post'; board: BoardKind; name: string }
  | { kind: 'board'; board: BoardKind }
  | { kind: 'building'; gridCode: string; building: number } // index into grid.buildings
  | { kind: 'unit'; gridCode: string; building: number; unit: number };

export interface DemoRole {
  role: Role;
  scope: DemoScope;
  abSlot?: 'A' | 'B';
  employment?: 'full_time' | 'part_time';
}

/** An account: staff, and residents who log in. */
export interface DemoPerson {
  username: string;
  name: string;
  gender: 'M' | 'F';
  phone: string;
  roles: DemoRole[];
}

/** A registered resident; building/unit/household are indexes into the grid's tree. */
export interface DemoResident {
  name: string;
  gender: 'M' | 'F';
  birthDate: string; // YYYY-MM-DD
  phone: string;
  idNumber: string;
  gridCode: string;
  building: number;
  unit: number;
  household: number;
  username: string | null;
}

export interface DemoBoard {
  kind: BoardKind;
  name: string;
  posts: string[];
}

export interface DemoTown {
  district: { code: string; name: string };
  town: { code: string; name: string };
  communities: DemoCommunity[];
  boards: DemoBoard[];
  departments: DemoDepartment[];
  people: DemoPerson[];
  residents: DemoResident[];
}
