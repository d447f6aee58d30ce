import { maskPersonName } from '../../core/deliberation/stages.ts';
import type { AttendeeRow, ItemRow, MeetingRow, StationRow, agendaOf } from './meetings.repository.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export const presentStation = (s: StationRow) => ({
  id: s.id, nodeId: s.node_id, nodeName: s.node_name, name: s.name, brand: s.brand, address: s.address, createdAt: new Date(s.created_at).toISOString(),
});

export const presentMeetingItem = (m: MeetingRow) => ({
  id: m.id, nodeId: m.node_id, nodeName: m.node_name, kind: m.kind, title: m.title, place: m.place, startsAt: new Date(m.starts_at).toISOString(),
  state: m.state, topicId: m.topic_id, stationId: m.station_id,
});

export interface MeetingDetail {
  meeting: MeetingRow; station: StationRow | null; agenda: Awaited<ReturnType<typeof agendaOf>>; attendees: AttendeeRow[]; organiser: boolean;
}

/** A meeting for one viewer: organisers see who came (residents masked to the family name, staff by name); residents only the count. */
export function presentMeeting(d: MeetingDetail) {
  const m = d.meeting;
  return {
    ...presentMeetingItem(m),
    station: d.station ? presentStation(d.station) : null,
    agenda: d.agenda.map((a) => ({ id: a.id, position: a.position, title: a.title, topicId: a.topic_id, itemId: a.item_id, itemState: a.item_state, outcome: a.outcome, stateAfter: a.state_after })),
    attendance: d.attendees.length,
    attendees: d.organiser ? d.attendees.map((a) => ({ name: a.resident_id === null ? a.name : maskPersonName(a.name), via: a.via, at: new Date(a.at).toISOString() })) : null,
    minutes: m.minutes, openedAt: iso(m.opened_at), closedAt: iso(m.closed_at), mayOrganise: d.organiser,
  };
}

export const presentAttendee = (a: AttendeeRow) => ({
  id: a.id, meetingId: a.meeting_id, name: a.resident_id === null ? a.name : maskPersonName(a.name), via: a.via, at: new Date(a.at).toISOString(),
});

export const presentItem = (i: ItemRow) => ({
  id: i.id, nodeId: i.node_id, title: i.title, kind: i.kind, owner: i.owner, departmentId: i.department_id, state: i.state, topicId: i.topic_id,
  matterId: i.matter_id, meetingId: i.raised_at_meeting, createdAt: new Date(i.created_at).toISOString(), updatedAt: new Date(i.updated_at).toISOString(),
});
