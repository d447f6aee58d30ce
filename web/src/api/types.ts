import type { paths } from './schema';

/**
 * Names for the API's shapes, derived from the generated schema (./schema.d.ts) so that a changed endpoint breaks
 * the type check of every page that reads it. Pages import these instead of writing the shapes by hand.
 */
export type Path = keyof paths;
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation<P extends Path, M extends Method> = NonNullable<paths[P][M]>;
type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;

/** The JSON answer of an operation: its 200 or 201 response body. */
export type Ok<P extends Path, M extends Method = 'get'> = Operation<P, M> extends { responses: infer R }
  ? Json<R[200 & keyof R]> | Json<R[201 & keyof R]>
  : never;

/** The JSON request body an operation takes. */
export type Body<P extends Path, M extends Method> = Operation<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

/** The query parameters an operation takes. */
export type Query<P extends Path, M extends Method = 'get'> = NonNullable<Operation<P, M> extends { parameters: { query?: infer Q } } ? Q : never>;

/** The GET paths answering a cursor-paged list ({ items, nextCursor }). */
export type PagedPath = { [P in Path]: [Ok<P>] extends [never] ? never : Ok<P> extends { items: unknown[]; nextCursor: string | null } ? P : never }[Path];

/** One row of a list answer ({ items: [...] }). */
export type Item<P extends Path, M extends Method = 'get'> = Ok<P, M> extends { items: Array<infer I> } ? I : never;

// The session and the tree.
export type Me = NonNullable<Ok<'/api/auth/session'>['me']>;
export type Role = Me['assignments'][number]['role'];
export type NodeItem = Item<'/api/nodes'>;
export type NodeDetail = Ok<'/api/nodes/{id}'>;
export type Level = NodeItem['level'];
export type Geometry = NonNullable<NodeDetail['boundary']>;
export type BoundaryCollection = Ok<'/api/geo/boundaries'>;
export type MapConfig = Ok<'/api/map/config'>;
export type MapFeatureCollection = Ok<'/api/map/features'>;
/** A building to choose a place from (/api/map/places). */
export type Place = Item<'/api/map/places'>;

// Places and people.
export type Building = Item<'/api/buildings'>;
export type Household = Item<'/api/households'>;
export type Board = Item<'/api/boards'>;
export type Department = Item<'/api/departments'>;
export type User = Ok<'/api/users/{id}'>;
export type Resident = Item<'/api/residents'>;
export type OnlineGroup = Item<'/api/online-groups'>;
export type Coverage = Ok<'/api/online-groups/coverage'>;
export type GroupMessage = Item<'/api/group-messages'>;
export type Visit = Item<'/api/visits'>;

// Categories and the calendar.
export type Category = Item<'/api/categories'>;
export type CategorySuggestion = Ok<'/api/categories/suggest'>;
export type CalendarDay = Item<'/api/calendar'>;

// Matters.
export type MatterItem = Item<'/api/matters'>;
export type Matter = Ok<'/api/matters/{id}'>;
export type MatterAssignment = Matter['assignments'][number];
export type PublicMatter = Ok<'/api/public/matters/{code}'>;
export type DuePreview = Ok<'/api/matters/{id}/due-preview'>;
export type NewMatter = Body<'/api/matters', 'post'>;
export type NewVisit = Body<'/api/visits', 'post'>;

// Inspections.
export type InspectionItem = Item<'/api/inspections/mine'>;
export type Inspection = Ok<'/api/inspections/{id}'>;
export type InspectionPoint = Inspection['points'][number];

// Figures.
export type StatsSummary = Ok<'/api/stats/summary'>;
export type StatsBreakdown = Ok<'/api/stats/breakdown'>;
export type StatsHandlers = Ok<'/api/stats/handlers'>;
export type ScreenOverview = Ok<'/api/screen/overview'>;
