import type { BoardKind, Complexity, DeadlineUnit, JointDutyType, MatterLevel, MatterScope } from '../vocabulary.ts';

/** The two catalogues of matter types: 城市管理 (city) and 社会治理 (social). */
export type Catalogue = 'city' | 'social';

export interface CategorySeed {
  code: string;
  catalogue: Catalogue;
  /** Chinese name of the major class, e.g. '市容环境'. */
  major: string;
  name: string;
  defaultLevel: MatterLevel;
  scope: MatterScope;
  complexity: Complexity;
  leadBoard: BoardKind | null;
  leadPost: string | null;
  leadJointDuty: JointDutyType | null;
  assistJointDuty: readonly JointDutyType[];
  deadline: { amount: number; unit: DeadlineUnit };
  urgent: boolean;
  /** Phrases residents and grid workers use; matched by triage. */
  keywords: readonly string[];
}

/** Fields shared by a major class, so the seed files state them once. */
export type GroupDefaults = Pick<CategorySeed, 'catalogue' | 'major' | 'leadBoard' | 'leadPost' | 'leadJointDuty' | 'assistJointDuty'>;
export type GroupItem = Pick<CategorySeed, 'code' | 'name' | 'defaultLevel' | 'scope' | 'complexity' | 'deadline' | 'keywords'> &
  Partial<Pick<CategorySeed, 'urgent' | 'leadBoard' | 'leadPost' | 'leadJointDuty' | 'assistJointDuty'>>;
export interface CategoryGroup {
  defaults: GroupDefaults;
  items: readonly GroupItem[];
}
