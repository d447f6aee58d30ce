import type { RoleAssignmentRow } from '../../db/schema.ts';

/** Only masked numbers ever pass through here; full ones leave solely through the audited reveal. */
export const presentResident = (r: {
  id: number; grid_id: number; grid_name: string; household_id: number | null; building_id: number | null; unit_id: number | null; room: string | null;
  user_id: number | null; name: string; gender: 'M' | 'F' | null; birth_date: string | null; phone_masked: string | null; id_number_masked: string | null; status: string;
}) => ({
  id: r.id, gridId: r.grid_id, gridName: r.grid_name, householdId: r.household_id, buildingId: r.building_id, unitId: r.unit_id, room: r.room,
  userId: r.user_id, name: r.name, gender: r.gender, birthDate: r.birth_date, phone: r.phone_masked, idNumber: r.id_number_masked, status: r.status,
});

export const presentRole = (a: RoleAssignmentRow) => ({
  id: a.id, role: a.role, nodeId: a.node_id, boardId: a.board_id, postId: a.post_id, departmentId: a.department_id,
  buildingId: a.building_id, unitId: a.unit_id, abSlot: a.ab_slot, employment: a.employment,
});

export const presentUser = (u: { id: number; username: string; display_name: string; phone_masked: string | null; status: string; roles: RoleAssignmentRow[] }) => ({
  id: u.id, username: u.username, displayName: u.display_name, phone: u.phone_masked, status: u.status, roles: u.roles.map(presentRole),
});

/** The audited reveal: only the fields asked for (and allowed), in full. */
export const presentReveal = (r: { id: number; fields: readonly ('phone' | 'id_number')[]; phone: string | null; idNumber: string | null }) => ({
  id: r.id,
  ...(r.fields.includes('phone') ? { phone: r.phone } : {}),
  ...(r.fields.includes('id_number') ? { idNumber: r.idNumber } : {}),
});
